"""Item rules without I/O: numbers, display states, measure numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from domain.errors import UserError
from domain.items import (
    Display,
    DueKind,
    ItemSnapshot,
    MeasureView,
    Status,
    display_state,
    item_number_error,
    measure_positions,
    measures_to_tick,
    names_items,
    parse_item_number,
    parse_item_numbers,
    reply_about_item,
)

TODAY = date(2026, 11, 26)


def item(
    due: date | None = date(2026, 11, 30),
    *,
    status: Status = Status.OPEN,
    kind: DueKind = DueKind.DATE,
    measures: int = 3,
) -> ItemSnapshot:
    """An item of group 1, #7, with ``measures`` measures."""
    return ItemSnapshot(
        id=1,
        group_id=1,
        number=7,
        problem="三会一课记录不规范",
        status=status,
        due_kind=kind if due is not None or kind is not DueKind.DATE else DueKind.NONE,
        due=due,
        due_phrase="",
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
        created_by=1,
        created_by_name="王书记",
        measures=tuple(MeasureView(f"措施{i}") for i in range(measures)),
    )


@pytest.mark.parametrize(("typed", "number"), [("3", 3), ("#3", 3), ("＃3", 3), (" 12 ", 12)])
def test_item_numbers_in_every_spelling(typed: str, number: int) -> None:
    """3, #3 and ＃3 all name item 3."""
    assert parse_item_number(typed) == number


@pytest.mark.parametrize(
    ("typed", "numbers", "rest"),
    [
        ("3", (3,), ""),
        ("1 2 3", (1, 2, 3), ""),
        ("#1,#4、5", (1, 4, 5), ""),
        ("3-5 同意销号", (3, 4, 5), "同意销号"),
        ("3～5 2 3", (3, 4, 5, 2), ""),
        ("12 同意 3", (12,), "同意 3"),
        ("7\n意见:同意", (7,), "意见:同意"),
    ],
)
def test_several_item_numbers_and_ranges(typed: str, numbers: tuple[int, ...], rest: str) -> None:
    """Numbers and ranges first, each taken once in the order typed; the rest is kept."""
    assert parse_item_numbers(typed) == (numbers, rest)


@pytest.mark.parametrize(
    ("typed", "key"),
    [("abc", "error.item_number"), ("5-3", "error.item_range"), ("1-99", "error.too_many_items")],
)
def test_bad_item_numbers_or_ranges_are_refused(typed: str, key: str) -> None:
    """A first word that names no item, a backwards range and too many items are refused."""
    with pytest.raises(UserError) as caught:
        parse_item_numbers(typed)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("text", "names"),
    [("2", True), ("2 3", True), ("#4-6", True), ("5-3", True), ("", False), ("2份记录", False),
     ("附件", False), ("30%", False)],
)  # fmt: skip
def test_text_that_only_names_items(text: str, names: bool) -> None:
    """Extra item numbers after a one-item command are told apart from words and amounts."""
    assert names_items(text) is names


@pytest.mark.parametrize("typed", ["0", "abc", "#", "3a", "-1"])
def test_bad_item_numbers_are_refused(typed: str) -> None:
    """Anything but a positive number is a user error."""
    with pytest.raises(UserError) as caught:
        parse_item_number(typed)
    assert caught.value.key == "error.item_number"


@pytest.mark.parametrize(
    ("snapshot", "state"),
    [
        (item(date(2026, 11, 25)), Display.OVERDUE),
        (item(date(2026, 11, 30)), Display.DUE_SOON),
        (item(date(2027, 1, 30)), Display.OPEN),
        (item(None, kind=DueKind.LONG_TERM), Display.LONG_TERM),
        (item(date(2026, 11, 30), status=Status.PENDING), Display.PENDING),
        (item(date(2026, 11, 25), status=Status.PENDING), Display.OVERDUE),
        (item(date(2026, 11, 25), status=Status.CLOSED), Display.CLOSED),
    ],
)
def test_display_states(snapshot: ItemSnapshot, state: Display) -> None:
    """Overdue wins over pending; closed items are never overdue; 临期 within 7 days."""
    assert display_state(snapshot, TODAY, warn_days=7) is state


@pytest.mark.parametrize(
    ("typed", "positions"),
    [("2", [1]), ("1 3", [0, 2]), ("1，2", [0, 1]), ("1-3", [0, 1, 2]), ("全部", [0, 1, 2])],
)
def test_measure_numbers(typed: str, positions: list[int]) -> None:
    """/tick takes numbers, lists, ranges and 全部."""
    assert measure_positions(item(), typed) == positions


@pytest.mark.parametrize(("typed", "key"), [("4", "error.no_measure"), ("x", "error.no_measure")])
def test_measure_numbers_out_of_range(typed: str, key: str) -> None:
    """A measure the item does not have is refused with the count."""
    with pytest.raises(UserError) as caught:
        measure_positions(item(), typed)
    assert caught.value.key == key


def test_ticking_an_item_without_measures_says_how_to_add_them() -> None:
    """No measures yet: the error points to /edit N 措施."""
    with pytest.raises(UserError) as caught:
        measure_positions(item(measures=0), "1")
    assert caught.value.key == "error.no_measures_yet"


def test_ticking_only_done_measures_again_is_refused() -> None:
    """/tick of measures already done says so; one new measure among them is fine."""
    done_first = replace(item(), measures=(MeasureView("甲", done=True), MeasureView("乙")))
    with pytest.raises(UserError) as caught:
        measures_to_tick(done_first, "1")
    assert caught.value.key == "error.measures_already_done"
    assert measures_to_tick(done_first, "1 2") == [0, 1]


def test_a_bad_number_is_explained_with_the_command_typed() -> None:
    """2已补齐 after /done: leave a space (/done 2 已补齐); abc: /done 12."""
    joined = item_number_error("done", "2已补齐")
    assert joined.key == "error.item_number_space"
    assert joined.params["example"] == "/done 2 已补齐"
    other = item_number_error("progress", "abc")
    assert other.key == "error.item_number_for"
    assert other.params["example"] == "/progress 12"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 已完成", (3, "已完成")),
        ("#3已完成", (3, "已完成")),
        ("第2项已补齐", (2, "已补齐")),
        ("＃１２  台账\n已补齐", (12, "台账 已补齐")),
        ("3月底前完成", None),
        ("收到", None),
        ("0 没有", None),
        ("3", None),
    ],
)
def test_a_reply_names_an_item_first(text: str, expected: tuple[int, str] | None) -> None:
    """``3 已完成`` and ``#3已完成`` name item 3; ``3月底前完成`` names none."""
    assert reply_about_item(text) == expected


@pytest.mark.parametrize("given", ["#99999999999", "1e3", "#2.5", "12345678901234567890123456"])
def test_a_number_that_is_not_one_gets_the_plain_example(given: str) -> None:
    """Only a number run into Chinese words is split in the example; others get /show 12."""
    error = item_number_error("show", given)
    assert error.key == "error.item_number_for"
    assert error.params["example"] == "/show 12"
