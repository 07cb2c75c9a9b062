"""Owners as typed → owners as stored: @usernames linked to the members seen in the group."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.items import OwnerRef
from domain.people import SeenUser
from storage import groups as group_repo


async def resolve_owners(
    session: AsyncSession, group_id: int, owners: Sequence[OwnerRef]
) -> list[OwnerRef]:
    """Link each @username to a member seen in this group; unknown ones stay pending."""
    resolved: list[OwnerRef] = []
    for owner in owners:
        if owner.user_id is None and owner.username:
            user = await group_repo.member_by_username(session, group_id, owner.username)
            if user is not None:
                seen = SeenUser(user.user_id, user.first_name, user.last_name, user.username)
                owner = OwnerRef(seen.display_name or owner.name, user.user_id, user.username)
        resolved.append(owner)
    return resolved


MIN_NAME_LENGTH = 2  # a one-character name (张) would match too many words


async def members_by_name(session: AsyncSession, group_id: int) -> dict[str, OwnerRef]:
    """The group's members by display name (李四 → the user), but for names two of them share."""
    found: dict[str, OwnerRef] = {}
    shared: set[str] = set()
    for user in await group_repo.members_of(session, group_id):
        seen = SeenUser(user.user_id, user.first_name, user.last_name, user.username)
        name = seen.display_name.strip()
        if len(name) < MIN_NAME_LENGTH:
            continue
        if name in found:
            shared.add(name)
        found[name] = OwnerRef(name, user.user_id, user.username)
    return {name: owner for name, owner in found.items() if name not in shared}
