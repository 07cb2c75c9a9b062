"""The reminder sweep over 100,000 open items in 5,000 groups on SQLite (``make bench``).

Builds a migrated SQLite file with bulk inserts, then measures, on two copies of it:

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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert, text
from sqlalchemy.dialects import sqlite
from sqlmodel import SQLModel

from domain.clock import FixedClock
from domain.settings import GroupSettings
from services.ports import SendResult
from services.reminders import ReminderService, SweepReport
from storage import (
    models,  # noqa: F401  (registers the tables)
    sweep_reads,
)
from storage.database import Database

GROUPS = 5_000
ITEMS_PER_GROUP = 20
SPREAD_DAYS = 365  # deadlines spread over a year, from 30 days overdue onwards
ZONE = ZoneInfo("Asia/Shanghai")
TUESDAY = date(2026, 12, 1)
MONDAY = date(2026, 12, 7)
BUILT = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
ROWS_PER_INSERT = 5_000


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


def _group_rows() -> list[dict[str, Any]]:
    return [
        {
            "id": n,
            "chat_id": -1_000_000_000_000 - n,
            "title": f"第{n}党支部",
            "name_override": "",
            "chat_type": "supergroup",
            "active": True,
            "settings_json": "{}",
            "next_number": ITEMS_PER_GROUP + 1,
            "created_at": BUILT,
            "updated_at": BUILT,
        }
        for n in range(1, GROUPS + 1)
    ]


def _item_rows(today: date) -> list[dict[str, Any]]:
    rows = []
    for n in range(GROUPS * ITEMS_PER_GROUP):
        offset = (n * 37) % SPREAD_DAYS - 30
        rows.append(
            {
                "id": n + 1,
                "group_id": n // ITEMS_PER_GROUP + 1,
                "number": n % ITEMS_PER_GROUP + 1,
                "problem": f"三会一课记录不规范,会议记录缺少签字({n})",
                "detail": "",
                "category": "组织建设",
                "unit": "第一党支部",
                "lead": "王书记",
                "source": "巡察反馈",
                "status": "open",
                "due_kind": "date",
                "due_date": today + timedelta(days=offset),
                "due_phrase": "",
                "original_due": today + timedelta(days=offset),
                "deleted": False,
                "return_count": 0,
                "extension_count": 0,
                "created_by": 1,
                "created_by_name": "王书记",
                "created_at": BUILT,
                "updated_at": BUILT,
                "closed_by_name": "",
            }
        )
    return rows


def _owner_rows() -> list[dict[str, Any]]:
    return [
        {"item_id": n + 1, "position": 0, "name": f"张{n % 977}", "user_id": 10_000 + n % 977}
        for n in range(GROUPS * ITEMS_PER_GROUP)
    ]


async def _bulk(db: Database, table: Table, rows: list[dict[str, Any]]) -> None:
    async with db.engine.begin() as connection:
        for start in range(0, len(rows), ROWS_PER_INSERT):
            await connection.execute(insert(table), rows[start : start + ROWS_PER_INSERT])


async def build(path: Path) -> float:
    """Create and fill the database file; returns the seconds it took."""
    started = time.perf_counter()
    db = Database.from_url(f"sqlite+aiosqlite:///{path}")
    await db.upgrade()
    tables = SQLModel.metadata.tables
    await _bulk(db, tables["groups"], _group_rows())
    await _bulk(db, tables["items"], _item_rows(TUESDAY))
    await _bulk(db, tables["owners"], _owner_rows())
    async with db.engine.begin() as connection:
        await connection.execute(text("ANALYZE"))
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


def show(name: str, result: Measured) -> None:
    """Print one sweep's figures."""
    report = result.report
    total = GROUPS * ITEMS_PER_GROUP
    print(
        f"{name}\n"
        f"  time {result.seconds:8.2f} s   ({result.seconds / GROUPS * 1000:.2f} ms per group)\n"
        f"  peak memory {result.peak_bytes / 2**20:7.1f} MiB (tracemalloc)\n"
        f"  item rows read {report.items_read:,} ({report.items_read / total:.1%} of {total:,})\n"
        f"  messages {result.messages:,}; {report}"
    )


def at(day: date, hour: int, minute: int) -> datetime:
    """An aware instant in Shanghai."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


async def main() -> None:
    """Build the data, run the three sweeps, print figures and ratios."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "bench.db"
        built = await build(base)
        timed, traced = Path(folder) / "timed.db", Path(folder) / "traced.db"
        shutil.copy(base, timed)
        shutil.copy(base, traced)
        print(f"built {GROUPS:,} groups, {GROUPS * ITEMS_PER_GROUP:,} open items in {built:.1f} s")
        print("digest read plan: " + " | ".join(await query_plan(base)))
        first = await measure(timed, traced, at(TUESDAY, 9, 5))
        show("sweep 1: Tuesday 09:05, every digest due", first)
        second = await measure(timed, traced, at(TUESDAY, 9, 6))
        show("sweep 2: Tuesday 09:06, every digest already sent", second)
        monday = await measure(timed, traced, at(MONDAY, 9, 5))
        show(
            "sweep 3: Monday 09:05, digests and weekly summaries due (a summary reads all)", monday
        )
        print(
            f"ratios: sweep 2 / sweep 1 time {second.seconds / first.seconds:.3f}; "
            f"sweep 3 / sweep 1 time {monday.seconds / first.seconds:.2f}"
        )


if __name__ == "__main__":
    asyncio.run(main())
