"""The prepass: the tokens as the pass reads them, their headings, parts and the item style."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.plan.numbering import Style
from domain.plan.outline import outline
from domain.plan.sections import Section, Start, keyword_section, prepare, prepass_headings
from domain.plan.text import core
from domain.plan.tokens import Kind, Token


@dataclass(frozen=True)
class Layout:
    """What the prepass learnt about the whole plan; read-only during the pass."""

    tokens: Sequence[Token]
    headings: frozenset[int]  # indexes of the numbered lines that are headings
    item_style: Style  # the numbering style of problems
    # Whether any 整改措施 label or measures heading occurs: without one, inner numbering under
    # a problem is its measures; with one, it is the problem's own enumeration.
    has_measure_markers: bool
    tail_start: int  # index of the first token after the last numbered line, label or field
    starts: dict[int, Start]  # parts that begin at a token that is no numbered heading
    lone: frozenset[int]  # paragraphs that are the only problem of their part or category
    measure_lines: frozenset[int]  # numbered lines read as measures by their wording

    def heading_section(self, index: int) -> Section:
        """The kind of section a numbered heading opens."""
        return keyword_section(core(self.tokens[index].body)) or Section.CATEGORY


def _first_numbered(tokens: Sequence[Token], headings: frozenset[int], start: int) -> Style | None:
    """The style of the first numbered line at or after ``start`` that is no heading."""
    for index in range(start, len(tokens)):
        token = tokens[index]
        if token.kind is Kind.NUMBERED and index not in headings and token.style is not None:
            return token.style
    return None


def read_layout(raw: Sequence[Token]) -> Layout | None:
    """The plan's headings, parts and item style; None when nothing can be a problem."""
    tokens, forced = prepare(raw)
    found, fallback = prepass_headings(tokens, forced)
    headings = frozenset(found)
    structural = [i for i, token in enumerate(tokens) if token.kind is not Kind.TEXT]
    tail_start = structural[-1] + 1 if structural else 0
    parts = outline(tokens, headings, tail_start)
    item_style: Style | None = None
    if parts.problems_from is not None:
        item_style = _first_numbered(tokens, headings, parts.problems_from)
    if item_style is None:
        item_style = fallback or _first_numbered(tokens, headings, 0)
    if item_style is None and parts.lone:
        item_style = Style.ARABIC  # the lone paragraphs are the only problems
    if item_style is None:
        return None
    has_measure_markers = any(
        token.kind is Kind.MEASURES_LABEL
        or (index in headings and keyword_section(core(token.body)) is Section.MEASURES)
        for index, token in enumerate(tokens)
    )
    return Layout(
        tokens,
        headings,
        item_style,
        has_measure_markers,
        tail_start,
        parts.starts,
        parts.lone,
        parts.measure_lines,
    )
