"""Groups, users and memberships: the only SQL about who is where."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.items import EventChange, EventKind
from domain.people import SeenUser
from storage.engine import upsert_insert
from storage.event_json import encode_change
from storage.models import EventRow, GroupRow, ItemRow, MembershipRow, OwnerRow, UserRow
from storage.outbox import chunks


async def group_by_chat(session: AsyncSession, chat_id: int) -> GroupRow | None:
    """The group of a Telegram chat, if known."""
    result = await session.exec(select(GroupRow).where(GroupRow.chat_id == chat_id))
    return result.first()


async def groups_by_ids(session: AsyncSession, ids: Iterable[int]) -> dict[int, GroupRow]:
    """The groups with these primary keys (one query), by id; unknown ids are left out."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.exec(select(GroupRow).where(col(GroupRow.id).in_(wanted)))
    return {_group_id(row): row for row in rows.all()}


def _group_id(group: GroupRow) -> int:
    if group.id is None:
        raise RuntimeError("group must be flushed before its id is used")
    return group.id


async def ensure_group(
    session: AsyncSession, chat_id: int, title: str, chat_type: str, now: datetime
) -> GroupRow:
    """The group of a chat as stored, created first if the chat is new."""
    group = await group_by_chat(session, chat_id)
    if group is not None:
        return group
    # Another instance may be creating it right now: insert unless it exists, then read it.
    await session.exec(
        upsert_insert(session)(GroupRow)
        .values(
            chat_id=chat_id,
            title=title,
            chat_type=chat_type,
            settings_json="{}",
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["chat_id"])
    )
    group = await group_by_chat(session, chat_id)
    if group is None:
        raise RuntimeError(f"group of chat {chat_id} was neither inserted nor found")
    return group


async def upsert_group(
    session: AsyncSession, chat_id: int, title: str, chat_type: str, now: datetime
) -> GroupRow:
    """Create the group of a chat, or refresh its title and mark it active."""
    group = await ensure_group(session, chat_id, title, chat_type, now)
    group.title = title or group.title
    group.chat_type = chat_type or group.chat_type
    group.active = True
    group.updated_at = now
    session.add(group)
    await session.flush()
    return group


async def set_group_active(
    session: AsyncSession, chat_id: int, active: bool, now: datetime
) -> None:
    """Mark a group active or inactive (data is kept either way)."""
    group = await group_by_chat(session, chat_id)
    if group is not None:
        group.active = active
        group.updated_at = now
        session.add(group)


async def move_group(
    session: AsyncSession, old_chat_id: int, new_chat_id: int, now: datetime
) -> bool:
    """Point a group at its new chat id after a supergroup upgrade; False if already moved."""
    group = await group_by_chat(session, old_chat_id)
    if group is None or await group_by_chat(session, new_chat_id) is not None:
        return False
    group.chat_id = new_chat_id
    group.chat_type = "supergroup"
    group.updated_at = now
    session.add(group)
    return True


async def save_group_settings(
    session: AsyncSession, group: GroupRow, overrides: dict[str, Any], now: datetime
) -> None:
    """Store a group's setting overrides."""
    group.settings_json = json.dumps(overrides, ensure_ascii=False, sort_keys=True)
    group.updated_at = now
    session.add(group)


def username_key(username: str | None) -> str | None:
    """How @usernames are compared and indexed: Telegram ignores their case."""
    return username.lower() if username else None


async def remember_user(session: AsyncSession, user: SeenUser, now: datetime) -> bool:
    """Insert or refresh a user's username and name; True if the user is new or changed."""
    profile = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language_code": user.language_code,
    }
    insert = upsert_insert(session)(UserRow)
    # One statement, so that two instances seeing a new user at once both succeed; an
    # unchanged profile is not rewritten, and RETURNING then yields no row.
    changed = or_(*(insert.table.c[key].is_distinct_from(insert.excluded[key]) for key in profile))
    stored = {**profile, "username_lower": username_key(user.username), "updated_at": now}
    statement = (
        insert.values(user_id=user.user_id, **stored)
        .on_conflict_do_update(index_elements=["user_id"], set_=stored, where=changed)
        .returning(col(UserRow.user_id))
    )
    return (await session.exec(statement)).first() is not None


async def mark_private_started(session: AsyncSession, user_id: int, started: bool) -> None:
    """Record that a user opened (or blocked) a private chat with the bot."""
    await session.exec(
        update(UserRow)
        .where(col(UserRow.user_id) == user_id)
        .values(private_started=started, blocked=not started)
    )


async def remember_membership(
    session: AsyncSession, group_id: int, user_id: int, now: datetime
) -> bool:
    """Record that a user was seen in a group; True the first time they are seen there."""
    touched = await session.exec(
        update(MembershipRow)
        .where(col(MembershipRow.group_id) == group_id, col(MembershipRow.user_id) == user_id)
        .values(last_seen_at=now)
    )
    if touched.rowcount:
        return False
    inserted = await session.exec(
        upsert_insert(session)(MembershipRow)
        .values(group_id=group_id, user_id=user_id, last_seen_at=now)
        .on_conflict_do_nothing(index_elements=["group_id", "user_id"])
        .returning(col(MembershipRow.id))
    )
    return inserted.first() is not None


async def member_by_username(session: AsyncSession, group_id: int, username: str) -> UserRow | None:
    """A user seen in the group whose @username matches (case-insensitive)."""
    result = await session.exec(
        select(UserRow)
        .join(MembershipRow, col(MembershipRow.user_id) == col(UserRow.user_id))
        .where(
            MembershipRow.group_id == group_id,
            UserRow.username_lower == username_key(username),
        )
    )
    return result.first()


async def members_of(session: AsyncSession, group_id: int) -> Sequence[UserRow]:
    """Every user seen writing in the group."""
    result = await session.exec(
        select(UserRow)
        .join(MembershipRow, col(MembershipRow.user_id) == col(UserRow.user_id))
        .where(MembershipRow.group_id == group_id)
        .order_by(col(UserRow.user_id))
    )
    return result.all()


async def groups_of_user(session: AsyncSession, user_id: int) -> Sequence[GroupRow]:
    """Active groups in which a user has been seen."""
    result = await session.exec(
        select(GroupRow)
        .join(MembershipRow, col(MembershipRow.group_id) == col(GroupRow.id))
        .where(MembershipRow.user_id == user_id, col(GroupRow.active))
        .order_by(col(GroupRow.id))
    )
    return result.all()


async def link_pending_owners(
    session: AsyncSession, group_id: int, user: SeenUser, now: datetime
) -> list[int]:
    """Attach a user to owner rows that named their @username (logged); returns the item ids."""
    if not user.username:
        return []
    result = await session.exec(
        select(OwnerRow)
        .join(ItemRow, col(ItemRow.id) == col(OwnerRow.item_id))
        .where(
            ItemRow.group_id == group_id,
            col(OwnerRow.user_id).is_(None),
            OwnerRow.username_lower == username_key(user.username),
        )
    )
    linked: list[int] = []
    for owner in result.all():
        owner.user_id = user.user_id
        owner.name = user.display_name or owner.name
        session.add(owner)
        session.add(
            EventRow(
                item_id=owner.item_id,
                group_id=group_id,
                kind=EventKind.OWNER_LINKED.value,
                actor_id=user.user_id,
                actor_name=owner.name,
                change_json=encode_change(EventChange(username=user.username)),
                created_at=now,
            )
        )
        linked.append(owner.item_id)
    return linked


async def language_code_of(session: AsyncSession, user_id: int) -> str:
    """The language code the user's Telegram client reported ("" when unknown)."""
    row = await session.get(UserRow, user_id)
    return row.language_code if row is not None else ""


async def reachable_users(session: AsyncSession, user_ids: Collection[int]) -> set[int]:
    """The users among ``user_ids`` who pressed /start privately and have not blocked the bot."""
    found: set[int] = set()
    for chunk in chunks(sorted(set(user_ids))):
        rows = await session.exec(
            select(UserRow.user_id).where(
                col(UserRow.user_id).in_(chunk),
                col(UserRow.private_started).is_(True),
                col(UserRow.blocked).is_(False),
            )
        )
        found.update(rows.all())
    return found
