"""Numbered lines and headings: a heading opens a section, an item-style line a problem.

A numbered line of the item style opens a problem, except inside a measures list whose entries
are numbered like the problems: there the numbers decide (:func:`_starts_problem`).  Lines of
an inner style are measures, sub-points or detail; lines of an outer style are headings.
"""

from __future__ import annotations

from typing import Final

from domain.plan.blocks import Block, Run
from domain.plan.measures import on_measure_line, reset_measures, start_measures
from domain.plan.numbering import Style
from domain.plan.sections import Section, keyword_section
from domain.plan.state import Mode, State
from domain.plan.text import core, trim
from domain.plan.tokens import Kind, Token

# How far ahead to look for the 整改措施 label that follows a list of problems.
_LOOKAHEAD: Final = 200


def _heading_kind(state: State, index: int, token: Token) -> Section | None:
    """The section a numbered line opens, or None if it is not a heading."""
    assert token.style is not None
    if token.style is Style.YISHI:
        return None
    if index not in state.layout.headings and token.style >= state.layout.item_style:
        return None
    return keyword_section(core(token.body)) or Section.CATEGORY


def on_heading(state: State, kind: Section, token: Token) -> None:
    """Open a category, problems, measures or skipped section."""
    cursor = state.cursor
    cursor.heading_since_block = True
    cursor.skip_open = False
    if kind is Section.MEASURES:
        targets = [block for block in cursor.section_blocks if not block.measures]
        start_measures(state, targets, in_section=True)
        return
    reset_measures(state, [], in_section=False)
    cursor.section_blocks = []
    cursor.current = None
    if kind is Section.SKIP:
        cursor.mode = Mode.SKIP
        cursor.skip_level = token.style if token.style is not None else Style.CN_DUN
        return
    cursor.mode = Mode.PREAMBLE
    cursor.category = trim(token.body).orig or None if kind is Section.CATEGORY else None


def on_numbered(state: State, index: int, token: Token) -> None:
    """Place a numbered line: heading, problem, measure, sub-point or detail."""
    assert token.style is not None
    cursor = state.cursor
    if cursor.mode is Mode.SKIP and token.style > cursor.skip_level:
        _skip_numbered(state, token)
        return
    kind = _heading_kind(state, index, token)
    if kind is not None:
        on_heading(state, kind, token)
        return
    if cursor.mode is Mode.SKIP:
        _skip_numbered(state, token)
    elif token.style is state.layout.item_style and _starts_problem(state, index, token):
        _new_problem(state, token)
    elif cursor.mode is Mode.MEASURES:
        on_measure_line(state, token)
    elif cursor.current is not None and (
        cursor.mode is Mode.FIELDS
        or (not state.layout.has_measure_markers and token.style is not Style.YISHI)
    ):
        # Without any 整改措施 marker in the plan, inner numbering under a problem is its
        # measures; with markers it is the problem's own enumeration.
        start_measures(state, [cursor.current], in_section=False)
        on_measure_line(state, token)
    elif cursor.mode is Mode.PROBLEM and cursor.current is not None:
        cursor.current.details.append(token.text)
    else:
        state.out.skip(token.text, token.line)


def _skip_numbered(state: State, token: Token) -> None:
    """Skip a numbered block of a skipped section; its detail lines go with it."""
    state.out.skip(token.text, token.line)
    state.cursor.skip_open = True


def _starts_problem(state: State, index: int, token: Token) -> bool:
    """Whether an item-style line opens a problem rather than continuing a measures list."""
    cursor, measures = state.cursor, state.measures
    if cursor.mode is not Mode.MEASURES:
        return True
    if measures.in_section:
        return False
    last_problem = cursor.current.token.number if cursor.current is not None else 0
    if measures.style is None:
        return token.number != 1 and token.number == last_problem + 1
    if measures.style is not state.layout.item_style:
        return True
    if token.number == 1:
        return True
    fits_measure = token.number == measures.last_number + 1
    fits_problem = token.number == last_problem + 1
    if fits_measure != fits_problem:
        return fits_problem
    return core(token.body).endswith("问题") or _problems_follow(state, index)


def _problems_follow(state: State, index: int) -> bool:
    """Whether the consecutive item-style run starting here is followed by 整改措施."""
    tokens = state.layout.tokens
    expected = tokens[index].number + 1
    for token in tokens[index + 1 : index + _LOOKAHEAD]:
        if token.kind is Kind.TEXT:
            continue
        if token.kind is Kind.NUMBERED and token.style is state.layout.item_style:
            if token.number != expected:
                return False
            expected += 1
            continue
        if token.kind is Kind.NUMBERED:
            continue
        return token.kind is Kind.MEASURES_LABEL
    return False


def _new_problem(state: State, token: Token) -> None:
    """Open a problem block, starting a new run when the numbering restarts."""
    cursor, out = state.cursor, state.out
    run = out.runs[-1] if out.runs else None
    last = run.blocks[-1].token.number if run is not None and run.blocks else 0
    restart = run is None or cursor.heading_since_block or (token.number == 1 and last > 0)
    if restart:
        run = Run(has_heading=cursor.heading_since_block)
        out.runs.append(run)
    assert run is not None
    block = Block(token=token, category=cursor.category, last_line=token.line)
    out.check_number(block, token, None if restart else last)
    run.blocks.append(block)
    out.blocks.append(block)
    cursor.section_blocks.append(block)
    cursor.current = block
    cursor.mode = Mode.PROBLEM
    cursor.heading_since_block = False
    reset_measures(state, [], in_section=False)
