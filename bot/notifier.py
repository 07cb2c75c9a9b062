"""The Telegram side of the ``Notifier`` port: scheduled messages sent with PTB."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from services.ports import SendResult

log = logging.getLogger(__name__)

CHAT_NOT_FOUND = "chat not found"


class TelegramNotifier:
    """Sends HTML parts in order and turns Telegram's answers into a ``SendResult``.

    A 403 (Forbidden) means the chat is closed to the bot: a group that removed it, or a user
    who blocked it or never pressed /start ("bot can't initiate conversation"); both are
    ``gone``. Flood limits (429) are retried by the Application's ``AIORateLimiter`` before an error
    reaches this class; what still fails is reported as ``failed`` and retried by a later sweep.
    """

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: int, parts: Sequence[str]) -> SendResult:
        """Send every part to ``chat_id``; stop at the first failure."""
        try:
            for part in parts:
                await self._bot.send_message(
                    chat_id,
                    part,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
        except Forbidden as error:
            return SendResult.gone(str(error))
        except ChatMigrated as error:
            return SendResult.migrated(error.new_chat_id)
        except BadRequest as error:
            if CHAT_NOT_FOUND in str(error).lower():
                return SendResult.gone(str(error))
            log.warning("Telegram refused a message to %s: %s", chat_id, error)
            return SendResult.failed(f"{type(error).__name__}: {error}")
        except TelegramError as error:  # RetryAfter after the limiter's retries, TimedOut, …
            return SendResult.failed(f"{type(error).__name__}: {error}")
        return SendResult.ok()
