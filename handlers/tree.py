"""The committee tree: /link, /join, /unlink, /branches, /dispatch and the branch buttons."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update

from domain.errors import UserError
from domain.tree import dispatch_args
from handlers.common import (
    AdminCache,
    Context,
    Request,
    actor_of,
    edit_in_place,
    friendly,
    language_of,
    notify_branches,
    read_group_request,
    reply,
    tell_chat,
)
from i18n import t
from services.container import Services
from views.callbacks import DispatchButton, unpack
from views.tree import (
    branch_joined_message,
    branches_message,
    dispatched_message,
    joined_message,
    link_code_message,
    unlinked_message,
)


class TreeHandlers:
    """Thin handlers: read the update, call the tree or dispatch service, reply, tell the others."""

    def __init__(self, services: Services, admins: AdminCache) -> None:
        self.services = services
        self.admins = admins

    async def _request(self, update: Update, context: Context) -> Request:
        return await read_group_request(self.services, self.admins, update, context)

    @friendly
    async def link(self, update: Update, context: Context) -> None:
        """/link (admin): a one-time code for a branch group to /join."""
        request = await self._request(update, context)
        issued = await self.services.tree.issue_code(request.chat_id, request.actor)
        text = link_code_message(issued.group, issued.code, issued.expires_at, request.lang)
        await reply(request.message, text)

    @friendly
    async def join(self, update: Update, context: Context) -> None:
        """/join CODE (admin of the branch): link this group below the code's group."""
        request = await self._request(update, context)
        if not request.args.strip():
            raise UserError("error.usage", usage=t(request.lang, "usage.join"))
        link = await self.services.tree.join(request.chat_id, request.actor, request.args)
        await reply(request.message, joined_message(link.parent, link.branch))
        notice = branch_joined_message(link.parent, link.branch)
        await tell_chat(context, self.services, link.parent.chat_id, notice)

    @friendly
    async def unlink(self, update: Update, context: Context) -> None:
        """/unlink in a branch, or /unlink 第一党支部 in its parent (an admin of either side)."""
        request = await self._request(update, context)
        link = await self.services.tree.unlink(request.chat_id, request.actor, request.args)
        await reply(request.message, unlinked_message(link.parent, link.branch, request.lang))
        other = link.branch if link.parent.chat_id == request.chat_id else link.parent
        notice = unlinked_message(link.parent, link.branch, other.lang)
        await tell_chat(context, self.services, other.chat_id, notice)

    @friendly
    async def branches(self, update: Update, context: Context) -> None:
        """/branches: the branches with their figures and their own branches' totals."""
        request = await self._request(update, context)
        report = await self.services.tree.branches(request.chat_id)
        await reply(request.message, branches_message(report, request.lang))

    @friendly
    async def dispatch(self, update: Update, context: Context) -> None:
        """/dispatch N 第一党支部 第二党支部 (admin): hand the item down to those branches."""
        request = await self._request(update, context)
        number, names = dispatch_args(request.args, t(request.lang, "usage.dispatch"))
        dispatch = await self.services.dispatch.dispatch(
            request.chat_id, request.actor, number, names
        )
        await reply(request.message, dispatched_message(dispatch, request.lang))
        await notify_branches(context, self.services, dispatch)

    @friendly
    async def dispatch_pressed(self, update: Update, context: Context) -> None:
        """A branch chosen after a name that fit several: dispatch there, redraw the answer."""
        query = update.callback_query
        chat = update.effective_chat
        button = unpack(query.data) if query is not None else None
        if query is None or chat is None or not isinstance(button, DispatchButton):
            return
        actor = await actor_of(self.admins, context, update)
        pending = _other_questions(query, button)
        dispatch = await self.services.dispatch.dispatch_to(
            chat.id, actor, button.number, button.group_id, pending
        )
        lang = await language_of(self.services, update)
        await query.answer(t(lang, "tree.answer.dispatched"))
        await edit_in_place(query, dispatched_message(dispatch, lang))
        await notify_branches(context, self.services, dispatch)


def _other_questions(query: CallbackQuery, pressed: DispatchButton) -> list[tuple[str, int]]:
    """The other names' branch buttons on the pressed message (name, group id): still asked."""
    message = query.message
    keyboard = message.reply_markup if isinstance(message, Message) else None
    if keyboard is None or not pressed.name:
        return []
    buttons = [
        unpack(key.callback_data if isinstance(key.callback_data, str) else None)
        for row in keyboard.inline_keyboard
        for key in row
    ]
    return [
        (data.name, data.group_id)
        for data in buttons
        if isinstance(data, DispatchButton)
        and data.number == pressed.number
        and data.name not in ("", pressed.name)
    ]
