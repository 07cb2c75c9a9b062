"""Sections of a plan: what a heading announces, and the prepass that finds the headings.

Before the pass over the tokens, :func:`read_layout` decides which numbered lines are headings
(an outer style with inner lines below, ``一、`` with a section's words, a ``…方面`` heading)
and hands the rest to :mod:`.outline`, which finds the parts of the document (problems,
measures, achievements, causes) from headings, introducing paragraphs and wording, and the
*item style*: the numbering style of the problems.

What a heading opens (:class:`Section`):

* a category (…方面): problems below it get it as their 类别;
* the problems (存在问题, 存在的主要问题, 存在问题及整改措施 …);
* the measures (整改措施, 下一步打算, 努力方向, 对策建议 …), paired with the problems above;
* achievements (主要做法, 基本情况, 工作成效 …) and causes (原因分析): not imported, the preview
  says the part was skipped and why;
* a part that is skipped paragraph by paragraph (保障措施, 时间安排, 工作要求, 参考文献 …).

A heading that carries its content after a colon (``一、存在问题:支部成立时间短……``) is cut in
two: the heading, and the content as a paragraph of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final

from domain.plan.numbering import Style
from domain.plan.text import core
from domain.plan.tokens import Kind, Token, content_token, enumeration
from domain.plan.wording import Announced, announced, classify
from domain.vocabulary import CN_DIGITS


class Section(Enum):
    """What a heading or an introducing paragraph opens."""

    CATEGORY = "category"
    PROBLEMS = "problems"
    MEASURES = "measures"
    ACHIEVEMENTS = "achievements"
    CAUSES = "causes"
    SKIP = "skip"


# Parts skipped as a whole, with one warning that names the part.
SUMMARISED: Final = frozenset({Section.ACHIEVEMENTS, Section.CAUSES})
ANNOUNCED_SECTION: Final = {
    Announced.PROBLEMS: Section.PROBLEMS,
    Announced.MEASURES: Section.MEASURES,
    Announced.ACHIEVEMENTS: Section.ACHIEVEMENTS,
    Announced.CAUSES: Section.CAUSES,
}

_SKIP_WORDS: Final = (
    "保障措施|保障机制|组织保障|工作保障|组织领导|工作要求|有关要求|相关要求|总体要求|整改要求|"
    "指导思想|工作目标|整改目标|目标任务|方法步骤|实施步骤|工作步骤|整改步骤|时间安排|进度安排|"
    "步骤安排|基本原则|工作原则|领导小组|组织机构|工作机构|参考文献"
)
_SKIP_HEADING: Final = re.compile(_SKIP_WORDS)
# An unnumbered paragraph that is nothing but such words opens a skipped part too.
SKIP_PARAGRAPH: Final = re.compile(rf"(?:整改|工作)?(?:{_SKIP_WORDS})")
_MEASURES_SHORT: Final = re.compile("措施|举措|整改方向|整改思路|努力方向")
_MEASURES_ENDING: Final = re.compile("(?:措施|举措|对策|建议|打算|思路|方向)$")
_PROBLEMS_ENDING: Final = re.compile("(?:问题|不足|差距|短板|薄弱环节)$")
_CATEGORY_ENDING: Final = re.compile("方面(?:存在的?(?:主要)?问题)?$")
_JOINED: Final = re.compile("以及|及|和|与")
_HEADING_MAX: Final = 16
_LONG_HEADING_MAX: Final = 30
_CATEGORY_MAX: Final = 30
# How a closing paragraph starts (以上…, 下一步…); such text is not a measure or a field.
CONCLUSION: Final = re.compile(
    "以上|总之|综上|今后|下一步|我们将|我们要|我支部将|支部将|党委将|党支部将|在今后|"
    "通过(?:本次|这次|此次)?整改"
)


def _announced_by(words: str) -> Section | None:
    """The section a heading's words name (causes before problems: 问题产生的原因)."""
    if "原因" in words:
        return Section.CAUSES
    found = classify(words)
    return ANNOUNCED_SECTION[found] if found is not None else None


def keyword_section(core_text: str) -> Section | None:
    """The kind of section a heading's words announce, if any."""
    size = len(core_text)
    if size <= _HEADING_MAX and _SKIP_HEADING.search(core_text):
        return Section.SKIP
    if size <= _CATEGORY_MAX and _CATEGORY_ENDING.search(core_text):
        return Section.CATEGORY
    if size <= _HEADING_MAX - 4 and _MEASURES_SHORT.search(core_text) and "问题" not in core_text:
        return Section.MEASURES
    if "方面" in core_text and size <= _CATEGORY_MAX and "几" not in core_text:
        return Section.CATEGORY
    if size <= _HEADING_MAX:
        # 存在问题及整改措施, 存在的问题及原因分析: the first of joined words names the part.
        first = _JOINED.split(core_text, maxsplit=1)[0]
        return _announced_by(first) or _announced_by(core_text)
    if size <= _LONG_HEADING_MAX and _MEASURES_ENDING.search(core_text):
        return Section.MEASURES
    if size <= _LONG_HEADING_MAX and _PROBLEMS_ENDING.search(core_text):
        return Section.PROBLEMS
    return None


# --- headings that carry their content ----------------------------------------------------------

_LABELLED_HEADING: Final = re.compile(r"([^:]{2,16}):\s*(?=\S)")
# Under an inner numbering style only a bare section name counts (存在问题:, 改进措施:), not a
# problem's title followed by its explanation (创新不足:对新情况研究不深).
_BARE_NAME_MAX: Final = 6
# ``第96个问题:`` and ``问题三:`` number one problem; they open no part (a numbered run of them
# split as headings would read some lines as parts and others as problems, by their length).
_NUMERAL: Final = rf"[0-9{CN_DIGITS}十百零〇两]+"
_ORDINAL_NAME: Final = re.compile(rf"第\s*{_NUMERAL}\s*[个项条点]?\s*问题|问题\s*{_NUMERAL}$")


def _split_labelled(token: Token) -> list[Token] | None:
    """``一、存在问题:内容`` as the heading and a paragraph; None when it is not such a line."""
    match = _LABELLED_HEADING.match(token.body.norm)
    if match is None or (token.style is not Style.CN_DUN and len(match.group(1)) > _BARE_NAME_MAX):
        return None
    name = core(token.body.cut(0, match.end(1)))
    if _ORDINAL_NAME.search(name) or keyword_section(name) in (None, Section.CATEGORY):
        return None
    head = token.body.cut(0, match.end(1))
    rest = token.body.cut(match.end()).strip()
    heading = Token(
        Kind.NUMBERED,
        token.text.cut(0, len(token.text.norm) - len(token.body.norm) + match.end(1)),
        token.line,
        body=head,
        style=token.style,
        number=token.number,
        label=token.label,
        typo=token.typo,
    )
    return [heading, content_token(rest, token.line)]


def _expand(token: Token) -> list[Token]:
    """A paragraph whose introduction announces a part and lists it inline (一是…二是…)."""
    intro, parts = enumeration(token.text, token.line)
    if len(parts) < 2 or parts[0].style is not Style.YISHI or not intro.norm:
        return [token]
    if announced(intro.norm, introduces=True) is None:
        return [token]
    return [Token(Kind.TEXT, intro, token.line, body=intro), *parts]


def prepare(tokens: Sequence[Token]) -> tuple[list[Token], set[int]]:
    """Cut labelled headings and expand announced inline lists; the cut headings' indexes."""
    prepared: list[Token] = []
    forced: set[int] = set()
    for token in tokens:
        if token.kind is Kind.NUMBERED and token.style is not Style.YISHI:
            split = _split_labelled(token)
            if split is not None:
                forced.add(len(prepared))
                prepared.extend(split)
                continue
        if token.kind is Kind.TEXT:
            prepared.extend(_expand(token))
        else:
            prepared.append(token)
    return prepared, forced


# --- headings ---------------------------------------------------------------------------------


def _has_children(tokens: Sequence[Token], index: int, *, yishi: bool) -> bool:
    """Whether the next structural token is numbered in an inner style (一是 when ``yishi``)."""
    style = tokens[index].style
    assert style is not None
    for token in tokens[index + 1 :]:
        if token.kind is Kind.TEXT or (token.style is Style.YISHI and not yishi):
            continue
        return token.kind is Kind.NUMBERED and token.style is not None and token.style > style
    return False


def prepass_headings(tokens: Sequence[Token], forced: set[int]) -> tuple[set[int], Style | None]:
    """Numbered lines that are headings, and the first style that numbers something else."""
    headings: set[int] = set(forced)
    item_style: Style | None = None
    in_skip = False
    for index, token in enumerate(tokens):
        if token.kind is not Kind.NUMBERED or token.style in (None, Style.YISHI):
            continue
        kind = keyword_section(core(token.body))
        outermost = token.style is Style.CN_DUN
        ends_category = bool(_CATEGORY_ENDING.search(core(token.body)))
        keyworded = kind in (Section.CATEGORY, Section.PROBLEMS)
        if (
            index in forced
            or ends_category
            or (outermost and kind in (Section.SKIP, Section.MEASURES, *SUMMARISED))
            or (
                (outermost or keyworded)
                and _has_children(tokens, index, yishi=outermost or keyworded)
            )
        ):
            headings.add(index)
            in_skip = kind is Section.SKIP
        elif outermost:
            in_skip = False
        if index not in headings and item_style is None and not in_skip:
            item_style = token.style
    return headings, item_style


@dataclass(frozen=True)
class Start:
    """Where a part begins without a numbered heading: an introducing paragraph or a run."""

    section: Section
    excerpt: str  # the introducing paragraph, or the first line of the run
