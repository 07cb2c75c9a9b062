r"""Text as members typed it, without the characters nobody sees.

Format characters (Unicode category Cf: zero-width spaces and joiners, word joiners, the byte
order mark, bidi controls …) are invisible, yet they split words (``月底\u200b前``) and make
numbers unreadable (``1\u200b``). Every input is read without them; :class:`CleanText` keeps
where each original character went, so spans computed on the text as typed (Telegram's entity
offsets) can be moved onto the cleaned text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Letters that render as nothing (Hangul fillers, the blank Braille pattern): not Cf, yet a
# text made of them alone shows nothing.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_invisible(char: str) -> bool:
    """True for a format character (category Cf): U+200B–U+200F, U+2060, U+FEFF, bidi controls…."""
    return unicodedata.category(char) == "Cf"


@dataclass(frozen=True)
class CleanText:
    """A text without its format characters, and where each original position went."""

    text: str
    positions: tuple[int, ...]  # for every index of the original text and its end

    def position(self, original: int) -> int:
        """Where index ``original`` of the text as typed falls in the cleaned text."""
        return self.positions[max(0, min(original, len(self.positions) - 1))]


_ZWJ = "\u200d"
_EMOJI_PARTS = frozenset({"So", "Sk", "Mn"})  # pictographs, skin tones, the emoji selector


def _joins_emoji(text: str, index: int, kept: list[str]) -> bool:
    """A zero-width joiner inside an emoji (👨\u200d👩\u200d👧): it is part of the picture."""
    following = text[index + 1 : index + 2]
    return (
        text[index] == _ZWJ
        and bool(kept)
        and unicodedata.category(kept[-1]) in _EMOJI_PARTS
        and bool(following)
        and unicodedata.category(following) == "So"
    )


def clean(text: str) -> CleanText:
    """``text`` without its format characters, keeping track of every position.

    A zero-width joiner between emoji stays: it makes one picture of them (👨‍👩‍👧).
    """
    kept: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        positions.append(len(kept))
        if not is_invisible(char) or _joins_emoji(text, index, kept):
            kept.append(char)
    positions.append(len(kept))
    return CleanText("".join(kept), tuple(positions))


def strip_invisible(text: str) -> str:
    """``text`` without its format characters."""
    return clean(text).text


def has_visible_text(text: str) -> bool:
    """True when ``text`` shows anything: a character that is no space, format or blank letter."""
    return any(
        not char.isspace() and not is_invisible(char) and char not in _BLANK_LETTERS
        for char in text
    )
