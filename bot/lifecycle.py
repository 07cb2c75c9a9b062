"""Running the bot until SIGINT/SIGTERM, and stopping it within a second or two.

PTB's ``run_polling`` stops the updater by asking Telegram for updates once more, to confirm
those it fetched last, and waits for that answer up to the read timeout (5 s), logging an
ERROR with a traceback when it does not come in time. While the bot is idle there is nothing
to confirm: the long poll in flight already carried the offset of every update fetched. So the
bot runs the Application's life cycle itself, as ``run_polling``/``run_webhook`` would, and
gives that last request a short grace only; a sweep in progress still finishes its current
message (``Application.stop`` waits for running jobs).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram.ext import Application, Updater

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
StartUpdates = Callable[[Updater], Awaitable[object]]  # start_polling or start_webhook
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
UPDATER_STOP_GRACE = 1.0  # seconds Telegram gets to answer the last getUpdates


async def run_until_stopped(
    application: AnyApp,
    start_updates: StartUpdates,
    stop_signals: Sequence[signal.Signals] = STOP_SIGNALS,
) -> None:
    """Initialize, start receiving updates, wait for a stop signal, then stop and shut down.

    The hooks run as under ``run_polling``: ``post_init`` after initializing, ``post_stop``
    after stopping and ``post_shutdown`` last.
    """
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in stop_signals:
        loop.add_signal_handler(sig, stopping.set)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        if application.updater is not None:
            await start_updates(application.updater)
        await application.start()
        await stopping.wait()
        log.info("stopping")
    finally:
        await _stop(application)
        for sig in stop_signals:
            loop.remove_signal_handler(sig)


async def _stop(application: AnyApp) -> None:
    """Stop receiving updates (briefly), finish the updates and jobs under way, shut down."""
    updater = application.updater
    if updater is not None and updater.running:
        await stop_updater(updater)
    if application.running:
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


async def stop_updater(updater: Updater, grace: float = UPDATER_STOP_GRACE) -> None:
    """Stop polling (or the webhook server), giving Telegram ``grace`` seconds to confirm."""
    try:
        await asyncio.wait_for(updater.stop(), grace)
    except TimeoutError:
        log.warning(
            "Telegram did not confirm the last updates within %.0f s; stopping anyway "
            "(updates fetched after the last poll, normally none, may come again)",
            grace,
        )
