"""The shared rate limiter: who is paced, 429s waited out, and no pacing failure blocks a send."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.ratelimit import BULK, SharedRateLimiter
from domain.pacing import SendLimits
from services.pacing import SendPacer
from tests.timers import InstantTimer


class RecordingPacer(SendPacer):
    """A pacer that records who waited for a turn (or fails, when told to)."""

    def __init__(self, *, broken: bool = False) -> None:
        super().__init__(None, SendLimits(), InstantTimer())  # type: ignore[arg-type]  # no database: wait_turn is replaced
        self.turns: list[tuple[int, bool]] = []
        self.broken = broken

    async def wait_turn(self, chat_id: int, *, bulk: bool) -> float:
        """Record the turn; raise instead when the database is "down"."""
        if self.broken:
            raise ConnectionError("database down")
        self.turns.append((chat_id, bulk))
        return 0.0


class Telegram:
    """A callback answering 429 the first ``refusals`` times, then ok."""

    def __init__(self, refusals: int = 0, retry_after: int = 2) -> None:
        self.calls = 0
        self.refusals = refusals
        self.retry_after = retry_after

    async def __call__(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """One request to "Telegram"."""
        self.calls += 1
        if self.calls <= self.refusals:
            raise RetryAfter(timedelta(seconds=self.retry_after))
        return {"ok": True}


async def send(
    limiter: SharedRateLimiter,
    telegram: Telegram,
    endpoint: str,
    data: dict[str, Any],
    args: str | None = None,
) -> Any:
    """One request through the limiter."""
    return await limiter.process_request(telegram, (), {}, endpoint, data, args)


async def test_messages_are_paced_per_chat_and_other_calls_are_not() -> None:
    """A sendMessage waits for its chat's turn (bulk or not); answerCallbackQuery does not."""
    pacer, timer = RecordingPacer(), InstantTimer()
    limiter = SharedRateLimiter(pacer, timer)
    await send(limiter, Telegram(), "sendMessage", {"chat_id": -1001})
    await send(limiter, Telegram(), "sendMessage", {"chat_id": "7"}, BULK)
    await send(limiter, Telegram(), "answerCallbackQuery", {"callback_query_id": "1"})
    await send(limiter, Telegram(), "sendMessage", {"chat_id": "@channel"})
    assert pacer.turns == [(-1001, False), (7, True)]


async def test_a_429_is_waited_out_and_sent_again_with_a_new_turn() -> None:
    """Two 429s with retry_after=2: two waits of 2 s, three turns, one success."""
    pacer, timer = RecordingPacer(), InstantTimer()
    telegram = Telegram(refusals=2)
    assert await send(SharedRateLimiter(pacer, timer), telegram, "sendMessage", {"chat_id": 5}) == {
        "ok": True
    }
    assert (telegram.calls, timer.waits, len(pacer.turns)) == (3, [2.0, 2.0], 3)


async def test_429s_beyond_the_retries_reach_the_caller() -> None:
    """After MAX_RETRIES waits the 429 is raised (the notifier then leaves it to the next sweep)."""
    telegram = Telegram(refusals=10)
    with pytest.raises(RetryAfter):
        await send(
            SharedRateLimiter(RecordingPacer(), InstantTimer(), max_retries=2),
            telegram,
            "sendMessage",
            {"chat_id": 5},
        )
    assert telegram.calls == 3


async def test_a_pacing_failure_does_not_keep_a_message_back() -> None:
    """The database is down: the message goes unpaced (a warning is logged)."""
    telegram = Telegram()
    await send(
        SharedRateLimiter(RecordingPacer(broken=True), InstantTimer()),
        telegram,
        "sendMessage",
        {"chat_id": 5},
    )
    assert telegram.calls == 1
