"""Running the installed ``rectify-bot`` as a real process against the stand-in.

Each process writes its output to a file in the test's folder (a pipe nobody reads would fill
up and stop a chatty bot). The bot's clock can be set from outside with
``RECTIFY_CLOCK_START``/``RECTIFY_CLOCK_ANCHOR`` (``bot.app.clock_from_environment``):
processes given the same pair share one clock running at real speed, so a restarted bot lives
in the same time as the one it replaces.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import CLOCK_ANCHOR, CLOCK_START
from domain.clock import FixedClock
from domain.deadline import Deadline, DeadlineKind
from domain.items import Actor
from domain.problem_form import ProblemDraft
from domain.settings import GroupSettings
from playground.standin import FakeTelegram
from services.container import build_services
from storage.database import Database

EXECUTABLE = str(Path(sys.executable).parent / "rectify-bot")
EXIT_TIMEOUT = 30.0
ADMIN = Actor(user_id=1, name="王书记", username="wang", is_admin=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def environment(fake: FakeTelegram, database_url: str, config: Path) -> dict[str, str]:
    """The environment of a bot process: the stand-in, the database and a config file."""
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "RECTIFY_CONFIG")}
    env.update(
        {
            "PTB_TIMEDELTA": "1",
            "BOT_TOKEN": fake.token,
            "BOT_API_BASE_URL": fake.base_url,
            "DATABASE_URL": database_url,
            "RECTIFY_CONFIG": str(config),
        }
    )
    return env


def shared_clock(start: datetime) -> dict[str, str]:
    """Clock variables under which every process started from now on reads ``start`` now."""
    return {CLOCK_START: start.isoformat(), CLOCK_ANCHOR: repr(time.time())}


@dataclass
class BotProcess:
    """One running ``rectify-bot``, its output going to ``log``."""

    process: asyncio.subprocess.Process
    log: Path

    def output(self) -> str:
        """Everything the process wrote so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """``kill -9``: no handler runs, nothing is cleaned up."""
        self.process.send_signal(signal.SIGKILL)

    async def wait(self) -> int:
        """Wait for the process to end; its exit status."""
        return await asyncio.wait_for(self.process.wait(), EXIT_TIMEOUT)

    async def terminate(self) -> int:
        """SIGTERM, as a service manager stops it; its exit status."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await self.wait()


async def start_bot(env: dict[str, str], folder: Path, name: str) -> BotProcess:
    """Start ``rectify-bot run`` in ``folder``, output to ``<name>.log``."""
    log = folder / f"{name}.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            EXECUTABLE, "run", env=env, cwd=folder, stdout=output, stderr=asyncio.subprocess.STDOUT
        )
    return BotProcess(process, log)


MONDAY_NINE = datetime(2026, 11, 30, 9, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
DIGEST_MARK = "今日整改提醒"
SUMMARY_MARK = "整改周报"


async def seed_monday_fan_out(database_url: str, chats: list[int]) -> None:
    """A migrated database where each chat's group has one overdue item.

    At :data:`MONDAY_NINE` every group's daily digest and weekly summary are due.
    """
    db = Database.from_url(database_url)
    await db.upgrade()
    clock = FixedClock(datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    services = build_services(db, clock, GroupSettings())
    due = Deadline(DeadlineKind.DATE, date(2026, 11, 25), "11月25日前")
    try:
        for n, chat_id in enumerate(chats):
            await services.groups.bot_added(chat_id, "supergroup", f"第{n + 1}党支部")
            draft = ProblemDraft(f"三会一课记录不规范({n + 1})", (), due)
            await services.ledger.register(chat_id, ADMIN, draft)
    finally:
        await db.close()


def scheduled_in(fake: FakeTelegram, chat_id: int) -> list[str]:
    """The messages to ``chat_id`` that carry a digest or a weekly summary."""
    texts = [m.text or "" for m in fake.sent_messages(chat_id)]
    return [t for t in texts if DIGEST_MARK in t or SUMMARY_MARK in t]
