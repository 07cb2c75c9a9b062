"""The shared send pacer: instances reserving through one database stay within one budget."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from domain.pacing import MARGIN, Rate, SendLimits, headroom
from services.pacing import SendPacer
from storage.database import Database

OVERALL = Rate(5, 1.0)
GROUP = Rate(3, 10.0)
LIMITS = SendLimits(overall=OVERALL, group=GROUP, private=Rate(1, 1.0))
NOW = 1_800_000_000.0


class StillTimer:
    """A timer standing at one instant (reservations are computed, nobody waits)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        """The instant the timer stands at."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Move the timer on instead of waiting."""
        self.now += max(0.0, seconds)


def most_in_any_window(times: list[float], seconds: float) -> int:
    """The largest number of instants in any half-open window (end - seconds, end]."""
    return max((sum(1 for t in times if end - seconds < t <= end) for end in times), default=0)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database: a SQLite file, or a database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'ledger.db'}"
    pg_url: str = request.getfixturevalue("pg_database_url")
    return pg_url


@pytest.fixture
async def two_databases(url: str) -> AsyncIterator[tuple[Database, Database]]:
    """Two engines (two instances) on one migrated database, SQLite or PostgreSQL."""
    first, second = Database.from_url(url), Database.from_url(url)
    await first.upgrade()
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


async def test_two_instances_share_one_budget(two_databases: tuple[Database, Database]) -> None:
    """40 fan-out messages reserved at once by two instances fit one instance's limits.

    Overall at most 5 (minus the replies' headroom) in any 1.1 s, and at most 3 in any 11 s to
    the one group that gets several; the others go at once.
    """
    timer = StillTimer(NOW)
    pacers = [SendPacer(db, LIMITS, timer) for db in two_databases]
    chats = [-1001 if n % 4 == 0 else -2000 - n for n in range(40)]
    slots = await asyncio.gather(
        *(pacers[n % 2].reserve(chat, bulk=True) for n, chat in enumerate(chats))
    )
    overall_cap = OVERALL.count - headroom(OVERALL.count)
    assert most_in_any_window(list(slots), OVERALL.seconds * (1 + MARGIN)) == overall_cap
    busy = [at for at, chat in zip(slots, chats, strict=True) if chat == -1001]
    assert most_in_any_window(busy, GROUP.seconds * (1 + MARGIN)) == GROUP.count
    assert min(slots) == NOW


async def test_a_reply_goes_at_once_while_a_fan_out_is_booked_ahead(
    two_databases: tuple[Database, Database],
) -> None:
    """A fan-out on one instance has booked the next seconds; a reply on the other goes now."""
    timer = StillTimer(NOW)
    fan_out, replies = (SendPacer(db, LIMITS, timer) for db in two_databases)
    booked = [await fan_out.reserve(-3000 - n, bulk=True) for n in range(12)]
    assert max(booked) > NOW + 1
    assert await replies.reserve(-1001, bulk=False) == NOW


async def test_waiting_for_a_turn_sleeps_until_the_reserved_instant(tmp_path: Path) -> None:
    """``wait_turn`` sleeps exactly until its instant; private chats get one a second."""
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'ledger.db'}")
    await db.upgrade()
    timer = StillTimer(NOW)
    try:
        pacer = SendPacer(db, LIMITS, timer)
        waits = [await pacer.wait_turn(7, bulk=False) for _ in range(3)]
    finally:
        await db.close()
    assert waits[0] == 0.0
    assert waits[1] == pytest.approx(1.0 * (1 + MARGIN), abs=1e-3)
    assert timer.now == pytest.approx(NOW + 2 * 1.0 * (1 + MARGIN), abs=1e-3)


async def test_without_limits_nothing_waits(tmp_path: Path) -> None:
    """Limits switched off: no reservation, no wait (the database is not even opened)."""
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'never-created.db'}")
    pacer = SendPacer(db, SendLimits.off(), StillTimer(NOW))
    assert [await pacer.wait_turn(-1001, bulk=True) for _ in range(50)] == [0.0] * 50
    await db.close()
    assert not (tmp_path / "never-created.db").exists()
