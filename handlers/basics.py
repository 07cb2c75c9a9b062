"""Start, help, unknown commands, and keeping track of groups and members."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.constants import ChatType

from handlers.common import (
    AdminCache,
    Context,
    friendly,
    language_of,
    read_request,
    reply,
    seen_user,
)
from i18n import t
from services.container import Services
from views.text import esc

log = logging.getLogger(__name__)

PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)


class BasicHandlers:
    """Handlers that every chat needs, whatever the ledger holds."""

    def __init__(self, services: Services, admins: AdminCache) -> None:
        self.services = services
        self.admins = admins

    async def record(self, update: Update, context: Context) -> None:
        """Runs first for every update: remember the chat and the user, link pending owners."""
        chat = update.effective_chat
        user = update.effective_user
        if chat is None:
            return
        message = update.effective_message
        if message is not None and message.migrate_to_chat_id:
            await self.services.groups.migrated(chat.id, message.migrate_to_chat_id)
            return
        if message is not None and message.migrate_from_chat_id:
            await self.services.groups.migrated(message.migrate_from_chat_id, chat.id)
        if update.my_chat_member is not None:
            return  # membership of the bot itself is handled by ``bot_membership``
        person = seen_user(user) if user is not None and not user.is_bot else None
        await self.services.groups.seen(chat.id, chat.type, chat.title or "", person)

    @friendly
    async def start(self, update: Update, context: Context) -> None:
        """/start and /help: what the bot does, the commands, and examples."""
        request = await read_request(self.services, self.admins, update, context)
        if not request.is_group and update.effective_user is not None:
            await self.services.groups.private_started(seen_user(update.effective_user))
        key = "help.group" if request.is_group else "help.private"
        await reply(request.message, t(request.lang, key, bot=esc(context.bot.username)))

    async def unknown(self, update: Update, context: Context) -> None:
        """An unknown command gets a one-line hint: in private, or addressed to this bot.

        In a group, a bare unknown ``/command`` is most likely another bot's, so it is left alone.
        """
        message = update.effective_message
        chat = update.effective_chat
        if message is None or message.text is None or chat is None:
            return
        command, _, addressee = message.text.split()[0].partition("@")
        if chat.type != ChatType.PRIVATE and addressee.lower() != context.bot.username.lower():
            return
        lang = await language_of(self.services, update)
        await reply(message, t(lang, "help.unknown_command", command=esc(command)))

    async def bot_membership(self, update: Update, context: Context) -> None:
        """The bot was added to or removed from a group."""
        change: ChatMemberUpdated | None = update.my_chat_member
        if change is None or change.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
            if (
                change is not None
                and change.chat.type == ChatType.PRIVATE
                and change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT)
            ):
                await self.services.groups.user_blocked(change.chat.id)
            return
        chat = change.chat
        if change.new_chat_member.status in PRESENT:
            group = await self.services.groups.bot_added(chat.id, chat.type, chat.title or "")
            if change.old_chat_member.status not in PRESENT:
                await context.bot.send_message(
                    chat.id, t(group.lang, "help.welcome", title=esc(group.title))
                )
        else:
            await self.services.groups.bot_removed(chat.id)
        self.admins.forget(chat.id)

    async def member_changed(self, update: Update, context: Context) -> None:
        """A member's rights changed: forget the cached administrator list."""
        if update.chat_member is not None:
            self.admins.forget(update.chat_member.chat.id)
