"""/import: a pasted plan or an attached file, previewed, then confirmed or cancelled."""

from __future__ import annotations

import asyncio
from typing import Final

from telegram import Document, Message, Update

from domain.errors import UserError
from domain.items import require_admin
from handlers.common import (
    AdminCache,
    Context,
    Request,
    actor_of,
    edit_in_place,
    error_text,
    friendly,
    language_of,
    read_group_request,
    reply,
)
from i18n import t
from services.container import Services
from services.upload_reader import Content, check_upload, read_upload
from views.callbacks import ImportButton, ImportPageButton, unpack
from views.import_preview import cancelled_message, imported_message, preview_message
from views.text import Rendered

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
        return (replied.text or replied.caption or "") if replied is not None else ""

    @friendly
    async def import_plan(self, update: Update, context: Context) -> None:
        """/import: preview a plan with [确认导入] [取消]; nothing is written yet."""
        request = await self._request(update, context)
        require_admin(request.actor, "import")
        content = await self._content(request)
        preview = await self.services.plan_import.preview(request.chat_id, request.actor, content)
        await reply(request.message, preview_message(preview, request.lang))

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
            if button.confirm:
                items = await self.services.plan_import.confirm(chat.id, actor, button.preview_id)
                rendered, answer = imported_message(items, lang), t(lang, "import.answer.done")
            else:
                await self.services.plan_import.cancel(chat.id, actor, button.preview_id)
                rendered, answer = cancelled_message(lang), t(lang, "import.answer.cancelled")
        except UserError as error:
            if error.key in _REWRITE_ON:
                await edit_in_place(query, Rendered(error_text(lang, error)))
            raise
        await query.answer(answer)
        await edit_in_place(query, rendered)
