"""An item's life cycle: each transition checks what guards it and returns the new state.

整改中 (open) → 申请销号 → 待验收 (pending) → 验收 → 已销号 (closed). 退回 takes a pending item
back to open and counts a return; 重新打开 takes a closed one back to open. A deadline moves by
``/due`` or by an approved 延期申请; an item is soft-deleted and restored.

Nothing here touches storage: a transition takes the item as it is and returns an
:class:`ItemState`, the fields that change; the service's unit of work writes it to the item
and logs the event. The guards raise a :class:`~domain.errors.UserError` that says why not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from domain.deadline import Deadline
from domain.errors import UserError
from domain.items import (
    Actor,
    CopyState,
    DueKind,
    DueValue,
    EventKind,
    ExtensionStatus,
    ExtensionView,
    ItemSnapshot,
    OwnerRef,
    Status,
    days_left,
    due_kind_of,
    require_admin,
    require_creator_or_admin,
    require_owner_or_admin,
)


@dataclass(frozen=True)
class ItemState:
    """The fields of an item that its transitions change."""

    status: Status
    deleted: bool
    pending_since: datetime | None
    closed_at: datetime | None
    closed_by_name: str
    return_count: int
    due: DueValue
    due_phrase: str
    original_due: date | None
    extension_count: int


@dataclass(frozen=True)
class ExtensionRequest:
    """A 延期申请 ready to be stored: the deadline asked for, why, and whether it came late."""

    old_due: date | None
    new_due: date
    new_phrase: str
    reason: str
    after_deadline: bool


def state_of(item: ItemSnapshot) -> ItemState:
    """The item's current state."""
    return ItemState(
        status=item.status,
        deleted=item.deleted,
        pending_since=item.pending_since,
        closed_at=item.closed_at,
        closed_by_name=item.closed_by_name,
        return_count=item.return_count,
        due=due_of(item),
        due_phrase=item.due_phrase,
        original_due=item.original_due,
        extension_count=item.extension_count,
    )


def due_of(item: ItemSnapshot) -> DueValue:
    """The item's deadline as the event log keeps it."""
    return DueValue(item.due_kind, item.due)


def due_of_deadline(deadline: Deadline) -> DueValue:
    """A parsed deadline as the event log keeps it."""
    return DueValue(due_kind_of(deadline), deadline.due)


# --- guards --------------------------------------------------------------------------------


def require_not_deleted(item: ItemSnapshot) -> None:
    """Refuse to act on a deleted item."""
    if item.deleted:
        raise UserError("error.deleted", number=item.number)


def require_active(item: ItemSnapshot) -> None:
    """Refuse to change a deleted or closed (已销号) item."""
    require_not_deleted(item)
    if item.status is Status.CLOSED:
        raise UserError("error.already_closed", number=item.number)


def require_reason(reason: str, command: str, number: int) -> None:
    """Refuse a 退回 or 重新打开 that gives no reason."""
    if not reason.strip():
        raise UserError("error.reason_required", command=command, number=number)


def check_done(item: ItemSnapshot) -> None:
    """Only an open item can be put forward for closing."""
    require_not_deleted(item)
    if item.status is Status.PENDING:
        raise UserError("error.already_pending", number=item.number)
    if item.status is Status.CLOSED:
        raise UserError("error.already_closed", number=item.number)


def check_pending(item: ItemSnapshot) -> None:
    """Only a pending item can be approved or rejected; a closed one says who closed it."""
    require_not_deleted(item)
    if item.status is Status.CLOSED and item.closed_by_name:
        raise UserError("error.closed_by", number=item.number, who=item.closed_by_name)
    if item.status is not Status.PENDING:
        raise UserError("error.not_pending", number=item.number)


def check_reopen(item: ItemSnapshot) -> None:
    """Only a closed item can be reopened."""
    require_not_deleted(item)
    if item.status is not Status.CLOSED:
        raise UserError("error.not_closed", number=item.number)


def check_claim(item: ItemSnapshot, actor: Actor) -> None:
    """A person (never an anonymous admin) claims an active item once."""
    require_active(item)
    if actor.anonymous:
        raise UserError("error.anonymous_owner", number=item.number)
    if item.is_owner(actor.user_id):
        raise UserError("error.already_owner", number=item.number)


def check_extension(item: ItemSnapshot, new_due: date, today: date) -> None:
    """A new deadline is never before today, and comes after the current one."""
    require_active(item)
    if new_due < today:
        raise UserError(
            "error.extend_past",
            number=item.number,
            due=new_due.isoformat(),
            today=today.isoformat(),
        )
    if item.due is not None and new_due <= item.due:
        later = (item.due + timedelta(days=30)).isoformat()  # an example that is later
        raise UserError(
            "error.extend_not_later", number=item.number, due=item.due.isoformat(), later=later
        )


def check_not_past(item: ItemSnapshot, deadline: Deadline, today: date) -> None:
    """A deadline set with ``/due`` is today or later (as an extension's is)."""
    if deadline.due is not None and deadline.due < today:
        raise UserError(
            "error.due_past",
            number=item.number,
            due=deadline.due.isoformat(),
            today=today.isoformat(),
        )


def check_set_deadline(item: ItemSnapshot, actor: Actor, *, first: bool) -> None:
    """``/due`` is for admins; the creator may choose the first deadline of an item without one."""
    require_active(item)
    if not first:
        require_admin(actor, "due")
        return
    require_creator_or_admin(item, actor, "due")
    if item.due_kind is not DueKind.NONE:
        raise UserError("error.deadline_already_set", number=item.number)


# --- owners --------------------------------------------------------------------------------


def claim(item: ItemSnapshot, actor: Actor) -> tuple[OwnerRef, ...]:
    """认领: the owners once the actor is one, in place of their pending @username or plain name."""
    check_claim(item, actor)
    me = OwnerRef(name=actor.name, user_id=actor.user_id, username=actor.username)
    for owner in item.owners:
        if (owner.is_pending and owner.same_person(me)) or owner.named(actor.name):
            return tuple(me if o is owner else o for o in item.owners)
    return (*item.owners, me)


def check_assign(item: ItemSnapshot, actor: Actor, owners_given: int) -> None:
    """Owners are set on an active item by an admin or its creator, and never to nobody."""
    require_creator_or_admin(item, actor, "assign")
    require_active(item)
    if not owners_given:
        raise UserError("error.assign_nobody")


# --- status --------------------------------------------------------------------------------


def submit(item: ItemSnapshot, actor: Actor, now: datetime, *, needs_approval: bool) -> ItemState:
    """申请销号 by an owner or admin: pending approval, or closed at once without approval."""
    require_owner_or_admin(item, actor, "done")
    check_done(item)
    if not needs_approval:
        return _closed(item, actor, now)
    return replace(state_of(item), status=Status.PENDING, pending_since=now)


def approve(item: ItemSnapshot, actor: Actor, now: datetime) -> ItemState:
    """验收通过: an admin closes (销号) a pending item, or a dispatched one directly."""
    require_admin(actor, "approve")
    if is_dispatched(item) and item.status is Status.OPEN:
        return _closed(item, actor, now)  # the committee accepts what its branches did
    check_pending(item)
    return _closed(item, actor, now)


def _closed(item: ItemSnapshot, actor: Actor, now: datetime) -> ItemState:
    """销号: closed now by the actor."""
    return replace(
        state_of(item),
        status=Status.CLOSED,
        closed_at=now,
        closed_by_name=actor.name,
        pending_since=None,
    )


def reject(item: ItemSnapshot, actor: Actor, reason: str) -> ItemState:
    """退回: an admin returns a pending item to open, with a reason; the return is counted."""
    require_admin(actor, "reject")
    check_pending(item)
    require_reason(reason, "reject", item.number)
    state = state_of(item)
    return replace(
        state, status=Status.OPEN, pending_since=None, return_count=state.return_count + 1
    )


def reopen(item: ItemSnapshot, actor: Actor, reason: str) -> ItemState:
    """重新打开: an admin takes a closed item back to open, with a reason."""
    require_admin(actor, "reopen")
    check_reopen(item)
    require_reason(reason, "reopen", item.number)
    return replace(state_of(item), status=Status.OPEN, closed_at=None, closed_by_name="")


def delete(item: ItemSnapshot, actor: Actor) -> ItemState:
    """Soft delete (admin): hidden everywhere, nothing lost."""
    require_admin(actor, "delete")
    require_not_deleted(item)
    return replace(state_of(item), deleted=True)


def undelete(item: ItemSnapshot, actor: Actor) -> ItemState:
    """Restore a soft-deleted item (admin)."""
    require_admin(actor, "undelete")
    if not item.deleted:
        raise UserError("error.not_deleted", number=item.number)
    if deleted_with_committee(item):  # the committee restores what it deleted, or nobody
        raise UserError("error.deleted_by_committee", number=item.number)
    return replace(state_of(item), deleted=False)


# --- deadlines -----------------------------------------------------------------------------


def set_deadline(
    item: ItemSnapshot, actor: Actor, deadline: Deadline, *, first: bool, today: date | None = None
) -> ItemState:
    """The deadline set directly; the first one set is also kept as the original.

    With ``today`` (``/due`` and the deadline buttons), a date before today is refused.
    """
    check_set_deadline(item, actor, first=first)
    if today is not None:
        check_not_past(item, deadline, today)
    state = state_of(item)
    if not first and state.due == due_of_deadline(deadline):
        shown = deadline.due.isoformat() if deadline.due is not None else deadline.phrase
        raise UserError("error.deadline_unchanged", number=item.number, due=shown)
    keep_original = not first and state.original_due is not None
    return replace(
        state,
        due=due_of_deadline(deadline),
        due_phrase=deadline.phrase,
        original_due=state.original_due if keep_original else deadline.due,
    )


def request_extension(
    item: ItemSnapshot, actor: Actor, deadline: Deadline, reason: str, today: date
) -> ExtensionRequest:
    """延期申请 by an owner or admin: a later date, a reason, and no other request waiting."""
    require_owner_or_admin(item, actor, "extend")
    if deadline.due is None:
        raise UserError("error.extend_needs_date", number=item.number)
    check_extension(item, deadline.due, today)
    if not reason.strip():
        raise UserError("error.extend_reason", number=item.number)
    if any(e.status == ExtensionStatus.WAITING for e in item.extensions):
        raise UserError("error.extension_waiting", number=item.number)
    left = days_left(item, today)
    return ExtensionRequest(
        old_due=item.due,
        new_due=deadline.due,
        new_phrase=deadline.phrase,
        reason=reason.strip(),
        after_deadline=left is not None and left < 0,
    )


def withdrawn_by(item: ItemSnapshot, state: ItemState) -> tuple[ExtensionView, ...]:
    """The waiting 延期申请 a change withdraws: every one, once the item is closed or deleted.

    Nobody can decide them any more (a closed item keeps its deadline), so they must not stay
    待审批 on the card, in the digest or under their [同意] [驳回] buttons.
    """
    if state.status is not Status.CLOSED and not state.deleted:
        return ()
    return waiting_extensions(item)


def waiting_extensions(item: ItemSnapshot) -> tuple[ExtensionView, ...]:
    """The item's 延期申请 still waiting for an answer (also withdrawn when /due moves it)."""
    return tuple(e for e in item.extensions if e.status == ExtensionStatus.WAITING)


@dataclass(frozen=True)
class ExtensionDecision:
    """An admin's answer to a 延期申请: the request, the answer, and the item's state after it."""

    extension: ExtensionView
    approved: bool
    state: ItemState

    @property
    def status(self) -> ExtensionStatus:
        """What the request becomes."""
        return ExtensionStatus.APPROVED if self.approved else ExtensionStatus.REJECTED

    @property
    def event(self) -> EventKind:
        """The line the item's history gets."""
        return EventKind.EXTENSION_APPROVED if self.approved else EventKind.EXTENSION_REJECTED


def decide_extension(
    item: ItemSnapshot, actor: Actor, extension_id: int, *, approve: bool
) -> ExtensionDecision:
    """An admin answers a waiting request: approved moves the deadline (the original is kept)."""
    require_admin(actor, "extend_decide")
    extension = next((e for e in item.extensions if e.id == extension_id), None)
    if extension is not None and extension.status == ExtensionStatus.WITHDRAWN:
        raise UserError("error.extension_withdrawn", number=item.number)
    if extension is None or extension.status != ExtensionStatus.WAITING:
        raise UserError("error.extension_decided", number=item.number)
    state = state_of(item)
    if not approve:
        return ExtensionDecision(extension, approved=False, state=state)
    require_active(item)
    moved = replace(
        state,
        due=DueValue(DueKind.DATE, extension.new_due),
        due_phrase=extension.new_phrase,
        original_due=state.original_due if state.original_due is not None else state.due.day,
        extension_count=state.extension_count + 1,
    )
    return ExtensionDecision(extension, approved=True, state=moved)


# --- the committee tree ----------------------------------------------------------------------


def live_copies(item: ItemSnapshot) -> list[CopyState]:
    """The branches' copies of a dispatched item that still count (not deleted)."""
    return [copy for copy in item.copies if not copy.deleted]


def is_dispatched(item: ItemSnapshot) -> bool:
    """True when the item was handed down (交办) to branches that still hold a copy."""
    return bool(live_copies(item))


def close_by_branches(item: ItemSnapshot, actor: Actor, now: datetime) -> ItemState | None:
    """The committee's item closes itself once every branch closed its copy (None: not yet)."""
    copies = live_copies(item)
    if not item.is_active or not copies or any(c.status is not Status.CLOSED for c in copies):
        return None
    return _closed(item, actor, now)


def close_with_committee(copy: ItemSnapshot, actor: Actor, now: datetime) -> ItemState | None:
    """A branch's copy closes when the committee accepts its item directly (None: closed)."""
    return _closed(copy, actor, now) if copy.is_active else None


def reopen_with_copy(item: ItemSnapshot) -> ItemState | None:
    """A branch reopened its copy: the committee's closed item opens again (None: it is open)."""
    if item.deleted or item.status is not Status.CLOSED:
        return None
    return replace(state_of(item), status=Status.OPEN, closed_at=None, closed_by_name="")


# --- the cascade: what a change of one item does to the items linked to it ------------------------


def moved(before: ItemSnapshot, after: ItemState) -> bool:
    """True when a change closed, reopened, deleted or restored the item (its parent follows)."""
    return before.status is not after.status or before.deleted != after.deleted


def counts_open(state: ItemState) -> bool:
    """True for a copy that keeps its committee's item open: open or pending, not deleted."""
    return not state.deleted and state.status is not Status.CLOSED


def closed_now(before: ItemSnapshot, after: ItemState) -> bool:
    """True when the change closed (销号) an active item: its open copies close with it."""
    return before.is_active and not after.deleted and after.status is Status.CLOSED


def deleted_now(before: ItemSnapshot, after: ItemState) -> bool:
    """True when the change deleted the item: its open copies are deleted with it."""
    return not before.deleted and after.deleted


def restored_now(before: ItemSnapshot, after: ItemState) -> bool:
    """True when the change restored the item: the copies deleted with it come back."""
    return before.deleted and not after.deleted


def reopened_now(before: ItemSnapshot, after: ItemState) -> bool:
    """True when the change reopened a closed item: its closed copies open again with it."""
    return before.status is Status.CLOSED and after.status is Status.OPEN and not after.deleted


def reopen_with_committee(copy: ItemSnapshot) -> ItemState | None:
    """A closed copy opens again with its committee's item (None: open or deleted)."""
    if copy.deleted or copy.status is not Status.CLOSED:
        return None
    return replace(state_of(copy), status=Status.OPEN, closed_at=None, closed_by_name="")


def delete_with_committee(copy: ItemSnapshot) -> ItemState | None:
    """A copy still open is deleted with its committee's item (None: closed or deleted)."""
    return replace(state_of(copy), deleted=True) if copy.is_active else None


def deleted_with_committee(copy: ItemSnapshot) -> bool:
    """True when the copy's deletion came from its committee (its last deletion says so)."""
    deletions = [e for e in copy.events if e.kind is EventKind.DELETED]
    return copy.deleted and bool(deletions) and bool(deletions[-1].change.groups)


def restore_with_committee(copy: ItemSnapshot) -> ItemState | None:
    """A copy deleted with its committee's item comes back with it (None: not one of those)."""
    return replace(state_of(copy), deleted=False) if deleted_with_committee(copy) else None


def follow_committee_deadline(copy: ItemSnapshot, committee: ItemSnapshot) -> ItemState | None:
    """The committee moved its deadline: an open copy takes it (None: closed, or the same)."""
    if not copy.is_active or due_of(copy) == due_of(committee):
        return None
    state = state_of(copy)
    original = state.original_due if state.original_due is not None else committee.due
    return replace(
        state, due=due_of(committee), due_phrase=committee.due_phrase, original_due=original
    )


def follow_copy(
    parent: ItemSnapshot, copy: ItemState, actor: Actor, now: datetime
) -> tuple[ItemState, EventKind] | None:
    """A copy closed, reopened, was deleted or restored: what its committee's item becomes.

    A copy open again reopens a closed committee item; otherwise the committee's item closes
    once every live copy is closed. None: the committee's item stays as it is.
    """
    if counts_open(copy):
        state = reopen_with_copy(parent)
        return None if state is None else (state, EventKind.REOPENED)
    closed = close_by_branches(parent, actor, now)
    return None if closed is None else (closed, EventKind.BRANCHES_CLOSED)
