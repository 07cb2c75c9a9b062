"""Numbering: the styles a plan numbers with, a line's leading number, inline enumerations.

Styles, outermost first: ``一、`` ``(一)`` ``1.``/``1、`` ``(1)``/``1)`` ``①`` and inline
``一是…二是…``.  Enclosed numerals (``⑴`` ``⒈`` ``㈠`` …) count as the style they look like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from domain.vocabulary import CN_DIGITS, cn_numeral, read_cn_number


class Style(IntEnum):
    """Numbering styles, from the outermost level to the innermost."""

    CN_DUN = 0  # 一、
    CN_PAREN = 1  # (一)
    ARABIC = 2  # 1.  1、
    ARABIC_PAREN = 3  # (1)  1)
    CIRCLED = 4  # ①
    YISHI = 5  # 一是


def format_label(style: Style, number: int) -> str:
    """The canonical label of ``number`` in ``style``, for numbering warnings."""
    if style is Style.CN_DUN:
        return f"{cn_numeral(number)}、"
    if style is Style.CN_PAREN:
        return f"({cn_numeral(number)})"
    if style is Style.ARABIC_PAREN:
        return f"({number})"
    if style is Style.CIRCLED and 0 < number <= 20:
        return chr(0x2460 + number - 1)
    if style is Style.YISHI:
        return f"{cn_numeral(number)}是"
    return f"{number}."


# --- a line's leading number -------------------------------------------------------------------

_CN: Final = f"[{CN_DIGITS}十]"
_NUMBERING: Final = (
    (Style.CN_DUN, re.compile(rf"({_CN}{{1,3}})([、.]+)(?![0-9])")),
    (Style.CN_PAREN, re.compile(rf"\(\s*({_CN}{{1,3}})\s*\)([、.]*)")),
    (Style.ARABIC_PAREN, re.compile(r"\(\s*([0-9]{1,2})\s*\)([、.]*)")),
    (Style.ARABIC_PAREN, re.compile(r"([0-9]{1,2})\)()")),
    (Style.ARABIC, re.compile(r"([0-9]{1,3})([.、]+)(?![0-9])")),
    (Style.YISHI, re.compile(rf"({_CN}{{1,2}})(是)(?=\S)")),
)
# Enclosed numerals each stand for a whole label: (first code point, count, style).
_ENCLOSED: Final = (
    (0x2460, 20, Style.CIRCLED),  # ①…⑳
    (0x2474, 20, Style.ARABIC_PAREN),  # ⑴…⒇
    (0x2488, 20, Style.ARABIC),  # ⒈…⒛
    (0x2776, 10, Style.CIRCLED),  # ❶…❿
    (0x2780, 10, Style.CIRCLED),  # ➀…➉
    (0x3220, 10, Style.CN_PAREN),  # ㈠…㈩
)


@dataclass(frozen=True)
class Numbering:
    """A line's leading number: style, value, where the label ends, and a doubled separator."""

    style: Style
    number: int
    end: int
    typo: bool


def number_value(style: Style, digits: str) -> int | None:
    """The value of a captured numeral."""
    if style in (Style.ARABIC, Style.ARABIC_PAREN):
        return int(digits)
    return read_cn_number(digits)


def numbering(norm: str) -> Numbering | None:
    """Recognise the numbering at the start of a folded line."""
    if norm:
        code = ord(norm[0])
        for first, count, style in _ENCLOSED:
            if first <= code < first + count:
                return Numbering(style, code - first + 1, 1, typo=False)
    for style, pattern in _NUMBERING:
        match = pattern.match(norm)
        if match is None:
            continue
        number = number_value(style, match.group(1))
        if number is None or number == 0:
            continue
        typo = style in (Style.CN_DUN, Style.ARABIC) and len(match.group(2)) > 1
        return Numbering(style, number, match.end(), typo)
    return None


# --- inline enumerations -----------------------------------------------------------------------

# 一是 anywhere but after a character that makes a word of it (其一是, 统一是, 唯一是, 不二是 …).
_NOT_BEFORE_YISHI: Final = "其之统唯单万第同专合归整划不如逐择"
_YISHI_MARK: Final = re.compile(rf"(?<![{_NOT_BEFORE_YISHI}])({_CN}{{1,2}})是")
_ENUMERATIONS: Final = (
    (Style.YISHI, _YISHI_MARK),
    (Style.CIRCLED, re.compile(r"([①-⑳])")),
    (Style.ARABIC_PAREN, re.compile(r"\(([0-9]{1,2})\)")),
    (Style.ARABIC, re.compile(r"(?:(?<=[。;:!?\s])|^)([0-9]{1,2})[.、](?![0-9])")),
)


def _enum_value(style: Style, numeral: str) -> int | None:
    """The value of an inline enumeration marker."""
    if style is Style.CIRCLED:
        return ord(numeral) - 0x2460 + 1
    return number_value(style, numeral)


def _chain(style: Style, pattern: re.Pattern[str], norm: str) -> list[tuple[int, int]]:
    """Spans of the markers 1, 2, 3… of one style, in order."""
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(norm):
        if _enum_value(style, match.group(1)) == len(spans) + 1:
            spans.append((match.start(), match.end()))
    return spans


def marker_count(style: Style, norm: str) -> int:
    """How many markers of an inline style (any number) a folded paragraph holds."""
    for known, pattern in _ENUMERATIONS:
        if known is style:
            return sum(1 for _ in pattern.finditer(norm))
    return 0


def enumeration_markers(norm: str) -> tuple[Style, list[tuple[int, int]]] | None:
    """The markers of ``一是…二是…`` / ``①…②…`` / ``1.…2.…`` in a folded paragraph.

    Of the styles that count up to at least 2, the one whose first marker comes first wins;
    the result is that style and the (start, end) span of each marker, or None.
    """
    best: tuple[Style, list[tuple[int, int]]] | None = None
    for style, pattern in _ENUMERATIONS:
        spans = _chain(style, pattern, norm)
        if len(spans) >= 2 and (best is None or spans[0][0] < best[1][0][0]):
            best = (style, spans)
    return best
