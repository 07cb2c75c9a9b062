"""An item's life cycle without I/O: each transition's guard, and the state it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from domain.deadline import Deadline, DeadlineKind
from domain.errors import UserError
from domain.items import (
    Actor,
    CopyState,
    DueKind,
    DueValue,
    EventChange,
    EventKind,
    EventView,
    ExtensionStatus,
    ExtensionView,
    ItemSnapshot,
    OwnerRef,
    Status,
)
from domain.transitions import (
    ItemState,
    approve,
    check_extension,
    check_set_deadline,
    claim,
    closed_now,
    decide_extension,
    delete,
    delete_with_committee,
    deleted_now,
    follow_committee_deadline,
    follow_copy,
    moved,
    reject,
    reopen,
    request_extension,
    restore_with_committee,
    restored_now,
    set_deadline,
    state_of,
    submit,
    undelete,
    withdrawn_by,
)

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 2, tzinfo=UTC)
ADMIN = Actor(1, "王书记", "wang", is_admin=True)
OWNER = Actor(2, "张三", "zhang")
CREATOR = Actor(3, "李四", "li")
STRANGER = Actor(9, "路人")


def item(**changes: object) -> ItemSnapshot:
    """#7, open, due 2026-11-30, owned by 张三, registered by 李四, with ``changes``."""
    base = ItemSnapshot(
        id=1,
        group_id=1,
        number=7,
        problem="三会一课记录不规范",
        status=Status.OPEN,
        due_kind=DueKind.DATE,
        due=date(2026, 11, 30),
        due_phrase="月底前",
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
        created_by=CREATOR.user_id,
        created_by_name=CREATOR.name,
        owners=(OwnerRef("张三", 2, "zhang"),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]  # changes mixes field types


def extension(status: ExtensionStatus = ExtensionStatus.WAITING) -> ExtensionView:
    """Request 5: from 2026-11-30 to 2026-12-31 (12月31日前)."""
    return ExtensionView(
        id=5,
        requested_by="张三",
        old_due=date(2026, 11, 30),
        new_due=date(2026, 12, 31),
        new_phrase="12月31日前",
        reason="等待批复",
        status=status.value,
        after_deadline=False,
        at=NOW,
    )


def refused(action: Callable[[], object]) -> str:
    """The catalogue key of the UserError that ``action`` raises."""
    with pytest.raises(UserError) as caught:
        action()
    return caught.value.key


# --- 申请销号, 验收, 退回, 重新打开 ---------------------------------------------------------


def test_submitting_puts_an_open_item_up_for_acceptance() -> None:
    """申请销号 in a group that needs approval: pending since now, nothing else changes."""
    before = item()
    after = submit(before, OWNER, NOW, needs_approval=True)
    assert after == replace(state_of(before), status=Status.PENDING, pending_since=NOW)


def test_submitting_closes_at_once_without_approval() -> None:
    """Without approval the owner's 申请销号 closes the item in their name."""
    after = submit(item(), OWNER, NOW, needs_approval=False)
    assert (after.status, after.closed_at, after.closed_by_name) == (Status.CLOSED, NOW, "张三")


def test_approving_closes_and_clears_pending() -> None:
    """验收通过 closes a pending item in the admin's name."""
    after = approve(item(status=Status.PENDING, pending_since=NOW), ADMIN, NOW)
    assert (after.status, after.pending_since) == (Status.CLOSED, None)
    assert (after.closed_at, after.closed_by_name) == (NOW, "王书记")


def test_rejecting_returns_to_open_and_counts_the_return() -> None:
    """退回 takes a pending item back to open and adds one return."""
    after = reject(item(status=Status.PENDING, pending_since=NOW, return_count=1), ADMIN, "缺签字")
    assert (after.status, after.pending_since, after.return_count) == (Status.OPEN, None, 2)


def test_reopening_takes_a_closed_item_back_to_open() -> None:
    """重新打开 forgets who closed it and when."""
    closed = item(status=Status.CLOSED, closed_at=NOW, closed_by_name="王书记")
    after = reopen(closed, ADMIN, "问题反弹")
    assert (after.status, after.closed_at, after.closed_by_name) == (Status.OPEN, None, "")


@pytest.mark.parametrize(
    ("action", "key"),
    [
        (lambda: submit(item(), STRANGER, NOW, needs_approval=True), "error.owner_only"),
        (
            lambda: submit(item(status=Status.PENDING), OWNER, NOW, needs_approval=True),
            "error.already_pending",
        ),
        (
            lambda: submit(item(status=Status.CLOSED), ADMIN, NOW, needs_approval=True),
            "error.already_closed",
        ),
        (lambda: submit(item(deleted=True), ADMIN, NOW, needs_approval=True), "error.deleted"),
        (lambda: approve(item(status=Status.PENDING), OWNER, NOW), "error.admin_only"),
        (lambda: approve(item(), ADMIN, NOW), "error.not_pending"),
        (
            lambda: approve(item(status=Status.CLOSED, closed_by_name="王书记"), ADMIN, NOW),
            "error.closed_by",
        ),
        (lambda: reject(item(), ADMIN, "原因"), "error.not_pending"),
        (lambda: reject(item(status=Status.PENDING), ADMIN, "  "), "error.reason_required"),
        (lambda: reopen(item(), ADMIN, "原因"), "error.not_closed"),
        (lambda: reopen(item(status=Status.CLOSED), ADMIN, ""), "error.reason_required"),
        (lambda: reopen(item(status=Status.CLOSED), OWNER, "原因"), "error.admin_only"),
    ],
)
def test_status_guards(action: Callable[[], object], key: str) -> None:
    """Each transition refuses the wrong actor or the wrong status, saying which."""
    assert refused(action) == key


# --- deleting -------------------------------------------------------------------------------


def test_delete_and_undelete_flip_only_the_deleted_mark() -> None:
    """Soft delete and restore change nothing but ``deleted``; both are for admins."""
    before = item()
    gone = delete(before, ADMIN)
    assert gone == replace(state_of(before), deleted=True)
    assert undelete(item(deleted=True), ADMIN) == replace(gone, deleted=False)
    assert refused(lambda: delete(before, OWNER)) == "error.admin_only"
    assert refused(lambda: undelete(before, ADMIN)) == "error.not_deleted"


# --- owners ---------------------------------------------------------------------------------


def test_claiming_replaces_a_stand_in_or_appends() -> None:
    """认领 takes the place of the actor's pending @username or plain name, else joins the end."""
    me = OwnerRef("李四", CREATOR.user_id, "li")
    pending = item(owners=(OwnerRef("@li", username="li"), OwnerRef("张三", 2, "zhang")))
    named = item(owners=(OwnerRef("李四"),))
    assert claim(pending, CREATOR) == (me, OwnerRef("张三", 2, "zhang"))
    assert claim(named, CREATOR) == (me,)
    assert claim(item(), CREATOR) == (OwnerRef("张三", 2, "zhang"), me)
    assert refused(lambda: claim(item(), OWNER)) == "error.already_owner"


# --- deadlines ------------------------------------------------------------------------------


def dated(day: date, phrase: str = "") -> Deadline:
    """A dated deadline typed as ``phrase``."""
    return Deadline(DeadlineKind.DATE, day, phrase or day.isoformat())


def test_due_moves_the_deadline_and_keeps_the_first_original() -> None:
    """/due sets kind, date and phrase; the original stays the first deadline ever set."""
    before = item(original_due=date(2026, 11, 30))
    after = set_deadline(before, ADMIN, dated(date(2026, 12, 4), "下周五前"), first=False)
    assert after.due == DueValue(DueKind.DATE, date(2026, 12, 4))
    assert (after.due_phrase, after.original_due) == ("下周五前", date(2026, 11, 30))
    long_term = Deadline(DeadlineKind.LONG_TERM, None, "长期坚持")
    assert set_deadline(before, ADMIN, long_term, first=False).due == DueValue(DueKind.LONG_TERM)


def test_the_first_deadline_is_the_creators_choice_and_the_original() -> None:
    """Choosing the first deadline: the creator may, once; it becomes the original too."""
    undated = item(due_kind=DueKind.NONE, due=None, due_phrase="")
    after = set_deadline(undated, CREATOR, dated(date(2026, 11, 30), "月底前"), first=True)
    assert after.original_due == date(2026, 11, 30)
    assert refused(lambda: check_set_deadline(item(), CREATOR, first=True)) == (
        "error.deadline_already_set"
    )
    assert refused(lambda: check_set_deadline(undated, OWNER, first=True)) == "error.creator_only"
    assert refused(lambda: check_set_deadline(item(), CREATOR, first=False)) == "error.admin_only"


def test_an_extension_must_be_later() -> None:
    """A new deadline on or before the current one is refused; a later one is fine."""
    check_extension(item(), date(2026, 12, 31), TODAY)
    for earlier in (date(2026, 11, 28), date(2026, 11, 30)):
        with pytest.raises(UserError) as caught:
            check_extension(item(), earlier, TODAY)
        assert caught.value.key == "error.extend_not_later"


def test_an_extension_never_asks_for_a_day_before_today() -> None:
    """Whatever the old deadline (even none), a new one before today is refused; today is fine."""
    undated = item(due_kind=DueKind.NONE, due=None, due_phrase="")
    late = item(due=date(2026, 1, 10))
    for before in (undated, late):
        with pytest.raises(UserError) as caught:
            check_extension(before, date(2026, 11, 25), TODAY)
        assert caught.value.key == "error.extend_past"
    check_extension(undated, TODAY, TODAY)


def test_an_extension_request_keeps_the_old_date_and_notes_lateness() -> None:
    """延期申请 after the deadline passed is marked as such; its reason is trimmed."""
    late = item(due=date(2026, 11, 20))
    request = request_extension(late, OWNER, dated(date(2026, 12, 31)), " 等待批复 ", TODAY)
    assert (request.old_due, request.new_due) == (date(2026, 11, 20), date(2026, 12, 31))
    assert (request.reason, request.after_deadline) == ("等待批复", True)


@pytest.mark.parametrize(
    ("snapshot", "actor", "deadline", "reason", "key"),
    [
        (item(), STRANGER, dated(date(2026, 12, 31)), "原因", "error.owner_only"),
        (
            item(),
            OWNER,
            Deadline(DeadlineKind.LONG_TERM, None, "长期"),
            "原因",
            "error.extend_needs_date",
        ),
        (item(), OWNER, dated(date(2026, 12, 31)), " ", "error.extend_reason"),
        (
            item(extensions=(extension(),)),
            OWNER,
            dated(date(2027, 1, 31)),
            "原因",
            "error.extension_waiting",
        ),
    ],
)
def test_extension_request_guards(
    snapshot: ItemSnapshot, actor: Actor, deadline: Deadline, reason: str, key: str
) -> None:
    """Owners only, a date, a reason, and one waiting request at a time."""
    assert refused(lambda: request_extension(snapshot, actor, deadline, reason, TODAY)) == key


def test_an_approved_extension_moves_the_deadline_and_counts() -> None:
    """同意: the requested date and phrase, the original kept, one more extension."""
    decision = decide_extension(item(extensions=(extension(),)), ADMIN, 5, approve=True)
    state: ItemState = decision.state
    assert state.due == DueValue(DueKind.DATE, date(2026, 12, 31))
    assert (state.due_phrase, state.original_due) == ("12月31日前", date(2026, 11, 30))
    assert state.extension_count == 1
    assert (decision.status, decision.event) == (
        ExtensionStatus.APPROVED,
        EventKind.EXTENSION_APPROVED,
    )


def test_a_rejected_extension_changes_nothing_on_the_item() -> None:
    """驳回: the item keeps its deadline; the request is rejected."""
    before = item(extensions=(extension(),))
    decision = decide_extension(before, ADMIN, 5, approve=False)
    assert decision.state == state_of(before)
    assert (decision.status, decision.event) == (
        ExtensionStatus.REJECTED,
        EventKind.EXTENSION_REJECTED,
    )


def test_only_admins_decide_and_only_once() -> None:
    """A member cannot decide; a decided (or unknown) request cannot be decided again."""
    waiting = item(extensions=(extension(),))
    decided = item(extensions=(extension(ExtensionStatus.APPROVED),))
    assert refused(lambda: decide_extension(waiting, OWNER, 5, approve=True)) == "error.admin_only"
    assert refused(lambda: decide_extension(decided, ADMIN, 5, approve=False)) == (
        "error.extension_decided"
    )
    assert refused(lambda: decide_extension(waiting, ADMIN, 6, approve=True)) == (
        "error.extension_decided"
    )
    closed = item(status=Status.CLOSED, extensions=(extension(),))
    assert refused(lambda: decide_extension(closed, ADMIN, 5, approve=True)) == (
        "error.already_closed"
    )


def test_closing_or_deleting_withdraws_waiting_extension_requests() -> None:
    """销号 or 删除 withdraws the waiting requests; other changes leave them waiting."""
    decided = replace(extension(ExtensionStatus.REJECTED), id=4)
    pending = item(status=Status.PENDING, pending_since=NOW, extensions=(decided, extension()))
    assert withdrawn_by(pending, approve(pending, ADMIN, NOW)) == (extension(),)
    assert withdrawn_by(pending, delete(pending, ADMIN)) == (extension(),)
    assert withdrawn_by(pending, reject(pending, ADMIN, "记录不全")) == ()
    withdrawn = item(extensions=(extension(ExtensionStatus.WITHDRAWN),))
    assert refused(lambda: decide_extension(withdrawn, ADMIN, 5, approve=True)) == (
        "error.extension_withdrawn"
    )


# --- the cascade in the committee tree -------------------------------------------------------


def copy_state(status: Status, *, deleted: bool = False) -> CopyState:
    """A branch's copy as the committee's item sees it."""
    return CopyState(group_id=2, group_title="第一党支部", number=1, status=status, deleted=deleted)


def test_a_copy_that_moved_moves_its_committees_item() -> None:
    """Closed: the item closes once every live copy is; open again: a closed item reopens."""
    closed = state_of(item(status=Status.CLOSED))
    waiting = item(copies=(copy_state(Status.CLOSED), copy_state(Status.OPEN)))
    assert follow_copy(waiting, closed, ADMIN, NOW) is None
    done = item(copies=(copy_state(Status.CLOSED), copy_state(Status.OPEN, deleted=True)))
    followed = follow_copy(done, closed, ADMIN, NOW)
    assert followed is not None
    assert (followed[0].status, followed[1]) == (Status.CLOSED, EventKind.BRANCHES_CLOSED)
    reopened = follow_copy(
        item(status=Status.CLOSED, copies=(copy_state(Status.OPEN),)), state_of(item()), ADMIN, NOW
    )
    assert reopened is not None
    assert (reopened[0].status, reopened[1]) == (Status.OPEN, EventKind.REOPENED)
    assert (
        follow_copy(item(copies=(copy_state(Status.OPEN),)), state_of(item()), ADMIN, NOW) is None
    )


def test_what_a_change_did_decides_what_follows() -> None:
    """Moved, closed, deleted, restored: each read from the item before and the state after."""
    before = item()
    assert not moved(before, state_of(before))
    assert moved(before, approve(item(status=Status.PENDING), ADMIN, NOW))
    assert closed_now(before, submit(before, OWNER, NOW, needs_approval=False))
    assert not closed_now(before, submit(before, OWNER, NOW, needs_approval=True))
    assert deleted_now(before, delete(before, ADMIN))
    assert restored_now(item(deleted=True), undelete(item(deleted=True), ADMIN))


def test_copies_are_deleted_and_restored_with_their_committees_item() -> None:
    """Only an open copy is deleted with it; only one deleted with it comes back."""
    assert delete_with_committee(item(status=Status.CLOSED)) is None
    deleted = delete_with_committee(item())
    assert deleted is not None
    assert deleted.deleted
    by_committee = EventView(EventKind.DELETED, "王书记", NOW, EventChange(groups=("机关党委",)))
    by_branch = EventView(EventKind.DELETED, "支部书记", NOW)
    restored = restore_with_committee(item(deleted=True, events=(by_committee,)))
    assert restored is not None
    assert not restored.deleted
    assert restore_with_committee(item(deleted=True, events=(by_branch,))) is None


def test_an_open_copy_takes_its_committees_new_deadline() -> None:
    """The copy's first deadline stays its original; a closed copy keeps its own."""
    committee = item(due=date(2026, 12, 20), due_phrase="12月20日前")
    moved_copy = follow_committee_deadline(item(original_due=date(2026, 11, 30)), committee)
    assert moved_copy is not None
    assert (moved_copy.due.day, moved_copy.due_phrase) == (date(2026, 12, 20), "12月20日前")
    assert moved_copy.original_due == date(2026, 11, 30)
    assert follow_committee_deadline(item(status=Status.CLOSED), committee) is None
    assert follow_committee_deadline(item(), item()) is None
