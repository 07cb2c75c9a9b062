"""Benchmark (4): the reminder sweep over many open items on SQLite (100,000 with ``--full``).

Builds a migrated SQLite file with bulk inserts (20 open items a group), then measures, on two
copies of it:

1. the sweep at Tuesday 09:05, when every group's digest is due (claims, reads, renders, sends);
2. the next sweep a minute later, when every digest is already sent (the steady state);
3. Monday 09:05, when the weekly summaries are due too (they read every item of every group).

Each sweep is timed on one copy and traced with ``tracemalloc`` (peak memory) on the other, so
that tracing does not inflate the times. The notifier accepts every message without network.
Figures and ratios are printed; nothing is asserted.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.dialects import sqlite

from bench.common import FULL, TARGET_PEAK_MIB, Backend, Sizes, heading, verdict
from bench.data import Ledger, fill
from domain.clock import FixedClock
from domain.settings import GroupSettings
from services.ports import SendResult
from services.reminders import ReminderService, SweepReport
from storage import sweep_reads
from storage.database import Database

ITEMS_PER_GROUP = 20
ZONE = ZoneInfo("Asia/Shanghai")
TUESDAY = date(2026, 12, 1)
MONDAY = date(2026, 12, 7)


class CountingNotifier:
    """Accepts every message and counts them (no network in a benchmark)."""

    def __init__(self) -> None:
        self.messages = 0
        self.parts = 0

    async def send(self, chat_id: int, parts: Sequence[str]) -> SendResult:
        """Count the message as delivered."""
        self.messages += 1
        self.parts += len(parts)
        return SendResult.ok()


def shared_owner(group_id: int, number: int) -> int:
    """977 owners shared by every group, item after item (as this benchmark always had them)."""
    n = (group_id - 1) * ITEMS_PER_GROUP + number - 1
    return 10_000 + n % 977


async def build(path: Path, groups: int) -> float:
    """Create and fill the database file; returns the seconds it took."""
    started = time.perf_counter()
    db = Database.from_url(f"sqlite+aiosqlite:///{path}")
    try:
        await fill(db, [Ledger(1, groups, ITEMS_PER_GROUP)], TUESDAY, shared_owner)
    finally:
        await db.close()
    return time.perf_counter() - started


async def query_plan(path: Path) -> list[str]:
    """SQLite's plan for the digest's main read, compiled from the query the sweep runs."""
    db = Database.from_url(f"sqlite+aiosqlite:///{path}")
    query = sweep_reads.due_items_query([1, 2, 3], date(2026, 12, 8))
    compiled = query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
    sql = f"EXPLAIN QUERY PLAN {compiled}"
    async with db.engine.connect() as connection:
        rows = (await connection.execute(text(sql))).all()
    await db.close()
    return [str(row[-1]) for row in rows]


@dataclass
class Measured:
    """One sweep: its report, wall time and (on the traced copy) peak memory."""

    report: SweepReport
    seconds: float
    peak_bytes: int
    messages: int


async def _sweep(db: Database, moment: datetime, notifier: CountingNotifier) -> SweepReport:
    service = ReminderService(db, FixedClock(moment), GroupSettings(), notifier)
    return await service.sweep()


async def measure(timed: Path, traced: Path, moment: datetime) -> Measured:
    """Sweep both copies at ``moment``: time one, trace the other."""
    notifier = CountingNotifier()
    db = Database.from_url(f"sqlite+aiosqlite:///{timed}")
    started = time.perf_counter()
    report = await _sweep(db, moment, notifier)
    seconds = time.perf_counter() - started
    await db.close()
    traced_db = Database.from_url(f"sqlite+aiosqlite:///{traced}")
    tracemalloc.start()
    await _sweep(traced_db, moment, CountingNotifier())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    await traced_db.close()
    return Measured(report, seconds, peak, notifier.messages)


def show(name: str, result: Measured, groups: int) -> None:
    """Print one sweep's figures."""
    report = result.report
    total = groups * ITEMS_PER_GROUP
    print(
        f"  {name}\n"
        f"    time {result.seconds:8.2f} s   ({result.seconds / groups * 1000:.2f} ms per group)\n"
        f"    peak memory {result.peak_bytes / 2**20:7.1f} MiB (tracemalloc)\n"
        f"    item rows read {report.items_read:,} ({report.items_read / total:.1%} of {total:,})\n"
        f"    messages {result.messages:,}; {report}"
    )


def at(day: date, hour: int, minute: int) -> datetime:
    """An aware instant in Shanghai."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


async def sweep(sizes: Sizes, backend: Backend) -> None:
    """Build the data, run the three sweeps, print figures and ratios (SQLite only)."""
    groups = sizes.sweep_groups
    heading(f"reminder sweep over {groups * ITEMS_PER_GROUP:,} open items in {groups:,} groups")
    if backend.name != "sqlite":
        print("  skipped: this benchmark copies SQLite files (run it with --db sqlite)")
        return
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "bench.db"
        built = await build(base, groups)
        timed, traced = Path(folder) / "timed.db", Path(folder) / "traced.db"
        shutil.copy(base, timed)
        shutil.copy(base, traced)
        print(f"  built in {built:.1f} s; digest read plan: " + " | ".join(await query_plan(base)))
        first = await measure(timed, traced, at(TUESDAY, 9, 5))
        show("sweep 1: Tuesday 09:05, every digest due", first, groups)
        second = await measure(timed, traced, at(TUESDAY, 9, 6))
        show("sweep 2: Tuesday 09:06, every digest already sent", second, groups)
        monday = await measure(timed, traced, at(MONDAY, 9, 5))
        show(
            "sweep 3: Monday 09:05, digests and weekly summaries due (a summary reads all)",
            monday,
            groups,
        )
    print(
        f"  ratios: sweep 2 / sweep 1 time {second.seconds / first.seconds:.3f}; "
        f"sweep 3 / sweep 1 time {monday.seconds / first.seconds:.2f}"
    )
    peak = max(first.peak_bytes, second.peak_bytes, monday.peak_bytes) / 2**20
    verdict("peak memory of a sweep (tracemalloc)", f"{peak:.1f} MiB", f"< {TARGET_PEAK_MIB:g} MiB",
            peak < TARGET_PEAK_MIB)  # fmt: skip


if __name__ == "__main__":
    asyncio.run(sweep(FULL, Backend("sqlite")))
