"""Bulk import over a real SQLite database: preview, confirm, cancel, expiry, spreadsheet rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from domain.clock import FixedClock
from domain.errors import UserError
from domain.items import DueKind, EventChange, EventKind, MeasureView, OwnerRef, Status
from domain.people import SeenUser
from domain.spreadsheet import CellValue, SheetRow
from services.container import Services
from tests.services.conftest import ADMIN, GROUP_A, GROUP_B, OWNER, START

PLANS = Path(__file__).parent.parent / "data" / "plans"
FULL_WIDTH = str.maketrans({",": "，", ":": "：", "(": "（", ")": "）"})

SHORT_PLAN = """(一)三会一课记录不规范
整改措施:
1.建立会议记录台账
2.每月检查一次
责任人:@zhang 李四
责任单位:第一党支部
落实时限:月底前
(二)党费收缴不及时
整改措施:
1.建立党费台账
落实时限:每月28日前
"""


def wall(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A naive wall-clock time, as spreadsheet cells hold them."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC).replace(tzinfo=None)


def plan(name: str, *, full_width: bool = False) -> str:
    """A sample plan, optionally with , : ( ) turned full-width."""
    text = next(PLANS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    return text.translate(FULL_WIDTH) if full_width else text


async def count_items(services: Services, chat_id: int = GROUP_A) -> int:
    """How many items the group's ledger holds."""
    return len((await services.ledger.group_items(chat_id)).items)


async def test_nothing_is_written_before_confirmation(services: Services) -> None:
    """A preview lists the items but the ledger stays empty until [确认导入]."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    assert [item.problem for item in preview.items] == ["三会一课记录不规范", "党费收缴不及时"]
    assert preview.first_number == 1
    assert preview.expires_at == START + timedelta(minutes=30)
    assert await count_items(services) == 0


async def test_confirm_creates_every_item_with_its_fields(services: Services) -> None:
    """Confirmation creates owners, unit, measures, the resolved deadline, source and an event."""
    await services.groups.seen(
        GROUP_A, "supergroup", "第一党支部", SeenUser(2, "张三", "", "zhang")
    )
    preview = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    created = (await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)).items
    assert [item.number for item in created] == [1, 2]
    first = (await services.ledger.show(GROUP_A, 1)).item
    assert first.owners == (OwnerRef("张三", 2, "zhang"), OwnerRef("李四"))
    assert first.unit == "第一党支部"
    assert first.measures == (MeasureView("建立会议记录台账"), MeasureView("每月检查一次"))
    assert (first.due_kind, first.due, first.due_phrase) == (
        DueKind.DATE,
        date(2026, 11, 30),
        "月底前",
    )
    assert first.source == "导入"
    assert [(e.kind, e.change) for e in first.events] == [
        (EventKind.CREATED, EventChange(imported=True))
    ]


async def test_a_bad_deadline_phrase_is_a_warning_and_no_deadline(services: Services) -> None:
    """每月28日前 is a reporting rule: the preview warns and the item gets no deadline."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    notices = {(n.key, n.item) for n in preview.notices}
    assert ("import.deadline.recurring", 2) in notices
    assert preview.items[1].due_kind is DueKind.NONE


@pytest.mark.parametrize("full_width", [False, True], ids=["ascii", "full-width"])
@pytest.mark.parametrize(
    ("name", "measures"),
    [
        ("ex1", [3, 3, 5, 2, 0]),
        ("ex3", [1, 1, 1, 1]),
        ("ex4", [3, 3, 3]),
        ("ex5", [1] * 11),
    ],
)
async def test_sample_plans_import_as_their_readme_says(
    services: Services, name: str, measures: list[int], full_width: bool
) -> None:
    """Each sample plan gives its items and measure counts, in both punctuation forms."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, plan(name, full_width=full_width))
    created = (await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)).items
    assert [len(item.measures) for item in preview.items] == measures
    assert len(created) == len(measures)
    assert await count_items(services) == len(measures)


async def test_ex1_second_item_keeps_owner_unit_and_month_end(services: Services) -> None:
    """ex1 (二): owner 各党委委员, its unit, deadline 月底前 = the end of the current month."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, plan("ex1", full_width=True))
    await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)
    second = (await services.ledger.show(GROUP_A, 2)).item
    assert second.owners == (OwnerRef("各党委委员"),)
    assert second.unit == "委属各单位党委(总支、支部),各民营医院党支部".translate(FULL_WIDTH)
    assert second.due == date(2026, 11, 30)
    third = (await services.ledger.show(GROUP_A, 3)).item
    assert third.owners == ()
    assert third.lead == ""
    assert third.due_kind is DueKind.NONE


async def test_deadline_warnings_sit_with_their_item(services: Services) -> None:
    """Item 2's unreadable deadline is listed after item 2's warnings and before item 3's."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, plan("own1"))
    keys = [(notice.key, notice.item) for notice in preview.notices]
    bad_deadline = keys.index(("import.deadline.unrecognised", 2))
    assert bad_deadline < keys.index(("plan.warning.past_date", 3))
    assert preview.items[1].due_kind is DueKind.NONE


async def test_cancel_writes_nothing_and_the_preview_is_spent(services: Services) -> None:
    """[取消] discards the preview; confirming it afterwards is refused."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    await services.plan_import.cancel(GROUP_A, ADMIN, preview.id)
    with pytest.raises(UserError) as refused:
        await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)
    assert refused.value.key == "import.error.cancelled"
    assert await count_items(services) == 0


async def test_a_preview_is_confirmed_once(services: Services) -> None:
    """A second [确认导入] creates nothing more."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)
    with pytest.raises(UserError) as refused:
        await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)
    assert refused.value.key == "import.error.confirmed"
    assert await count_items(services) == 2


async def test_a_preview_expires_after_thirty_minutes(
    services: Services, clock: FixedClock
) -> None:
    """Confirming 31 minutes later is refused and writes nothing; 29 minutes is in time."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    clock.set(START + timedelta(minutes=31))
    with pytest.raises(UserError) as refused:
        await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)
    assert refused.value.key == "import.error.expired"
    assert await count_items(services) == 0
    still = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    clock.set(START + timedelta(minutes=31 + 29))
    assert len((await services.plan_import.confirm(GROUP_A, ADMIN, still.id)).items) == 2


async def test_a_new_preview_replaces_the_earlier_one(services: Services) -> None:
    """Two previews of one plan cannot both be confirmed: the earlier one is superseded."""
    earlier = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    later = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    with pytest.raises(UserError) as refused:
        await services.plan_import.confirm(GROUP_A, ADMIN, earlier.id)
    assert refused.value.key == "import.error.superseded"
    assert len((await services.plan_import.confirm(GROUP_A, ADMIN, later.id)).items) == 2


async def test_a_preview_belongs_to_its_group(services: Services) -> None:
    """Group B cannot confirm or cancel group A's preview."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    for action in (services.plan_import.confirm, services.plan_import.cancel):
        with pytest.raises(UserError) as refused:
            await action(GROUP_B, ADMIN, preview.id)
        assert refused.value.key == "import.error.not_found"
    assert await count_items(services, GROUP_B) == 0


async def test_a_waiting_preview_can_be_shown_again_whole(services: Services) -> None:
    """Another page needs the preview again: the same drafts and warnings, nothing written."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    again = await services.plan_import.shown(GROUP_A, preview.id)
    assert again.items == preview.items
    assert again.notices == preview.notices
    assert again.notices
    assert again.first_number == 1
    assert await count_items(services) == 0


@pytest.mark.parametrize(
    ("settle", "key"),
    [("confirm", "import.error.confirmed"), ("cancel", "import.error.cancelled")],
)
async def test_a_settled_preview_is_not_shown_again(
    services: Services, settle: str, key: str
) -> None:
    """Once confirmed or cancelled, a preview's pages no longer turn."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    await getattr(services.plan_import, settle)(GROUP_A, ADMIN, preview.id)
    with pytest.raises(UserError) as refused:
        await services.plan_import.shown(GROUP_A, preview.id)
    assert refused.value.key == key


async def test_an_expired_or_foreign_preview_is_not_shown(
    services: Services, clock: FixedClock
) -> None:
    """Another group's preview is not found; an expired one says it expired."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    with pytest.raises(UserError) as foreign:
        await services.plan_import.shown(GROUP_B, preview.id)
    assert foreign.value.key == "import.error.not_found"
    clock.set(START + timedelta(minutes=31))
    with pytest.raises(UserError) as expired:
        await services.plan_import.shown(GROUP_A, preview.id)
    assert expired.value.key == "import.error.expired"


async def test_only_admins_import(services: Services) -> None:
    """A member can neither preview nor confirm an import."""
    with pytest.raises(UserError) as refused:
        await services.plan_import.preview(GROUP_A, OWNER, SHORT_PLAN)
    assert refused.value.key == "error.admin_only"
    preview = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    with pytest.raises(UserError):
        await services.plan_import.confirm(GROUP_A, OWNER, preview.id)
    assert await count_items(services) == 0


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("   \n", "import.error.empty"),
        ("今天天气很好,大家辛苦了。\n请按时参加学习。", "import.error.no_items"),
    ],
)
async def test_empty_or_itemless_text_is_refused(services: Services, text: str, key: str) -> None:
    """Nothing to import is a clear error and stores no preview."""
    with pytest.raises(UserError) as refused:
        await services.plan_import.preview(GROUP_A, ADMIN, text)
    assert refused.value.key == key


async def test_numbers_follow_the_ledger(services: Services) -> None:
    """The preview promises the group's next numbers; the confirmation reports the real ones."""
    first = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    await services.plan_import.confirm(GROUP_A, ADMIN, first.id)
    second = await services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    assert second.first_number == 3
    created = (await services.plan_import.confirm(GROUP_A, ADMIN, second.id)).items
    assert [item.number for item in created] == [3, 4]


def _row(line: int, **cells: CellValue) -> SheetRow:
    """A spreadsheet row under the export's header."""
    return SheetRow(line, cells)


async def test_spreadsheet_rows_restore_statuses_and_deadlines(services: Services) -> None:
    """Rows keep status, closing time, date cells, long-term, done measures and counts."""
    rows = [
        _row(
            2,
            问题="台账不全",
            整改措施="1. 补齐台账 ✅\n2. 每月检查",
            责任人="张三(@zhang)、李四",
            整改时限=wall(2026, 1, 15),
            时限原文="1月15日前",
            状态="已销号",
            销号时间=wall(2026, 1, 10, 9, 30),
            退回次数=1,
        ),
        _row(3, 问题="学习不深入", 整改时限="长期坚持", 状态="待验收", 延期次数="2"),
        _row(4, 序号=3),
        _row(5, 问题="党费迟交", 状态="差不多了", 整改时限="下周五前"),
    ]
    preview = await services.plan_import.preview(GROUP_A, ADMIN, rows)
    notices = {(n.key, n.item, n.params.get("row")) for n in preview.notices}
    assert ("import.row.no_problem", None, "4") in notices
    assert ("import.row.bad_value", 3, None) in notices
    await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)
    closed, pending, third = [
        (await services.ledger.show(GROUP_A, number)).item for number in (1, 2, 3)
    ]
    assert closed.status is Status.CLOSED
    assert closed.closed_at == datetime(2026, 1, 10, 1, 30, tzinfo=UTC)
    assert (closed.due, closed.due_phrase) == (date(2026, 1, 15), "1月15日前")
    assert closed.measures == (MeasureView("补齐台账", True), MeasureView("每月检查"))
    assert closed.owners == (OwnerRef("张三", username="zhang"), OwnerRef("李四"))
    assert closed.return_count == 1
    assert (pending.status, pending.due_kind, pending.extension_count) == (
        Status.PENDING,
        DueKind.LONG_TERM,
        2,
    )
    assert (third.status, third.due) == (Status.OPEN, date(2026, 12, 4))


async def test_a_sheet_without_problems_is_refused(services: Services) -> None:
    """A header with no filled-in 问题 is an error, not an empty import."""
    with pytest.raises(UserError) as refused:
        await services.plan_import.preview(GROUP_A, ADMIN, [_row(2, 序号=1, 责任人="张三")])
    assert refused.value.key == "import.error.no_rows"
