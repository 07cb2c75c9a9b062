"""Bulk import: preview a plan or a spreadsheet, correct it, then create every item at once.

Nothing reaches the ledger before [确认导入]: :meth:`ImportService.preview` only stores the
resolved drafts and their warnings in ``import_previews`` (for 30 minutes);
:meth:`ImportService.correct` changes a waiting preview (and gives it another 30 minutes);
:meth:`ImportService.confirm` claims the preview with one conditional UPDATE and creates the
items it holds in the same transaction, so what is imported is what the preview last showed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NoReturn

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.clock import Clock, local_today
from domain.deadline import Deadline
from domain.errors import UserError
from domain.groups import GroupContext
from domain.import_corrections import Correction, apply_corrections
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
    link_owners,
    with_dispatch_notices,
    with_unlinked,
)
from domain.items import Actor, EventChange, EventKind, require_admin
from domain.outcomes import DispatchedCopy, Imported
from domain.plan import parse_plan
from domain.problem_form import read_deadline
from domain.settings import GroupSettings
from domain.spreadsheet import SheetRow, drafts_from_rows, pasted_table
from domain.tree import chosen_branches, dispatch_plan
from domain.workdays import PACKAGE_CALENDAR, HolidayCalendar
from i18n import t
from services.creation import create_item
from services.dispatch import hand_down
from services.groups import group_context
from services.owners import group_members
from services.tree import branch_of
from storage import groups as group_repo
from storage import import_previews as repo
from storage import items as item_repo
from storage import tree as tree_repo
from storage.database import Database
from storage.models import GroupRow, ImportPreviewRow, ItemRow

PURGE_AFTER = timedelta(days=1)


class ImportService:
    """``/import``: preview, correct, confirm, cancel."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        defaults: GroupSettings,
        calendar: HolidayCalendar = PACKAGE_CALENDAR,
    ) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults
        self._calendar = calendar

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
        if isinstance(content, str):
            if not content.strip():
                raise UserError("import.error.empty")
            table = pasted_table(content)
            content = table if table is not None else content
        now = self._clock.now()
        from_sheet = not isinstance(content, str)
        async with self._db.transaction() as session:
            row, group = await self._group(session, chat_id)
            today = local_today(self._clock, group.settings.zone)
            drafts, notices = _drafts(content, today, group, self._calendar)
            drafts, notices = await _resolved(session, group.id, drafts, notices)
            await repo.purge_previews(session, now - PURGE_AFTER)
            superseded = await repo.cancel_waiting_previews(session, group.id)
            stored = await repo.add_preview(
                session,
                group.id,
                actor.user_id,
                encode_drafts(drafts, from_sheet=from_sheet, notices=notices),
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
                from_sheet=from_sheet,
                superseded_messages=tuple(superseded),
            )

    async def correct(
        self, chat_id: int, actor: Actor, preview_id: int, corrections: Sequence[Correction]
    ) -> ImportPreview:
        """Apply an admin's corrections to a waiting preview; the preview as it now stands."""
        require_admin(actor, "import_correct")
        now = self._clock.now()
        async with self._db.transaction() as session:
            row, group = await self._group(session, chat_id)
            stored = await _waiting(session, preview_id, group.id, now)
            drafts, from_sheet = decode_drafts(stored.payload)
            today = local_today(self._clock, group.settings.zone)
            soft_days = group.settings.soft_deadline_days

            def deadline(phrase: str) -> Deadline:
                return read_deadline(phrase, today, soft_days, self._calendar)

            drafts, notices = apply_corrections(
                drafts, decode_notices(stored.payload), corrections, deadline
            )
            drafts, notices = await _resolved(session, group.id, drafts, notices)
            payload = encode_drafts(drafts, from_sheet=from_sheet, notices=notices)
            expires_at = now + PREVIEW_TTL
            if not await repo.update_preview(
                session, preview_id, group.id, payload, fresh_at=now, expires_at=expires_at
            ):
                await _refuse(session, preview_id, group.id)
            return ImportPreview(
                id=preview_id,
                items=drafts,
                notices=notices,
                first_number=row.next_number,
                expires_at=expires_at,
                from_sheet=from_sheet,
            )

    async def remember_message(self, chat_id: int, preview_id: int, message_id: int) -> None:
        """Keep the message showing a preview, to take its buttons away once it is replaced."""
        async with self._db.transaction() as session:
            _, group = await self._group(session, chat_id)
            await repo.set_preview_message(session, preview_id, group.id, message_id)

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

    async def confirm(self, chat_id: int, actor: Actor, preview_id: int) -> Imported:
        """[确认导入]: create every previewed item in one transaction (admin only).

        In a committee, an item whose 责任单位 names branches is dispatched to them at once, in
        the same transaction (a unit that fits several branches is left for /dispatch).
        """
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
            copies = await self._dispatch(session, group, actor, now, drafts, rows)
            return Imported(tuple(await item_repo.snapshots(session, rows)), copies)

    async def _dispatch(
        self,
        session: AsyncSession,
        group: GroupContext,
        actor: Actor,
        now: datetime,
        drafts: Sequence[DraftItem],
        rows: Sequence[ItemRow],
    ) -> tuple[DispatchedCopy, ...]:
        """Hand each new item down to the branches its 责任单位 names (a committee's import)."""
        branch_rows = await tree_repo.branches_of(session, group.id)
        if not branch_rows:
            return ()
        plan = dispatch_plan([d.unit for d in drafts], [branch_of(r) for r in branch_rows])
        copies: list[DispatchedCopy] = []
        for row, matches in zip(rows, plan, strict=True):
            chosen = {branch.group_id for branch in chosen_branches(matches)}
            if not chosen:
                continue
            item = await item_repo.full_snapshot(session, row)
            named = [r for r in branch_rows if r.id in chosen]
            handed = await hand_down(session, group, item, actor, now, named, self._defaults)
            if handed.copies:
                titles = tuple(c.branch.title for c in handed.copies)
                item_repo.add_event(
                    session, row, EventKind.DISPATCHED, actor.user_id, actor.name, now,
                    EventChange(groups=titles),
                )  # fmt: skip
            copies += handed.copies
        return tuple(copies)

    async def cancel(self, chat_id: int, actor: Actor, preview_id: int) -> None:
        """[取消]: discard a preview (admin only); an expired one may be cancelled too."""
        require_admin(actor, "import")
        async with self._db.transaction() as session:
            _, group = await self._group(session, chat_id)
            if not await repo.settle_preview(session, preview_id, group.id, repo.CANCELLED):
                await _refuse(session, preview_id, group.id)


def _drafts(
    content: str | Sequence[SheetRow], today: date, group: GroupContext, calendar: HolidayCalendar
) -> tuple[tuple[DraftItem, ...], tuple[Notice, ...]]:
    """Drafts and notices of a plan or of spreadsheet rows; refuses when there is nothing."""
    soft_days = group.settings.soft_deadline_days
    if isinstance(content, str):
        plan = parse_plan(content, reference_year=today.year)
        if not plan.items:
            raise UserError("import.error.no_items")
        drafts, notices = drafts_from_plan(plan, today, soft_days, calendar)
    else:
        zone = group.settings.zone
        drafts, notices = drafts_from_rows(content, today, zone, soft_days, calendar)
        if not drafts:
            raise UserError("import.error.no_rows")
    if len(drafts) > MAX_IMPORT_ITEMS:
        raise UserError("import.error.too_many", count=len(drafts), limit=MAX_IMPORT_ITEMS)
    return drafts, notices


async def _resolved(
    session: AsyncSession,
    group_id: int,
    drafts: Sequence[DraftItem],
    notices: Sequence[Notice],
) -> tuple[tuple[DraftItem, ...], tuple[Notice, ...]]:
    """Owners linked to the group's members and, in a committee, units matched to branches.

    The warnings name the owners that matched no member, and say which branch each item goes
    to and which units are no branch (or could be several).
    """
    linked, unmatched = link_owners(drafts, await group_members(session, group_id))
    notices = with_unlinked(notices, unmatched)
    branches = [branch_of(row) for row in await tree_repo.branches_of(session, group_id)]
    if branches:
        plan = dispatch_plan([draft.unit for draft in linked], branches)
        notices = with_dispatch_notices(notices, plan)
    return linked, notices


async def _waiting(
    session: AsyncSession, preview_id: int, group_id: int, now: datetime
) -> ImportPreviewRow:
    """The preview, while it can still be corrected; a clear refusal otherwise."""
    stored = await repo.waiting_preview(session, preview_id, group_id, now)
    if stored is None:
        await _refuse(session, preview_id, group_id)
    assert stored is not None
    return stored


async def _refuse(session: AsyncSession, preview_id: int, group_id: int) -> NoReturn:
    """Explain why a preview can no longer be confirmed, cancelled, corrected or shown."""
    stored = await repo.preview_by_id(session, preview_id)
    if stored is None or stored.group_id != group_id:
        raise UserError("import.error.not_found")
    if stored.status == repo.CONFIRMED:
        raise UserError("import.error.confirmed")
    if stored.status == repo.CANCELLED:
        raise UserError("import.error.cancelled")
    if stored.status == repo.SUPERSEDED:
        raise UserError("import.error.superseded")
    raise UserError("import.error.expired")
