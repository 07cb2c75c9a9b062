"""Flood limits: the stand-in counts the bot's messages and answers 429 as Telegram does."""

import datetime as dtm
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from telegram import Bot
from telegram.error import RetryAfter

from playground.standin import FakeTelegram, FloodControl, FloodLimits, ManualTime, Rate

GROUP = -1001
OTHER_GROUP = -1002
ALICE = 111
BOB = 222


def test_a_group_takes_20_messages_a_minute() -> None:
    """The 21st message to a group within a minute waits until the first leaves the window."""
    time = ManualTime()
    flood = FloodControl(FloodLimits(), time)
    for _ in range(20):
        assert flood.admit(GROUP, private=False) is None
        time.advance(0.5)
    assert flood.admit(GROUP, private=False) == 50
    assert flood.admit(OTHER_GROUP, private=False) is None
    time.advance(50)
    assert flood.admit(GROUP, private=False) is None


def test_the_bot_sends_30_messages_a_second_overall() -> None:
    """Thirty messages to thirty chats pass in one instant; the 31st must wait a second."""
    time = ManualTime()
    flood = FloodControl(FloodLimits(), time)
    for chat_id in range(1, 31):
        assert flood.admit(chat_id, private=True) is None
    assert flood.admit(31, private=True) == 1
    time.advance(1)
    assert flood.admit(31, private=True) is None


def test_a_private_chat_takes_one_message_a_second() -> None:
    """A second message to one private chat within a second is refused, not to another chat."""
    time = ManualTime()
    flood = FloodControl(FloodLimits(), time)
    assert flood.admit(ALICE, private=True) is None
    time.advance(0.25)
    assert flood.admit(ALICE, private=True) == 1  # 0.75 s rounded up to whole seconds
    assert flood.admit(BOB, private=True) is None
    time.advance(0.75)
    assert flood.admit(ALICE, private=True) is None


def test_refused_messages_count_nothing() -> None:
    """Retrying too early does not push the wait further out."""
    time = ManualTime()
    flood = FloodControl(FloodLimits(per_group=Rate(2, 60.0)), time)
    flood.admit(GROUP, private=False)
    flood.admit(GROUP, private=False)
    for _ in range(5):
        assert flood.admit(GROUP, private=False) == 60
    time.advance(60)
    assert flood.admit(GROUP, private=False) is None


def test_a_limit_set_to_none_is_not_enforced() -> None:
    """With the private-chat limit off, only the overall limit applies to private chats."""
    flood = FloodControl(FloodLimits(per_private_chat=None), ManualTime())
    assert all(flood.admit(ALICE, private=True) is None for _ in range(30))
    assert flood.admit(ALICE, private=True) == 1


@pytest_asyncio.fixture
async def limited() -> AsyncIterator[tuple[FakeTelegram, ManualTime]]:
    """A stand-in enforcing Telegram's flood limits on a time the test moves, with one group."""
    time = ManualTime()
    async with FakeTelegram(flood_limits=FloodLimits(), monotonic=time) as fake:
        fake.add_user(ALICE, "张三", started=True)
        fake.add_group(GROUP, "第一支部")
        yield fake, time


async def test_flooding_a_group_is_answered_with_429_and_retry_after(
    limited: tuple[FakeTelegram, ManualTime],
) -> None:
    """The 21st message in a minute raises RetryAfter(60) and is not delivered; later it is."""
    fake, time = limited
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        for n in range(20):
            await bot.send_message(GROUP, f"第{n}条")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(GROUP, "第21条")
        assert caught.value.retry_after == dtm.timedelta(seconds=60)
        refused = fake.calls_to("sendMessage")[-1]
        assert (refused.status, refused.description) == (429, "Too Many Requests: retry after 60")
        assert refused.response["parameters"] == {"retry_after": 60}
        assert len(fake.sent_messages(GROUP)) == 20
        time.advance(60)
        await bot.send_message(GROUP, "第21条")
    assert fake.last_message(GROUP).text == "第21条"


async def test_documents_and_photos_count_too(limited: tuple[FakeTelegram, ManualTime]) -> None:
    """Every message the bot sends counts, whatever it carries; edits do not."""
    fake, _ = limited
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        first = await bot.send_message(ALICE, "一")
        await bot.edit_message_text("二", ALICE, first.message_id)
        with pytest.raises(RetryAfter):
            await bot.send_document(ALICE, b"x", filename="a.txt")
        with pytest.raises(RetryAfter):
            await bot.send_photo(ALICE, b"\xff\xd8jpeg")


async def test_flood_limits_are_off_unless_asked_for(fake_telegram: FakeTelegram) -> None:
    """By default the stand-in accepts messages as fast as a test sends them."""
    fake_telegram.add_group(GROUP, "第一支部")
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url) as bot:
        for n in range(25):
            await bot.send_message(GROUP, str(n))
    assert len(fake_telegram.sent_messages(GROUP)) == 25
