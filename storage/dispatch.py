"""Exactly-once bookkeeping of scheduled messages, and the reads the reminder sweep needs.

A scheduled message has a unique key (``digest:<group id>:<date>``, or
``private:<user id>:<date>`` for an owner's private copy). Before sending, a sweep *claims* the
key: it inserts the row, or takes over a row that is not sent and whose claim was
released (a failed send) or is older than :data:`LEASE` (a sweep that died mid-send). The
take-over is a compare-and-set on the values just read, so of two sweeps (two tasks, two
processes, two hosts on one PostgreSQL) exactly one wins. After sending, the key is marked
sent; a failed send releases the claim and a later sweep tries again.

A sweep that dies between Telegram accepting a message and :func:`mark_sent` leaves a claim
that expires after the lease; that one message may then be sent twice. The other order (mark
first, then send) would lose it instead; a duplicate after a crash is the lesser evil.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.items import DueKind, ExtensionStatus, ItemSnapshot, Status
from domain.reminders import WaitingExtension
from storage import items as items_repo
from storage.engine import upsert_insert
from storage.models import DispatchRow, ExtensionRow, ItemRow, UserRow

LEASE = timedelta(minutes=10)
# Core statements on the table: no ORM bookkeeping for what is pure bookkeeping SQL.
_TABLE = SQLModel.metadata.tables["dispatches"]
CHUNK = 500  # keys or ids per IN (...) list: far below every database's parameter limit
ERROR_LIMIT = 500


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _is_settled(
    sent_at: datetime | None, claimed_by: str, claimed_at: datetime, now: datetime
) -> bool:
    """Sent, or claimed by a sweep that may still be sending."""
    return sent_at is not None or (bool(claimed_by) and claimed_at > now - LEASE)


async def settled_keys(session: AsyncSession, keys: Collection[str], now: datetime) -> set[str]:
    """The keys among ``keys`` that are sent or held by a live claim (by the unique key index)."""
    settled: set[str] = set()
    columns = (_TABLE.c.key, _TABLE.c.sent_at, _TABLE.c.claimed_by, _TABLE.c.claimed_at)
    for chunk in _chunks(sorted(keys)):
        rows = await session.exec(select(*columns).where(_TABLE.c.key.in_(chunk)))
        settled.update(
            key
            for key, sent_at, claimed_by, claimed_at in rows.all()
            if _is_settled(sent_at, claimed_by, claimed_at, now)
        )
    return settled


async def _insert_new(
    session: AsyncSession, wanted: Mapping[str, int], now: datetime, owner: str
) -> set[str]:
    """Insert a claimed row for each key not yet known; returns the keys inserted."""
    won: set[str] = set()
    for chunk in _chunks(sorted(wanted)):
        values = [
            {
                "key": key,
                "group_id": wanted[key],
                "claimed_at": now,
                "claimed_by": owner,
                "attempts": 1,
                "last_error": "",
            }
            for key in chunk
        ]
        statement = (
            upsert_insert(session)(_TABLE)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(_TABLE.c.key)
        )
        result = await session.exec(statement, params=values)
        won.update(row[0] for row in result.all())
    return won


async def _take_over(session: AsyncSession, key: str, now: datetime, owner: str) -> bool:
    """Re-claim an unsent row whose claim was released or expired (compare-and-set)."""
    row = (await session.exec(select(DispatchRow).where(DispatchRow.key == key))).first()
    if row is None or _is_settled(row.sent_at, row.claimed_by, row.claimed_at, now):
        return False
    result = await session.exec(
        update(_TABLE)
        .where(
            _TABLE.c.key == key,
            _TABLE.c.sent_at.is_(None),
            _TABLE.c.claimed_at == row.claimed_at,
            _TABLE.c.attempts == row.attempts,
        )
        .values(claimed_at=now, claimed_by=owner, attempts=row.attempts + 1)
    )
    return result.rowcount == 1


async def claim_many(
    session: AsyncSession, wanted: Mapping[str, int], now: datetime, owner: str
) -> set[str]:
    """Claim every key of ``wanted`` (key → group id) that is free; returns the keys won."""
    won = await _insert_new(session, wanted, now, owner)
    for key in sorted(set(wanted) - won):
        if await _take_over(session, key, now, owner):
            won.add(key)
    return won


# Built once: marking one message sent runs after every send, so it should cost one round trip.
_MARK_SENT = (
    update(_TABLE)
    .where(_TABLE.c.key == bindparam("mark_key"), _TABLE.c.sent_at.is_(None))
    .values(sent_at=bindparam("mark_now"), last_error="")
)


async def mark_sent(session: AsyncSession, key: str, now: datetime) -> None:
    """Record that the message of ``key`` went out (or that there was nothing to say)."""
    await session.exec(_MARK_SENT, params={"mark_key": key, "mark_now": now})


async def mark_sent_many(session: AsyncSession, keys: Collection[str], now: datetime) -> None:
    """Record several keys as sent at once (quiet days decided in one go)."""
    for chunk in _chunks(sorted(keys)):
        await session.exec(
            update(_TABLE)
            .where(_TABLE.c.key.in_(chunk), _TABLE.c.sent_at.is_(None))
            .values(sent_at=now, last_error="")
        )


async def mark_failed(session: AsyncSession, key: str, owner: str, error: str) -> None:
    """Release our claim and keep the row unsent, so that a later sweep retries it."""
    await session.exec(
        update(_TABLE)
        .where(
            _TABLE.c.key == key,
            _TABLE.c.sent_at.is_(None),
            _TABLE.c.claimed_by == owner,
        )
        .values(claimed_by="", last_error=error[:ERROR_LIMIT])
    )


async def dispatch_by_key(session: AsyncSession, key: str) -> DispatchRow | None:
    """The bookkeeping row of one key (for tests and diagnostics)."""
    return (await session.exec(select(DispatchRow).where(DispatchRow.key == key))).first()


# --- who may get a private copy ----------------------------------------------------------------


async def reachable_users(session: AsyncSession, user_ids: Collection[int]) -> set[int]:
    """The users among ``user_ids`` who pressed /start privately and have not blocked the bot."""
    found: set[int] = set()
    for chunk in _chunks(sorted(set(user_ids))):
        rows = await session.exec(
            select(UserRow.user_id).where(
                col(UserRow.user_id).in_(chunk),
                col(UserRow.private_started).is_(True),
                col(UserRow.blocked).is_(False),
            )
        )
        found.update(rows.all())
    return found


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
    for chunk in _chunks(group_ids):
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
    for chunk in _chunks(group_ids):
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
    inputs = SweepInputs(rows_read=len(snaps))
    by_id: dict[int | None, ItemSnapshot] = {snap.id: snap for snap in snaps}
    for snap in snaps:
        inputs.items[snap.group_id].append(snap)
    for extension, row in waiting:
        snap = by_id[row.id]
        request = items_repo.extension_view(extension)
        inputs.extensions[snap.group_id].append(WaitingExtension(snap, request))
    return inputs


async def summary_inputs(session: AsyncSession, group_ids: Sequence[int]) -> SweepInputs:
    """Every item (not deleted) of these groups with its owners: a summary counts them all."""
    inputs = SweepInputs()
    for chunk in _chunks(sorted(group_ids)):
        rows = await items_repo.items_of_groups(session, chunk)
        snaps = await items_repo.snapshots(session, rows)
        inputs.rows_read += len(snaps)
        for snap in snaps:
            inputs.items[snap.group_id].append(snap)
    return inputs
