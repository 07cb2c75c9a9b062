"""A stand-in for Telegram's Bot API: the bot talks HTTP to it as to api.telegram.org.

Tests and the playground share it, so both see one implementation of the protocol and of
Telegram's limits and refusals. Read it one part at a time:

* :mod:`~playground.standin.world` — the simulated Telegram: users, chats, messages, files,
  privacy mode and the bot's update queue; no HTTP;
* :mod:`~playground.standin.api` — the Bot API methods over the world and their refusals,
  built on :mod:`~playground.standin.protocol` (the wire format),
  :mod:`~playground.standin.limits` (content limits), :mod:`~playground.standin.flood`
  (flood limits) and :mod:`~playground.standin.formatting` (HTML and entities);
* :mod:`~playground.standin.server` — the aiohttp server in front of the API;
* :mod:`~playground.standin.driver` — :class:`FakeTelegram`, which assembles the parts, acts
  as users and waits for the bot;
* :mod:`~playground.standin.records` — what the API remembers of each call.

The stand-in is Telegram, not the bot: it imports nothing of the bot's packages.
"""

from playground.standin.api import DEFAULT_TOKEN, BotApi
from playground.standin.driver import FakeTelegram
from playground.standin.flood import FloodControl, FloodLimits, ManualTime, Rate
from playground.standin.records import ApiCall, CallbackAnswer, SentMessage, Upload
from playground.standin.server import ApiServer
from playground.standin.world import DEFAULT_BOT_USER, World

__all__ = [
    "DEFAULT_BOT_USER",
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiServer",
    "BotApi",
    "CallbackAnswer",
    "FakeTelegram",
    "FloodControl",
    "FloodLimits",
    "ManualTime",
    "Rate",
    "SentMessage",
    "Upload",
    "World",
]
