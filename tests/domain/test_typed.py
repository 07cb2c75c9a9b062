"""Invisible characters in what members type: found, removed, and positions kept."""

from __future__ import annotations

import pytest

from domain.typed import clean, has_visible_text, is_invisible, strip_invisible


@pytest.mark.parametrize(
    "char", ["\u200b", "\u200c", "\u200d", "\u200e", "\u2060", "\ufeff", "\u202e", "\u2066"]
)
def test_format_characters_are_invisible(char: str) -> None:
    """Zero-width spaces and joiners, marks, the word joiner, the BOM and bidi controls."""
    assert is_invisible(char)
    assert strip_invisible(f"月底{char}前") == "月底前"


def test_visible_characters_stay() -> None:
    """Letters, emoji (with their variation selector), spaces and punctuation are kept."""
    text = "消防 通道,❤️ ok 𠀀"
    assert strip_invisible(text) == text


def test_positions_follow_the_removed_characters() -> None:
    """Each original index (and the end) maps to where it falls once cleaned."""
    cleaned = clean("a\u200bb\u200b\u200bc")
    assert cleaned.text == "abc"
    assert [cleaned.position(i) for i in range(7)] == [0, 1, 1, 2, 2, 2, 3]


@pytest.mark.parametrize(
    ("text", "visible"),
    [("", False), (" \n\t", False), ("\u200b\u200d\ufeff", False), ("\u3164\u2800", False),
     ("。", True), ("a", True), ("👍", True)],
)  # fmt: skip
def test_visible_text(text: str, visible: bool) -> None:
    """Spaces, format characters and blank letters alone show nothing."""
    assert has_visible_text(text) is visible


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (
            "消防👨\u200d👩\u200d👧通道",
            "消防👨\u200d👩\u200d👧通道",
        ),  # one family, not three people
        ("👍🏽\u200d🔥", "👍🏽\u200d🔥"),  # after a skin tone
        ("月底\u200d前", "月底前"),  # between words it splits them: gone
        ("1\u200d", "1"),
        ("👨\u200d", "👨"),  # nothing to join
    ],
)
def test_a_joiner_inside_an_emoji_stays(typed: str, kept: str) -> None:
    """ZWJ between pictographs is part of the emoji; anywhere else it is removed."""
    assert strip_invisible(typed) == kept
