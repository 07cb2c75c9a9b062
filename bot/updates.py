"""Reading updates so that one the bot cannot parse is logged and skipped, never a jam.

PTB parses a ``getUpdates`` answer as a whole: one update it cannot read (a field of a newer
Bot API, a malformed payload) fails the batch, the offset does not move, and the same batch
comes back for ever — no later update is served. :class:`TolerantUpdatesRequest`, the
connection ``getUpdates`` uses, reads each update on its own first and replaces one that fails
with an empty update of the same id: the failure is logged with the payload, the offset moves
past it, and the next update is served. In webhook mode :func:`read_update` does the same for
one posted update (``bot.web``).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, Update
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]


def _skipped(raw: Any, error: Exception) -> JSONDict | None:
    """An empty update in place of one that cannot be read (None if it has no usable id)."""
    update_id = raw.get("update_id") if isinstance(raw, dict) else None
    log.error("skipping update %s that cannot be read (%s): %r", update_id, error, raw)
    if isinstance(update_id, int) and not isinstance(update_id, bool):
        return {"update_id": update_id}
    return None


def readable_updates(raw_updates: list[Any]) -> list[JSONDict]:
    """The updates of a getUpdates answer, each unreadable one replaced by an empty one."""
    readable: list[JSONDict] = []
    for raw in raw_updates:
        try:
            Update.de_json(raw, None)
        except Exception as error:  # whatever PTB fails on, this update alone is skipped
            stub = _skipped(raw, error)
            if stub is not None:
                readable.append(stub)
            continue
        readable.append(raw)
    return readable


def read_update(raw: Any, bot: Bot) -> Update | None:
    """One posted update (webhook mode), or None when it cannot be read (logged)."""
    try:
        return Update.de_json(raw, bot)
    except Exception as error:  # whatever PTB fails on, this update alone is skipped
        _skipped(raw, error)
        return None


class TolerantUpdatesRequest(HTTPXRequest):
    """The connection for getUpdates: unreadable updates become empty ones (see the module)."""

    @staticmethod
    def parse_json_payload(payload: bytes) -> JSONDict:
        """Telegram's answer, each update in it readable by PTB."""
        data = HTTPXRequest.parse_json_payload(payload)
        result = data.get("result")
        if data.get("ok") and isinstance(result, list):
            data["result"] = readable_updates(result)
        return data
