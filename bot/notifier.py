"""The Telegram side of the ``Notifier`` port: scheduled messages sent with PTB."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TelegramError
from telegram.ext import ExtBot

from bot.ratelimit import BULK
from services.ports import SendResult, Timer

log = logging.getLogger(__name__)

CHAT_NOT_FOUND = "chat not found"
BACKOFF_SECONDS = (0.5, 1.0, 2.0)  # waits before the retries after a network error or a 5xx


class TelegramNotifier:
    """Sends HTML parts in order and turns Telegram's answers into a ``SendResult``.

    A 403 (Forbidden) means the chat is closed to the bot: a group that removed it, or a user
    who blocked it or never pressed /start ("bot can't initiate conversation"); both are
    ``gone`` at the first answer — never retried, so a closed chat causes no retry storm.
    Flood limits: every part waits for its turn under the limits shared by all instances, and a
    429 is waited out and sent again, by the Application's rate limiter (``bot.ratelimit``).
    A network error, a timeout or a 5xx is retried here after :data:`BACKOFF_SECONDS`; if it
    persists the message is ``unavailable`` and a later sweep tries again. Only parts not yet
    delivered are retried, so a retry never repeats a part Telegram confirmed.
    """

    def __init__(
        self, bot: ExtBot[Any], timer: Timer, backoff: Sequence[float] = BACKOFF_SECONDS
    ) -> None:
        self._bot = bot
        self._timer = timer
        self._backoff = tuple(backoff)

    async def send(self, chat_id: int, parts: Sequence[str]) -> SendResult:
        """Send every part to ``chat_id``; stop at the first failure."""
        try:
            for part in parts:
                await self._send_part(chat_id, part)
        except Forbidden as error:
            return SendResult.gone(str(error))
        except ChatMigrated as error:
            return SendResult.migrated(error.new_chat_id)
        except BadRequest as error:
            if CHAT_NOT_FOUND in str(error).lower():
                return SendResult.gone(str(error))
            log.warning("Telegram refused a message to %s: %s", chat_id, error)
            return SendResult.failed(f"{type(error).__name__}: {error}")
        except NetworkError as error:  # TimedOut, connection errors, 5xx: after the retries
            return SendResult.unavailable(f"{type(error).__name__}: {error}")
        except TelegramError as error:  # RetryAfter after the limiter's retries, …
            return SendResult.failed(f"{type(error).__name__}: {error}")
        return SendResult.ok()

    async def _send_part(self, chat_id: int, part: str) -> None:
        """One part, retried after a network error or a 5xx with growing pauses."""
        for attempt, pause in enumerate((*self._backoff, None)):
            try:
                await self._bot.send_message(
                    chat_id,
                    part,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                    rate_limit_args=BULK,
                )
                return
            except (BadRequest, Forbidden):
                raise  # NetworkError's subclasses that no retry changes
            except NetworkError as error:
                if pause is None:
                    raise
                log.info("sending to %s failed (%s); retry %d", chat_id, error, attempt + 1)
                await self._timer.sleep(pause)
