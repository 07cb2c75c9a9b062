"""The ledger's use cases over a real SQLite database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from domain.clock import FixedClock
from domain.errors import UserError
from domain.items import Actor, EventChange, EventKind, OwnerRef, Status
from domain.listing import ListFilter
from domain.people import SeenUser
from domain.problem_form import ProblemDraft, read_deadline, read_problem
from services.container import Services
from services.ledger import Evidence
from storage.database import Database
from storage.models import ItemRow
from tests.services.conftest import ADMIN, BYSTANDER, GROUP_A, GROUP_B, OWNER, START

TODAY = date(2026, 11, 26)


async def register(services: Services, text: str = "三会一课记录不规范 @zhang 月底前") -> int:
    """Register an item in group A as the owner's colleague and return its number."""
    await services.groups.seen(
        GROUP_A, "supergroup", "第一党支部", SeenUser(2, "张三", username="zhang")
    )
    draft = read_problem(text, (), TODAY)
    outcome = await services.ledger.register(GROUP_A, BYSTANDER, draft)
    return outcome.item.number


async def test_register_numbers_items_per_group_and_resolves_known_usernames(
    services: Services,
) -> None:
    """Items are numbered per group from 1, and @zhang links to the member seen in the group."""
    first = await register(services)
    second = await register(services, "党费收缴不及时 @zhang 年底前")
    other = await services.ledger.register(GROUP_B, ADMIN, ProblemDraft(problem="别的支部"))
    assert (first, second, other.item.number) == (1, 2, 1)
    shown = await services.ledger.show(GROUP_A, 1)
    assert shown.item.owners == (OwnerRef("张三", 2, "zhang"),)
    assert shown.item.due == date(2026, 11, 30)
    assert shown.item.due_phrase == "月底前"
    assert [e.kind for e in shown.item.events] == [EventKind.CREATED]


async def test_unknown_username_stays_pending_until_that_user_writes(services: Services) -> None:
    """An unknown @username is a pending owner, linked when the user next writes in the group."""
    draft = read_problem("消防通道堵塞 @newbie 下周五前", (), TODAY)
    outcome = await services.ledger.register(GROUP_A, ADMIN, draft)
    assert outcome.pending_owners == ("@newbie",)
    linked = await services.groups.seen(
        GROUP_A, "supergroup", "第一党支部", SeenUser(9, "新人", username="NewBie")
    )
    assert linked == [outcome.item.id]
    shown = await services.ledger.show(GROUP_A, outcome.item.number)
    assert shown.item.owners[0].user_id == 9


async def test_numbers_are_never_reused_after_delete(services: Services) -> None:
    """Deleting #1 does not free its number."""
    await register(services)
    await services.ledger.delete(GROUP_A, ADMIN, 1)
    assert await register(services) == 2


async def test_full_life_cycle_with_approval(services: Services) -> None:
    """Open → done → pending → reject (return counted) → done → approve → closed → reopen."""
    number = await register(services)
    await services.ledger.progress(GROUP_A, OWNER, number, "已补录10月记录", None)
    pending = await services.ledger.done(
        GROUP_A, OWNER, number, "已整改", Evidence("photo-1", "photo")
    )
    assert pending.item.status is Status.PENDING
    returned = await services.ledger.reject(GROUP_A, ADMIN, number, "缺少签字")
    assert returned.item.status is Status.OPEN
    assert returned.item.return_count == 1
    await services.ledger.done(GROUP_A, OWNER, number, "", None)
    closed = await services.ledger.approve(GROUP_A, ADMIN, number, "同意")
    assert closed.item.status is Status.CLOSED
    assert closed.item.closed_by_name == "王书记"
    reopened = await services.ledger.reopen(GROUP_A, ADMIN, number, "问题反弹")
    assert reopened.item.status is Status.OPEN
    kinds = [e.kind for e in reopened.item.events]
    assert kinds == [
        EventKind.CREATED, EventKind.PROGRESS, EventKind.DONE, EventKind.REJECTED,
        EventKind.DONE, EventKind.APPROVED, EventKind.REOPENED,
    ]  # fmt: skip
    assert all(e.actor for e in reopened.item.events)
    assert [p.file_id for p in reopened.item.progress] == [None, "photo-1"]


async def test_done_closes_at_once_when_the_group_needs_no_approval(services: Services) -> None:
    """With require_approval false, /done closes the item directly."""
    await services.groups.change_setting(GROUP_A, "require_approval", "false", actor=ADMIN)
    number = await register(services)
    outcome = await services.ledger.done(GROUP_A, OWNER, number, "", None)
    assert outcome.item.status is Status.CLOSED


@pytest.mark.parametrize(
    ("action", "key"),
    [
        ("approve_non_admin", "error.admin_only"),
        ("done_by_bystander", "error.owner_only"),
        ("done_twice", "error.already_pending"),
        ("claim_twice", "error.already_owner"),
        ("approve_open", "error.not_pending"),
        ("reopen_open", "error.not_closed"),
        ("reject_without_reason", "error.reason_required"),
        ("missing_item", "error.no_item"),
        ("other_group", "error.no_item"),
        ("assign_by_bystander", "error.creator_only"),
        ("edit_unknown_field", "error.edit_field"),
        ("progress_empty", "error.progress_empty"),
        ("undelete_alive", "error.not_deleted"),
    ],
)
async def test_refusals_change_nothing(services: Services, action: str, key: str) -> None:
    """Each refused action raises the right user error and leaves the item as it was."""
    number = await register(services)
    ledger = services.ledger
    if action in ("done_twice", "reject_without_reason"):
        await ledger.done(GROUP_A, OWNER, number, "", None)
    before = (await ledger.show(GROUP_A, number)).item
    attempts = {
        "approve_non_admin": lambda: ledger.approve(GROUP_A, OWNER, number, ""),
        "done_by_bystander": lambda: ledger.done(GROUP_A, Actor(7, "路人"), number, "", None),
        "done_twice": lambda: ledger.done(GROUP_A, OWNER, number, "", None),
        "claim_twice": lambda: ledger.claim(GROUP_A, OWNER, number),
        "approve_open": lambda: ledger.approve(GROUP_A, ADMIN, number, ""),
        "reopen_open": lambda: ledger.reopen(GROUP_A, ADMIN, number, "原因"),
        "reject_without_reason": lambda: ledger.reject(GROUP_A, ADMIN, number, " "),
        "missing_item": lambda: ledger.done(GROUP_A, OWNER, 999, "", None),
        "other_group": lambda: ledger.show(GROUP_B, number),
        "assign_by_bystander": lambda: ledger.assign(GROUP_A, OWNER, number, [OwnerRef("赵六")]),
        "edit_unknown_field": lambda: ledger.edit(GROUP_A, ADMIN, number, "颜色", "红"),
        "progress_empty": lambda: ledger.progress(GROUP_A, OWNER, number, "", None),
        "undelete_alive": lambda: ledger.undelete(GROUP_A, ADMIN, number),
    }
    with pytest.raises(UserError) as caught:
        await attempts[action]()
    assert caught.value.key == key
    after = (await ledger.show(GROUP_A, number)).item
    assert after == before
    assert after.events == before.events  # nothing was logged either


async def test_claim_assign_edit_and_soft_delete(services: Services) -> None:
    """Claim adds the actor, assign replaces owners, edit logs the old value, delete hides."""
    number = await register(services, "支委会记录未签字 月底前")
    claimed = await services.ledger.claim(GROUP_A, OWNER, number)
    assert [o.user_id for o in claimed.item.owners] == [2]
    assigned = await services.ledger.assign(
        GROUP_A, BYSTANDER, number, [OwnerRef("李四"), OwnerRef("@zhang", username="zhang")]
    )
    assert [o.name for o in assigned.item.owners] == ["李四", "张三"]
    edited = await services.ledger.edit(GROUP_A, ADMIN, number, "类别", "组织建设")
    assert edited.item.category == "组织建设"
    assert edited.item.events[-1].change == EventChange(
        field="category", old_value="", new_value="组织建设"
    )
    measures = await services.ledger.edit(GROUP_A, ADMIN, number, "措施", "1.补签 2.建立台账")
    assert [m.text for m in measures.item.measures] == ["补签", "建立台账"]
    await services.ledger.delete(GROUP_A, ADMIN, number)
    with pytest.raises(UserError):
        await services.ledger.show(GROUP_A, number)
    restored = await services.ledger.undelete(GROUP_A, ADMIN, number)
    assert not restored.item.deleted


async def test_lists_filter_and_sort_by_deadline(services: Services, clock: FixedClock) -> None:
    """/list open sorts by deadline; overdue, pending, done, mine and @user filter correctly."""
    await register(services, "甲 @zhang 年底前")
    await register(services, "乙 @zhang 明天")
    await register(services, "丙 长期坚持")
    await services.ledger.done(GROUP_A, OWNER, 2, "", None)
    listing = await services.ledger.list_items(GROUP_A, OWNER, ListFilter.OPEN)
    assert [i.problem for i in listing.items] == ["乙", "甲", "丙"]
    pending = await services.ledger.list_items(GROUP_A, OWNER, ListFilter.PENDING)
    assert [i.number for i in pending.items] == [2]
    mine = await services.ledger.list_items(GROUP_A, OWNER, ListFilter.MINE)
    assert [i.number for i in mine.items] == [2, 1]
    by_user = await services.ledger.list_items(
        GROUP_A, ADMIN, ListFilter.USER, OwnerRef("@zhang", username="zhang")
    )
    assert [i.number for i in by_user.items] == [2, 1]
    everywhere = await services.ledger.mine(OWNER, None)
    assert {i.group_title for i in everywhere.items} == {"第一党支部"}


async def test_overdue_filter_uses_the_group_clock(services: Services, clock: FixedClock) -> None:
    """An item due tomorrow is overdue two days later."""
    await register(services, "乙 @zhang 明天")
    clock.set(START + timedelta(days=2))
    overdue = await services.ledger.list_items(GROUP_A, OWNER, ListFilter.OVERDUE)
    assert [i.number for i in overdue.items] == [1]


async def test_extension_request_and_decision_keep_the_original(services: Services) -> None:
    """An approved extension moves the deadline, counts it, and keeps the original date."""
    number = await register(services)
    new = read_deadline("12月31日前", TODAY, 7)
    asked = await services.ledger.request_extension(GROUP_A, OWNER, number, new, "等待批复")
    assert asked.extension_id is not None
    with pytest.raises(UserError) as twice:
        await services.ledger.request_extension(GROUP_A, OWNER, number, new, "再次")
    assert twice.value.key == "error.extension_waiting"
    with pytest.raises(UserError):
        await services.ledger.decide_extension(GROUP_A, OWNER, asked.extension_id, True)
    with pytest.raises(UserError):
        await services.ledger.decide_extension(GROUP_B, ADMIN, asked.extension_id, True)
    decided = await services.ledger.decide_extension(GROUP_A, ADMIN, asked.extension_id, True)
    assert decided.item.due == date(2026, 12, 31)
    assert decided.item.original_due == date(2026, 11, 30)
    assert decided.item.extension_count == 1
    with pytest.raises(UserError) as again:
        await services.ledger.decide_extension(GROUP_A, ADMIN, asked.extension_id, False)
    assert again.value.key == "error.extension_decided"


async def test_due_is_admin_only_and_logged(services: Services) -> None:
    """/due changes the deadline for admins only, with an event."""
    number = await register(services)
    deadline = read_deadline("下周五前", TODAY, 7)
    with pytest.raises(UserError):
        await services.ledger.set_deadline(GROUP_A, OWNER, number, deadline, first=False)
    outcome = await services.ledger.set_deadline(GROUP_A, ADMIN, number, deadline, first=False)
    assert outcome.item.due == date(2026, 12, 4)
    assert outcome.item.events[-1].kind is EventKind.DEADLINE


async def test_choosing_no_deadline_for_now_changes_nothing(
    services: Services, db: Database, clock: FixedClock
) -> None:
    """暂不设定 logs no event, so the item is left exactly as it was, its last change included.

    Found by fuzzing: the unit of work stamped ``updated_at`` although no event said what changed.
    """
    outcome = await services.ledger.register(GROUP_A, ADMIN, ProblemDraft(problem="没有时限"))
    clock.set(START + timedelta(hours=1))
    await services.ledger.set_deadline(GROUP_A, ADMIN, outcome.item.number, None, first=True)
    shown = await services.ledger.show(GROUP_A, outcome.item.number)
    assert [e.kind for e in shown.item.events] == [EventKind.CREATED]
    async with db.transaction() as session:
        row = (await session.exec(select(ItemRow).where(ItemRow.id == outcome.item.id))).one()
    assert row.updated_at.replace(tzinfo=None) == START.replace(tzinfo=None)


async def test_a_change_stamps_the_item_with_its_event(
    services: Services, db: Database, clock: FixedClock
) -> None:
    """A change that is logged moves ``updated_at`` to the event's instant."""
    outcome = await services.ledger.register(GROUP_A, ADMIN, ProblemDraft(problem="没有时限"))
    clock.set(START + timedelta(hours=1))
    deadline = read_deadline("月底前", TODAY, 3)
    await services.ledger.set_deadline(GROUP_A, ADMIN, outcome.item.number, deadline, first=True)
    async with db.transaction() as session:
        row = (await session.exec(select(ItemRow).where(ItemRow.id == outcome.item.id))).one()
    assert row.updated_at.replace(tzinfo=None) == (START + timedelta(hours=1)).replace(tzinfo=None)
