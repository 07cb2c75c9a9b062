"""The unit of work for changing one item: load and lock it, change it, log it, commit.

Every change to an existing item reads the same way::

    async with change_item(db, clock, defaults, chat_id, actor, number) as change:
        state = transitions.reject(change.item, actor, reason)   # the guard, then the new state
        change.apply(state)                                      # written to the item's row
        change.log(EventKind.REJECTED, EventChange(text=reason))  # one line of its history
    return change.outcome                                        # the item after, committed

One transaction: the group is loaded, the item row locked (``SELECT … FOR UPDATE``; on SQLite
the transaction holds the write lock from its start), the item read whole into
:attr:`ItemChange.item`. Leaving the block stamps ``updated_at`` (only when an event was logged:
a change is what the history records, so a no-op such as 暂不设定 leaves the item as it was),
flushes, lets the items linked to it in the committee tree follow (:mod:`services.cascade`),
reads the item back into :attr:`ItemChange.outcome` and commits; an exception rolls everything
back.

Locks are taken top down: the committee's item before its copies. Changing a copy first locks
its ancestors (the committee's item, the district's above it …), then the copy itself, so that
a branch's 销号 and the committee's 验收 of the same item wait for each other instead of
deadlocking.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.clock import Clock, local_today
from domain.errors import UserError
from domain.groups import GroupContext
from domain.items import (
    NO_CHANGE,
    Actor,
    DueKind,
    DueValue,
    EventChange,
    EventKind,
    ExtensionView,
    ItemSnapshot,
)
from domain.outcomes import CopyFollowed, FollowedCopy, MessageRef, Outcome
from domain.settings import GroupSettings
from domain.transitions import ItemState, waiting_extensions, withdrawn_by
from services import cascade
from services.groups import group_context, load_group
from storage import groups as group_repo
from storage import items as repo
from storage.database import Database
from storage.models import ItemRow


@dataclass
class Ripples:
    """What a change and the changes that followed it in the tree leave for the handlers."""

    stale: list[MessageRef] = field(default_factory=list)
    followed: list[FollowedCopy] = field(default_factory=list)


class ItemChange:
    """One change in progress: the transaction, the item before it, who acts and when.

    ``came_from`` is None for the change asked for; a change that follows it in the tree is
    ``UP`` (a copy moved its committee's item) or ``DOWN`` (a committee's item moved a copy).
    """

    def __init__(
        self,
        session: AsyncSession,
        group: GroupContext,
        row: ItemRow,
        item: ItemSnapshot,
        actor: Actor,
        now: datetime,
        today: date,
        *,
        defaults: GroupSettings,
        came_from: cascade.Direction | None = None,
        ripples: Ripples | None = None,
    ) -> None:
        self.session = session
        self.group = group
        self.row = row
        self.item = item
        self.actor = actor
        self.now = now
        self.today = today
        self.defaults = defaults
        self.came_from = came_from
        self.state: ItemState | None = None  # the state applied, if any
        self._ripples = ripples if ripples is not None else Ripples()
        self.logged: set[EventKind] = set()  # the kinds of event the change logged
        self._logged = False
        self._outcome: Outcome | None = None
        self._withdrawn: tuple[ExtensionView, ...] = ()

    def apply(self, state: ItemState) -> None:
        """Write the state a domain transition returned onto the item.

        Closing or deleting it withdraws its waiting 延期申请 (when the change finishes).
        """
        repo.apply_state(self.row, state)
        self.state = state
        self._withdrawn = withdrawn_by(self.item, state)

    def withdraw_waiting(self) -> None:
        """Withdraw the item's waiting 延期申请 when the change finishes (/due decided it)."""
        self._withdrawn = waiting_extensions(self.item)

    def log(self, kind: EventKind, change: EventChange = NO_CHANGE) -> None:
        """Append one line to the item's history, by the actor, now."""
        self._logged = True
        self.logged.add(kind)
        repo.add_event(
            self.session, self.row, kind, self.actor.user_id, self.actor.name, self.now, change
        )

    @property
    def outcome(self) -> Outcome:
        """The group and the item after the change (once the ``async with`` block is left)."""
        if self._outcome is None:
            raise RuntimeError("the outcome is known once the change is finished")
        return self._outcome

    async def finish(self) -> None:
        """Settle the change and what follows from it in the tree; read the item back."""
        await self.settle()
        after = await repo.full_snapshot(self.session, self.row)
        self._outcome = Outcome(
            group=self.group,
            item=after,
            today=self.today,
            withdrawn_extensions=len(self._withdrawn),
            stale_messages=tuple(self._ripples.stale),
            followed_copies=tuple(self._ripples.followed),
        )

    async def settle(self) -> None:
        """Stamp the item if it changed, withdraw what it made moot, write; the tree follows."""
        stale = await self._withdraw()
        self._ripples.stale.extend(MessageRef(self.group.chat_id, m) for m in stale)
        if self._logged:
            self.row.updated_at = self.now
        self.session.add(self.row)
        await self.session.flush()
        await cascade.ripple(self)

    def copy_followed(self, copy: ItemChange, how: CopyFollowed) -> None:
        """Remember that ``copy`` followed this item's change (its branch is told)."""
        followed = FollowedCopy(
            copy.group, copy.item.number, self.group.title, self.item.number, how
        )
        self._ripples.followed.append(followed)

    async def follower(self, row: ItemRow, direction: cascade.Direction) -> ItemChange:
        """A change of a linked item that follows this one, in the same transaction."""
        groups = await group_repo.groups_by_ids(self.session, [row.group_id])
        group = group_context(groups[row.group_id], self.defaults)
        item = await repo.full_snapshot(self.session, row)
        return ItemChange(
            self.session, group, row, item, self.actor, self.now, self.today,
            defaults=self.defaults, came_from=direction, ripples=self._ripples,
        )  # fmt: skip

    async def _withdraw(self) -> list[int]:
        """Withdraw the requests the change made moot, each logged; their messages' ids."""
        ids = [extension.id for extension in self._withdrawn]
        stale = await repo.withdraw_extensions(self.session, ids, self.actor.name, self.now)
        for extension in self._withdrawn:
            asked_for = DueValue(DueKind.DATE, extension.new_due)
            self.log(EventKind.EXTENSION_WITHDRAWN, EventChange(new_due=asked_for))
        return stale


@asynccontextmanager
async def change_item(
    db: Database,
    clock: Clock,
    defaults: GroupSettings,
    chat_id: int,
    actor: Actor,
    number: int | None = None,
    *,
    extension_id: int | None = None,
    include_deleted: bool = False,
) -> AsyncIterator[ItemChange]:
    """Item ``#number`` of this chat (or the item of extension request ``extension_id``), locked.

    A deleted item is refused unless ``include_deleted`` (to restore it).
    """
    now = clock.now()
    async with db.transaction() as session:
        group = await load_group(session, chat_id, defaults)
        row = await _locked_item(session, group, number, extension_id)
        if row.deleted and not include_deleted:
            raise UserError("error.deleted", number=row.number)
        item = await repo.full_snapshot(session, row)
        today = local_today(clock, group.settings.zone)
        change = ItemChange(session, group, row, item, actor, now, today, defaults=defaults)
        yield change
        await change.finish()


async def _locked_item(
    session: AsyncSession, group: GroupContext, number: int | None, extension_id: int | None
) -> ItemRow:
    """The item row, locked (after its ancestors) until the transaction ends.

    A UserError when there is none.
    """
    found = await _found_item(session, group, number, extension_id)
    await cascade.lock_ancestors(session, found)
    row = await repo.item_by_id(session, repo.item_id(found), lock=True)
    if row is None:  # found a moment ago, in this transaction: it cannot have gone
        raise RuntimeError("the item vanished while it was being locked")
    return row


async def _found_item(
    session: AsyncSession, group: GroupContext, number: int | None, extension_id: int | None
) -> ItemRow:
    """The item row, not locked yet; a UserError when there is none."""
    if extension_id is not None:
        row = await repo.item_of_extension(session, group.id, extension_id)
        if row is None:
            raise UserError("error.no_extension")
        return row
    if number is None:
        raise ValueError("an item is found by its number or by one of its extension requests")
    row = await repo.item_by_number(session, group.id, number)
    if row is None:
        raise UserError("error.no_item", number=number)
    return row
