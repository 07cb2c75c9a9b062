"""Helpers to point a real PTB ``Application`` at the fake and run it for one test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from playground.standin import FakeTelegram

__all__ = ["connect", "polling"]

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
AnyBuilder = ApplicationBuilder[Any, Any, Any, Any, Any, Any]


def connect(builder: AnyBuilder, fake: FakeTelegram) -> AnyBuilder:
    """Set the token, ``base_url`` and ``base_file_url`` of ``builder`` to the fake's."""
    return builder.token(fake.token).base_url(fake.base_url).base_file_url(fake.base_file_url)


@asynccontextmanager
async def polling(
    app: AnyApplication, *, allowed_updates: Sequence[str] | None = None
) -> AsyncIterator[AnyApplication]:
    """Initialise, start and poll (no pause between polls); stop and shut down on exit."""
    await app.initialize()
    try:
        await app.start()
        try:
            assert app.updater is not None, "build the application with an updater"
            await app.updater.start_polling(
                poll_interval=0, timeout=1, allowed_updates=allowed_updates
            )
            try:
                yield app
            finally:
                await app.updater.stop()
        finally:
            await app.stop()
    finally:
        await app.shutdown()
