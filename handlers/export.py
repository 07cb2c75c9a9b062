"""/export: the ledger as an .xlsx document."""

from __future__ import annotations

from telegram import Update

from domain.items import require_admin
from handlers.common import AdminCache, Context, caption, friendly, read_group_request
from i18n import t
from services.container import Services


class ExportHandlers:
    """Thin handler: read the update, call the export service, send the workbook."""

    def __init__(self, services: Services, admins: AdminCache) -> None:
        self.services = services
        self.admins = admins

    @friendly
    async def export(self, update: Update, context: Context) -> None:
        """/export: the ledger as an .xlsx document."""
        request = await read_group_request(self.services, self.admins, update, context)
        require_admin(request.actor, "export")
        filename, data = await self.services.export.export(request.chat_id)
        await request.message.reply_document(
            document=data, filename=filename, caption=caption(t(request.lang, "export.caption"))
        )
