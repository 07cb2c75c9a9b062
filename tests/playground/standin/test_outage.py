"""The stand-in going away and coming back, and updates queued exactly as given."""

from __future__ import annotations

import aiohttp
import pytest
from telegram import Bot
from telegram.error import NetworkError

from playground.standin import FakeTelegram

GROUP = -1001
ALICE = 111


async def test_a_disconnected_stand_in_refuses_connections_and_comes_back_on_its_port(
    fake_telegram: FakeTelegram,
) -> None:
    """While disconnected every call fails to connect; reconnected, the same URL works again.

    What users did meanwhile waits in the update queue.
    """
    fake = fake_telegram
    fake.add_group(GROUP, "第一支部")
    fake.add_user(ALICE, "张三")
    fake.add_member(GROUP, ALICE)
    port = fake.port
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        await fake.disconnect()
        fake.send_text(GROUP, ALICE, "/help")
        with pytest.raises(NetworkError):
            await bot.send_message(GROUP, "hello")
        await fake.reconnect()
        assert fake.port == port
        await bot.send_message(GROUP, "hello")
        (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.text == "/help"


async def test_a_queued_update_is_handed_out_exactly_as_given(fake_telegram: FakeTelegram) -> None:
    """``queue_update`` queues any payload, even one no real message would have."""
    fake = fake_telegram
    update_id = fake.queue_update("message", {"message_id": 1, "text": "no chat, no date"})
    url = f"{fake.base_url}{fake.token}/getUpdates"
    async with aiohttp.ClientSession() as session, session.post(url, json={}) as answer:
        body = await answer.json()
    assert body["result"] == [
        {"update_id": update_id, "message": {"message_id": 1, "text": "no chat, no date"}}
    ]
