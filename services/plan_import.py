"""Bulk import: preview a plan or a spreadsheet, then create every item in one transaction.

Nothing reaches the ledger before [确认导入]: :meth:`ImportService.preview` only stores the
resolved drafts in ``import_previews`` (for 30 minutes); :meth:`ImportService.confirm` claims the
preview with one conditional UPDATE and creates the items in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NoReturn

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.clock import Clock, local_today
from domain.errors import UserError
from domain.groups import GroupContext
from domain.import_drafts import (
    MAX_IMPORT_ITEMS,
    PREVIEW_TTL,
    DraftItem,
    ImportPreview,
    Notice,
    decode_drafts,
    decode_notices,
    drafts_from_plan,
    encode_drafts,
)
from domain.items import Actor, ItemSnapshot, require_admin
from domain.plan import parse_plan
from domain.settings import GroupSettings
from domain.spreadsheet import SheetRow, drafts_from_rows
from i18n import t
from services.creation import create_item
from services.groups import group_context
from storage import groups as group_repo
from storage import import_previews as repo
from storage import items as item_repo
from storage.database import Database
from storage.models import GroupRow

PURGE_AFTER = timedelta(days=1)


class ImportService:
    """``/import``: preview, confirm, cancel."""

    def __init__(self, db: Database, clock: Clock, defaults: GroupSettings) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults

    async def _group(self, session: AsyncSession, chat_id: int) -> tuple[GroupRow, GroupContext]:
        row = await group_repo.group_by_chat(session, chat_id)
        if row is None:
            raise UserError("error.group_only")
        return row, group_context(row, self._defaults)

    async def preview(
        self, chat_id: int, actor: Actor, content: str | Sequence[SheetRow]
    ) -> ImportPreview:
        """Parse a plan (or spreadsheet rows) and keep it for confirmation; writes no item."""
        require_admin(actor, "import")
        if isinstance(content, str) and not content.strip():
            raise UserError("import.error.empty")
        now = self._clock.now()
        async with self._db.transaction() as session:
            row, group = await self._group(session, chat_id)
            today = local_today(self._clock, group.settings.zone)
            drafts, notices = _drafts(content, today, group)
            await repo.purge_previews(session, now - PURGE_AFTER)
            await repo.cancel_waiting_previews(session, group.id)
            stored = await repo.add_preview(
                session,
                group.id,
                actor.user_id,
                encode_drafts(drafts, from_sheet=not isinstance(content, str), notices=notices),
                now,
                now + PREVIEW_TTL,
            )
            if stored.id is None:
                raise RuntimeError("preview must be flushed")
            return ImportPreview(
                id=stored.id,
                items=drafts,
                notices=notices,
                first_number=row.next_number,
                expires_at=stored.expires_at,
                from_sheet=not isinstance(content, str),
            )

    async def shown(self, chat_id: int, preview_id: int) -> ImportPreview:
        """A waiting preview again, to draw another of its pages; refused once it is settled.

        The numbers are the group's next ones now (as [确认导入] would give them).
        """
        now = self._clock.now()
        async with self._db.transaction() as session:
            row, group = await self._group(session, chat_id)
            stored = await repo.waiting_preview(session, preview_id, group.id, fresh_at=now)
            if stored is None or stored.id is None:
                await _refuse(session, preview_id, group.id)
            drafts, from_sheet = decode_drafts(stored.payload)
            return ImportPreview(
                id=stored.id,
                items=drafts,
                notices=decode_notices(stored.payload),
                first_number=row.next_number,
                expires_at=stored.expires_at,
                from_sheet=from_sheet,
            )

    async def confirm(self, chat_id: int, actor: Actor, preview_id: int) -> list[ItemSnapshot]:
        """[确认导入]: create every previewed item in one transaction (admin only)."""
        require_admin(actor, "import")
        now = self._clock.now()
        async with self._db.transaction() as session:
            _, group = await self._group(session, chat_id)
            settled = await repo.settle_preview(
                session, preview_id, group.id, repo.CONFIRMED, fresh_at=now
            )
            if not settled:
                await _refuse(session, preview_id, group.id)
            stored = await repo.preview_by_id(session, preview_id)
            assert stored is not None
            drafts, _ = decode_drafts(stored.payload)
            source = t(group.lang, "import.source")
            rows = [
                await create_item(session, group.id, actor, d, now, source=source, imported=True)
                for d in drafts
            ]
            await session.flush()
            return await item_repo.snapshots(session, rows)

    async def cancel(self, chat_id: int, actor: Actor, preview_id: int) -> None:
        """[取消]: discard a preview (admin only); an expired one may be cancelled too."""
        require_admin(actor, "import")
        async with self._db.transaction() as session:
            _, group = await self._group(session, chat_id)
            if not await repo.settle_preview(session, preview_id, group.id, repo.CANCELLED):
                await _refuse(session, preview_id, group.id)


def _drafts(
    content: str | Sequence[SheetRow], today: date, group: GroupContext
) -> tuple[tuple[DraftItem, ...], tuple[Notice, ...]]:
    """Drafts and notices of a plan or of spreadsheet rows; refuses when there is nothing."""
    soft_days = group.settings.soft_deadline_days
    if isinstance(content, str):
        plan = parse_plan(content, reference_year=today.year)
        if not plan.items:
            raise UserError("import.error.no_items")
        drafts, notices = drafts_from_plan(plan, today, soft_days)
    else:
        drafts, notices = drafts_from_rows(content, today, group.settings.zone, soft_days)
        if not drafts:
            raise UserError("import.error.no_rows")
    if len(drafts) > MAX_IMPORT_ITEMS:
        raise UserError("import.error.too_many", count=len(drafts), limit=MAX_IMPORT_ITEMS)
    return drafts, notices


async def _refuse(session: AsyncSession, preview_id: int, group_id: int) -> NoReturn:
    """Explain why a preview can no longer be confirmed or cancelled."""
    stored = await repo.preview_by_id(session, preview_id)
    if stored is None or stored.group_id != group_id:
        raise UserError("import.error.not_found")
    if stored.status == repo.CONFIRMED:
        raise UserError("import.error.confirmed")
    if stored.status == repo.CANCELLED:
        raise UserError("import.error.cancelled")
    raise UserError("import.error.expired")
