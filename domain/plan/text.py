"""The user's text and its folded twin: match on ASCII, hand back what was typed.

Every piece of a plan is a :class:`Text`: the characters as typed plus a copy whose full-width
forms are folded to ASCII one character for one character.  Patterns run on the folded copy;
because both strings have the same length, a match's positions cut the typed text too, so
every output is a slice of the original (full-width stays full-width).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_FOLD: Final = str.maketrans(
    {chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " ", "〔": "(", "〕": ")"}
)


def fold(text: str) -> str:
    """Full-width forms (，：（）digits, letters, the ideographic space) as ASCII, same length."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Text:
    """A piece of the user's text with its folded twin; same length, so slices line up."""

    orig: str
    norm: str

    @classmethod
    def of(cls, orig: str) -> Text:
        """Pair ``orig`` with its folded copy."""
        return cls(orig, fold(orig))

    def cut(self, start: int, end: int | None = None) -> Text:
        """Slice both strings alike."""
        return Text(self.orig[start:end], self.norm[start:end])

    def strip(self) -> Text:
        """Drop surrounding whitespace."""
        start, end = 0, len(self.norm)
        while start < end and self.norm[start].isspace():
            start += 1
        while end > start and self.norm[end - 1].isspace():
            end -= 1
        return self.cut(start, end)


EMPTY: Final = Text("", "")

_EDGE: Final = frozenset("。.,;:、!?")


def trim(text: Text) -> Text:
    """Strip spaces, edge punctuation and unbalanced brackets from a field value."""
    norm, start, end = text.norm, 0, len(text.norm)
    opened, closed = norm.count("("), norm.count(")")
    while start < end:
        first, last = norm[start], norm[end - 1]
        if first.isspace() or first in _EDGE or (first == "(" and opened > closed):
            start += 1
            opened -= first == "("
        elif last.isspace() or last in _EDGE or (last == ")" and closed > opened):
            end -= 1
            closed -= last == ")"
        else:
            break
    return text.cut(start, end)


def core(text: Text) -> str:
    """The folded text without edge punctuation, for keyword tests."""
    return trim(text).norm


def strip_open_bracket(text: Text) -> Text:
    """Drop what an inline field group or list leaves at the end of the text before it."""
    text = text.strip()
    while text.norm and (text.norm[-1] in "([【;," or text.norm[-1].isspace()):
        text = text.cut(0, -1)
    return text


def split(text: Text, separator: re.Pattern[str]) -> list[Text]:
    """Split at a pattern (matched on the folded text), dropping empty parts."""
    parts: list[Text] = []
    start = 0
    for match in separator.finditer(text.norm):
        parts.append(text.cut(start, match.start()))
        start = match.end()
    parts.append(text.cut(start))
    return [part for part in (trim(part) for part in parts) if part.norm]


_EXCERPT_MAX: Final = 40


def excerpt(text: Text) -> str:
    """The start of a paragraph, for a warning."""
    orig = text.strip().orig
    return orig if len(orig) <= _EXCERPT_MAX else orig[:_EXCERPT_MAX] + "…"
