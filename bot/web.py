"""The bot's own HTTP server: Telegram's webhook and ``/healthz`` for a load balancer.

One small aiohttp server (aiohttp is already a dependency) serves

* ``POST /telegram`` in webhook mode: Telegram's updates, refused with 403 unless they carry
  the secret (``X-Telegram-Bot-Api-Secret-Token``); an update that cannot be read is logged
  and answered 200, so that Telegram does not hold back the updates after it
  (``bot.updates``);
* ``GET /healthz`` in both modes: 200 with a JSON body when the database answers and the
  reminder sweep makes progress, 503 otherwise (``services.instances``).

In webhook mode it listens on ``[telegram] listen``/``port``, behind the reverse proxy that
terminates HTTPS; in polling mode it runs only when ``[bot] health_port`` is set. PTB's own
webhook server (tornado) takes no extra routes and answers 400 to an update it cannot parse,
which Telegram retries; hence this one.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web
from telegram.ext import Application

from bot.updates import read_update
from services.container import Services

log = logging.getLogger(__name__)

WEBHOOK_PATH = "telegram"
HEALTH_PATH = "healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

AnyApp = Application[Any, Any, Any, Any, Any, Any]


class WebServer:
    """The webhook endpoint (when a secret-checked webhook is wanted) and the health check."""

    def __init__(
        self,
        application: AnyApp,
        services: Services,
        *,
        listen: str,
        port: int,
        webhook: bool,
        secret: str = "",
    ) -> None:
        self._application = application
        self._services = services
        self._listen = listen
        self._port = port
        self._webhook = webhook
        self._secret = secret
        self._runner: web.AppRunner | None = None

    @property
    def port(self) -> int:
        """The port listened on (the one the OS picked when asked for 0)."""
        if self._runner is None or not self._runner.addresses:
            return self._port
        return int(self._runner.addresses[0][1])

    async def start(self) -> None:
        """Start listening."""
        app = web.Application()
        app.router.add_get(f"/{HEALTH_PATH}", self._health)
        if self._webhook:
            app.router.add_post(f"/{WEBHOOK_PATH}", self._update)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
        await runner.setup()
        await web.TCPSite(runner, self._listen, self._port).start()
        self._runner = runner
        log.info("listening on %s:%s (%s)", self._listen, self.port, self._routes())

    async def stop(self) -> None:
        """Stop listening (requests in progress are finished first)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    def _routes(self) -> str:
        return f"/{WEBHOOK_PATH} and /{HEALTH_PATH}" if self._webhook else f"/{HEALTH_PATH}"

    async def _health(self, request: web.Request) -> web.Response:
        services = self._services
        health = await services.instances.health(services.reminders.status())
        return web.json_response(health.as_json(), status=200 if health.healthy else 503)

    async def _update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if self._secret and not hmac.compare_digest(given.encode(), self._secret.encode()):
            log.warning("webhook post with a wrong secret refused")
            return web.Response(status=403)
        try:
            raw = await request.json(loads=json.loads)
        except ValueError:
            return web.Response(status=400, text="not JSON")
        bot = self._application.bot
        update = read_update(raw, bot)
        if update is not None:
            bot.insert_callback_data(update)
            await self._application.update_queue.put(update)
        return web.Response(status=200)
