"""Pytest plugin: the ``fake_telegram`` fixture (a started :class:`FakeTelegram`).

Loaded by ``tests/conftest.py`` (``pytest_plugins = ["tests.fakebot.plugin"]``).

Importing it sets ``PTB_TIMEDELTA=1``: since PTB 22.2, building a ``RetryAfter`` (what a 429
answer becomes) and reading some duration attributes emit ``PTBDeprecationWarning`` unless
that variable opts in to ``datetime.timedelta`` values, and this suite turns warnings into
errors. It also adds 127.0.0.1 to ``NO_PROXY`` so a developer's HTTP proxy settings never
route the bot's requests to the fake elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest_asyncio

from playground.standin import FakeTelegram

os.environ["PTB_TIMEDELTA"] = "1"
for _name in ("NO_PROXY", "no_proxy"):
    _hosts = [host for host in os.environ.get(_name, "").split(",") if host]
    if "127.0.0.1" not in _hosts:
        os.environ[_name] = ",".join([*_hosts, "127.0.0.1"])


@pytest_asyncio.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A fake Bot API server on 127.0.0.1 (random port), stopped after the test."""
    async with FakeTelegram() as fake:
        yield fake
