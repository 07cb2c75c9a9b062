"""The stand-in on HTTP: an aiohttp server on 127.0.0.1 answering as api.telegram.org does.

Routes, as PTB (and any Bot API client) requests them:

* ``/bot{token}/{method}`` — a Bot API call, answered by :class:`~playground.standin.api.BotApi`;
* ``/file/bot{token}/{file_path}`` — downloading a file that getFile named;
* anything else — 404 in Telegram's JSON error shape.
"""

from __future__ import annotations

import json

from aiohttp import web

from playground.standin.api import BotApi
from playground.standin.limits import MAX_UPLOAD_BYTES
from playground.standin.protocol import ApiError, dumps
from playground.standin.records import Upload

__all__ = ["ApiServer"]


class ApiServer:
    """Serves one :class:`BotApi` on a port the OS picks (or ``port``), on ``host``."""

    def __init__(self, api: BotApi, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.api = api
        self.host = host
        self._wanted_port = port
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    async def start(self) -> None:
        """Start listening."""
        if self._runner is not None:
            raise RuntimeError("the stand-in server is already running")
        self.api.open()
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        # handler_cancellation: a long poll whose client hung up must not hand out updates.
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        # Started again after a stop, it listens where it did: the bot's base URL stays valid.
        port = self._port if self._port is not None else self._wanted_port
        site = web.TCPSite(runner, self.host, port)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Answer pending long polls and delayed calls at once, then close the server.

        :meth:`start` may be called again: the server comes back on the same port.
        """
        self.api.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._port is None:
            raise RuntimeError("the stand-in server is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """Value for ``Bot(base_url=...)``: PTB requests ``{base_url}{token}/{method}``."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ``Bot(base_file_url=...)``: files are ``{base_file_url}{token}/{path}``."""
        return f"http://{self.host}:{self.port}/file/bot"

    async def _handle_api(self, request: web.Request) -> web.Response:
        raw, uploads = await _read_params(request)
        status, payload = await self.api.answer(
            request.match_info["token"], request.match_info["method"], raw, uploads
        )
        return web.Response(text=dumps(payload), status=status, content_type="application/json")

    async def _handle_file(self, request: web.Request) -> web.Response:
        stored = self.api.download(request.match_info["token"], request.match_info["path"])
        if stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        payload = ApiError(404, "Not Found").payload()
        return web.Response(text=dumps(payload), status=404, content_type="application/json")


async def _read_params(request: web.Request) -> tuple[dict[str, str], dict[str, Upload]]:
    """The query, form or JSON body as strings (as PTB sends them), and the uploaded files."""
    raw: dict[str, str] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method != "POST":
        return raw, uploads
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            for key, value in body.items():
                raw[key] = value if isinstance(value, str) else json.dumps(value)
        return raw, uploads
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            uploads[key] = Upload(value.filename, value.file.read(), value.content_type)
        elif isinstance(value, bytes | bytearray):
            raw[key] = bytes(value).decode()
        else:
            raw[key] = value
    return raw, uploads
