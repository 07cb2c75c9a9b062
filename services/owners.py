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
