"""交办 in the unit of work: what a change of one item does to the items linked to it.

A committee's item and its branches' copies move together, at any depth of the tree
(区委 → 党委 → 支部), each following change applied like the one asked for (its guard in
:mod:`domain.transitions`, its waiting 延期申请 withdrawn, its history logged, its row stamped):

* up: a copy closed, reopened, deleted or restored moves its committee's item (closed once every
  live copy is closed, reopened when a copy is open again), which may move the item above it;
* down: the committee's item closed (验收, or 申请销号 where no approval is needed) closes its
  open copies; deleted, it deletes them; restored, it restores those deleted with it; its
  问题, 整改措施 and 时限 changed, the open copies take them — and their copies in turn.

A change that came from above does not go back up, nor one from below back down. Only the
groups still linked follow: a copy in a branch unlinked since is the branch's own.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Final

from sqlmodel.ext.asyncio.session import AsyncSession

from domain import transitions
from domain.items import EventChange, EventKind, ItemSnapshot, MeasureView
from domain.outcomes import CopyFollowed
from storage import items as repo
from storage import tree as tree_repo
from storage.models import ItemRow

if TYPE_CHECKING:
    from services.item_change import ItemChange


class Direction(Enum):
    """Which way a following change travels in the tree."""

    UP = "up"  # a copy moved its committee's item
    DOWN = "down"  # a committee's item moved a copy


async def lock_ancestors(session: AsyncSession, row: ItemRow) -> None:
    """Lock the items this copy descends from, the topmost first (one order for everyone)."""
    chain: list[int] = []
    parent_id = row.parent_item_id
    while parent_id is not None and parent_id not in chain:
        chain.append(parent_id)
        parent = await repo.item_by_id(session, parent_id)
        parent_id = parent.parent_item_id if parent is not None else None
    for item_id in reversed(chain):
        await repo.item_by_id(session, item_id, lock=True)


async def ripple(change: ItemChange) -> None:
    """Let the linked items follow a change just written (and, through them, theirs)."""
    if change.came_from is not Direction.DOWN:
        await _up(change)
    if change.came_from is not Direction.UP and change.item.copies and _reaches_copies(change):
        await _down(change)


# What the copies take from their committee's item besides its state: its text and deadline.
_EDITS = frozenset({EventKind.EDITED, EventKind.DEADLINE, EventKind.EXTENSION_APPROVED})


def _reaches_copies(change: ItemChange) -> bool:
    """True when the copies may have to follow: the item closed, was deleted or restored, edited."""
    state = change.state
    if state is not None and (
        transitions.closed_now(change.item, state)
        or transitions.deleted_now(change.item, state)
        or transitions.restored_now(change.item, state)
        or transitions.reopened_now(change.item, state)
    ):
        return True
    return bool(change.logged & _EDITS)


async def _up(change: ItemChange) -> None:
    """A copy that moved: its committee's item follows (its ancestors are locked already)."""
    state, parent_id = change.state, change.row.parent_item_id
    if parent_id is None or state is None or not transitions.moved(change.item, state):
        return
    parent_row = await repo.item_by_id(change.session, parent_id, lock=True)
    if parent_row is None or parent_row.group_id != change.group.parent_id:
        return  # unlinked since: the committee no longer follows this copy
    parent = await repo.full_snapshot(change.session, parent_row)
    decided = transitions.follow_copy(parent, state, change.actor, change.now)
    if decided is None:
        return
    new_state, kind = decided
    follower = await change.follower(parent_row, Direction.UP)
    follower.apply(new_state)
    if kind is EventKind.REOPENED:
        follower.log(kind, EventChange(groups=(change.group.title,), number=change.item.number))
    else:
        follower.log(kind)
    await follower.settle()


async def _down(change: ItemChange) -> None:
    """The committee's item changed: each copy in a branch still linked follows."""
    session = change.session
    after = await repo.full_snapshot(session, change.row)
    linked = {copy.group_id for copy in change.item.copies}
    for row in await tree_repo.copies_for_update(session, change.item.id):
        if row.group_id in linked:
            await _follow_down(change, after, row)


async def _follow_down(change: ItemChange, after: ItemSnapshot, row: ItemRow) -> None:
    """One copy follows its committee's item: its state, then its text and deadline."""
    copy = await change.follower(row, Direction.DOWN)
    by_committee = EventChange(groups=(change.group.title,))
    moved = _follow_state(change, copy, by_committee)
    edited = moved is None and await _follow_edits(change.item, after, copy, by_committee)
    await copy.settle()
    if moved is not None:
        change.copy_followed(copy, _TOLD[moved])
    elif edited:
        change.copy_followed(copy, CopyFollowed.EDITED)


def _follow_state(
    change: ItemChange, copy: ItemChange, by_committee: EventChange
) -> EventKind | None:
    """Close, delete or restore the copy with its committee's item; what it did, if anything."""
    state = change.state
    if state is None:
        return None
    followed: tuple[transitions.ItemState | None, EventKind] | None = None
    if transitions.closed_now(change.item, state):
        closed = transitions.close_with_committee(copy.item, change.actor, change.now)
        followed = (closed, EventKind.APPROVED)
    elif transitions.deleted_now(change.item, state):
        followed = (transitions.delete_with_committee(copy.item), EventKind.DELETED)
    elif transitions.restored_now(change.item, state):
        followed = (transitions.restore_with_committee(copy.item), EventKind.UNDELETED)
    elif transitions.reopened_now(change.item, state):
        followed = (transitions.reopen_with_committee(copy.item), EventKind.REOPENED)
    if followed is None or followed[0] is None:
        return None
    copy.apply(followed[0])
    copy.log(followed[1], by_committee)
    return followed[1]


# What the branch is told when its copy followed a change of state.
_TOLD: Final = {
    EventKind.APPROVED: CopyFollowed.CLOSED,
    EventKind.DELETED: CopyFollowed.DELETED,
    EventKind.UNDELETED: CopyFollowed.RESTORED,
    EventKind.REOPENED: CopyFollowed.REOPENED,
}


async def _follow_edits(
    before: ItemSnapshot, after: ItemSnapshot, copy: ItemChange, by_committee: EventChange
) -> bool:
    """The committee's new 问题, 整改措施 or 时限 reach an open copy, each logged; any did?"""
    item = copy.item
    if not item.is_active:
        return False
    if after.problem != before.problem and item.problem != after.problem:
        copy.row.problem = after.problem
        copy.log(EventKind.EDITED, _edited(by_committee, "problem", item.problem, after.problem))
    if _texts(after.measures) != _texts(before.measures) and _texts(item.measures) != _texts(
        after.measures
    ):
        await _replace_measures(copy, _texts(after.measures))
        old, new = "；".join(_texts(item.measures)), "；".join(_texts(after.measures))
        copy.log(EventKind.EDITED, _edited(by_committee, "measures", old, new))
    if transitions.due_of(after) != transitions.due_of(before):
        moved = transitions.follow_committee_deadline(item, after)
        if moved is not None:
            copy.apply(moved)
            copy.withdraw_waiting()  # the committee's deadline answers the copy's 延期申请
            dues = EventChange(
                old_due=transitions.due_of(item), new_due=moved.due, groups=by_committee.groups
            )
            copy.log(EventKind.DEADLINE, dues)
    return bool(copy.logged & _EDITS)


def _edited(by_committee: EventChange, field: str, old: str, new: str) -> EventChange:
    return EventChange(field=field, old_value=old, new_value=new, groups=by_committee.groups)


def _texts(measures: tuple[MeasureView, ...]) -> tuple[str, ...]:
    return tuple(m.text for m in measures)


async def _replace_measures(copy: ItemChange, measures: tuple[str, ...]) -> None:
    """New measures on the copy; one whose text is unchanged keeps its ✅."""
    done = {m.text for m in copy.item.measures if m.done}
    await repo.replace_measures(copy.session, copy.row, measures)
    kept = [i for i, text in enumerate(measures) if text in done]
    await repo.set_measures_done(copy.session, copy.item.id, kept)
