"""Flood limits: the bot's AIORateLimiter waits out Telegram's 429 and sends again."""

from __future__ import annotations

from pathlib import Path

from domain.clock import FixedClock
from playground.standin import FakeTelegram, FloodLimits, ManualTime
from tests.e2e.conftest import OWNER, START, config_for, populate, start_runtime, stop_runtime


async def test_the_bot_retries_after_a_429(tmp_path: Path) -> None:
    """Two answers to one private chat in the same second: the second is refused, then resent."""
    time = ManualTime()
    async with FakeTelegram(flood_limits=FloodLimits(), monotonic=time) as fake:
        populate(fake)
        runtime = await start_runtime(config_for(fake, tmp_path), FixedClock(START))
        try:
            start = fake.mark()
            fake.send_text(OWNER, OWNER, "/help")
            fake.send_text(OWNER, OWNER, "/help")
            refused = await fake.wait_for(
                lambda: next((c for c in fake.calls[start:] if c.status == 429), None)
            )
            assert refused.response["parameters"] == {"retry_after": 1}
            # PTB's limiter sleeps retry_after (+0.1 s) of real time; move the stand-in's
            # clock past the window meanwhile, so that the retry is admitted.
            time.advance(1)
            await fake.wait_for(lambda: len(fake.sent_messages(OWNER)) == 2)
        finally:
            await stop_runtime(runtime)
    replies = fake.sent_messages(OWNER)
    assert replies[0].text == replies[1].text
    resent = fake.calls[replies[1].call_index]
    assert resent.method == "sendMessage"
    assert resent.index > refused.index
