"""``/settings`` (show, or change one as an admin) and ``/summary`` (the week's summary now)."""

from __future__ import annotations

from telegram import Update

from domain.items import require_admin
from domain.settings import setting_key
from handlers.common import (
    AdminCache,
    Context,
    Request,
    friendly,
    read_group_request,
    reply,
)
from services.container import Services
from views.settings import setting_changed, settings_text, value_needed


class SettingsHandlers:
    """Thin handlers for a group's settings and its summary on demand."""

    def __init__(self, services: Services, admins: AdminCache) -> None:
        self.services = services
        self.admins = admins

    async def _request(self, update: Update, context: Context) -> Request:
        return await read_group_request(self.services, self.admins, update, context)

    @friendly
    async def settings(self, update: Update, context: Context) -> None:
        """/settings shows every effective setting; /settings key value changes one (admin).

        The key may be English or Chinese (``/settings 周报 周五 17:00``).
        """
        request = await self._request(update, context)
        words = request.args.split(maxsplit=1)  # any whitespace, the full-width space too
        if not words:
            group = await self.services.groups.require(request.chat_id)
            missing = self.services.groups.unknown_holiday_years(group)
            await reply(request.message, settings_text(group.title, group.settings, missing))
            return
        key, value = words[0], words[1] if len(words) > 1 else ""
        if not value:
            require_admin(request.actor, "settings")
            await reply(request.message, value_needed(setting_key(key), request.lang))
            return
        group = await self.services.groups.change_setting(
            request.chat_id, key, value, actor=request.actor
        )
        await reply(request.message, setting_changed(group.settings, setting_key(key)))

    @friendly
    async def summary(self, update: Update, context: Context) -> None:
        """/summary: this week's summary so far (on a Monday: last week's), posted now."""
        request = await self._request(update, context)
        parts = await self.services.reminders.summary_now(request.chat_id)
        await reply(request.message, "\n".join(parts))
