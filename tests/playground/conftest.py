"""Fixtures: a playground (stand-in, real bot, page server) in the test's event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest_asyncio

from bot.cli import OFFLINE_TOKEN
from bot.config import Config
from domain.clock import FixedClock
from playground.app import Playground, PlaygroundSettings
from playground.standin import SentMessage
from playground.web import POST_HEADER, PageServer

# Thursday 2026-11-26 10:00 in Shanghai: the real time of every playground test.
START = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def settings_for(folder: Path, real: FixedClock | None = None) -> PlaygroundSettings:
    """A playground keeping its data in ``folder``, real time standing still at START."""
    return PlaygroundSettings(
        data_dir=folder / "playground",
        bot=Config(token=OFFLINE_TOKEN),
        real_clock=real or FixedClock(START),
    )


@dataclass
class Page:
    """The test's handle: the playground, its page server, and an HTTP client for the API."""

    playground: Playground
    server: PageServer
    http: aiohttp.ClientSession

    def url(self, path: str) -> str:
        """The address of ``path`` on the page server."""
        return self.server.url.rstrip("/") + path

    async def state(self, chat: int | None = None, since: int = 0) -> dict[str, Any]:
        """GET /api/state (with one group's changes since ``since``)."""
        query = {} if chat is None else {"chat": str(chat), "since": str(since)}
        async with self.http.get(self.url("/api/state"), params=query) as response:
            assert response.status == 200, await response.text()
            body: dict[str, Any] = await response.json()
            return body

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """POST JSON to the API as the page does; the status and the JSON answer."""
        headers = {POST_HEADER: "1"}
        async with self.http.post(self.url(path), json=body, headers=headers) as response:
            answer: dict[str, Any] = await response.json()
            return response.status, answer

    async def press(
        self, chat: int, user: int, message: dict[str, Any], text: str
    ) -> tuple[int, dict[str, Any]]:
        """Press a button (by its label) of a message as the page shows it; wait for the bot.

        The bot answers a press before it may edit the message, so this waits until every
        queued update was handled.
        """
        found = [b["data"] for row in message.get("buttons", []) for b in row if b["text"] == text]
        assert found, (text, message.get("buttons"))
        body = {"chat": chat, "user": user, "message": message["id"], "data": found[0]}
        status, answer = await self.post("/api/press", body)
        await self.settle()
        return status, answer

    async def settle(self) -> None:
        """Wait until the bot has handled every update queued so far."""
        playground = self.playground
        await playground.fake.settle(playground.runtime.application.update_queue, timeout=10)

    async def say(self, chat: int, user: int, text: str, **extra: Any) -> SentMessage:
        """Send text through the API and return the bot's next message in that group."""
        fake = self.playground.fake
        mark = fake.mark()
        status, answer = await self.post(
            "/api/send", {"chat": chat, "user": user, "text": text, **extra}
        )
        assert status == 200, answer
        return await fake.wait_reply(chat, after=mark, timeout=10)


async def open_page(folder: Path, real: FixedClock | None = None) -> Page:
    """Start a playground on a free port with its data in ``folder``."""
    playground = Playground(settings_for(folder, real))
    server = PageServer(playground, 0)
    await server.start()
    await playground.start()
    return Page(playground, server, aiohttp.ClientSession())


async def close_page(page: Page) -> None:
    """Stop everything :func:`open_page` started."""
    await page.http.close()
    await page.playground.stop()
    await page.server.stop()


@pytest_asyncio.fixture
async def page(tmp_path: Path) -> AsyncIterator[Page]:
    """A running playground with a fresh world, real time standing still at START."""
    handle = await open_page(tmp_path)
    yield handle
    await close_page(handle)
