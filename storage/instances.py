"""Running instances and their heartbeats: who may hold a claim on a scheduled message.

Each bot process registers one row when it starts and pushes ``expires_at`` forward with every
heartbeat. An instance whose ``expires_at`` has passed is gone (killed, frozen, cut off from
the database); its claims on scheduled messages may then be taken over (``storage.outbox``).
An instance that stops cleanly expires its row at once and releases its claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.engine import upsert_insert
from storage.models import InstanceRow

_DISPATCHES = SQLModel.metadata.tables["dispatches"]


@dataclass(frozen=True)
class Holders:
    """Who holds claims right now: the live instances, and every instance still on record."""

    live: frozenset[str]
    known: frozenset[str]


async def register(
    session: AsyncSession, instance_id: str, host: str, pid: int, now: datetime, expires: datetime
) -> None:
    """Record a starting instance (or refresh it, should its id already be on record)."""
    values = {
        "host": host,
        "pid": pid,
        "started_at": now,
        "last_seen_at": now,
        "expires_at": expires,
    }
    insert = upsert_insert(session)(InstanceRow)
    await session.exec(
        insert.values(id=instance_id, **values).on_conflict_do_update(
            index_elements=["id"], set_=values
        )
    )


async def beat(
    session: AsyncSession,
    instance_id: str,
    now: datetime,
    expires: datetime,
    last_sweep_at: datetime | None,
) -> bool:
    """Push an instance's expiry forward; False if its row is missing (pruned meanwhile)."""
    result = await session.exec(
        update(InstanceRow)
        .where(col(InstanceRow.id) == instance_id)
        .values(last_seen_at=now, expires_at=expires, last_sweep_at=last_sweep_at)
    )
    return bool(result.rowcount)


async def retire(session: AsyncSession, instance_id: str, now: datetime) -> int:
    """A clean stop: the instance is gone from ``now`` and its unsent claims are free again.

    Returns how many claims were released.
    """
    await session.exec(
        update(InstanceRow)
        .where(col(InstanceRow.id) == instance_id)
        .values(last_seen_at=now, expires_at=now)
    )
    released = await session.exec(
        update(_DISPATCHES)
        .where(_DISPATCHES.c.claimed_by == instance_id, _DISPATCHES.c.sent_at.is_(None))
        .values(claimed_by="")
    )
    return int(released.rowcount or 0)


async def holders(session: AsyncSession, now: datetime) -> Holders:
    """The instances alive at ``now``, and every instance on record."""
    rows = await session.exec(select(InstanceRow.id, InstanceRow.expires_at))
    records = rows.all()
    return Holders(
        live=frozenset(ident for ident, expires in records if expires > now),
        known=frozenset(ident for ident, _ in records),
    )


async def prune(session: AsyncSession, before: datetime) -> int:
    """Forget instances that expired before ``before``; returns how many rows went."""
    result = await session.exec(delete(InstanceRow).where(col(InstanceRow.expires_at) < before))
    return int(result.rowcount or 0)


async def all_instances(session: AsyncSession) -> list[InstanceRow]:
    """Every instance on record, oldest first (diagnostics and tests)."""
    rows = await session.exec(select(InstanceRow).order_by(col(InstanceRow.started_at)))
    return list(rows.all())


async def ping(session: AsyncSession) -> None:
    """One trivial read: raises if the database cannot be reached."""
    await session.exec(select(InstanceRow.id).limit(1))
