"""/import: a pasted plan or an attached file, previewed, corrected, then confirmed or cancelled.

An admin corrects a preview by replying to it (``去掉 3``, ``统一时限 月底前`` …, see
:mod:`domain.import_corrections`); the preview message is edited to show the result, and
[确认导入] imports what it shows.  A reply is recognised as one to a preview by the preview's
buttons (:class:`PreviewReplyFilter`); the composition root routes such replies here before the
ledger's reply handler sees them.
"""

from __future__ import annotations

import asyncio
from typing import Final

from telegram import Document, Message, Update
from telegram.error import BadRequest
from telegram.ext import filters

from domain.errors import UserError
from domain.import_corrections import read_corrections
from domain.items import require_admin
from handlers.common import (
    OVERFLOW_MARK,
    AdminCache,
    Context,
    Request,
    actor_of,
    edit_in_place,
    error_text,
    friendly,
    language_of,
    markup,
    notify_imported_copies,
    read_group_request,
    reply,
    rewrite_messages,
    typed_text,
)
from i18n import t
from services.container import Services
from services.upload_reader import Content, check_upload, read_upload
from views.callbacks import ImportButton, ImportPageButton, unpack
from views.import_preview import (
    PreviewReply,
    cancelled_message,
    corrected_message,
    imported_message,
    preview_message,
    preview_reply,
    superseded_message,
)
from views.text import Rendered, fit_message

# Once a preview reached one of these, its buttons are of no use: the message says so.
# An expired preview is rewritten to say so; a confirmed or cancelled one already shows its
# result, which a second press must not overwrite (it only gets an alert).
_REWRITE_ON: Final = frozenset({"import.error.expired"})


def attached_document(message: Message) -> Document | None:
    """The file sent with ``/import`` as its caption, or in the message it replies to."""
    if message.document is not None:
        return message.document
    replied = message.reply_to_message
    return replied.document if replied is not None else None


async def download(document: Document) -> Content:
    """Check the size and type first, then fetch and read the file."""
    check_upload(document.file_name, document.file_size)
    data = await (await document.get_file()).download_as_bytearray()
    # Parsing up to 5 MB of .docx/.xlsx takes a while: keep the event loop free meanwhile.
    return await asyncio.to_thread(read_upload, document.file_name, bytes(data))


def _buttons(message: Message) -> list[str]:
    """The callback data of a message's inline buttons."""
    keyboard = message.reply_markup
    if keyboard is None:
        return []
    return [
        str(b.callback_data) for row in keyboard.inline_keyboard for b in row if b.callback_data
    ]


def replied_preview(message: Message) -> PreviewReply | None:
    """What import a reply is about, when it replies to this bot's preview (or its outcome)."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None:
        return None
    if replied.from_user.id != message.get_bot().id:
        return None
    return preview_reply(replied.text or "", _buttons(replied))


class PreviewReplyFilter(filters.MessageFilter):
    """A reply to one of this bot's import previews, or to the message a settled one became."""

    def __init__(self) -> None:
        super().__init__(name="PreviewReplyFilter")

    def filter(self, message: Message) -> bool:
        """True when the message replies to an import preview of this bot."""
        return replied_preview(message) is not None


async def edit_message(message: Message, rendered: Rendered) -> None:
    """Replace one of the bot's messages with a new rendering (unchanged text is fine)."""
    try:
        await message.edit_text(
            fit_message(rendered.text, rendered.overflow or OVERFLOW_MARK),
            reply_markup=markup(rendered.keyboard),
            disable_web_page_preview=True,
        )
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


class ImportHandlers:
    """Thin handlers: read the update, call the import service, reply."""

    def __init__(self, services: Services, admins: AdminCache) -> None:
        self.services = services
        self.admins = admins

    async def _request(self, update: Update, context: Context) -> Request:
        return await read_group_request(self.services, self.admins, update, context)

    async def _content(self, request: Request) -> Content:
        """The command's text, its file, or the replied-to message's file or text."""
        message = request.message
        if message.document is None and request.args.strip():
            return request.args
        document = attached_document(message)
        if document is not None:
            return await download(document)
        replied = message.reply_to_message
        return typed_text(replied) if replied is not None else ""

    @friendly
    async def import_plan(self, update: Update, context: Context) -> None:
        """/import: preview a plan with [确认导入] [取消]; nothing is written yet."""
        request = await self._request(update, context)
        require_admin(request.actor, "import")
        content = await self._content(request)
        imports = self.services.plan_import
        preview = await imports.preview(request.chat_id, request.actor, content)
        sent = await reply(request.message, preview_message(preview, request.lang))
        await imports.remember_message(request.chat_id, preview.id, sent.message_id)
        bot = request.message.get_bot()
        superseded = superseded_message(request.lang)
        await rewrite_messages(bot, request.chat_id, preview.superseded_messages, superseded)

    @friendly
    async def pressed(self, update: Update, context: Context) -> None:
        """[确认导入] creates the items, [取消] discards, ◀ ▶ turn the preview's pages."""
        query = update.callback_query
        chat = update.effective_chat
        if query is None or chat is None:
            return
        button = unpack(query.data)
        if not isinstance(button, ImportButton | ImportPageButton):
            await query.answer()
            return
        actor = await actor_of(self.admins, context, update)
        lang = await language_of(self.services, update)
        try:
            if isinstance(button, ImportPageButton):
                preview = await self.services.plan_import.shown(chat.id, button.preview_id)
                await query.answer()
                await edit_in_place(query, preview_message(preview, lang, button.page))
                return
            imported = None
            if button.confirm:
                imported = await self.services.plan_import.confirm(
                    chat.id, actor, button.preview_id
                )
                rendered = imported_message(imported.items, lang)
                answer = t(lang, "import.answer.done")
            else:
                await self.services.plan_import.cancel(chat.id, actor, button.preview_id)
                rendered, answer = cancelled_message(lang), t(lang, "import.answer.cancelled")
        except UserError as error:
            if error.key in _REWRITE_ON:
                await edit_in_place(query, Rendered(error_text(lang, error)))
            raise
        await query.answer(answer)
        await edit_in_place(query, rendered)
        if imported is not None and imported.copies:
            await notify_imported_copies(context, self.services, imported.copies)

    @friendly
    async def correct(self, update: Update, context: Context) -> None:
        """A reply to a preview: correct it (admins), and show the preview as it now stands."""
        message = update.effective_message
        target = replied_preview(message) if message is not None else None
        if message is None or target is None or message.reply_to_message is None:
            return
        request = await self._request(update, context)
        try:
            corrections = read_corrections(request.args, request.mentions)
        except UserError:
            if not request.actor.is_admin:
                return  # a member's "收到" under a preview is conversation, not a correction
            raise
        require_admin(request.actor, "import_correct")
        if target.settled is not None or target.preview_id is None:
            raise UserError(target.settled or "import.error.not_found")
        preview = await self.services.plan_import.correct(
            request.chat_id, request.actor, target.preview_id, corrections
        )
        await edit_message(message.reply_to_message, preview_message(preview, request.lang))
        await reply(message, corrected_message(preview, request.lang))
