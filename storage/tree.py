"""The committee → branch tree: the only SQL about parents, branches, link codes and copies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.items import Actor, EventChange, EventKind
from domain.tree import LinkCode
from storage.event_json import encode_change
from storage.models import EventRow, GroupRow, ItemRow, LinkCodeRow


async def parent_map(session: AsyncSession) -> dict[int, int | None]:
    """Every group's parent (group id → parent id, None at the top): the whole tree."""
    rows = await session.exec(select(GroupRow.id, GroupRow.parent_id))
    return {group_id: parent_id for group_id, parent_id in rows.all() if group_id is not None}


async def groups_in(session: AsyncSession, group_ids: Sequence[int]) -> list[GroupRow]:
    """These groups, in the order of ``group_ids``."""
    if not group_ids:
        return []
    rows = await session.exec(select(GroupRow).where(col(GroupRow.id).in_(list(group_ids))))
    by_id = {row.id: row for row in rows.all()}
    return [by_id[group_id] for group_id in group_ids if group_id in by_id]


async def branches_of(session: AsyncSession, group_id: int) -> list[GroupRow]:
    """The groups linked directly below ``group_id``, oldest link first (by id)."""
    rows = await session.exec(
        select(GroupRow).where(GroupRow.parent_id == group_id).order_by(col(GroupRow.id))
    )
    return list(rows.all())


def set_parent(group: GroupRow, parent_id: int | None, now: datetime) -> None:
    """Link ``group`` below ``parent_id`` (or unlink it with None)."""
    group.parent_id = parent_id
    group.updated_at = now


# --- link codes ----------------------------------------------------------------------------------


async def add_link_code(
    session: AsyncSession, code: str, parent_group_id: int, actor: Actor, now: datetime,
    expires_at: datetime,
) -> None:  # fmt: skip
    """Store a new one-time code for linking a branch below ``parent_group_id``."""
    session.add(
        LinkCodeRow(
            code=code,
            parent_group_id=parent_group_id,
            created_by=actor.user_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def link_code(session: AsyncSession, code: str) -> LinkCodeRow | None:
    """The stored code, locked until the transaction ends (two /join of one code: one wins)."""
    rows = await session.exec(select(LinkCodeRow).where(LinkCodeRow.code == code).with_for_update())
    return rows.first()


def link_code_value(row: LinkCodeRow | None) -> LinkCode | None:
    """The domain's view of a stored code."""
    if row is None:
        return None
    return LinkCode(row.code, row.parent_group_id, row.expires_at, row.used_at)


def use_link_code(row: LinkCodeRow, group_id: int, now: datetime) -> None:
    """Mark a code used by ``group_id`` (it never works again)."""
    row.used_at = now
    row.used_by_group_id = group_id


# --- the group's own events and the items dispatched ---------------------------------------------


def add_group_event(
    session: AsyncSession, group_id: int, kind: EventKind, actor: Actor, now: datetime,
    change: EventChange,
) -> None:  # fmt: skip
    """Append an event of the group itself (no item) to the event log."""
    session.add(
        EventRow(
            item_id=None,
            group_id=group_id,
            kind=kind.value,
            actor_id=actor.user_id,
            actor_name=actor.name,
            change_json=encode_change(change),
            created_at=now,
        )
    )


async def copy_group_ids(session: AsyncSession, parent_item_id: int) -> set[int]:
    """The groups that already hold a copy of an item (not deleted)."""
    rows = await session.exec(
        select(ItemRow.group_id).where(
            ItemRow.parent_item_id == parent_item_id, col(ItemRow.deleted).is_(False)
        )
    )
    return set(rows.all())


async def live_copy_number(
    session: AsyncSession, parent_item_id: int, group_id: int, other_than: int
) -> int | None:
    """The number of a copy of the item in this group, not deleted, other than ``other_than``."""
    rows = await session.exec(
        select(ItemRow.number).where(
            ItemRow.parent_item_id == parent_item_id,
            ItemRow.group_id == group_id,
            ItemRow.id != other_than,
            col(ItemRow.deleted).is_(False),
        )
    )
    return rows.first()


async def copies_for_update(session: AsyncSession, parent_item_id: int) -> list[ItemRow]:
    """The copies of an item (deleted ones too), locked, by id: they follow the item."""
    rows = await session.exec(
        select(ItemRow)
        .where(ItemRow.parent_item_id == parent_item_id)
        .order_by(col(ItemRow.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(rows.all())


async def lock_groups(session: AsyncSession, group_ids: Sequence[int]) -> list[GroupRow]:
    """These groups, locked one by one in id order (two links at once wait for each other)."""
    rows = []
    for group_id in sorted(set(group_ids)):
        query = select(GroupRow).where(GroupRow.id == group_id).with_for_update()
        row = (await session.exec(query.execution_options(populate_existing=True))).first()
        if row is not None:
            rows.append(row)
    return rows
