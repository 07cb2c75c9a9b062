"""PTB's rate limiter, shared by every instance: each message waits for its turn, 429s wait too.

PTB's own ``AIORateLimiter`` counts the messages of one process; three instances with one each
would send three times Telegram's rate. This limiter asks :class:`services.pacing.SendPacer`
instead, which reserves every message's instant in the database, across instances. Replies to
users are *interactive*; the reminder fan-out passes ``rate_limit_args=BULK`` and leaves them
room (see ``domain.pacing``).

Should Telegram still answer 429 (another client on the same token, limits that changed), the
request waits ``retry_after`` and is sent again, up to :data:`MAX_RETRIES` times: it is sent
once, and nothing is lost. Other errors are not handled here (PTB's contract for rate
limiters): the caller sees them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from services.pacing import SendPacer
from services.ports import Timer

log = logging.getLogger(__name__)

BULK = "bulk"  # rate_limit_args of scheduled messages: they leave room for replies
MAX_RETRIES = 3  # 429s waited out before the error reaches the caller
# Methods that put a message into a chat: these are what Telegram's flood limits count.
SENDING = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendMediaGroup",
        "sendAudio",
        "sendVideo",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendLocation",
        "sendContact",
        "sendPoll",
        "copyMessage",
        "forwardMessage",
    }
)

JSONDict = dict[str, Any]
Callback = Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]


def _chat_id(data: dict[str, Any]) -> int | None:
    try:
        return int(data["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None  # "@channelname" or no chat: not paced per chat


class SharedRateLimiter(BaseRateLimiter[str]):
    """Paces sending methods through the shared pacer and waits out 429 answers."""

    def __init__(self, pacer: SendPacer, timer: Timer, max_retries: int = MAX_RETRIES) -> None:
        self._pacer = pacer
        self._timer = timer
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up: the pacer lives in the database."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Wait for the message's turn, send it, and wait out a 429 before sending again."""
        chat_id = _chat_id(data) if endpoint in SENDING else None
        bulk = rate_limit_args == BULK
        for attempt in range(self._max_retries + 1):
            if chat_id is not None:
                await self._wait_turn(chat_id, bulk)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self._max_retries:
                    log.error("429 from Telegram %d times for %s; giving up", attempt + 1, endpoint)
                    raise
                wait = error.retry_after
                seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
                log.warning("429 from Telegram for %s: retrying after %s s", endpoint, seconds)
                await self._timer.sleep(seconds)
        raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover

    async def _wait_turn(self, chat_id: int, bulk: bool) -> None:
        """The pacer's turn; if the database fails, send anyway (a 429 is still waited out)."""
        try:
            await self._pacer.wait_turn(chat_id, bulk=bulk)
        except Exception:  # pacing is a courtesy to Telegram; an answer matters more
            log.warning("pacing failed; sending to %s unpaced", chat_id, exc_info=True)
