"""End-to-end fixtures: the real Application, polling the fake Bot API server over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot import run
from bot.app import Runtime, build_runtime
from bot.config import Config
from domain.clock import FixedClock
from domain.pacing import SendLimits
from playground.standin import CallbackAnswer, FakeTelegram, SentMessage
from services.ports import Timer

GROUP_A = -1001
GROUP_B = -1002
ADMIN = 1
OWNER = 2
BYSTANDER = 3
ADMIN_B = 4
# Thursday 2026-11-26 10:00 in Shanghai.
START = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@dataclass
class Chat:
    """The test's handle on a running bot: the fake server, the runtime and the clock."""

    fake: FakeTelegram
    runtime: Runtime
    clock: FixedClock

    async def say(self, chat_id: int, user_id: int, text: str, **kwargs: Any) -> SentMessage:
        """Type ``text`` as a user and return the bot's next message in that chat."""
        return await self.fake.say(chat_id, user_id, text, **kwargs)

    async def settle(self) -> None:
        """Wait until every queued update has been handled."""
        await self.fake.settle(self.runtime.application.update_queue)

    async def press(self, chat_id: int, message_id: int, user_id: int, text: str) -> CallbackAnswer:
        """Press a button by its label, wait for the answer and for the handler to finish."""
        query = self.fake.press_button(chat_id, message_id, user_id, text=text)
        answer = await self.fake.wait_callback_answer(query)
        await self.settle()
        return answer

    def texts(self, chat_id: int, after: int = 0) -> list[str]:
        """Texts the bot sent to a chat after call index ``after``."""
        return [m.text or "" for m in self.fake.sent_messages(chat_id)[after:]]


def populate(fake: FakeTelegram) -> None:
    """Two branch groups with an admin each, an owner and a bystander."""
    fake.add_user(ADMIN, "王书记", username="wang")
    fake.add_user(OWNER, "张三", username="zhang")
    fake.add_user(BYSTANDER, "李四", username="li")
    fake.add_user(ADMIN_B, "赵书记", username="zhao")
    fake.add_group(GROUP_A, "第一党支部", with_bot=False)
    fake.add_group(GROUP_B, "第二党支部", with_bot=False)
    for user in (ADMIN, OWNER, BYSTANDER):
        fake.add_member(GROUP_A, user)
    for user in (ADMIN_B, OWNER, BYSTANDER):
        fake.add_member(GROUP_B, user)
    fake.make_admin(GROUP_A, ADMIN, status="creator")
    fake.make_admin(GROUP_B, ADMIN_B, status="creator")
    fake.add_bot_to_group(GROUP_A, ADMIN)
    fake.add_bot_to_group(GROUP_B, ADMIN_B)


def config_for(fake: FakeTelegram, folder: Path, **overrides: Any) -> Config:
    """A configuration pointing at the fake server and a SQLite file in ``folder``.

    Flood limits are off, as they are in the stand-in unless a test enables them there: tests
    type commands faster than Telegram's 20 messages a minute per group would let them be
    answered. Tests of pacing pass ``limits``.
    """
    values: dict[str, Any] = {
        "token": fake.token,
        "base_url": fake.base_url,
        "base_file_url": fake.base_file_url,
        "database_url": f"sqlite+aiosqlite:///{folder / 'bot.db'}",
        "limits": SendLimits.off(),
    }
    values.update(overrides)
    return Config(**values)


async def start_runtime(
    config: Config, clock: FixedClock, *, timer: Timer | None = None
) -> Runtime:
    """Build and start the bot as ``rectify-bot run`` does (``bot.run``), in the test's loop.

    Polling holds each getUpdates for at most a second, so that stopping is quick.
    """
    runtime = build_runtime(config, clock, timer=timer)
    await run.start(runtime, poll_timeout=1)
    return runtime


async def stop_runtime(runtime: Runtime) -> None:
    """Stop as SIGTERM does (``bot.run.stop``): nothing in flight is lost."""
    await run.stop(runtime)


@pytest.fixture
async def chat(fake_telegram: FakeTelegram, tmp_path: Path) -> AsyncIterator[Chat]:
    """The real bot running against the fake, with two groups already set up."""
    populate(fake_telegram)
    clock = FixedClock(START)
    runtime = await start_runtime(config_for(fake_telegram, tmp_path), clock)
    handle = Chat(fake_telegram, runtime, clock)
    await handle.settle()
    yield handle
    await stop_runtime(runtime)
