"""Correcting a stored preview, linking a plan's owners to members, pasted tables, holidays."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from domain.clock import FixedClock
from domain.errors import UserError
from domain.import_corrections import read_corrections
from domain.import_drafts import UNLINKED
from domain.items import DueKind, OwnerRef
from domain.people import SeenUser
from domain.settings import GroupSettings
from domain.workdays import read_holiday_lines
from services.container import Services, build_services
from storage.database import Database
from tests.services.conftest import ADMIN, BYSTANDER, GROUP_A, GROUP_B, START

PLAN = """(一)三会一课记录不规范
整改措施:建立会议记录台账
责任人:@zhang 李四 王五
(二)党费收缴不及时
整改措施:建立党费台账
(三)谈心谈话不经常
整改措施:每季度谈心一次
落实时限:年底前
"""


async def see(services: Services, user: SeenUser, chat_id: int = GROUP_A) -> None:
    """A member writes in the group (so the bot has seen them)."""
    await services.groups.seen(chat_id, "supergroup", "第一党支部", user)


async def test_owners_link_to_members_by_username_and_display_name(services: Services) -> None:
    """@zhang and 李四 are members; 王五 is nobody here: the preview says so."""
    await see(services, SeenUser(2, "张三", "", "zhang"))
    await see(services, SeenUser(3, "李", "四", "li"))
    preview = await services.plan_import.preview(GROUP_A, ADMIN, PLAN)
    assert preview.items[0].owners == (
        OwnerRef("张三", 2, "zhang"),
        OwnerRef("李四", 3, "li"),
        OwnerRef("王五"),
    )
    (unlinked,) = [n for n in preview.notices if n.key == UNLINKED]
    assert unlinked.params["names"] == "王五"
    created = (await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)).items
    assert [o.user_id for o in created[0].owners] == [2, 3, None]


async def test_a_member_of_another_group_is_not_linked(services: Services) -> None:
    """Only members seen in this group count."""
    await see(services, SeenUser(3, "李四", "", "li"), GROUP_B)
    preview = await services.plan_import.preview(GROUP_A, ADMIN, PLAN)
    assert OwnerRef("李四") in preview.items[0].owners


async def test_correction_is_stored_and_imported(services: Services) -> None:
    """What the corrected preview shows is what confirmation creates."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, PLAN)
    text = "去掉 3\n统一责任单位 第一党支部\n2 时限 12月31日前"
    corrected = await services.plan_import.correct(
        GROUP_A, ADMIN, preview.id, read_corrections(text)
    )
    assert [d.problem for d in corrected.items] == ["三会一课记录不规范", "党费收缴不及时"]
    assert corrected.items[1].due == date(2026, 12, 31)
    assert corrected.expires_at == START + timedelta(minutes=30)
    created = (await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)).items
    assert [(item.problem, item.unit) for item in created] == [
        ("三会一课记录不规范", "第一党支部"),
        ("党费收缴不及时", "第一党支部"),
    ]
    assert created[1].due == date(2026, 12, 31)


async def test_corrections_add_up(services: Services) -> None:
    """A second correction works on the preview as the first left it."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, PLAN)
    await services.plan_import.correct(GROUP_A, ADMIN, preview.id, read_corrections("去掉 1"))
    again = await services.plan_import.correct(
        GROUP_A, ADMIN, preview.id, read_corrections("1 时限 长期坚持")
    )
    assert [d.problem for d in again.items] == ["党费收缴不及时", "谈心谈话不经常"]
    assert again.items[0].due_kind is DueKind.LONG_TERM


async def test_owners_set_by_a_correction_are_linked(services: Services) -> None:
    """统一责任人 @zhang 李四: linked like the plan's own, the others listed."""
    await see(services, SeenUser(2, "张三", "", "zhang"))
    preview = await services.plan_import.preview(GROUP_A, ADMIN, PLAN)
    corrected = await services.plan_import.correct(
        GROUP_A, ADMIN, preview.id, read_corrections("统一责任人 @zhang 李四")
    )
    assert {d.owners for d in corrected.items} == {(OwnerRef("张三", 2, "zhang"), OwnerRef("李四"))}
    (unlinked,) = [n for n in corrected.notices if n.key == UNLINKED]
    assert unlinked.params["names"] == "李四"


async def test_only_admins_correct(services: Services) -> None:
    """A member's correction is refused."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, PLAN)
    with pytest.raises(UserError) as refused:
        await services.plan_import.correct(
            GROUP_A, BYSTANDER, preview.id, read_corrections("去掉 1")
        )
    assert refused.value.key == "error.admin_only"


@pytest.mark.parametrize("state", ["superseded", "confirmed", "cancelled", "expired"])
async def test_a_settled_preview_cannot_be_corrected(
    services: Services, clock: FixedClock, state: str
) -> None:
    """Superseded, confirmed, cancelled or expired: the refusal says which."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, PLAN)
    if state == "superseded":
        await services.plan_import.preview(GROUP_A, ADMIN, PLAN)
    elif state == "confirmed":
        await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)
    elif state == "cancelled":
        await services.plan_import.cancel(GROUP_A, ADMIN, preview.id)
    else:
        clock.set(START + timedelta(minutes=31))
    with pytest.raises(UserError) as refused:
        await services.plan_import.correct(GROUP_A, ADMIN, preview.id, read_corrections("去掉 1"))
    assert refused.value.key == f"import.error.{state}"


async def test_a_correction_gives_the_preview_another_half_hour(
    services: Services, clock: FixedClock
) -> None:
    """A preview being corrected does not expire under the admin's hands."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, PLAN)
    clock.set(START + timedelta(minutes=25))
    await services.plan_import.correct(GROUP_A, ADMIN, preview.id, read_corrections("去掉 1"))
    clock.set(START + timedelta(minutes=50))
    assert len((await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)).items) == 2


async def test_a_bad_correction_changes_nothing(services: Services) -> None:
    """An unreadable deadline refuses the whole reply; the preview stays as it was."""
    preview = await services.plan_import.preview(GROUP_A, ADMIN, PLAN)
    with pytest.raises(UserError):
        await services.plan_import.correct(
            GROUP_A, ADMIN, preview.id, read_corrections("去掉 1\n2 时限 每月28日前")
        )
    assert len((await services.plan_import.confirm(GROUP_A, ADMIN, preview.id)).items) == 3


TABLE = (
    "序号\t问题\t整改措施\t责任人\t整改时限\n"
    '1\t三会一课记录不规范\t"1.建立会议记录台账\n2.每月检查一次"\t张三\t月底前\n'
    "2\t党费收缴不及时\t建立党费台账\t李四、王五\t12月31日前\n"
)


@pytest.mark.parametrize("full_width", [False, True], ids=["ascii", "full-width"])
async def test_a_table_pasted_from_excel_imports_like_the_sheet(
    services: Services, full_width: bool
) -> None:
    """Tab-separated text with a header row is read row by row, as the .xlsx would be."""
    text = TABLE.replace("1.", "1．") if full_width else TABLE
    preview = await services.plan_import.preview(GROUP_A, ADMIN, text)
    assert preview.from_sheet
    assert [d.problem for d in preview.items] == ["三会一课记录不规范", "党费收缴不及时"]
    assert [len(d.measures) for d in preview.items] == [2, 1]
    assert preview.items[1].owners == (OwnerRef("李四"), OwnerRef("王五"))
    assert [d.due for d in preview.items] == [date(2026, 11, 30), date(2026, 12, 31)]


async def test_a_header_without_rows_is_refused(services: Services) -> None:
    """The header alone: no rows to import, said as for a sheet."""
    with pytest.raises(UserError) as refused:
        await services.plan_import.preview(GROUP_A, ADMIN, TABLE.splitlines()[0])
    assert refused.value.key == "import.error.no_rows"


async def test_a_configured_holiday_moves_working_days(db: Database, tmp_path: Path) -> None:
    """5个工作日内 from Thursday 2027-02-04 ends after a configured Spring Festival."""
    calendar = read_holiday_lines(["2027-02-06 ~ 2027-02-12 春节 休", "2027-02-14 班"])
    clock = FixedClock(START.replace(year=2027, month=2, day=4))
    services = build_services(db, clock, GroupSettings(), calendar=calendar)
    await services.groups.bot_added(GROUP_A, "supergroup", "第一党支部")
    outcome = await services.ledger.register_text(GROUP_A, ADMIN, "台账不全 5个工作日内", ())
    assert outcome.item.due == date(2027, 2, 17)
    plan = "1.台账不全\n整改措施:补齐\n落实时限:5个工作日内"
    preview = await services.plan_import.preview(GROUP_A, ADMIN, plan)
    assert preview.items[0].due == date(2027, 2, 17)
    assert services.groups.unknown_holiday_years(outcome.group) == [2028]
