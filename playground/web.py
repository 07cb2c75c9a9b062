"""The page and its small JSON API, served by aiohttp on 127.0.0.1 only.

Routes:

* ``GET /`` and ``GET /static/<file>`` — the page: plain HTML, CSS and JS shipped with the
  package (no build step, nothing loaded from the internet; the Content-Security-Policy says so);
* ``GET /api/state?chat=G&since=N`` — the clock, the groups and their members, the bot, the
  page's language, whether the playground is fresh, and the messages of group G that changed
  after change number N (with every id still there);
* ``POST /api/send`` ``{chat, user, text, reply_to?}`` — a member writes (or replies);
* ``POST /api/press`` ``{chat, user, message, data}`` — a member presses an inline button; the
  answer is the bot's callback answer (the toast or alert Telegram would show);
* ``POST /api/upload`` (multipart: ``chat``, ``user``, ``caption``, ``reply_to``, ``file``) —
  a member sends a file, e.g. a plan with ``/import`` as its caption;
* ``GET /api/files/<path>`` — download a file of the chat (the bot's ``/export``);
* ``POST /api/clock`` ``{at: "2026-11-30 09:00"}`` or ``{preset: "monday"}`` — jump forward and
  run the reminder sweep; going back is refused with 409 ``{"error": "backwards"}``;
* ``POST /api/reset`` — start over;
* ``POST /api/language`` ``{language: "zh" | "en"}`` — the page's language.

Errors are JSON ``{"error": code, "detail": text}``; the page words them itself (its labels are
in ``static/labels.json``). Requests must name 127.0.0.1 or localhost as their host, and POSTs
must carry ``X-Playground: 1``, so that a web site open in the same browser cannot drive the
playground (a custom header needs a CORS preflight, which this server never grants).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any
from urllib.parse import quote

from aiohttp import web

from playground.app import Playground, PlaygroundUnavailableError
from playground.clock import BackwardsError, Preset, parse_local
from playground.standin.limits import MAX_DOWNLOAD_BYTES, MAX_TEXT_LENGTH
from playground.standin.world import PRESENT_STATUSES

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost"})
POST_HEADER = "X-Playground"
STATIC_TYPES = {
    "index.html": "text/html",
    "app.js": "text/javascript",
    "style.css": "text/css",
    "labels.json": "application/json",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RequestError(Exception):
    """A request the API refuses: HTTP status, a code the page words, and a detail."""

    def __init__(self, status: int, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.status = status
        self.code = code
        self.detail = detail


class PageServer:
    """Serves the page and the API for one :class:`Playground` on 127.0.0.1.

    Args:
        playground: What the page shows and acts on.
        port: The port to listen on; 0 lets the OS pick a free one.
    """

    def __init__(self, playground: Playground, port: int) -> None:
        self.playground = playground
        self._wanted_port = port
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    async def start(self) -> None:
        """Listen on 127.0.0.1; OSError if the port is taken."""
        runner = web.AppRunner(build_app(self.playground), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, HOST, self._wanted_port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop listening."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def port(self) -> int:
        """The port the page is served on."""
        if self._port is None:
            raise RuntimeError("the page server is not started")
        return self._port

    @property
    def url(self) -> str:
        """The page's address."""
        return f"http://{HOST}:{self.port}/"


def build_app(playground: Playground) -> web.Application:
    """The aiohttp application: the page, its files and the API."""
    api = _Api(playground)
    app = web.Application(
        client_max_size=MAX_DOWNLOAD_BYTES + 1024 * 1024,
        middlewares=[_guard, _errors],
    )
    app.router.add_get("/", _index)
    app.router.add_get("/static/{name}", _static)
    app.router.add_get("/api/state", api.state)
    app.router.add_post("/api/send", api.send)
    app.router.add_post("/api/press", api.press)
    app.router.add_post("/api/upload", api.upload)
    app.router.add_get("/api/files/{path:.+}", api.file)
    app.router.add_post("/api/clock", api.clock)
    app.router.add_post("/api/reset", api.reset)
    app.router.add_post("/api/language", api.language)
    app.on_response_prepare.append(_security_headers)
    return app


# ---------------------------------------------------------------------- middlewares


@web.middleware
async def _guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Only local names as host; POSTs only with the custom header (see the module docstring)."""
    hostname = (request.host or "").rsplit(":", 1)[0].strip("[]")
    if hostname not in LOCAL_NAMES:
        return _error_response(RequestError(403, "forbidden", "use http://127.0.0.1"))
    if request.method == "POST" and request.headers.get(POST_HEADER) != "1":
        return _error_response(RequestError(403, "forbidden", f"POST needs {POST_HEADER}: 1"))
    return await handler(request)


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refusals as JSON the page understands."""
    try:
        return await handler(request)
    except RequestError as error:
        return _error_response(error)
    except PlaygroundUnavailableError as error:
        return _error_response(RequestError(503, "starting", str(error)))
    except ValueError as error:  # the stand-in refusing an action (unknown message …)
        return _error_response(RequestError(400, "bad_request", str(error)))


def _error_response(error: RequestError) -> web.Response:
    return web.json_response({"error": error.code, "detail": error.detail}, status=error.status)


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)


# ---------------------------------------------------------------------- the page


def _static_file(name: str) -> bytes:
    return resources.files("playground").joinpath("static").joinpath(name).read_bytes()


async def _index(request: web.Request) -> web.Response:
    return web.Response(body=_static_file("index.html"), content_type="text/html", charset="utf-8")


async def _static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    content_type = STATIC_TYPES.get(name)
    if content_type is None:
        raise RequestError(404, "not_found", name)
    return web.Response(body=_static_file(name), content_type=content_type, charset="utf-8")


# ---------------------------------------------------------------------- the API


class _Api:
    """The JSON API over one playground."""

    def __init__(self, playground: Playground) -> None:
        self.playground = playground

    async def state(self, request: web.Request) -> web.Response:
        """Everything the page shows, and the messages of one group changed since a number."""
        playground = self.playground
        body: dict[str, Any] = {
            "bot": playground.bot_view(),
            "clock": playground.clock_view(),
            "groups": playground.groups(),
            "fresh": playground.is_fresh(),
            "language": playground.language,
        }
        chat = request.query.get("chat")
        if chat:
            changes = playground.changes(
                _int(chat, "chat"), _int(request.query.get("since", "0"), "since")
            )
            body.update(chat=int(chat), seq=changes.seq, messages=changes.messages, ids=changes.ids)
        return web.json_response(body)

    async def send(self, request: web.Request) -> web.Response:
        """A member writes in a group."""
        data = await _json(request)
        chat, user = self._speaker(data)
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise RequestError(400, "empty", "nothing to send")
        if len(text) > MAX_TEXT_LENGTH:
            raise RequestError(400, "too_long", f"at most {MAX_TEXT_LENGTH} characters")
        message = self.playground.send_text(chat, user, text, _reply_to(data.get("reply_to")))
        return web.json_response({"message_id": message["message_id"]})

    async def press(self, request: web.Request) -> web.Response:
        """A member presses a button; the bot's callback answer comes back."""
        data = await _json(request)
        chat, user = self._speaker(data)
        message = _int(data.get("message"), "message")
        button = data.get("data")
        if not isinstance(button, str):
            raise RequestError(400, "bad_request", "data: the button's callback data")
        answer = await self.playground.press(chat, message, user, button)
        shown = None
        if answer is not None:
            shown = {"text": answer.text, "show_alert": answer.show_alert}
        return web.json_response({"answer": shown})

    async def upload(self, request: web.Request) -> web.Response:
        """A member sends a file, with a caption."""
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            raise RequestError(400, "no_file", "file: the file to send")
        content = upload.file.read()
        if not content:
            raise RequestError(400, "empty_file", upload.filename)
        fields = {key: str(value) for key, value in form.items() if isinstance(value, str)}
        chat, user = self._speaker(fields)
        caption = fields.get("caption", "").strip() or None
        message = self.playground.send_document(
            chat,
            user,
            upload.filename,
            content,
            caption=caption,
            reply_to=_reply_to(fields.get("reply_to")),
        )
        return web.json_response({"message_id": message["message_id"]})

    async def file(self, request: web.Request) -> web.Response:
        """A file of the chats, as a download under its own name."""
        stored = self.playground.fake.world.file_at(request.match_info["path"])
        if stored is None:
            raise RequestError(404, "not_found", request.match_info["path"])
        name = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
        return web.Response(
            body=stored.content,
            content_type=stored.mime_type or "application/octet-stream",
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
        )

    async def clock(self, request: web.Request) -> web.Response:
        """Jump the clock forward (to a time or a preset) and run the sweep."""
        data = await _json(request)
        playground = self.playground
        preset = data.get("preset")
        if preset is not None:
            if preset not in {p.value for p in Preset}:
                raise RequestError(400, "bad_preset", str(preset))
            instant = playground.preset_instant(Preset(preset))
        else:
            try:
                instant = parse_local(str(data.get("at", "")), playground.zone)
            except ValueError as error:
                raise RequestError(400, "bad_time", str(error)) from None
        try:
            report = await playground.jump(instant)
        except BackwardsError as error:
            now = error.now.astimezone(playground.zone).isoformat(timespec="minutes")
            return web.json_response(
                {"error": "backwards", "detail": str(error), "now": now}, status=409
            )
        return web.json_response({"clock": playground.clock_view(), "sent": report.sent})

    async def reset(self, request: web.Request) -> web.Response:
        """Start over."""
        await self.playground.reset()
        return web.json_response({"ok": True})

    async def language(self, request: web.Request) -> web.Response:
        """Switch the page's language."""
        data = await _json(request)
        try:
            self.playground.set_language(str(data.get("language")))
        except ValueError as error:
            raise RequestError(400, "bad_language", str(error)) from None
        return web.json_response({"language": self.playground.language})

    def _speaker(self, data: dict[str, Any]) -> tuple[int, int]:
        """The group and the member acting in it (who must be in that group)."""
        chat = _int(data.get("chat"), "chat")
        user = _int(data.get("user"), "user")
        world = self.playground.fake.world
        if world.member_status(chat, user) not in PRESENT_STATUSES or not world.knows_user(user):
            raise RequestError(400, "not_member", f"user {user} is not in chat {chat}")
        return chat, user


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except json.JSONDecodeError:
        raise RequestError(400, "bad_request", "the body must be JSON") from None
    if not isinstance(data, dict):
        raise RequestError(400, "bad_request", "the body must be a JSON object")
    return data


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise RequestError(400, "bad_request", f"{name}: a number")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RequestError(400, "bad_request", f"{name}: a number") from None


def _reply_to(value: Any) -> int | None:
    if value in (None, "", 0, "0"):
        return None
    return _int(value, "reply_to")
