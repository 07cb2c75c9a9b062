"""People as the bot sees them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from domain.typed import strip_invisible

_CJK_NAMES = (
    "CJK UNIFIED IDEOGRAPH",
    "CJK COMPATIBILITY IDEOGRAPH",
    "HIRAGANA",
    "KATAKANA",
    "HANGUL SYLLABLE",
)


def _is_cjk_char(char: str) -> bool:
    """True for a Han ideograph, kana, a Hangul syllable or the name dot ·."""
    if char in "·・":
        return True
    name = unicodedata.name(char, "")
    return name.startswith(_CJK_NAMES)


def is_cjk(text: str) -> bool:
    """True when ``text`` is written in CJK characters only (spaces aside) and is not empty."""
    chars = [c for c in text if not c.isspace()]
    return bool(chars) and all(_is_cjk_char(c) for c in chars)


def shown_title(title: str) -> str:
    """A group's title as the bot shows it: without invisible characters (as names, below)."""
    return strip_invisible(title).strip()


def join_name(first: str, last: str) -> str:
    """First and last name as one: 王芳 when both are CJK, else ``Li Si`` with a space.

    Invisible characters go (a right-to-left override in a name would turn the rest of every
    line that shows it around).
    """
    first, last = strip_invisible(first).strip(), strip_invisible(last).strip()
    if not first or not last:
        return first or last
    return first + last if is_cjk(first) and is_cjk(last) else f"{first} {last}"


@dataclass(frozen=True)
class SeenUser:
    """A Telegram user as an update shows them."""

    user_id: int
    first_name: str
    last_name: str = ""
    username: str | None = None
    language_code: str = ""

    @property
    def display_name(self) -> str:
        """First and last name as Telegram shows them, without a space between CJK names."""
        return join_name(self.first_name, self.last_name)
