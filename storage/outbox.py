"""The outbox: exactly-once bookkeeping of scheduled messages.

A scheduled message has a unique key (``digest:<group id>:<date>``, or
``private:<user id>:<date>`` for an owner's private copy). Before sending, a sweep *claims* the
key for its instance (``storage.instances``): it inserts the row, or takes over a row that is
not sent and whose claim was released (a failed send) or whose holder is gone — an instance
whose heartbeat stopped (killed, frozen, cut off) is gone within a minute, so a restarted bot
carries on where the dead one stopped. The take-over is a compare-and-set on the values just
read, so of two sweeps (two tasks, two processes, two hosts on one PostgreSQL) exactly one
wins. After sending, the key is marked sent; a failed send releases the claim and a later
sweep tries again.

A holder that never registered as an instance (a bot from before instances existed, during an
upgrade) keeps its claim for :data:`LEASE` after claiming, as claims worked before.

A process that dies between Telegram accepting a message and :func:`mark_sent` leaves a claim
that is taken over once its instance is gone; the messages in flight at that moment may then
be sent twice. The other order (mark first, then send) would lose them instead; a duplicate
after a crash is the lesser evil.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import instances
from storage.engine import upsert_insert
from storage.instances import Holders
from storage.models import DispatchRow

LEASE = timedelta(minutes=10)  # only for holders that never registered as an instance
# Core statements on the table: no ORM bookkeeping for what is pure bookkeeping SQL.
_TABLE = SQLModel.metadata.tables["dispatches"]
CHUNK = 500  # keys or ids per IN (...) list: far below every database's parameter limit
ERROR_LIMIT = 500


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """``values`` in slices of at most ``size`` (for IN lists)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class Asker:
    """The instance asking, and the keys its running sweeps hold now (None: all of its claims).

    A claim of the asker's own that no running sweep holds was left by a sweep that failed
    before releasing it: it is free to the asker at once, though its heartbeat lives on.
    """

    me: str = ""
    holding: Container[str] | None = None

    def holds(self, key: str) -> bool:
        """Whether the asker's own claim on ``key`` belongs to one of its running sweeps."""
        return self.holding is None or key in self.holding


def _is_settled(
    key: str,
    sent_at: datetime | None,
    claimed_by: str,
    claimed_at: datetime,
    now: datetime,
    holders: Holders,
    asker: Asker,
) -> bool:
    """Sent, or claimed by an instance that may still be sending."""
    if sent_at is not None:
        return True
    if not claimed_by:
        return False
    if claimed_by == asker.me:
        return asker.holds(key)
    if claimed_by in holders.live:
        return True
    if claimed_by in holders.known:
        return False  # its instance is gone
    return claimed_at > now - LEASE


async def settled_keys(
    session: AsyncSession,
    keys: Collection[str],
    now: datetime,
    me: str = "",
    holding: Container[str] | None = None,
) -> set[str]:
    """The keys among ``keys`` that are sent or held by a live claim (by the unique key index).

    ``me`` is the asking instance: its own claims are live to it, only those in ``holding``
    when given (the keys its running sweeps hold).
    """
    asker = Asker(me, holding)
    holders = await instances.holders(session, now)
    settled: set[str] = set()
    columns = (_TABLE.c.key, _TABLE.c.sent_at, _TABLE.c.claimed_by, _TABLE.c.claimed_at)
    for chunk in chunks(sorted(keys)):
        rows = await session.exec(select(*columns).where(_TABLE.c.key.in_(chunk)))
        settled.update(
            key
            for key, sent_at, claimed_by, claimed_at in rows.all()
            if _is_settled(key, sent_at, claimed_by, claimed_at, now, holders, asker)
        )
    return settled


async def _insert_new(
    session: AsyncSession, wanted: Mapping[str, int], now: datetime, owner: str
) -> set[str]:
    """Insert a claimed row for each key not yet known; returns the keys inserted."""
    won: set[str] = set()
    for chunk in chunks(sorted(wanted)):
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


async def _take_over(
    session: AsyncSession, key: str, now: datetime, asker: Asker, holders: Holders
) -> bool:
    """Re-claim an unsent row whose claim was released or whose holder is gone (compare-and-set)."""
    row = (await session.exec(select(DispatchRow).where(DispatchRow.key == key))).first()
    if row is None or _is_settled(
        key, row.sent_at, row.claimed_by, row.claimed_at, now, holders, asker
    ):
        return False
    result = await session.exec(
        update(_TABLE)
        .where(
            _TABLE.c.key == key,
            _TABLE.c.sent_at.is_(None),
            _TABLE.c.claimed_at == row.claimed_at,
            _TABLE.c.attempts == row.attempts,
        )
        .values(claimed_at=now, claimed_by=asker.me, attempts=row.attempts + 1)
    )
    return result.rowcount == 1


async def claim_many(
    session: AsyncSession,
    wanted: Mapping[str, int],
    now: datetime,
    owner: str,
    holding: Container[str] | None = None,
) -> set[str]:
    """Claim every key of ``wanted`` (key → group id) that is free; returns the keys won.

    ``holding``: as for :func:`settled_keys`, the keys the owner's running sweeps hold.
    """
    won = await _insert_new(session, wanted, now, owner)
    rest = sorted(set(wanted) - won)
    if rest:
        holders = await instances.holders(session, now)
        for key in rest:
            if await _take_over(session, key, now, Asker(owner, holding), holders):
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
    for chunk in chunks(sorted(keys)):
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


async def release_many(session: AsyncSession, keys: Collection[str], owner: str, error: str) -> int:
    """Release several of our unsent claims at once (messages put off); returns how many."""
    released = 0
    for chunk in chunks(sorted(keys)):
        result = await session.exec(
            update(_TABLE)
            .where(
                _TABLE.c.key.in_(chunk),
                _TABLE.c.sent_at.is_(None),
                _TABLE.c.claimed_by == owner,
            )
            .values(claimed_by="", last_error=error[:ERROR_LIMIT])
        )
        released += result.rowcount
    return released


async def dispatch_by_key(session: AsyncSession, key: str) -> DispatchRow | None:
    """The bookkeeping row of one key (for tests and diagnostics)."""
    return (await session.exec(select(DispatchRow).where(DispatchRow.key == key))).first()
