"""Three ``rectify-bot`` processes in webhook mode on one PostgreSQL, behind a "load balancer".

The test plays the load balancer: it posts Telegram's updates to the three webhook endpoints
in turn, with the secret header, while the Monday fan-out is due. Every command is answered
once, every group gets its digest and summary once, and the three together stay within one
bot's flood limits — the stand-in counts and refuses (429) whatever exceeds 30 messages a
second overall or the per-group limit, and refuses nothing (the bots are set to 24 a second
overall, see BOTS_OVERALL). The per-group limit is 4 messages
in 2 seconds in the stand-in and in the bots' configuration (Telegram's is 20 a minute), so
that a busy group runs into it within seconds.

The bots' clock is shared and shifted to Monday 09:00 (``RECTIFY_CLOCK_START``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bot.web import SECRET_HEADER, WEBHOOK_PATH
from playground.standin import FakeTelegram, FloodLimits, Rate
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

INSTANCES = 3
GROUPS = [-1_000_000_000_000 - n for n in range(30)]
BUSY = GROUPS[0]  # gets eight more commands than the others
BUSY_COMMANDS = 8
USER = 7
SECRET = "lb-s3cret"
PER_GROUP = Rate(4, 2.0)
# The bots aim at 24 messages a second together, the stand-in refuses beyond 30: it stamps a
# request when its own (busy) event loop reads it, so on a loaded machine requests sent in
# order can be stamped in bursts. Three unshared limiters would still send 3 × 24 a second.
BOTS_OVERALL = 24
CONFIG = """
[telegram]
mode = "webhook"
webhook_url = "https://bot.example.test/telegram"
webhook_secret = "{secret}"
listen = "127.0.0.1"
port = {port}

[bot]
sweep_seconds = 1
heartbeat_seconds = 0.5

[limits]
overall = [{overall}, 1]
group = [{count}, {seconds}]
"""


def config_file(folder: Path, port: int) -> Path:
    """The configuration of the instance listening on ``port``."""
    path = folder / f"config-{port}.toml"
    text = CONFIG.format(
        secret=SECRET,
        port=port,
        overall=BOTS_OVERALL,
        count=PER_GROUP.count,
        seconds=PER_GROUP.seconds,
    )
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Command:
    """A user's command as Telegram posts it to a webhook, and where it was typed."""

    update: dict[str, object]
    chat_id: int
    message_id: int


def command(fake: FakeTelegram, update_id: int, chat_id: int, text: str) -> Command:
    """The user types ``text`` in ``chat_id``."""
    message = fake.send_text(chat_id, USER, text)
    return Command({"update_id": update_id, "message": message}, chat_id, message["message_id"])


def answered(fake: FakeTelegram, chat_id: int, message_id: int) -> int:
    """How many answers the bot sent to one command."""
    return sum(1 for m in fake.sent_messages(chat_id) if m.reply_to == message_id)


async def test_three_instances_share_the_updates_the_fan_out_and_the_flood_limits(
    pg_database_url: str, tmp_path: Path
) -> None:
    """38 commands spread over three instances while they sweep: each answered once.

    Each group gets one message with its digest and summary; nothing is refused with 429;
    every instance reports healthy on /healthz and stops cleanly on SIGTERM.
    """
    await seed_monday_fan_out(pg_database_url, GROUPS)
    ports = [free_port() for _ in range(INSTANCES)]
    limits = FloodLimits(per_group=PER_GROUP)
    async with FakeTelegram(flood_limits=limits) as fake:
        fake.add_user(USER, "张三", username="zhang")
        for n, chat_id in enumerate(GROUPS):
            fake.add_group(chat_id, f"第{n + 1}党支部")
            fake.add_member(chat_id, USER)
        clock = shared_clock(MONDAY_NINE)
        bots: list[BotProcess] = []
        try:
            for port in ports:
                env = environment(fake, pg_database_url, config_file(tmp_path, port)) | clock
                bots.append(await start_bot(env, tmp_path, f"bot-{port}"))
            await fake.wait_for(lambda: len(fake.calls_to("setWebhook")) == INSTANCES, 60)
            chats = GROUPS + [BUSY] * BUSY_COMMANDS
            texts = ["/list"] * len(GROUPS) + ["/help"] * BUSY_COMMANDS
            commands = [
                command(fake, n, chat_id, text)
                for n, (chat_id, text) in enumerate(zip(chats, texts, strict=True), start=1)
            ]
            targets = itertools.cycle(f"http://127.0.0.1:{port}/{WEBHOOK_PATH}" for port in ports)
            headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
            async with aiohttp.ClientSession() as session:
                posted = await asyncio.gather(
                    *(
                        session.post(url, data=json.dumps(c.update), headers=headers)
                        for url, c in zip(targets, commands, strict=False)
                    )
                )
                assert [answer.status for answer in posted] == [200] * len(commands)
                for answer in posted:
                    answer.release()

                def done() -> bool:
                    replies = all(answered(fake, c.chat_id, c.message_id) for c in commands)
                    return replies and all(scheduled_in(fake, c) for c in GROUPS)

                await fake.wait_for(done, timeout=60)
                for port in ports:
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as health:
                        assert health.status == 200
                        assert (await health.json())["status"] == "ok"
        finally:
            statuses = await asyncio.gather(*(bot.terminate() for bot in bots))
        assert statuses == [0] * INSTANCES, [bot.output()[-3000:] for bot in bots]
        refused = [c.summary() for c in fake.calls if c.status == 429]
    assert refused == []
    assert [answered(fake, c.chat_id, c.message_id) for c in commands] == [1] * len(commands)
    for chat_id in GROUPS:
        (scheduled,) = scheduled_in(fake, chat_id)
        assert DIGEST_MARK in scheduled
        assert SUMMARY_MARK in scheduled
