"""Groups, members and settings: who is where, and how each group is configured."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.clock import Clock, local_today
from domain.errors import UserError
from domain.groups import GroupContext
from domain.items import Actor, require_admin
from domain.people import SeenUser, shown_title
from domain.settings import (
    GroupSettings,
    apply_overrides,
    encode_setting,
    parse_setting,
    setting_key,
)
from domain.workdays import PACKAGE_CALENDAR, HolidayCalendar
from storage import groups as repo
from storage.database import Database
from storage.models import GroupRow

log = logging.getLogger(__name__)

GROUP_TYPES = ("group", "supergroup")


def group_context(row: GroupRow, defaults: GroupSettings) -> GroupContext:
    """Combine a stored group with the deployment defaults."""
    if row.id is None:
        raise RuntimeError("group must be flushed")
    overrides: dict[str, Any] = json.loads(row.settings_json or "{}")
    settings = apply_overrides(defaults, overrides)
    return GroupContext(
        id=row.id,
        chat_id=row.chat_id,
        title=row.name_override or row.title or str(row.chat_id),
        settings=settings,
        active=row.active,
        parent_id=row.parent_id,
    )


async def load_group(session: AsyncSession, chat_id: int, defaults: GroupSettings) -> GroupContext:
    """The group of a chat; a UserError when the command was used outside a known group."""
    row = await repo.group_by_chat(session, chat_id)
    if row is None:
        raise UserError("error.group_only")
    return group_context(row, defaults)


class GroupService:
    """Records groups and members as updates arrive; reads and changes group settings."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        defaults: GroupSettings,
        calendar: HolidayCalendar = PACKAGE_CALENDAR,
    ) -> None:
        self._db = db
        self._clock = clock
        self.defaults = defaults
        self.calendar = calendar

    def unknown_holiday_years(self, group: GroupContext) -> list[int]:
        """This year and next in the group's time zone, when their holidays are not known."""
        return self.calendar.unknown_years(local_today(self._clock, group.settings.zone))

    async def seen(
        self, chat_id: int, chat_type: str, title: str, user: SeenUser | None
    ) -> list[int]:
        """Record a chat and the user who wrote in it; returns items newly linked to the user."""
        now, title = self._clock.now(), shown_title(title)
        async with self._db.transaction() as session:
            changed = user is not None and await repo.remember_user(session, user, now)
            if chat_type not in GROUP_TYPES:
                return []
            group = await repo.ensure_group(session, chat_id, title, chat_type, now)
            if user is None or group.id is None:
                return []
            joined = await repo.remember_membership(session, group.id, user.user_id, now)
            # A pending @username can only match someone new here or whose profile (username)
            # changed: a member already known under it was linked when the item was made.
            if not (joined or changed):
                return []
            return await repo.link_pending_owners(session, group.id, user, now)

    async def bot_added(self, chat_id: int, chat_type: str, title: str) -> GroupContext:
        """The bot joined a group (or was re-added): record it as active."""
        async with self._db.transaction() as session:
            now, title = self._clock.now(), shown_title(title)
            row = await repo.upsert_group(session, chat_id, title, chat_type, now)
            return group_context(row, self.defaults)

    async def bot_removed(self, chat_id: int) -> None:
        """The bot left or was removed: stop posting there, keep the data."""
        async with self._db.transaction() as session:
            await repo.set_group_active(session, chat_id, False, self._clock.now())
        log.info("group %s marked inactive", chat_id)

    async def migrated(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A group became a supergroup: its ledger follows the new chat id."""
        async with self._db.transaction() as session:
            moved = await repo.move_group(session, old_chat_id, new_chat_id, self._clock.now())
        if moved:
            log.info("group %s migrated to %s", old_chat_id, new_chat_id)
        return moved

    async def context(self, chat_id: int) -> GroupContext | None:
        """The group of a chat with its effective settings, if known."""
        async with self._db.transaction() as session:
            row = await repo.group_by_chat(session, chat_id)
            return group_context(row, self.defaults) if row else None

    async def require(self, chat_id: int) -> GroupContext:
        """The group of a chat; a UserError when the command was used outside a group."""
        async with self._db.transaction() as session:
            return await load_group(session, chat_id, self.defaults)

    async def change_setting(
        self, chat_id: int, key: str, value: str, *, actor: Actor, action: str = "settings"
    ) -> GroupContext:
        """Validate and store one setting (English or Chinese key) as an admin; the new context.

        ``action`` names the command refused to a non-admin (``/lang`` changes a setting too).
        """
        require_admin(actor, action)
        name = setting_key(key)
        parsed = parse_setting(name, value)
        async with self._db.transaction() as session:
            row = await repo.group_by_chat(session, chat_id)
            if row is None:
                raise UserError("error.group_only")
            overrides: dict[str, Any] = json.loads(row.settings_json or "{}")
            overrides[name] = encode_setting(parsed)
            await repo.save_group_settings(session, row, overrides, self._clock.now())
            return group_context(row, self.defaults)

    async def private_started(self, user: SeenUser) -> None:
        """A user pressed /start in a private chat: private copies may be sent to them."""
        async with self._db.transaction() as session:
            await repo.remember_user(session, user, self._clock.now())
            await repo.mark_private_started(session, user.user_id, True)

    async def user_blocked(self, user_id: int) -> None:
        """A user blocked the bot: no more private messages to them."""
        async with self._db.transaction() as session:
            await repo.mark_private_started(session, user_id, False)

    async def user_language(self, user_id: int) -> str:
        """The language for a private chat: the user's first group's, else their Telegram one."""
        async with self._db.transaction() as session:
            groups = await repo.groups_of_user(session, user_id)
            if groups:
                return group_context(groups[0], self.defaults).lang
            code = await repo.language_code_of(session, user_id)
        return "en" if code.lower().startswith("en") else self.defaults.language
