"""An in-repo fake Telegram Bot API server for end-to-end tests (see ``server.py``)."""

from tests.fakebot.records import ApiCall, CallbackAnswer, SentMessage, Upload
from tests.fakebot.server import DEFAULT_BOT_USER, DEFAULT_TOKEN, FakeTelegram

__all__ = [
    "DEFAULT_BOT_USER",
    "DEFAULT_TOKEN",
    "ApiCall",
    "CallbackAnswer",
    "FakeTelegram",
    "SentMessage",
    "Upload",
]
