"""Import previews waiting for [确认导入] or [取消]: the only SQL about them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ImportPreviewRow

WAITING = "waiting"
CONFIRMED = "confirmed"
CANCELLED = "cancelled"  # [取消]
SUPERSEDED = "superseded"  # a newer preview in the same group replaced it


async def add_preview(
    session: AsyncSession,
    group_id: int,
    created_by: int,
    payload: str,
    now: datetime,
    expires_at: datetime,
) -> ImportPreviewRow:
    """Store a parsed plan until it is confirmed, cancelled or expires."""
    row = ImportPreviewRow(
        group_id=group_id,
        created_by=created_by,
        payload=payload,
        status=WAITING,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    return row


async def preview_by_id(session: AsyncSession, preview_id: int) -> ImportPreviewRow | None:
    """One preview, whatever its state."""
    return await session.get(ImportPreviewRow, preview_id)


async def waiting_preview(
    session: AsyncSession, preview_id: int, group_id: int, fresh_at: datetime
) -> ImportPreviewRow | None:
    """The preview if it is this group's, still waiting and not expired at ``fresh_at``."""
    statement = select(ImportPreviewRow).where(
        col(ImportPreviewRow.id) == preview_id,
        col(ImportPreviewRow.group_id) == group_id,
        col(ImportPreviewRow.status) == WAITING,
        col(ImportPreviewRow.expires_at) > fresh_at,
    )
    return (await session.exec(statement)).first()


async def settle_preview(
    session: AsyncSession,
    preview_id: int,
    group_id: int,
    status: str,
    *,
    fresh_at: datetime | None = None,
) -> bool:
    """Move a waiting preview of this group to ``status`` (only if not expired at ``fresh_at``).

    One conditional UPDATE, so two presses of [确认导入] can never both win; False when the
    preview is unknown, of another group, no longer waiting or expired.
    """
    statement = (
        update(ImportPreviewRow)
        .where(
            col(ImportPreviewRow.id) == preview_id,
            col(ImportPreviewRow.group_id) == group_id,
            col(ImportPreviewRow.status) == WAITING,
        )
        .values(status=status)
    )
    if fresh_at is not None:
        statement = statement.where(col(ImportPreviewRow.expires_at) > fresh_at)
    result = await session.exec(statement)
    return result.rowcount == 1


async def update_preview(
    session: AsyncSession,
    preview_id: int,
    group_id: int,
    payload: str,
    *,
    fresh_at: datetime,
    expires_at: datetime,
) -> bool:
    """Store a corrected preview, only while it is waiting and not expired at ``fresh_at``.

    One conditional UPDATE, like :func:`settle_preview`: a correction racing a confirmation
    either lands before it (and is imported) or fails.
    """
    result = await session.exec(
        update(ImportPreviewRow)
        .where(
            col(ImportPreviewRow.id) == preview_id,
            col(ImportPreviewRow.group_id) == group_id,
            col(ImportPreviewRow.status) == WAITING,
            col(ImportPreviewRow.expires_at) > fresh_at,
        )
        .values(payload=payload, expires_at=expires_at)
    )
    return result.rowcount == 1


async def purge_previews(session: AsyncSession, expired_before: datetime) -> None:
    """Forget previews that expired before ``expired_before`` (they can no longer be used)."""
    await session.exec(
        delete(ImportPreviewRow).where(col(ImportPreviewRow.expires_at) < expired_before)
    )


async def cancel_waiting_previews(session: AsyncSession, group_id: int) -> list[int]:
    """A new preview replaces the group's earlier ones, so one plan cannot be imported twice.

    Returns the ids of the messages that showed the replaced previews (their buttons must go).
    """
    waiting = (col(ImportPreviewRow.group_id) == group_id, col(ImportPreviewRow.status) == WAITING)
    shown = await session.exec(select(ImportPreviewRow.message_id).where(*waiting))
    messages = [message_id for message_id in shown.all() if message_id is not None]
    await session.exec(update(ImportPreviewRow).where(*waiting).values(status=SUPERSEDED))
    return messages


async def set_preview_message(
    session: AsyncSession, preview_id: int, group_id: int, message_id: int
) -> None:
    """Remember the message that shows a preview of this group with its buttons."""
    await session.exec(
        update(ImportPreviewRow)
        .where(col(ImportPreviewRow.id) == preview_id, col(ImportPreviewRow.group_id) == group_id)
        .values(message_id=message_id)
    )
