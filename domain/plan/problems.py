"""Numbered lines and headings: a heading opens a section, an item-style line a problem.

A numbered line of the item style opens a problem, except inside a measures list whose entries
are numbered like the problems: there the numbers decide (:func:`_starts_problem`).  Lines of
an inner style are measures, sub-points or detail; lines of an outer style are headings.
"""

from __future__ import annotations

from typing import Final

from domain.plan.blocks import Block, Run
from domain.plan.measures import on_measure_line, reset_measures, start_measures
from domain.plan.numbering import Style, marker_count
from domain.plan.results import PlanWarningCode
from domain.plan.sections import SUMMARISED, Section, Start
from domain.plan.state import Mode, Quiet, State
from domain.plan.text import core, excerpt, trim
from domain.plan.tokens import Kind, Token, enumeration

# How far ahead to look for the 整改措施 label that follows a list of problems.
_LOOKAHEAD: Final = 200


def _heading_kind(state: State, index: int, token: Token) -> Section | None:
    """The section a numbered line opens, or None if it is not a heading."""
    assert token.style is not None
    layout = state.layout
    if token.style is Style.YISHI or index in layout.measure_lines:
        return None
    if index not in layout.headings and (
        token.style >= layout.item_style or layout.item_style is Style.YISHI
    ):
        # Problems numbered 一是 are the innermost style: other lines are theirs, not headings.
        return None
    return layout.heading_section(index)


def close_quiet(state: State) -> None:
    """Say which part was skipped as a whole, and how many lines it had."""
    quiet = state.cursor.quiet
    if quiet is None:
        return
    state.cursor.quiet = None
    state.out.note(
        PlanWarningCode.SKIPPED_SECTION,
        None,
        quiet.line,
        part=quiet.section.value,
        excerpt=quiet.excerpt,
        size=str(quiet.size),
    )


def on_heading(state: State, kind: Section, token: Token, index: int = -1) -> None:
    """Open a category, problems, measures or skipped section (``index``: the token's)."""
    cursor = state.cursor
    close_quiet(state)
    cursor.heading_since_block = True
    cursor.skip_open = False
    if kind is Section.MEASURES:
        targets = [block for block in cursor.section_blocks if not block.measures]
        start_measures(state, targets, in_section=True)
        cursor.part = Section.MEASURES
        return
    reset_measures(state, [], in_section=False)
    cursor.current = None
    cursor.part = Section.PROBLEMS if kind is Section.CATEGORY else kind
    if kind in SUMMARISED:
        # An aside: the problems above stay the ones a later measures part answers.
        cursor.mode = Mode.SKIP
        cursor.skip_level = token.style if token.style is not None else Style.CN_DUN
        cursor.quiet = Quiet(kind, index, token.line, excerpt(token.text))
        return
    cursor.section_blocks = []
    if kind is Section.SKIP:
        cursor.mode = Mode.SKIP
        cursor.skip_level = token.style if token.style is not None else Style.CN_DUN
        return
    cursor.mode = Mode.PREAMBLE
    cursor.category = trim(token.body).orig or None if kind is Section.CATEGORY else None


def on_start(state: State, index: int, start: Start, token: Token) -> None:
    """A part announced by a paragraph (or by the wording of a run) begins here."""
    cursor = state.cursor
    kind = start.section
    if kind is Section.PROBLEMS:
        if cursor.mode is not Mode.SKIP and cursor.part in (None, Section.PROBLEMS):
            cursor.part = Section.PROBLEMS  # already among the problems: nothing changes
            return
    elif kind is Section.MEASURES:
        waiting = [block for block in cursor.section_blocks if not block.measures]
        if cursor.part is Section.MEASURES or not waiting:
            return  # measures of nothing, or more of the same measures
    elif cursor.quiet is not None and cursor.quiet.section is kind:
        return  # the same part goes on
    on_heading(state, kind, token, index)


def on_numbered(state: State, index: int, token: Token) -> None:
    """Place a numbered line: heading, problem, measure, sub-point or detail."""
    assert token.style is not None
    cursor = state.cursor
    quietly_skipped = cursor.quiet is not None and index not in state.layout.headings
    if quietly_skipped or (cursor.mode is Mode.SKIP and token.style > cursor.skip_level):
        _skip_numbered(state, index, token)
        return
    kind = _heading_kind(state, index, token)
    if kind is not None:
        on_heading(state, kind, token, index)
        return
    if cursor.mode is Mode.SKIP:
        _skip_numbered(state, index, token)
    elif token.style is state.layout.item_style and _starts_problem(state, index, token):
        for piece in _flat_pieces(token):
            _new_problem(state, piece)
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


def _skip_numbered(state: State, index: int, token: Token) -> None:
    """Skip a numbered block of a skipped section; its detail lines go with it."""
    quiet = state.cursor.quiet
    if quiet is not None:
        quiet.size += index != quiet.index
        return
    state.out.skip(token.text, token.line)
    state.cursor.skip_open = True


def _flat_pieces(token: Token) -> list[Token]:
    """``一是…。二是…。三是…。`` on one line: one problem each (unless one nests in another)."""
    if token.style is not Style.YISHI:
        return [token]
    intro, parts = enumeration(token.text, token.line)
    flat = not intro.norm and parts and marker_count(Style.YISHI, token.text.norm) == len(parts)
    return parts if flat and len(parts) >= 2 else [token]


def open_lone_problem(state: State, token: Token) -> None:
    """A part's (or category's) only paragraph, without a number, is its one problem."""
    state.cursor.heading_since_block = True
    numbered = Token(
        Kind.NUMBERED,
        token.text,
        token.line,
        body=token.text,
        style=state.layout.item_style,
        number=1,
    )
    _new_problem(state, numbered)


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
