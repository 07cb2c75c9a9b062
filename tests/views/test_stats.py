"""``/stats``: the unassigned bucket, and figures that agree with the summary and the export."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from domain.figures import ledger_figures
from domain.items import DueKind, ItemSnapshot, OwnerRef, Status
from views.stats import stats_text

TODAY = date(2026, 11, 26)
ZHANG = OwnerRef("张三", 2, "zhang")
LI = OwnerRef("李四")


def item(number: int, owners: tuple[OwnerRef, ...], status: Status = Status.OPEN) -> ItemSnapshot:
    """An item due at the end of the year."""
    return ItemSnapshot(
        id=number,
        group_id=1,
        number=number,
        problem=f"问题{number}",
        status=status,
        due_kind=DueKind.DATE,
        due=date(2026, 12, 31),
        due_phrase="年底前",
        created_at=datetime(2026, 11, 2, tzinfo=UTC),
        created_by=1,
        created_by_name="王书记",
        owners=owners,
    )


ITEMS = [
    item(1, (ZHANG,), Status.CLOSED),
    item(2, (ZHANG, LI)),
    item(3, ()),
    item(4, (), Status.CLOSED),
    replace(item(5, ()), deleted=True),
]


def test_items_without_owners_are_counted_under_unassigned() -> None:
    """按责任人 has a 未指定 row with the unowned items; deleted items are still left out."""
    figures = ledger_figures(ITEMS, TODAY, unassigned="未指定")
    rows = {row.name: (row.closed, row.total) for row in figures.by_owner}
    assert rows == {"张三": (1, 2), "李四": (0, 1), "未指定": (1, 2)}


def test_without_a_label_the_figures_are_as_before() -> None:
    """The summary and the export pass no label: unowned items stay out of by_owner."""
    figures = ledger_figures(ITEMS, TODAY)
    assert {row.name for row in figures.by_owner} == {"张三", "李四"}
    labelled = ledger_figures(ITEMS, TODAY, unassigned="未指定")
    assert replace(labelled, by_owner=figures.by_owner) == figures


def test_stats_message_lists_the_unassigned_bucket() -> None:
    """The /stats message shows the bucket under its catalogue label in both languages."""
    zh = stats_text("第一党支部", ITEMS, TODAY, "zh")
    assert "按责任人:" in zh
    assert "  未指定:1/2 整改率50%" in zh
    en = stats_text("Branch 1", ITEMS, TODAY, "en")
    assert "  unassigned: 1/2, rate 50%" in en
    assert "Items: 4 · closed 2 · open 2 · rate 50%" in en
