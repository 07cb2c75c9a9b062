"""``/settings`` (show, or change one as an admin) and ``/summary`` (this week's summary now)."""

from __future__ import annotations

from telegram import Update

from rectify_bot.domain.errors import UserError
from rectify_bot.domain.settings import SETTING_KEYS
from rectify_bot.handlers.common import (
    AdminCache,
    Context,
    Request,
    friendly,
    read_request,
    reply,
)
from rectify_bot.services.container import Services
from rectify_bot.views.settings import setting_changed, settings_text, value_needed


class SettingsHandlers:
    """Thin handlers for a group's settings and its summary on demand."""

    def __init__(self, services: Services, admins: AdminCache) -> None:
        self.services = services
        self.admins = admins

    async def _request(self, update: Update, context: Context) -> Request:
        request = await read_request(self.services, self.admins, update, context)
        if not request.is_group:
            raise UserError("error.group_only")
        return request

    @friendly
    async def settings(self, update: Update, context: Context) -> None:
        """/settings shows every effective setting; /settings key value changes one (admin)."""
        request = await self._request(update, context)
        key, _, value = request.args.strip().partition(" ")
        if not key:
            group = await self.services.groups.require(request.chat_id)
            await reply(request.message, settings_text(group.title, group.settings))
            return
        if not request.actor.is_admin:
            raise UserError("error.admin_only", action="settings")
        key = key.lower()
        if key not in SETTING_KEYS:
            raise UserError("settings.unknown_key", key=key, keys=", ".join(SETTING_KEYS))
        if not value.strip():
            await reply(request.message, value_needed(key, request.lang))
            return
        group = await self.services.groups.change_setting(request.chat_id, key, value)
        await reply(request.message, setting_changed(group.settings, key))

    @friendly
    async def summary(self, update: Update, context: Context) -> None:
        """/summary: this group's summary for this week (Monday to today), posted now."""
        request = await self._request(update, context)
        parts = await self.services.reminders.summary_now(request.chat_id)
        await reply(request.message, "\n".join(parts))
