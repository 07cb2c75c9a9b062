"""Webhook mode: Telegram posts updates to the bot's own HTTP server, checked by a secret."""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.web import WEBHOOK_PATH
from domain.clock import FixedClock
from playground.standin import FakeTelegram
from tests.e2e.conftest import START, config_for, start_runtime, stop_runtime

GROUP = -1001
USER = 2
SECRET = "s3cret-token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _update(fake: FakeTelegram, update_id: int, text: str) -> dict[str, object]:
    """An update as Telegram would post it, for a message the fake knows (so replies work)."""
    return {"update_id": update_id, "message": fake.send_text(GROUP, USER, text)}


async def test_webhook_mode_answers_updates_and_refuses_a_wrong_secret(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    """The bot registers its webhook, answers a posted update, and refuses a wrong secret."""
    fake = fake_telegram
    fake.add_user(USER, "张三", username="zhang")
    fake.add_group(GROUP, "第一党支部")
    fake.add_member(GROUP, USER)
    port = _free_port()
    public = f"https://bot.example.test/{WEBHOOK_PATH}"  # behind the operator's HTTPS proxy
    url = f"http://127.0.0.1:{port}/{WEBHOOK_PATH}"
    config = config_for(
        fake, tmp_path, mode="webhook", webhook_url=public, webhook_secret=SECRET, port=port
    )
    runtime = await start_runtime(config, FixedClock(START))
    try:
        assert fake.webhook_url == public
        async with aiohttp.ClientSession() as session:
            refused = await session.post(
                url,
                data=json.dumps(_update(fake, 1, "/help")),
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": "x",
                },
            )
            assert refused.status == 403
            start = fake.mark()
            accepted = await session.post(
                url,
                data=json.dumps(_update(fake, 2, "/help")),
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": SECRET,
                },
            )
            assert accepted.status == 200
        reply = await fake.wait_reply(GROUP, after=start)
        assert "/problem" in (reply.plain_text or "")
    finally:
        await stop_runtime(runtime)


async def test_a_posted_update_the_bot_cannot_parse_is_answered_200_and_skipped(
    fake_telegram: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A malformed update gets 200 (Telegram would retry anything else) and is logged.

    The next update is served; /healthz is on the same port.
    """
    fake = fake_telegram
    fake.add_user(USER, "张三", username="zhang")
    fake.add_group(GROUP, "第一党支部")
    fake.add_member(GROUP, USER)
    port = _free_port()
    config = config_for(
        fake,
        tmp_path,
        mode="webhook",
        webhook_url=f"https://bot.example.test/{WEBHOOK_PATH}",
        webhook_secret=SECRET,
        port=port,
    )
    runtime = await start_runtime(config, FixedClock(START))
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    url = f"http://127.0.0.1:{port}/{WEBHOOK_PATH}"
    try:
        async with aiohttp.ClientSession() as session:
            with caplog.at_level(logging.ERROR, logger="bot.updates"):
                broken = {"update_id": 7, "message": {"message_id": 1, "text": "/help"}}
                skipped = await session.post(url, data=json.dumps(broken), headers=headers)
            assert skipped.status == 200
            start = fake.mark()
            served = await session.post(
                url, data=json.dumps(_update(fake, 8, "/help")), headers=headers
            )
            assert served.status == 200
            reply = await fake.wait_reply(GROUP, after=start)
            health = await session.get(f"http://127.0.0.1:{port}/healthz")
            assert health.status == 200
            assert (await health.json())["database"] == "ok"
    finally:
        await stop_runtime(runtime)
    assert "/problem" in (reply.plain_text or "")
    assert "skipping update 7" in caplog.text
