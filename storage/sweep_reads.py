"""What the reminder sweep reads: only what is due, grouped by group (indexed queries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.items import CopyState, DueKind, ExtensionStatus, ItemSnapshot, Status
from domain.reminders import WaitingExtension
from storage import items as items_repo
from storage.models import ExtensionRow, ItemRow
from storage.outbox import chunks

# --- what a digest reads: only what is due -----------------------------------------------------

_DATED = (DueKind.DATE.value, DueKind.SOFT.value)


async def due_item_rows(
    session: AsyncSession, group_ids: Sequence[int], horizon: date
) -> list[ItemRow]:
    """Open items of these groups with a deadline on or before ``horizon`` (overdue included)."""
    return await _live_items(session, group_ids, *_due_conditions(horizon))


def _due_conditions(horizon: date) -> tuple[Any, ...]:
    return (
        ItemRow.status == Status.OPEN.value,
        col(ItemRow.due_date) <= horizon,
        col(ItemRow.due_kind).in_(_DATED),
    )


def due_items_query(group_ids: Sequence[int], horizon: date) -> Any:
    """The digest's main read as a statement (the benchmark asks SQLite for its plan)."""
    return _live_items_query(group_ids, *_due_conditions(horizon))


async def overdue_item_rows(
    session: AsyncSession, group_ids: Sequence[int], before: date
) -> list[ItemRow]:
    """Open items of these groups with a deadline before ``before`` (a committee's 督办)."""
    return await _live_items(
        session,
        group_ids,
        ItemRow.status == Status.OPEN.value,
        col(ItemRow.due_date) < before,
        col(ItemRow.due_kind).in_(_DATED),
    )


async def pending_item_rows(session: AsyncSession, group_ids: Sequence[int]) -> list[ItemRow]:
    """Items of these groups waiting for acceptance (待验收)."""
    return await _live_items(session, group_ids, ItemRow.status == Status.PENDING.value)


async def open_item_rows(session: AsyncSession, group_ids: Sequence[int]) -> list[ItemRow]:
    """Every open item of these groups (read once a month, for the report-day section)."""
    return await _live_items(session, group_ids, ItemRow.status == Status.OPEN.value)


async def _live_items(
    session: AsyncSession, group_ids: Sequence[int], *conditions: Any
) -> list[ItemRow]:
    """Items of these groups, not deleted, meeting ``conditions`` (groups read in chunks)."""
    found: list[ItemRow] = []
    for chunk in chunks(group_ids):
        found.extend((await session.exec(_live_items_query(chunk, *conditions))).all())
    return found


def _live_items_query(group_ids: Sequence[int], *conditions: Any) -> Any:
    return select(ItemRow).where(
        col(ItemRow.group_id).in_(list(group_ids)), col(ItemRow.deleted).is_(False), *conditions
    )


async def waiting_extension_rows(
    session: AsyncSession, group_ids: Sequence[int]
) -> list[tuple[ExtensionRow, ItemRow]]:
    """Extension requests still waiting for a decision, with their (active) items."""
    found: list[tuple[ExtensionRow, ItemRow]] = []
    for chunk in chunks(group_ids):
        rows = await session.exec(
            select(ExtensionRow, ItemRow)
            .join(ItemRow, col(ItemRow.id) == col(ExtensionRow.item_id))
            .where(
                ExtensionRow.status == ExtensionStatus.WAITING,
                col(ItemRow.group_id).in_(chunk),
                col(ItemRow.deleted).is_(False),
                ItemRow.status != Status.CLOSED.value,
            )
        )
        found.extend((extension, item) for extension, item in rows.all())
    return found


# --- the inputs of digests and summaries, grouped by group -------------------------------------


@dataclass
class SweepInputs:
    """Item snapshots (with owners) and waiting extensions per group id, and rows read."""

    items: dict[int, list[ItemSnapshot]] = field(default_factory=lambda: defaultdict(list))
    extensions: dict[int, list[WaitingExtension]] = field(default_factory=lambda: defaultdict(list))
    rows_read: int = 0


async def digest_inputs(
    session: AsyncSession, horizons: Mapping[int, date], report_groups: Collection[int]
) -> SweepInputs:
    """What the digests of these groups need, read by indexed queries only.

    That is: open items due by the group's horizon (overdue included), pending items, waiting
    extensions and, for ``report_groups``, every open item with its latest progress.
    """
    ids = sorted(horizons)
    if not ids:
        return SweepInputs()
    # Rows read back from the database always have ids: keyed by ``row.id`` as it is.
    plain = {r.id: r for r in await due_item_rows(session, ids, max(horizons.values()))}
    with_progress = {r.id: r for r in await pending_item_rows(session, ids)}
    if report_groups:
        opened = await open_item_rows(session, sorted(report_groups))
        with_progress.update((r.id, r) for r in opened)
    waiting = await waiting_extension_rows(session, ids)
    for _, row in waiting:
        plain.setdefault(row.id, row)
    for key in with_progress:
        plain.pop(key, None)
    snaps = await items_repo.snapshots(session, list(plain.values()))
    snaps += await items_repo.snapshots(
        session, list(with_progress.values()), with_latest_progress=True
    )
    snaps = await _with_copies(session, snaps)
    inputs = SweepInputs(rows_read=len(snaps))
    by_id: dict[int | None, ItemSnapshot] = {snap.id: snap for snap in snaps}
    for snap in snaps:
        inputs.items[snap.group_id].append(snap)
    for extension, row in waiting:
        snap = by_id[row.id]
        request = items_repo.extension_view(extension)
        inputs.extensions[snap.group_id].append(WaitingExtension(snap, request))
    return inputs


async def _with_copies(session: AsyncSession, snaps: Sequence[ItemSnapshot]) -> list[ItemSnapshot]:
    """The snapshots with the branches' copies of dispatched items (the digest names them)."""
    copies: dict[int, list[CopyState]] = {}
    for chunk in chunks([snap.id for snap in snaps]):
        copies.update(await items_repo.copies_of(session, chunk))
    return [replace(snap, copies=tuple(copies.get(snap.id, ()))) for snap in snaps]


async def summary_inputs(session: AsyncSession, group_ids: Sequence[int]) -> SweepInputs:
    """Every item (not deleted) of these groups with its owners: a summary counts them all."""
    inputs = SweepInputs()
    for chunk in chunks(sorted(group_ids)):
        rows = await items_repo.items_of_groups(session, chunk)
        snaps = await items_repo.snapshots(session, rows)
        inputs.rows_read += len(snaps)
        for snap in snaps:
            inputs.items[snap.group_id].append(snap)
    return inputs
