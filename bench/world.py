"""The real bot against the fake Bot API, on a bulk-filled ledger: what the benchmarks drive.

The bot is built and started exactly as ``tests/e2e/conftest.py`` starts it (``bot.run``),
polling the stand-in over HTTP on 127.0.0.1, with Telegram's flood limits enforced by the
stand-in and the bot's own pacing on (``SendLimits()``, as in production). The stand-in runs in
the same process and event loop, so its work counts in every figure, as a network would.
The scheduled sweep job is removed: the benchmarks run the sweep themselves, when they mean to.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bench.data import OWNERS_PER_GROUP, Ledger, admin_of, chat_id_of, fill
from bot import run
from bot.app import Runtime, build_runtime
from bot.config import Config
from bot.jobs import SWEEP_JOB
from domain.clock import FixedClock
from playground.standin import FakeTelegram, FloodLimits
from storage.database import Database

# Monday 2026-12-07 in Shanghai: 08:00 nothing is due yet; at 09:05 every digest and summary is.
MONDAY = date(2026, 12, 7)
BEFORE_SLOTS = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai
SLOTS_DUE = datetime(2026, 12, 7, 1, 5, tzinfo=UTC)  # 09:05 in Shanghai


@dataclass
class Bot:
    """A running bot, the stand-in it talks to, its clock, and the groups users talk in."""

    fake: FakeTelegram
    runtime: Runtime
    clock: FixedClock
    busy: Ledger | None


def _populate(fake: FakeTelegram, ledgers: Sequence[Ledger], busy: Ledger | None) -> None:
    """Every group in the stand-in with the bot in it; the busy ones with their admin and owners."""
    for ledger in ledgers:
        for group_id in ledger.group_ids:
            fake.add_group(chat_id_of(group_id), f"第{group_id}党支部")
    if busy is None:
        return
    for group_id in busy.group_ids:
        chat_id, admin = chat_id_of(group_id), admin_of(group_id)
        fake.add_user(admin, f"书记{group_id}", username=f"secretary{group_id}")
        fake.add_member(chat_id, admin)
        fake.make_admin(chat_id, admin, status="creator")
        for k in range(1, OWNERS_PER_GROUP + 1):
            fake.add_user(admin + k, f"张{(admin + k) % 977}")
            fake.add_member(chat_id, admin + k)


@asynccontextmanager
async def running_bot(
    database_url: str,
    ledgers: Sequence[Ledger],
    *,
    busy: Ledger | None = None,
    at: datetime = BEFORE_SLOTS,
) -> AsyncIterator[Bot]:
    """Fill a database with ``ledgers``, start the stand-in and the bot; stop both on leaving."""
    db = Database.from_url(database_url)
    try:
        await fill(db, ledgers, MONDAY)
    finally:
        await db.close()
    async with FakeTelegram(flood_limits=FloodLimits()) as fake:
        _populate(fake, ledgers, busy)
        clock = FixedClock(at)
        config = Config(
            token=fake.token,
            base_url=fake.base_url,
            base_file_url=fake.base_file_url,
            database_url=database_url,
            sweep_seconds=3_600.0,
        )
        runtime = build_runtime(config, clock)
        await run.start(runtime, poll_timeout=1)
        try:
            job_queue = runtime.application.job_queue
            if job_queue is not None:
                for job in job_queue.get_jobs_by_name(SWEEP_JOB):
                    job.schedule_removal()
            await fake.settle(runtime.application.update_queue)
            yield Bot(fake, runtime, clock, busy)
        finally:
            await run.stop(runtime)
