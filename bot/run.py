"""Starting and stopping a bot: polling or webhook, the web server, and a clean SIGTERM.

:func:`serve` is what ``rectify-bot run`` does; the tests start and stop bots with
:func:`start` and :func:`stop`, so they run the same steps. Stopping goes in the order that
loses nothing: the reminder sweep finishes the messages in flight and puts off the rest
(releasing their claims), the web server and the updater stop taking updates, PTB stops, and
the instance retires (``services.instances``) before the database closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from telegram import Update
from telegram.ext import Updater

from bot.app import Runtime, build_runtime
from bot.config import Config
from bot.web import WebServer
from domain.clock import Clock

log = logging.getLogger(__name__)

POLL_TIMEOUT_SECONDS = 10  # Telegram holds a getUpdates this long when nothing happens
UPDATER_STOP_GRACE = 1.0  # seconds Telegram gets to answer the last getUpdates


async def start(runtime: Runtime, *, poll_timeout: int = POLL_TIMEOUT_SECONDS) -> None:
    """Initialise the Application, then poll or set the webhook, and start the web server."""
    config = runtime.config
    app = runtime.application
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    if config.mode == "webhook":
        runtime.web = _web(runtime, config.port, webhook=True)
        await runtime.web.start()  # listening before Telegram is told where to post
        await app.bot.set_webhook(
            url=config.webhook_url,
            secret_token=config.webhook_secret or None,
            allowed_updates=Update.ALL_TYPES,
        )
        return
    if app.updater is None:
        raise RuntimeError("polling needs the Application's updater")
    await app.updater.start_polling(
        poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )
    if config.health_port:
        runtime.web = _web(runtime, config.health_port, webhook=False)
        await runtime.web.start()


def _web(runtime: Runtime, port: int, *, webhook: bool) -> WebServer:
    config = runtime.config
    return WebServer(
        runtime.application,
        runtime.services,
        listen=config.listen,
        port=port,
        webhook=webhook,
        secret=config.webhook_secret,
    )


async def stop(runtime: Runtime) -> None:
    """Stop in the order that loses nothing (see the module docstring)."""
    app = runtime.application
    await runtime.services.reminders.stop()
    if runtime.web is not None:
        await runtime.web.stop()
    if app.updater is not None and app.updater.running:
        await stop_updater(app.updater)
    if app.running:
        await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


async def stop_updater(updater: Updater, grace: float = UPDATER_STOP_GRACE) -> None:
    """Stop polling, giving Telegram ``grace`` seconds to confirm the updates fetched last.

    PTB asks Telegram for updates once more on stopping, to confirm those it fetched last, and
    waits up to its read timeout (5 s), logging an ERROR with a traceback when the answer is
    late. While the bot is idle there is nothing to confirm: the long poll in flight already
    carried the offset of every update fetched. So that last request gets a short grace only.
    """
    try:
        await asyncio.wait_for(updater.stop(), grace)
    except TimeoutError:
        log.warning(
            "Telegram did not confirm the last updates within %.0f s; stopping anyway "
            "(updates fetched after the last poll, normally none, may come again)",
            grace,
        )


async def serve(config: Config, clock: Clock | None = None) -> None:
    """Run the bot until SIGINT or SIGTERM (on ``clock``; by default the system's)."""
    runtime = build_runtime(config, clock)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    try:
        await start(runtime)
    except BaseException:
        with contextlib.suppress(Exception):  # the start's error is the one to report
            await stop(runtime)
        raise
    log.info("running; stop with SIGTERM or Ctrl-C")
    await stopping.wait()
    log.info("stopping")
    await stop(runtime)
