"""Owners as typed → owners as stored: linked to the members seen in the group.

The rule is :mod:`domain.members`'s, the same for ``/problem``, ``/assign`` and ``/import``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.items import OwnerRef
from domain.members import Members, link_all
from domain.people import SeenUser
from storage import groups as group_repo


async def group_members(session: AsyncSession, group_id: int) -> Members:
    """The users seen writing in the group."""
    return Members.of(
        SeenUser(user.user_id, user.first_name, user.last_name, user.username)
        for user in await group_repo.members_of(session, group_id)
    )


async def resolve_owners(
    session: AsyncSession, group_id: int, owners: Sequence[OwnerRef]
) -> list[OwnerRef]:
    """Link each @username or display name to a member; unknown @usernames stay pending."""
    if all(owner.user_id is not None for owner in owners):
        return list(owners)
    return link_all(owners, await group_members(session, group_id))


async def members_by_name(session: AsyncSession, group_id: int) -> Mapping[str, OwnerRef]:
    """The group's members by display name (李四 → the user), but for names two of them share."""
    return (await group_members(session, group_id)).by_display_name()
