"""People: names joined the way their script writes them."""

from __future__ import annotations

import pytest

from domain.people import SeenUser, is_cjk, join_name


@pytest.mark.parametrize(
    ("first", "last", "joined"),
    [
        ("王", "芳", "王芳"),
        ("欧阳", "娜娜", "欧阳娜娜"),
        ("Li", "Si", "Li Si"),
        ("王", "Fang", "王 Fang"),
        ("Wang", "芳", "Wang 芳"),
        ("王芳", "", "王芳"),
        ("", "芳", "芳"),
        (" 王 ", " 芳 ", "王芳"),
        ("", "", ""),
        ("山田", "太郎", "山田太郎"),
    ],
)
def test_join_name(first: str, last: str, joined: str) -> None:
    """No space between two CJK parts, one space otherwise, nothing for a missing part."""
    assert join_name(first, last) == joined


def test_is_cjk() -> None:
    """Only text written wholly in CJK characters counts."""
    assert is_cjk("王书记")
    assert not is_cjk("王 A")
    assert not is_cjk("")


def test_display_name_uses_join_name() -> None:
    """A text mention of 王 / 芳 shows 王芳, an English name keeps its space."""
    assert SeenUser(1, "王", "芳").display_name == "王芳"
    assert SeenUser(2, "Li", "Si").display_name == "Li Si"
    assert SeenUser(3, "张三").display_name == "张三"


def test_a_name_loses_its_invisible_characters() -> None:
    """A right-to-left override (or a zero-width space) in a name is not kept."""
    assert join_name("\u202e李四", "") == "李四"
    assert join_name("王\u200b", "芳") == "王芳"
