"""Items and everything hanging off them: the only SQL about the ledger's content."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, func, update
from sqlalchemy.orm import Mapped, aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.items import (
    NO_CHANGE,
    Actor,
    CopyState,
    DueKind,
    EventChange,
    EventKind,
    EventView,
    ExtensionStatus,
    ExtensionView,
    ItemRef,
    ItemSnapshot,
    MeasureView,
    OwnerRef,
    ProgressView,
    Status,
)
from domain.transitions import ExtensionRequest, ItemState
from storage.event_json import decode_change, encode_change
from storage.groups import username_key
from storage.models import (
    EventRow,
    ExtensionRow,
    GroupRow,
    ItemRow,
    MeasureRow,
    OwnerRow,
    ProgressRow,
)

# The tables that hang off an item (each row has an ``item_id``).
_Child = TypeVar("_Child", OwnerRow, MeasureRow, ProgressRow, ExtensionRow, EventRow)


async def allocate_number(session: AsyncSession, group_id: int) -> int:
    """Take the group's next item number (never reused, even after deletion)."""
    # One atomic UPDATE … RETURNING: no read-modify-write that two transactions could interleave.
    taken = await session.exec(
        update(GroupRow)
        .where(col(GroupRow.id) == group_id)
        .values(next_number=col(GroupRow.next_number) + 1)
        .returning(col(GroupRow.next_number) - 1)
    )
    number: int = taken.scalar_one()
    return number


async def insert_item(
    session: AsyncSession,
    item: ItemRow,
    owners: Sequence[OwnerRef],
    measures: Sequence[str],
) -> ItemRow:
    """Store a new item with its owners and measures."""
    session.add(item)
    await session.flush()
    _add_owners(session, item, owners)
    _add_measures(session, item, measures)
    return item


def item_id(item: ItemRow) -> int:
    """The item's primary key (it must have been flushed)."""
    return _id(item)


def _id(item: ItemRow) -> int:
    if item.id is None:
        raise RuntimeError("item must be flushed before its id is used")
    return item.id


async def item_by_number(
    session: AsyncSession, group_id: int, number: int, *, lock: bool = False
) -> ItemRow | None:
    """The item ``#number`` of one group (never another group's)."""
    query = select(ItemRow).where(ItemRow.group_id == group_id, ItemRow.number == number)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(query)).first()


async def open_item_with_problem(session: AsyncSession, group_id: int, problem: str) -> int | None:
    """The number of an item of the group still open with exactly this 问题, if there is one."""
    query = (
        select(ItemRow.number)
        .where(
            ItemRow.group_id == group_id,
            ItemRow.problem == problem,
            col(ItemRow.deleted).is_(False),
            ItemRow.status != Status.CLOSED.value,
        )
        .order_by(col(ItemRow.number))
        .limit(1)
    )
    return (await session.exec(query)).first()


async def item_by_id(session: AsyncSession, item_id: int, *, lock: bool = False) -> ItemRow | None:
    """The item with primary key ``item_id`` (locked until the transaction ends, on request).

    A locked read refreshes a row read before in the transaction: what it holds now counts.
    """
    if not lock:
        return await session.get(ItemRow, item_id)
    query = select(ItemRow).where(ItemRow.id == item_id).with_for_update()
    return (await session.exec(query.execution_options(populate_existing=True))).first()


def _owner_row(item: ItemRow, position: int, owner: OwnerRef) -> OwnerRow:
    return OwnerRow(
        item_id=_id(item),
        position=position,
        name=owner.name,
        user_id=owner.user_id,
        username=owner.username,
        username_lower=username_key(owner.username),
    )


def _add_owners(
    session: AsyncSession, item: ItemRow, owners: Sequence[OwnerRef], first: int = 0
) -> None:
    session.add_all(_owner_row(item, first + n, owner) for n, owner in enumerate(owners))


def _add_measures(session: AsyncSession, item: ItemRow, measures: Sequence[str]) -> None:
    session.add_all(
        MeasureRow(item_id=_id(item), position=position, text=text)
        for position, text in enumerate(measures)
    )


async def replace_owners(session: AsyncSession, item: ItemRow, owners: Sequence[OwnerRef]) -> None:
    """Set the owners of an item (the event log keeps the old list)."""
    await session.exec(delete(OwnerRow).where(col(OwnerRow.item_id) == _id(item)))
    _add_owners(session, item, owners)


async def replace_measures(session: AsyncSession, item: ItemRow, measures: Sequence[str]) -> None:
    """Set the measures of an item."""
    await session.exec(delete(MeasureRow).where(col(MeasureRow.item_id) == _id(item)))
    _add_measures(session, item, measures)


def add_event(
    session: AsyncSession,
    item: ItemRow,
    kind: EventKind,
    actor_id: int,
    actor_name: str,
    now: datetime,
    change: EventChange = NO_CHANGE,
) -> None:
    """Append one line to the event log: what happened, by whom, and what changed."""
    session.add(
        EventRow(
            item_id=_id(item),
            group_id=item.group_id,
            kind=kind.value,
            actor_id=actor_id,
            actor_name=actor_name,
            change_json=encode_change(change),
            created_at=now,
        )
    )


def apply_state(item: ItemRow, state: ItemState) -> None:
    """Write the state a transition returned onto the item's row."""
    item.status = state.status.value
    item.deleted = state.deleted
    item.pending_since = state.pending_since
    item.closed_at = state.closed_at
    item.closed_by_name = state.closed_by_name
    item.return_count = state.return_count
    item.due_kind = state.due.kind.value
    item.due_date = state.due.day
    item.due_phrase = state.due_phrase
    item.original_due = state.original_due
    item.extension_count = state.extension_count


def add_progress(session: AsyncSession, row: ProgressRow) -> None:
    """Store a progress entry."""
    session.add(row)


async def add_extension(
    session: AsyncSession, item: ItemRow, request: ExtensionRequest, actor: Actor, now: datetime
) -> int:
    """Store a 延期申请 (waiting for a decision); returns its id."""
    row = ExtensionRow(
        item_id=_id(item),
        requested_by=actor.user_id,
        requested_name=actor.name,
        old_due=request.old_due,
        new_due=request.new_due,
        new_phrase=request.new_phrase,
        reason=request.reason,
        after_deadline=request.after_deadline,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    if row.id is None:
        raise RuntimeError("extension must be flushed before its id is used")
    return row.id


async def decide_extension(
    session: AsyncSession,
    extension_id: int,
    status: ExtensionStatus,
    decided_by: str,
    now: datetime,
) -> None:
    """Record an admin's answer to an extension request."""
    row = await session.get(ExtensionRow, extension_id)
    if row is None:
        raise LookupError(f"no extension request {extension_id}")
    row.status = status.value
    row.decided_by_name = decided_by
    row.decided_at = now
    session.add(row)


async def withdraw_extensions(
    session: AsyncSession, extension_ids: Collection[int], decided_by: str, now: datetime
) -> list[int]:
    """Mark these requests withdrawn; the ids of the messages that carried their buttons."""
    if not extension_ids:
        return []
    rows = await session.exec(
        select(ExtensionRow).where(
            col(ExtensionRow.id).in_(sorted(extension_ids)),
            col(ExtensionRow.status) == ExtensionStatus.WAITING.value,
        )
    )
    messages: list[int] = []
    for row in rows.all():
        row.status = ExtensionStatus.WITHDRAWN.value
        row.decided_by_name = decided_by
        row.decided_at = now
        session.add(row)
        if row.message_id is not None:
            messages.append(row.message_id)
    return messages


async def set_extension_message(
    session: AsyncSession, group_id: int, extension_id: int, message_id: int
) -> None:
    """Remember the message that carries a request's buttons (a request of this group only)."""
    in_group = select(ItemRow.id).where(col(ItemRow.group_id) == group_id)
    await session.exec(
        update(ExtensionRow)
        .where(col(ExtensionRow.id) == extension_id, col(ExtensionRow.item_id).in_(in_group))
        .values(message_id=message_id)
    )


async def item_of_extension(
    session: AsyncSession, group_id: int, extension_id: int, *, lock: bool = False
) -> ItemRow | None:
    """The item of this group that extension request ``extension_id`` belongs to."""
    query = (
        select(ItemRow)
        .join(ExtensionRow, col(ExtensionRow.item_id) == col(ItemRow.id))
        .where(ExtensionRow.id == extension_id, ItemRow.group_id == group_id)
    )
    if lock:
        query = query.with_for_update(of=ItemRow)
    return (await session.exec(query)).first()


def _owner_ref(row: OwnerRow) -> OwnerRef:
    return OwnerRef(name=row.name, user_id=row.user_id, username=row.username)


async def _latest_progress(
    session: AsyncSession, item_ids: Iterable[int]
) -> dict[int, ProgressView]:
    """The newest progress entry of each item (the highest id: entries are only appended)."""
    ids = list(item_ids)
    if not ids:
        return {}
    newest = (
        select(func.max(ProgressRow.id))
        .where(col(ProgressRow.item_id).in_(ids))
        .group_by(col(ProgressRow.item_id))
    )
    rows = await session.exec(select(ProgressRow).where(col(ProgressRow.id).in_(newest)))
    return {row.item_id: _progress_view(row) for row in rows.all()}


def _progress_view(row: ProgressRow) -> ProgressView:
    return ProgressView(
        author=row.author_name,
        text=row.text,
        at=row.created_at,
        file_id=row.file_id,
        file_kind=row.file_kind,
        kind=row.kind,
    )


def to_snapshot(
    row: ItemRow,
    owners: Sequence[OwnerRef] = (),
    measures: Sequence[MeasureView] = (),
    progress: Sequence[ProgressView] = (),
    extensions: Sequence[ExtensionView] = (),
    events: Sequence[EventView] = (),
    group_title: str = "",
) -> ItemSnapshot:
    """Turn a row and its children into the domain's read model."""
    return ItemSnapshot(
        id=_id(row),
        group_id=row.group_id,
        number=row.number,
        problem=row.problem,
        status=Status(row.status),
        due_kind=DueKind(row.due_kind),
        due=row.due_date,
        due_phrase=row.due_phrase,
        created_at=row.created_at,
        created_by=row.created_by,
        created_by_name=row.created_by_name,
        category=row.category,
        unit=row.unit,
        lead=row.lead,
        source=row.source,
        detail=row.detail,
        original_due=row.original_due,
        deleted=row.deleted,
        return_count=row.return_count,
        extension_count=row.extension_count,
        closed_at=row.closed_at,
        closed_by_name=row.closed_by_name,
        pending_since=row.pending_since,
        owners=tuple(owners),
        measures=tuple(measures),
        progress=tuple(progress),
        extensions=tuple(extensions),
        events=tuple(events),
        group_title=group_title,
        parent_item_id=row.parent_item_id,
    )


async def full_snapshot(session: AsyncSession, row: ItemRow) -> ItemSnapshot:
    """Everything about one item: owners, measures, progress, extensions and history."""
    return (await full_snapshots(session, [row]))[0]


def extension_view(row: ExtensionRow) -> ExtensionView:
    """An extension request as the domain's read model."""
    if row.id is None:
        raise RuntimeError("extension must be flushed")
    return ExtensionView(
        id=row.id,
        requested_by=row.requested_name,
        old_due=row.old_due,
        new_due=row.new_due,
        new_phrase=row.new_phrase,
        reason=row.reason,
        status=row.status,
        after_deadline=row.after_deadline,
        at=row.created_at,
    )


async def snapshots(
    session: AsyncSession,
    rows: Sequence[ItemRow],
    *,
    with_latest_progress: bool = False,
    titles: dict[int, str] | None = None,
) -> list[ItemSnapshot]:
    """Light snapshots (owners, and optionally the latest progress) for many items at once."""
    ids = [_id(row) for row in rows]
    owners = await _children(session, ids, OwnerRow, col(OwnerRow.position))
    latest = await _latest_progress(session, ids) if with_latest_progress else {}
    return [
        to_snapshot(
            row,
            owners=[_owner_ref(o) for o in owners[_id(row)]],
            progress=[latest[_id(row)]] if _id(row) in latest else [],
            group_title=(titles or {}).get(row.group_id, ""),
        )
        for row in rows
    ]


async def full_snapshots(session: AsyncSession, rows: Sequence[ItemRow]) -> list[ItemSnapshot]:
    """Owners, measures, progress, extensions and history of many items in a few queries."""
    ids = [_id(row) for row in rows]
    owners = await _children(session, ids, OwnerRow, col(OwnerRow.position))
    measures = await _children(session, ids, MeasureRow, col(MeasureRow.position))
    progress = await _children(
        session, ids, ProgressRow, col(ProgressRow.created_at), col(ProgressRow.id)
    )
    extensions = await _children(session, ids, ExtensionRow, col(ExtensionRow.id))
    events = await _children(session, ids, EventRow, col(EventRow.id))
    origins = await _origins(session, rows)
    copies = await copies_of(session, ids)
    return [
        replace(
            to_snapshot(
                row,
                owners=[_owner_ref(o) for o in owners[_id(row)]],
                measures=[MeasureView(m.text, m.done) for m in measures[_id(row)]],
                progress=[_progress_view(p) for p in progress[_id(row)]],
                extensions=[extension_view(e) for e in extensions[_id(row)]],
                events=[_event_view(e) for e in events[_id(row)]],
            ),
            origin=origins.get(_id(row)),
            copies=tuple(copies.get(_id(row), ())),
        )
        for row in rows
    ]


async def _origins(session: AsyncSession, rows: Sequence[ItemRow]) -> dict[int, ItemRef]:
    """The committee item each dispatched copy came from (by the copy's id)."""
    wanted = {_id(row): row.parent_item_id for row in rows if row.parent_item_id is not None}
    if not wanted:
        return {}
    found = await session.exec(
        select(ItemRow.id, ItemRow.number, GroupRow.title, GroupRow.name_override)
        .join(GroupRow, col(GroupRow.id) == col(ItemRow.group_id))
        .where(col(ItemRow.id).in_(set(wanted.values())))
    )
    refs = {
        item_id: ItemRef(override or title, number) for item_id, number, title, override in found
    }
    return {copy: refs[parent] for copy, parent in wanted.items() if parent in refs}


async def copies_of(session: AsyncSession, item_ids: Sequence[int]) -> dict[int, list[CopyState]]:
    """The copies of these items in the groups still linked below the item's group.

    A copy in a branch that was unlinked since is left out: the committee no longer sees it.
    """
    found: dict[int, list[CopyState]] = defaultdict(list)
    if not item_ids:
        return found
    parent = aliased(ItemRow)
    rows = await session.exec(
        select(ItemRow, GroupRow)
        .join(GroupRow, col(GroupRow.id) == col(ItemRow.group_id))
        .join(parent, col(parent.id) == col(ItemRow.parent_item_id))
        .where(
            col(ItemRow.parent_item_id).in_(list(item_ids)),
            col(GroupRow.parent_id) == col(parent.group_id),
        )
        .order_by(col(GroupRow.id), col(ItemRow.number))
    )
    for copy, group in rows.all():
        state = CopyState(
            group_id=copy.group_id,
            group_title=group.name_override or group.title,
            number=copy.number,
            status=Status(copy.status),
            deleted=copy.deleted,
        )
        found[copy.parent_item_id or 0].append(state)
    return found


async def _children(
    session: AsyncSession, item_ids: Sequence[int], table: type[_Child], *order: Mapped[Any]
) -> dict[int, list[_Child]]:
    """The rows of ``table`` that belong to these items, by item, in ``order``."""
    found: dict[int, list[_Child]] = defaultdict(list)
    if not item_ids:
        return found
    rows = await session.exec(
        select(table).where(col(table.item_id).in_(list(item_ids))).order_by(*order)
    )
    for row in rows.all():
        found[row.item_id or 0].append(row)  # EventRow's item is optional, never here
    return found


def _event_view(row: EventRow) -> EventView:
    return EventView(
        EventKind(row.kind), row.actor_name, row.created_at, decode_change(row.change_json)
    )


async def items_of_groups(
    session: AsyncSession,
    group_ids: Sequence[int],
    *,
    statuses: Collection[str] | None = None,
    include_deleted: bool = False,
) -> Sequence[ItemRow]:
    """Items of the given groups, optionally only those in ``statuses`` (deleted on request)."""
    query = select(ItemRow).where(col(ItemRow.group_id).in_(list(group_ids)))
    if statuses is not None:
        query = query.where(col(ItemRow.status).in_(list(statuses)))
    if not include_deleted:
        query = query.where(col(ItemRow.deleted).is_(False))
    return (await session.exec(query.order_by(col(ItemRow.group_id), col(ItemRow.number)))).all()


async def item_ids_owned_by(session: AsyncSession, user_id: int) -> set[int]:
    """Ids of items whose owners include ``user_id``."""
    rows = await session.exec(select(OwnerRow.item_id).where(OwnerRow.user_id == user_id))
    return set(rows.all())


async def items_by_ids(session: AsyncSession, item_ids: Iterable[int]) -> Sequence[ItemRow]:
    """Items by primary key, not deleted."""
    ids = list(item_ids)
    if not ids:
        return []
    rows = await session.exec(
        select(ItemRow)
        .where(col(ItemRow.id).in_(ids), col(ItemRow.deleted).is_(False))
        .order_by(col(ItemRow.group_id), col(ItemRow.number))
    )
    return rows.all()


async def set_measures_done(
    session: AsyncSession, item_id: int, positions: Collection[int], *, done: bool = True
) -> None:
    """Tick (or untick) the measures at ``positions`` (0-based) of an item."""
    if not positions:
        return
    await session.exec(
        update(MeasureRow)
        .where(col(MeasureRow.item_id) == item_id, col(MeasureRow.position).in_(list(positions)))
        .values(done=done)
    )
