"""交办: a committee hands an item down to its branches, and the branches' 销号 flows back up.

Each branch named gets its own copy of the item, numbered in the branch, pointing back at the
committee's item (``items.parent_item_id``); the branch group is told and asked to claim it.
The committee's item shows each branch's state on its card, and closes itself once every branch
has closed its copy; an admin of the committee may also accept it directly, which closes the
copies still open (both in the unit of work: :mod:`services.cascade`).

Choices the issue left open, written down here:

* Items are dispatched to the groups linked directly below (a branch that has branches of its
  own may dispatch its copy further down). A copy gets the item's problem, detail, category,
  measures, lead and deadline; its 责任单位 is the branch itself, and its owners are left for
  the branch to claim (the committee's owners are committee people).
* A branch that already holds a copy is not sent a second one; a branch the bot was removed
  from gets none (both are said in the answer). Dispatching needs an admin of the committee;
  a member's ``/problem … 责任单位: 第一党支部`` registers the item and says an admin can
  ``/dispatch`` it.
* A copy deleted by its branch no longer counts; a copy in a branch unlinked since no longer
  counts either (the committee no longer sees it).
* A branch reopening its copy reopens the committee's item if it had closed.
* ``/problem … 责任单位: 第一党支部`` registers the item and its copies in one transaction
  (:func:`dispatch_by_unit`): both exist, or neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from domain import transitions
from domain.clock import Clock
from domain.errors import UserError
from domain.groups import GroupContext
from domain.import_drafts import DraftItem
from domain.items import (
    Actor,
    EventChange,
    EventKind,
    ItemSnapshot,
    MeasureView,
    require_admin,
)
from domain.outcomes import Dispatch, DispatchedCopy, Outcome
from domain.settings import GroupSettings
from domain.tree import Branch, NameMatch, match_units, split_units
from i18n import t
from services.creation import Origin, create_item
from services.groups import group_context
from services.item_change import ItemChange, change_item
from storage import items as item_repo
from storage import tree as tree_repo
from storage.database import Database
from storage.models import GroupRow, ItemRow


def copy_draft(item: ItemSnapshot, branch_title: str) -> DraftItem:
    """What a branch's copy of an item starts with (no owners: the branch claims it)."""
    return DraftItem(
        problem=item.problem,
        detail=item.detail,
        category=item.category,
        measures=tuple(MeasureView(m.text) for m in item.measures),
        lead=item.lead,
        unit=branch_title,
        due_kind=item.due_kind,
        due=item.due,
        due_phrase=item.due_phrase,
    )


class DispatchService:
    """``/dispatch`` and dispatching by 责任单位 (the handlers tell the branches)."""

    def __init__(self, db: Database, clock: Clock, defaults: GroupSettings) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults

    def _change(
        self, chat_id: int, actor: Actor, number: int
    ) -> AbstractAsyncContextManager[ItemChange]:
        return change_item(self._db, self._clock, self._defaults, chat_id, actor, number)

    async def dispatch(self, chat_id: int, actor: Actor, number: int, names: str) -> Dispatch:
        """``/dispatch N 第一党支部 第二党支部``: a copy for each branch named (admin)."""
        require_admin(actor, "dispatch")
        if not split_units(names):
            raise UserError("tree.error.dispatch_usage", number=number)
        async with self._change(chat_id, actor, number) as change:
            rows = await self._branch_rows(change)
            matches = match_units(names, [_branch(row) for row in rows])
            chosen = _chosen(matches, rows)
            if not chosen and not any(m.ambiguous for m in matches):
                raise UserError("tree.error.no_branch_named", names=names, branches=_titles(rows))
            result = await self._hand_down(change, chosen)
        return _finished(result, change.outcome, matches)

    async def dispatch_to(
        self,
        chat_id: int,
        actor: Actor,
        number: int,
        group_id: int,
        pending: Sequence[tuple[str, int]] = (),
    ) -> Dispatch:
        """The branch chosen with a button after an ambiguous name (admin).

        ``pending`` are the other names' candidates (name, group id) still offered: they stay
        asked.
        """
        require_admin(actor, "dispatch")
        async with self._change(chat_id, actor, number) as change:
            branches = await self._branch_rows(change)
            rows = [row for row in branches if row.id == group_id]
            if not rows:
                raise UserError("tree.error.branch_gone")
            result = await self._hand_down(change, rows)
        return _finished(result, change.outcome, _still_asked(pending, branches))

    async def _branch_rows(self, change: ItemChange) -> list[GroupRow]:
        """The groups directly below; refuses when there are none or the item is not active."""
        transitions.require_active(change.item)
        rows = await tree_repo.branches_of(change.session, change.group.id)
        if not rows:
            raise UserError("tree.error.no_branches")
        return rows

    async def _hand_down(self, change: ItemChange, rows: Sequence[GroupRow]) -> HandedDown:
        """Create a copy in each branch named that has none yet, logged on the item."""
        handed = await hand_down(
            change.session, change.group, change.item, change.actor, change.now, rows,
            self._defaults,
        )  # fmt: skip
        if handed.copies:
            titles = tuple(c.branch.title for c in handed.copies)
            change.log(EventKind.DISPATCHED, EventChange(groups=titles))
        return handed


@dataclass
class HandedDown:
    """What handing one item down created (and did not), in the committee's group."""

    group: GroupContext
    item: ItemSnapshot
    copies: list[DispatchedCopy] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)


def _branch(row: GroupRow) -> Branch:
    if row.id is None:
        raise RuntimeError("group must be flushed")
    return Branch(row.id, row.name_override or row.title or str(row.chat_id))


def _titles(rows: Sequence[GroupRow]) -> tuple[str, ...]:
    return tuple(_branch(row).title for row in rows)


def _chosen(matches: Sequence[NameMatch], rows: Sequence[GroupRow]) -> list[GroupRow]:
    """The branches named unambiguously, each once, in the order of the tree."""
    ids = {m.branch.group_id for m in matches if m.branch is not None}
    return [row for row in rows if row.id in ids]


def _still_asked(pending: Sequence[tuple[str, int]], rows: Sequence[GroupRow]) -> list[NameMatch]:
    """The questions not answered yet: each name with its offered branches that still exist."""
    by_id = {row.id: _branch(row) for row in rows}
    asked: dict[str, list[Branch]] = {}
    for name, group_id in pending:
        if group_id in by_id:
            asked.setdefault(name, []).append(by_id[group_id])
    return [NameMatch(name, tuple(branches)) for name, branches in asked.items()]


def _finished(result: HandedDown, outcome: Outcome, matches: Sequence[NameMatch]) -> Dispatch:
    return Dispatch(
        outcome=outcome,
        copies=tuple(result.copies),
        already=tuple(result.already),
        unreachable=tuple(result.unreachable),
        unmatched=tuple(m.typed for m in matches if not m.branches),
        ambiguous=tuple(m for m in matches if m.ambiguous),
    )


async def dispatch_by_unit(
    session: AsyncSession,
    group: GroupContext,
    row: ItemRow,
    actor: Actor,
    now: datetime,
    defaults: GroupSettings,
) -> HandedByUnit | None:
    """A new item whose 责任单位 names branches: handed down to them, in the caller's transaction.

    None when the group has no branches or the unit names none of them; a member's item is
    not handed down (an admin may ``/dispatch`` it).
    """
    rows = await tree_repo.branches_of(session, group.id)
    matches = match_units(row.unit, [_branch(branch) for branch in rows])
    if not rows or not any(m.branches for m in matches):
        return None
    await session.flush()
    item = await item_repo.full_snapshot(session, row)
    if not actor.is_admin:
        return HandedByUnit(HandedDown(group, item), (), admin_needed=True)
    handed = await hand_down(session, group, item, actor, now, _chosen(matches, rows), defaults)
    if handed.copies:
        titles = tuple(c.branch.title for c in handed.copies)
        event = EventChange(groups=titles)
        item_repo.add_event(
            session, row, EventKind.DISPATCHED, actor.user_id, actor.name, now, event
        )
    return HandedByUnit(handed, tuple(matches))


@dataclass(frozen=True)
class HandedByUnit:
    """What a new item's 责任单位 handed down, before the item is read back."""

    handed: HandedDown
    matches: tuple[NameMatch, ...]
    admin_needed: bool = False

    def dispatch(self, outcome: Outcome) -> Dispatch:
        """The answer's account of it, with the item as registered."""
        if self.admin_needed:
            return Dispatch(outcome, admin_needed=True)
        return _finished(self.handed, outcome, self.matches)


async def hand_down(
    session: AsyncSession,
    group: GroupContext,
    item: ItemSnapshot,
    actor: Actor,
    now: datetime,
    rows: Sequence[GroupRow],
    defaults: GroupSettings,
) -> HandedDown:
    """A copy of ``item`` in each branch of ``rows`` that has none yet (in one transaction).

    Branches holding a copy already, or that the bot was removed from, get none (and are
    named). The caller logs the dispatch on the committee's item.
    """
    held = await tree_repo.copy_group_ids(session, item.id)
    result = HandedDown(group, item)
    for row in rows:
        branch = group_context(row, defaults)
        if branch.id in held:
            result.already.append(branch.title)
        elif not branch.active:
            result.unreachable.append(branch.title)
        else:
            copy = await _create_copy(session, group, item, actor, now, branch)
            result.copies.append(DispatchedCopy(branch, copy))
    return result


async def _create_copy(
    session: AsyncSession,
    group: GroupContext,
    item: ItemSnapshot,
    actor: Actor,
    now: datetime,
    branch: GroupContext,
) -> ItemSnapshot:
    """The branch's own item for the committee's item, numbered in the branch."""
    source = t(branch.lang, "tree.source", group=group.title, number=item.number)
    origin = Origin(item.id, group.title, item.number)
    row = await create_item(
        session, branch.id, actor, copy_draft(item, branch.title), now,
        source=source, origin=origin,
    )  # fmt: skip
    await session.flush()
    return await item_repo.full_snapshot(session, row)
