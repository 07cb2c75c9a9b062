"""``kill -9`` in the middle of the Monday fan-out, then a restart: real processes.

Two hundred groups whose digest and weekly summary are due; the installed ``rectify-bot``
sends part of the fan-out, is killed with SIGKILL, and is started again. Every group gets its
digest and summary soon after the restart, and only messages that were in flight when the
process died (at most ``SEND_CONCURRENCY``) arrive twice. On SQLite and on PostgreSQL.

With two instances in webhook mode on one PostgreSQL, one is killed while it holds claims and
nothing is restarted: the survivor learns from the heartbeats that it is gone and takes its
claims over.

The bots' clock is shared and shifted to Monday 09:00 (``RECTIFY_CLOCK_START``); it runs at
real speed. Sweeps run every second and the heartbeat every half second (an instance is gone
after two silent seconds), so the restart is judged in seconds instead of the production
minute. Flood limits are on, in the stand-in and in the bot, at 100 messages a second
overall instead of Telegram's 30 so that the fan-out takes seconds, not a minute
(``test_instances`` holds the bot to Telegram's own rates).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from playground.standin import FakeTelegram, FloodLimits, Rate
from services.reminders import SEND_CONCURRENCY
from storage.database import Database
from tests.e2e.processes import (
    DIGEST_MARK,
    MONDAY_NINE,
    SUMMARY_MARK,
    BotProcess,
    environment,
    free_port,
    scheduled_in,
    seed_monday_fan_out,
    shared_clock,
    start_bot,
)

GROUPS = [-1_000_000_000_000 - n for n in range(200)]
KILL_AFTER = 40  # scheduled messages delivered before the kill
RESTART_DEADLINE = 90.0  # seconds for the restarted bot to finish the fan-out (CI is slow)
OVERALL = Rate(100, 1.0)  # a faster Telegram than the real one: the test is not about rates
CONFIG = """
[bot]
sweep_seconds = 1
heartbeat_seconds = 0.5

[limits]
overall = [80, 1]
"""  # under the stand-in's 100, which stamps requests when its busy loop gets to them
TAKEOVER_DEADLINE = 60.0  # seconds for the survivor to finish the fan-out after the kill
WEBHOOK_CONFIG = """
[telegram]
mode = "webhook"
webhook_url = "https://bot.example.test/telegram"
webhook_secret = "lb-s3cret"
listen = "127.0.0.1"
port = {port}
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The bot's database: a SQLite file, or a database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    pg_url: str = request.getfixturevalue("pg_database_url")
    return pg_url


def delivered(fake: FakeTelegram) -> int:
    """How many scheduled messages the stand-in has delivered so far."""
    return sum(len(scheduled_in(fake, chat_id)) for chat_id in GROUPS)


def complete(fake: FakeTelegram) -> bool:
    """Every group has a message with its digest and one with its summary."""
    for chat_id in GROUPS:
        texts = scheduled_in(fake, chat_id)
        if not any(DIGEST_MARK in t for t in texts) or not any(SUMMARY_MARK in t for t in texts):
            return False
    return True


async def rows(url: str, sql: str, **params: object) -> list[tuple[Any, ...]]:
    """What a query over the bot's database returns (a connection of its own)."""
    db = Database.from_url(url)
    try:
        async with db.engine.connect() as connection:
            result = await connection.execute(text(sql), params)
            return [tuple(row) for row in result.all()]
    finally:
        await db.close()


async def unsent_keys(url: str) -> int:
    """Scheduled messages not recorded as sent."""
    ((count,),) = await rows(url, "SELECT count(*) FROM dispatches WHERE sent_at IS NULL")
    return int(count)


async def test_kill_9_mid_fan_out_then_restart_sends_everything_once(
    url: str, tmp_path: Path
) -> None:
    """Killed after 40 of 200 messages: the restart delivers the rest within seconds.

    Each group ends with exactly one digest and one summary (in one message), except those
    whose message was in flight at the kill, which may have it twice; no 429 at any point.
    A clean stop afterwards leaves every scheduled message recorded as sent.
    """
    await seed_monday_fan_out(url, GROUPS)
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    async with FakeTelegram(flood_limits=FloodLimits(overall=OVERALL)) as fake:
        for n, chat_id in enumerate(GROUPS):
            fake.add_group(chat_id, f"第{n + 1}党支部")
        env = environment(fake, url, config) | shared_clock(MONDAY_NINE)
        first = await start_bot(env, tmp_path, "first")
        try:
            await fake.wait_for(lambda: delivered(fake) >= KILL_AFTER, timeout=60)
        finally:
            first.kill()
        assert await first.wait() == -9
        before_restart = delivered(fake)
        assert before_restart < len(GROUPS), "the fan-out ended before the kill"
        restarted_at = time.monotonic()
        second = await start_bot(env, tmp_path, "second")
        try:
            await fake.wait_for(lambda: complete(fake), timeout=RESTART_DEADLINE)
            took = time.monotonic() - restarted_at
        finally:
            status = await second.terminate()
        assert status == 0, second.output()
        refused = [c for c in fake.calls if c.status == 429]
    counts = [len(scheduled_in(fake, chat_id)) for chat_id in GROUPS]
    assert all(count in (1, 2) for count in counts)
    assert sum(counts) - len(GROUPS) <= SEND_CONCURRENCY
    assert all(
        DIGEST_MARK in t and SUMMARY_MARK in t for c in GROUPS for t in scheduled_in(fake, c)
    )
    assert refused == []
    assert await unsent_keys(url) == 0
    assert took < RESTART_DEADLINE


async def unsent_claims(url: str) -> dict[int, tuple[str, int]]:
    """Unsent scheduled messages claimed per instance: pid → (instance id, claims)."""
    found = await rows(
        url,
        "SELECT i.pid, i.id, count(*) FROM dispatches d JOIN instances i ON i.id = d.claimed_by"
        " WHERE d.sent_at IS NULL GROUP BY i.pid, i.id",
    )
    return {int(pid): (str(ident), int(n)) for pid, ident, n in found}


async def instance_ids(url: str) -> dict[int, str]:
    """The instances on record: pid → instance id."""
    return {int(pid): str(ident) for pid, ident in await rows(url, "SELECT pid, id FROM instances")}


async def taken_over_by(url: str, instance_id: str) -> int:
    """Messages ``instance_id`` sent on a claim it took over (a second attempt)."""
    ((count,),) = await rows(
        url,
        "SELECT count(*) FROM dispatches WHERE claimed_by = :me AND attempts = 2"
        " AND sent_at IS NOT NULL",
        me=instance_id,
    )
    return int(count)


async def test_kill_9_one_of_two_instances_and_the_survivor_takes_over(
    pg_database_url: str, tmp_path: Path
) -> None:
    """Two webhook instances on PostgreSQL; one is killed holding claims, the other finishes.

    Both sweep and split the fan-out; after 40 messages the one holding more unsent claims gets
    SIGKILL and nothing is restarted. The survivor learns from the heartbeats that it is gone,
    takes over every claim it left unsent (the survivor sends each of them) and delivers
    every group's digest and summary within seconds; only messages in flight at the kill may
    arrive twice; no 429.
    """
    url = pg_database_url
    await seed_monday_fan_out(url, GROUPS)
    clock = shared_clock(MONDAY_NINE)
    async with FakeTelegram(flood_limits=FloodLimits(overall=OVERALL)) as fake:
        for n, chat_id in enumerate(GROUPS):
            fake.add_group(chat_id, f"第{n + 1}党支部")
        bots: dict[int, BotProcess] = {}
        try:
            for _ in range(2):
                config = tmp_path / f"config-{len(bots)}.toml"
                webhook = WEBHOOK_CONFIG.format(port=free_port())
                config.write_text(webhook + CONFIG, encoding="utf-8")
                bot = await start_bot(environment(fake, url, config) | clock, tmp_path, config.stem)
                bots[bot.process.pid] = bot
            await fake.wait_for(lambda: len(fake.calls_to("setWebhook")) == len(bots), 60)
            await fake.wait_for(lambda: delivered(fake) >= KILL_AFTER, timeout=60)
            holders = await unsent_claims(url)
            victim = max(holders, key=lambda pid: holders[pid][1])
            bots[victim].kill()
            assert await bots[victim].wait() == -9
            killed_at = time.monotonic()
            assert delivered(fake) < len(GROUPS), "the fan-out ended before the kill"
            (survivor,) = (bot for pid, bot in bots.items() if pid != victim)
            _, orphaned = (await unsent_claims(url))[victim]
            await fake.wait_for(lambda: complete(fake), timeout=TAKEOVER_DEADLINE)
            took = time.monotonic() - killed_at
        finally:
            statuses = await asyncio.gather(*(bot.terminate() for bot in bots.values()))
        assert sorted(statuses) == [-9, 0], survivor.output()[-3000:]
        refused = [c.summary() for c in fake.calls if c.status == 429]
    counts = [len(scheduled_in(fake, chat_id)) for chat_id in GROUPS]
    assert all(count in (1, 2) for count in counts)
    assert sum(counts) - len(GROUPS) <= SEND_CONCURRENCY
    assert all(
        DIGEST_MARK in t and SUMMARY_MARK in t for c in GROUPS for t in scheduled_in(fake, c)
    )
    assert refused == []
    assert await unsent_keys(url) == 0
    assert orphaned > 0
    survivor_id = (await instance_ids(url))[survivor.process.pid]
    assert await taken_over_by(url, survivor_id) == orphaned
    assert took < TAKEOVER_DEADLINE
