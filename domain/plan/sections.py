"""Sections of a plan: what a heading announces, and the prepass that finds the headings.

Before the pass over the tokens, :func:`read_layout` decides which numbered lines are headings
(an outer style with inner lines below, or ``一、`` with skip or measures words) and the *item
style*: the style of the first numbered line that is not a heading.  Headings open a category
(…方面), a problems list (存在问题), a measures block (整改措施) or a part that is skipped
(保障措施, 工作要求 …).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final

from domain.plan.numbering import Style
from domain.plan.text import core
from domain.plan.tokens import Kind, Token


class Section(Enum):
    """What a heading opens."""

    CATEGORY = "category"
    PROBLEMS = "problems"
    MEASURES = "measures"
    SKIP = "skip"


_SKIP_WORDS: Final = (
    "保障措施|保障机制|组织保障|工作保障|组织领导|工作要求|有关要求|相关要求|总体要求|整改要求|"
    "指导思想|工作目标|整改目标|目标任务|方法步骤|实施步骤|工作步骤|整改步骤|时间安排|进度安排|"
    "步骤安排|基本原则|工作原则|领导小组|组织机构|工作机构"
)
_SKIP_HEADING: Final = re.compile(_SKIP_WORDS)
# An unnumbered paragraph that is nothing but such words opens a skipped part too.
SKIP_PARAGRAPH: Final = re.compile(rf"(?:整改|工作)?(?:{_SKIP_WORDS})")
_MEASURES_HEADING: Final = re.compile("措施|举措|整改方向|整改思路|努力方向")
_HEADING_MAX: Final = 16
_CATEGORY_MAX: Final = 30
# How a closing paragraph starts (以上…, 下一步…); such text is not a measure or a field.
CONCLUSION: Final = re.compile(
    "以上|总之|综上|今后|下一步|我们将|我们要|我支部将|支部将|党委将|党支部将|在今后|"
    "通过(?:本次|这次|此次)?整改"
)


def keyword_section(core_text: str) -> Section | None:
    """The kind of section a heading's words announce, if any."""
    if len(core_text) <= _HEADING_MAX and _SKIP_HEADING.search(core_text):
        return Section.SKIP
    if len(core_text) <= _HEADING_MAX - 4 and _MEASURES_HEADING.search(core_text):
        return Section.MEASURES
    if "方面" in core_text and len(core_text) <= _CATEGORY_MAX:
        return Section.CATEGORY
    if len(core_text) <= _HEADING_MAX and "问题" in core_text:
        return Section.PROBLEMS
    return None


def _has_children(tokens: Sequence[Token], index: int) -> bool:
    """Whether the next structural token is numbered in an inner style."""
    style = tokens[index].style
    assert style is not None
    for token in tokens[index + 1 :]:
        if token.kind is Kind.TEXT or token.style is Style.YISHI:
            continue
        return token.kind is Kind.NUMBERED and token.style is not None and token.style > style
    return False


def _prepass_headings(tokens: Sequence[Token]) -> tuple[set[int], Style | None]:
    """Numbered lines that are headings, and the item style (first non-heading numbering)."""
    headings: set[int] = set()
    item_style: Style | None = None
    in_skip = False
    for index, token in enumerate(tokens):
        if token.kind is not Kind.NUMBERED or token.style in (None, Style.YISHI):
            continue
        kind = keyword_section(core(token.body))
        outermost = token.style is Style.CN_DUN
        if (outermost and kind in (Section.SKIP, Section.MEASURES)) or (
            (outermost or kind in (Section.CATEGORY, Section.PROBLEMS))
            and _has_children(tokens, index)
        ):
            headings.add(index)
            in_skip = kind is Section.SKIP
        elif outermost:
            in_skip = False
        if index not in headings and item_style is None and not in_skip:
            item_style = token.style
    return headings, item_style


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


def read_layout(tokens: Sequence[Token]) -> Layout | None:
    """The plan's headings and item style; None when nothing looks like a numbered problem."""
    headings, item_style = _prepass_headings(tokens)
    if item_style is None:
        return None
    has_measure_markers = any(
        token.kind is Kind.MEASURES_LABEL
        or (index in headings and keyword_section(core(token.body)) is Section.MEASURES)
        for index, token in enumerate(tokens)
    )
    structural = [i for i, token in enumerate(tokens) if token.kind is not Kind.TEXT]
    tail_start = structural[-1] + 1 if structural else 0
    return Layout(tokens, frozenset(headings), item_style, has_measure_markers, tail_start)
