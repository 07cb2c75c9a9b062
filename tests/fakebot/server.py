"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of a real PTB Application.

The bot under test talks HTTP to this server exactly as it would to api.telegram.org; the
test plays the users (``send_text``, ``press_button``, ``send_document`` …) and reads what the
bot did (``calls``, ``sent_messages``, ``wait_reply`` …). The fake refuses what Telegram
refuses — malformed ``parse_mode=HTML``, empty or over-long text, unknown chats, chats the bot
was kicked from, users who blocked it, migrated groups, a wrong token — so a test fails where
production would.

Wiring a PTB application to it::

    app = (
        Application.builder()
        .token(fake.token)
        .base_url(fake.base_url)            # "http://127.0.0.1:PORT/bot"; PTB appends the token
        .base_file_url(fake.base_file_url)  # "http://127.0.0.1:PORT/file/bot"
        .build()
    )
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)

Waiting, without sleeping:

* Everything the fake records (calls, queued/acknowledged updates) bumps a change signal;
  :meth:`FakeTelegram.wait_for` re-checks a predicate on every change until it returns a value
  or the timeout elapses (then it fails with a dump of the recent calls).
* ``reply = await fake.say(chat_id, user_id, "/list")`` types a message and waits for the next
  message the bot sends to that chat. :meth:`FakeTelegram.mark` + :meth:`FakeTelegram.wait_reply`
  do the same for any action (button presses, documents, replies in another chat).
* Asserting that the bot stayed silent is deterministic with :meth:`FakeTelegram.settle`:
  ``await fake.settle(app.update_queue)`` waits until the bot has *acknowledged* every queued
  update (PTB acknowledges with the ``offset`` of its next ``getUpdates``, which it sends only
  after putting the updates on ``app.update_queue``) and then joins that queue (PTB calls
  ``task_done`` after the handlers of an update finished). Afterwards every blocking
  handler's Bot API calls are in ``fake.calls``. Not covered: handlers with ``block=False`` and
  tasks the handlers spawn. When the bot runs in another process (no ``update_queue`` at
  hand), send a follow-up command the bot answers (e.g. ``/help``) and wait for that answer
  instead: PTB processes updates one after another unless ``concurrent_updates`` is set.

Telegram behaviours that tests can trip over, reproduced on purpose:

* Privacy mode (getMe says ``can_read_all_group_messages: false``): in groups the bot only gets
  messages starting with ``/``, replies to its own messages, messages mentioning it and
  service messages — unless it is an administrator. Other group messages are stored (they
  take a message id) but no update is queued.
* ``chat_member`` updates are delivered only if the bot asked for them in ``allowed_updates``
  (e.g. ``allowed_updates=Update.ALL_TYPES``) and is an administrator of that group.
* A bot cannot write first to a user who never started it (403 "bot can't initiate
  conversation with a user"); ``add_user(..., started=True)`` or a private ``send_text``
  starts the chat.
* A second ``getUpdates`` while one is pending terminates the first with 409 Conflict.
"""

# ruff: noqa: ASYNC109 - the waiting helpers take a timeout so that a failed wait can end
# in an AssertionError that dumps the calls recorded so far, not a bare TimeoutError.

from __future__ import annotations

import asyncio
import contextlib
import copy
import inspect
import itertools
import json
import mimetypes
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from types import TracebackType
from typing import Any, Literal, Self, TypeVar
from urllib.parse import urlsplit

from aiohttp import web

from tests.fakebot.formatting import (
    EntityParseError,
    auto_entities,
    parse_html,
    strip_with_entities,
    utf16_len,
)
from tests.fakebot.records import ApiCall, CallbackAnswer, Fault, SentMessage, Upload

__all__ = ["DEFAULT_BOT_USER", "DEFAULT_TOKEN", "FakeTelegram"]

T = TypeVar("T")
JSONDict = dict[str, Any]
MemberStatus = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]

DEFAULT_TOKEN = "123:abc"
DEFAULT_BOT_USER: JSONDict = {
    "id": 999,
    "is_bot": True,
    "first_name": "整改台账",
    "username": "rectify_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

_PRESENT: frozenset[str] = frozenset({"creator", "administrator", "member", "restricted"})
_ADMIN: frozenset[str] = frozenset({"creator", "administrator"})
_DEFAULT_ALLOWED_UPDATES: frozenset[str] = frozenset(
    [
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    ]
)
_CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
# Parameters PTB sends as JSON strings (RequestParameter.json_value of lists and objects).
_JSON_KEYS = frozenset(
    [
        "reply_markup",
        "reply_parameters",
        "commands",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
        "scope",
        "menu_button",
        "media",
        "permissions",
        "rights",
        "results",
    ]
)
# Parameters that are strings even when they look like numbers or booleans.
_STRING_KEYS = frozenset(
    [
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "data",
        "url",
        "secret_token",
        "ip_address",
        "language_code",
        "action",
        "title",
        "description",
        "short_description",
        "name",
        "custom_title",
        "business_connection_id",
        "message_effect_id",
        "document",
        "photo",
        "thumbnail",
        "certificate",
    ]
)
_RESTRICTED_FALSE = [
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_manage_topics",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_edit_tag",
]
_INT_RE = re.compile(r"-?\d+")
_FLOAT_RE = re.compile(r"-?\d+\.\d*")
_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_WELL_FORMED_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
_TINY_JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


class _ApiError(Exception):
    """An error answer: HTTP status, Telegram description and optional parameters."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class _Chat:
    id: int
    type: str  # "private", "group", "supergroup"
    title: str | None = None
    username: str | None = None
    members: dict[int, str] = field(default_factory=dict)  # user id -> status; bot included
    messages: dict[int, JSONDict] = field(default_factory=dict)
    next_message_id: int = 1
    migrated_to: int | None = None
    started: bool = False  # private chats: the user has written to the bot
    blocked: bool = False  # private chats: the user blocked the bot


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    file_name: str | None
    mime_type: str | None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _decode_value(key: str, value: str) -> Any:
    if key in _STRING_KEYS:
        return value
    if _INT_RE.fullmatch(value):
        return int(value)
    if _FLOAT_RE.fullmatch(value):
        return float(value)
    if value in ("true", "false"):
        return value == "true"
    return value


def _decode_params(raw: dict[str, str]) -> tuple[JSONDict, _ApiError | None]:
    """Decode a form as PTB encodes it; the error, if any, is for the first undecodable JSON."""
    params: JSONDict = {}
    error: _ApiError | None = None
    for key, value in raw.items():
        if key in _JSON_KEYS:
            try:
                params[key] = json.loads(value)
            except json.JSONDecodeError:
                params[key] = value
                what = "reply keyboard markup" if key == "reply_markup" else key
                error = error or _ApiError(400, f"Bad Request: can't parse {what} JSON object")
        else:
            params[key] = _decode_value(key, value)
    return params, error


def _opt_int(params: JSONDict, key: str) -> int | None:
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _ApiError(400, f"Bad Request: invalid {key} specified")
    return int(value)


def _req_int(params: JSONDict, key: str, empty: str | None = None) -> int:
    value = _opt_int(params, key)
    if value is None:
        raise _ApiError(400, empty or f"Bad Request: {key} is empty")
    return value


def _opt_str(params: JSONDict, key: str) -> str | None:
    value = params.get(key)
    return None if value is None else str(value)


def _flag(params: JSONDict, key: str) -> bool:
    return params.get(key) is True


def _member_json(user: JSONDict, status: str) -> JSONDict:
    """A ChatMember object as PTB 22 de_json expects it for ``status``."""
    member: JSONDict = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(
            can_be_edited=False,
            is_anonymous=False,
            can_manage_chat=True,
            can_delete_messages=True,
            can_manage_video_chats=True,
            can_restrict_members=True,
            can_promote_members=False,
            can_change_info=True,
            can_invite_users=True,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
            can_pin_messages=True,
            can_manage_topics=False,
        )
    elif status == "kicked":
        member["until_date"] = 0
    elif status == "restricted":
        member.update(
            is_member=True,
            until_date=0,
            **dict.fromkeys(_RESTRICTED_FALSE, False),
            can_send_messages=True,
        )
    return member


def _update_type(update: JSONDict) -> str:
    return next(key for key in update if key != "update_id")


def _without_reply(message: JSONDict) -> JSONDict:
    """A copy fit for ``reply_to_message``: Telegram does not nest replies further."""
    return {key: value for key, value in message.items() if key != "reply_to_message"}


def _flat_buttons(markup: JSONDict | None) -> list[JSONDict]:
    if not markup:
        return []
    rows = markup.get("inline_keyboard", [])
    return [button for row in rows for button in row]


class FakeTelegram:
    """A fake Telegram Bot API server: a world of users and chats plus an HTTP endpoint.

    Args:
        token: The bot token the fake accepts; any other gets 401 (or 404 if malformed).
        bot_user: What getMe answers; defaults to :data:`DEFAULT_BOT_USER`.
        clock: Seconds since the epoch for message ``date`` fields.
        strict_html_ampersand: Refuse a bare ``&`` in ``parse_mode=HTML`` (see
            :func:`tests.fakebot.formatting.parse_html`).
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_user: JSONDict | None = None,
        clock: Callable[[], float] = time.time,
        strict_html_ampersand: bool = True,
    ) -> None:
        self._token = token
        self.bot_user: JSONDict = dict(DEFAULT_BOT_USER if bot_user is None else bot_user)
        self._clock = clock
        self.strict_html_ampersand = strict_html_ampersand

        self.calls: list[ApiCall] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.downloads: list[str] = []
        self.unseen_messages: list[JSONDict] = []  # group messages privacy mode kept from the bot
        self.dropped_updates: list[JSONDict] = []  # not in allowed_updates when fetched

        self._users: dict[int, JSONDict] = {}
        self._chats: dict[int, _Chat] = {}
        self._sent: list[SentMessage] = []
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._file_seq = itertools.count(1)
        self._query_seq = itertools.count(1)
        self._open_queries: dict[str, tuple[int, int]] = {}  # query id -> (chat id, message id)
        self._faults: dict[str, list[Fault]] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}

        self._pending: list[JSONDict] = []
        self._next_update_id = 1000
        self._delivered: list[int] = []
        self._allowed_updates: frozenset[str] = _DEFAULT_ALLOWED_UPDATES
        self._poll_generation = 0
        self._waiting_polls = 0
        self._webhook_url = ""

        self._changed = asyncio.Event()
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

        self._handlers: dict[str, Callable[[JSONDict, dict[str, Upload]], Any]] = {
            "getme": lambda p, u: self._bot_json(full=True),
            "logout": lambda p, u: True,
            "close": lambda p, u: True,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "senddocument": lambda p, u: self._send_media(p, u, "document"),
            "sendphoto": lambda p, u: self._send_media(p, u, "photo"),
            "getfile": self._get_file,
            "getchat": self._get_chat,
            "getchatadministrators": self._get_chat_administrators,
            "getchatmember": self._get_chat_member,
            "getchatmembercount": self._get_chat_member_count,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
            "leavechat": self._leave_chat,
            "sendchataction": self._send_chat_action,
        }

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a port the OS picks."""
        if self._runner is not None:
            raise RuntimeError("FakeTelegram is already running")
        self._stopping.clear()
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        # handler_cancellation: a long poll whose client hung up must not hand out updates.
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Answer pending long polls and delayed calls at once, then close the server."""
        self._stopping.set()
        self._bump()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def token(self) -> str:
        """The token the fake accepts."""
        return self._token

    @property
    def port(self) -> int:
        """The TCP port the fake listens on."""
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """Value for ``Bot(base_url=...)``: PTB requests ``{base_url}{token}/{method}``."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ``Bot(base_file_url=...)``: files are ``{base_file_url}{token}/{path}``."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def bot_id(self) -> int:
        """The bot's user id."""
        return int(self.bot_user["id"])

    @property
    def bot_username(self) -> str:
        """The bot's username, without ``@``."""
        return str(self.bot_user["username"])

    # ------------------------------------------------------------------ world model

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "zh-hans",
        started: bool = False,
    ) -> JSONDict:
        """Create a user (and their private chat with the bot); return the User object.

        ``started=True`` means the user already pressed Start, so the bot may write to them.
        """
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name is not None:
            user["last_name"] = last_name
        if username is not None:
            user["username"] = username
        if language_code is not None:
            user["language_code"] = language_code
        self._users[user_id] = user
        chat = self._chats.setdefault(user_id, _Chat(id=user_id, type="private"))
        chat.started = chat.started or started
        return dict(user)

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        type: Literal["group", "supergroup"] = "supergroup",
        username: str | None = None,
        with_bot: bool = True,
    ) -> JSONDict:
        """Create a group; the bot is a plain member unless ``with_bot=False``. Returns the Chat."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        chat = _Chat(id=chat_id, type=type, title=title, username=username)
        if with_bot:
            chat.members[self.bot_id] = "member"
        self._chats[chat_id] = chat
        return self._chat_json(chat)

    def add_member(self, chat_id: int, user_id: int, *, status: MemberStatus = "member") -> None:
        """Put a user into a group with ``status`` (no update is queued)."""
        self._user(user_id)
        self._group(chat_id).members[user_id] = status

    def make_admin(
        self,
        chat_id: int,
        user_id: int,
        *,
        status: Literal["creator", "administrator", "member"] = "administrator",
        notify: bool = False,
        by_user_id: int | None = None,
    ) -> None:
        """Set a member's status (also the bot's own, by passing the bot id).

        With ``notify``, queue what Telegram sends: ``my_chat_member`` when it is the bot, else
        ``chat_member`` — which Telegram sends only to bots that are administrators there.
        """
        chat = self._group(chat_id)
        is_bot = user_id == self.bot_id
        user = self._bot_json() if is_bot else self._user(user_id)
        old = chat.members.get(user_id, "left")
        chat.members[user_id] = status
        if not notify:
            return
        actor = self._user(by_user_id) if by_user_id is not None else self._creator_or(chat, user)
        kind = "my_chat_member" if is_bot else "chat_member"
        if kind == "chat_member" and chat.members.get(self.bot_id) not in _ADMIN:
            return
        self._queue(kind, self._member_update(chat, actor, user, old, status))

    def add_bot_to_group(
        self,
        chat_id: int,
        by_user_id: int,
        *,
        status: Literal["member", "administrator"] = "member",
    ) -> JSONDict:
        """A user adds the bot: queue ``my_chat_member`` and the ``new_chat_members`` message."""
        chat = self._group(chat_id)
        old = chat.members.get(self.bot_id, "left")
        if old in _PRESENT:
            raise ValueError(f"the bot is already in chat {chat_id}")
        actor = self._user(by_user_id)
        chat.members.setdefault(by_user_id, "member")
        chat.members[self.bot_id] = status
        self._queue(
            "my_chat_member", self._member_update(chat, actor, self._bot_json(), old, status)
        )
        message = self._new_message(chat, actor, new_chat_members=[self._bot_json()])
        self._queue("message", message)
        return dict(message)

    def remove_bot_from_group(
        self,
        chat_id: int,
        by_user_id: int,
        *,
        status: Literal["kicked", "left"] = "kicked",
    ) -> None:
        """A user removes the bot: queue ``my_chat_member``; later sends get 403 Forbidden."""
        chat = self._group(chat_id)
        old = chat.members.get(self.bot_id, "left")
        chat.members[self.bot_id] = status
        actor = self._user(by_user_id)
        self._queue(
            "my_chat_member", self._member_update(chat, actor, self._bot_json(), old, status)
        )

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: queue ``my_chat_member``; later sends get 403 Forbidden."""
        user = self._user(user_id)
        chat = self._chats[user_id]
        chat.blocked = True
        self._queue(
            "my_chat_member", self._member_update(chat, user, self._bot_json(), "member", "kicked")
        )

    def unblock_bot(self, user_id: int) -> None:
        """The user restarts the bot: queue ``my_chat_member`` back to member."""
        user = self._user(user_id)
        chat = self._chats[user_id]
        chat.blocked = False
        chat.started = True
        self._queue(
            "my_chat_member", self._member_update(chat, user, self._bot_json(), "kicked", "member")
        )

    def migrate_group(self, old_id: int, new_id: int, *, by_user_id: int | None = None) -> None:
        """Upgrade a basic group to a supergroup, queuing both service messages.

        Later calls naming ``old_id`` get 400 with ``parameters.migrate_to_chat_id``.
        """
        old = self._group(old_id)
        if old.type != "group":
            raise ValueError("only a basic group (type='group') can be upgraded")
        if new_id in self._chats:
            raise ValueError(f"chat {new_id} already exists")
        new = _Chat(id=new_id, type="supergroup", title=old.title, members=dict(old.members))
        self._chats[new_id] = new
        old.migrated_to = new_id
        actor = self._user(by_user_id) if by_user_id is not None else self._creator_or(old, None)
        self._queue("message", self._new_message(old, actor, migrate_to_chat_id=new_id))
        self._queue("message", self._new_message(new, actor, migrate_from_chat_id=old_id))

    # ------------------------------------------------------------------ users act

    def send_text(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        reply_to: int | None = None,
        entities: Sequence[JSONDict] | None = None,
        mentions: Iterable[tuple[int, str]] = (),
    ) -> JSONDict:
        """A user writes ``text`` in a chat; queue the ``message`` update; return the Message.

        Entities for ``/commands`` and ``@mentions`` are computed (UTF-16 offsets) unless
        ``entities`` is given; each ``(user_id, name)`` of ``mentions`` appends `` name`` as a
        ``text_mention``. ``reply_to`` is a message id in that chat (the user's or the bot's).
        """
        chat, user = self._speaker(chat_id, user_id)
        found = auto_entities(text) if entities is None else [dict(e) for e in entities]
        for mentioned_id, name in mentions:
            if text:
                text += " "
            found.append(
                {
                    "type": "text_mention",
                    "offset": utf16_len(text),
                    "length": utf16_len(name),
                    "user": self._user(mentioned_id),
                }
            )
            text += name
        fields: JSONDict = {"text": text}
        if found:
            fields["entities"] = found
        return self._user_message(chat, user, fields, reply_to)

    def edit_text(self, chat_id: int, message_id: int, text: str) -> JSONDict:
        """The author edits their message: queue ``edited_message`` (if the bot saw it)."""
        chat = self._chats[chat_id]
        message = chat.messages.get(message_id)
        if message is None:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        message["text"] = text
        message["edit_date"] = int(self._clock())
        found = auto_entities(text)
        if found:
            message["entities"] = found
        else:
            message.pop("entities", None)
        if self._bot_sees(chat, message):
            self._queue("edited_message", dict(message))
        return dict(message)

    def send_document(
        self,
        chat_id: int,
        user_id: int,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        """A user sends a file; the bot can fetch it with getFile and download it."""
        chat, user = self._speaker(chat_id, user_id)
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._store_file(content, "documents", filename, mime)
        fields: JSONDict = {"document": self._document_json(stored)}
        self._add_caption(fields, caption)
        return self._user_message(chat, user, fields, reply_to)

    def send_photo(
        self,
        chat_id: int,
        user_id: int,
        *,
        content: bytes = _TINY_JPEG,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        """A user sends a photo (two sizes, both downloadable)."""
        chat, user = self._speaker(chat_id, user_id)
        sizes = [
            self._photo_size_json(self._store_file(content, "photos", None, "image/jpeg"), side)
            for side in (90, 320)
        ]
        fields: JSONDict = {"photo": sizes}
        self._add_caption(fields, caption)
        return self._user_message(chat, user, fields, reply_to)

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        user_id: int,
        data: str | None = None,
        *,
        text: str | None = None,
    ) -> str:
        """A user presses an inline button (by callback_data or by text); return the query id.

        With neither ``data`` nor ``text``, the message must have exactly one callback button;
        otherwise the first matching button is pressed.
        """
        chat = self._chats[chat_id]
        user = self._user(user_id)
        message = chat.messages.get(message_id)
        if message is None:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        buttons = [b for b in _flat_buttons(message.get("reply_markup")) if "callback_data" in b]
        if data is not None:
            matching = [b for b in buttons if b["callback_data"] == data]
        elif text is not None:
            matching = [b for b in buttons if b["text"] == text]
        else:
            matching = buttons
        if not matching or (data is None and text is None and len(matching) > 1):
            shown = [(b["text"], b["callback_data"]) for b in buttons]
            raise ValueError(
                f"{len(matching)} callback buttons match data={data!r} text={text!r} "
                f"on message {message_id}; buttons: {shown}"
            )
        query_id = str(next(self._query_seq))
        self._open_queries[query_id] = (chat_id, message_id)
        self._queue(
            "callback_query",
            {
                "id": query_id,
                "from": user,
                "chat_instance": f"ci{abs(chat_id)}",
                "message": dict(message),
                "data": matching[0]["callback_data"],
            },
        )
        return query_id

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int | None = None,
        description: str | None = None,
        migrate_to_chat_id: int | None = None,
        times: int = 1,
        delay: float | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (or be slow).

        ``status`` defaults to 400 with ``migrate_to_chat_id``, to the normal answer after
        ``delay`` when only a delay is given, and to 429 otherwise. A 429 carries
        ``parameters.retry_after`` (default 1 s), which PTB raises as ``RetryAfter``.
        """
        parameters: JSONDict | None = None
        slow_only = delay is not None and retry_after is None and description is None
        if status is None and migrate_to_chat_id is not None:
            status = 400
        elif status is None and not slow_only:
            status = 429
        if migrate_to_chat_id is not None:
            parameters = {"migrate_to_chat_id": migrate_to_chat_id}
            description = description or _MIGRATED
        elif status == 429:
            retry_after = 1 if retry_after is None else retry_after
            parameters = {"retry_after": retry_after}
            description = description or f"Too Many Requests: retry after {retry_after}"
        elif retry_after is not None:
            parameters = {"retry_after": retry_after}
        if status is not None and description is None:
            description = _DEFAULT_DESCRIPTIONS.get(status, "Error")
        fault = Fault(
            status=status,
            description=description or "",
            parameters=parameters,
            delay=delay,
            times=times,
        )
        self._faults.setdefault(method.lower(), []).append(fault)

    # ------------------------------------------------------------------ reading the record

    def calls_to(self, method: str) -> list[ApiCall]:
        """Every recorded call of ``method`` (case-insensitive), oldest first."""
        wanted = method.lower()
        return [call for call in self.calls if call.method.lower() == wanted]

    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent successfully, oldest first, optionally to one chat."""
        return [m for m in self._sent if chat_id is None or m.chat_id == chat_id]

    def last_message(self, chat_id: int) -> SentMessage:
        """The last message the bot sent to ``chat_id``; AssertionError if there is none."""
        sent = self.sent_messages(chat_id)
        if not sent:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}\n{self.dump()}")
        return sent[-1]

    def documents(self, chat_id: int | None = None) -> list[SentMessage]:
        """Documents the bot sent, optionally to one chat."""
        return [m for m in self.sent_messages(chat_id) if m.method == "sendDocument"]

    def message(self, chat_id: int, message_id: int) -> JSONDict:
        """The current state of a stored message (user's or bot's, after edits)."""
        return dict(self._chats[chat_id].messages[message_id])

    def messages(self, chat_id: int) -> list[JSONDict]:
        """Every message still in the chat (not deleted), in id order."""
        chat = self._chats[chat_id]
        return [dict(chat.messages[mid]) for mid in sorted(chat.messages)]

    def member_status(self, chat_id: int, user_id: int) -> str:
        """A user's (or the bot's) status in a group, ``left`` if never there."""
        return self._group(chat_id).members.get(user_id, "left")

    def my_commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The command list set with setMyCommands for a scope and language."""
        return list(self._commands.get(self._commands_key(scope, language_code), []))

    @property
    def pending_update_ids(self) -> list[int]:
        """Updates queued and not yet acknowledged by the bot."""
        return [u["update_id"] for u in self._pending]

    @property
    def delivered_update_ids(self) -> list[int]:
        """Updates handed to the bot in a getUpdates answer, in order (repeats possible)."""
        return list(self._delivered)

    @property
    def waiting_polls(self) -> int:
        """How many getUpdates requests are being held open right now."""
        return self._waiting_polls

    @property
    def allowed_updates(self) -> frozenset[str]:
        """The update types the bot currently receives."""
        return self._allowed_updates

    @property
    def webhook_url(self) -> str:
        """The webhook URL set with setWebhook, ``""`` when polling."""
        return self._webhook_url

    def mark(self) -> int:
        """A position in :attr:`calls`, for ``wait_reply(after=...)``/``wait_call(after=...)``."""
        return len(self.calls)

    def dump(self, last: int = 15) -> str:
        """Recent calls (without getUpdates) and the update queue, for failure messages."""
        recent = [c for c in self.calls if c.method.lower() != "getupdates"][-last:]
        lines = [c.summary() for c in recent] or ["(no calls besides getUpdates)"]
        polls = len(self.calls_to("getUpdates"))
        lines.append(
            f"getUpdates calls: {polls}; pending updates: {self.pending_update_ids}; "
            f"delivered: {self._delivered[-10:]}"
        )
        return "\n".join(lines)

    # ------------------------------------------------------------------ waiting

    async def wait_for(self, predicate: Callable[[], T | None], timeout: float = 5.0) -> T:
        """Wait until ``predicate()`` returns something other than ``None``/``False``.

        The predicate is re-checked whenever the fake records a call or an update changes
        state; on timeout an AssertionError shows the recent calls.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result is not None and result is not False:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"condition not met within {timeout} s; recent calls:\n{self.dump()}"
                )
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                continue

    async def wait_reply(
        self, chat_id: int, *, after: int | None = None, timeout: float = 5.0
    ) -> SentMessage:
        """The first message the bot sends to ``chat_id`` from call index ``after`` on.

        ``after`` defaults to now (:meth:`mark`); take the mark before acting if anything is
        awaited between the action and this call.
        """
        start = self.mark() if after is None else after

        def reply() -> SentMessage | None:
            return next(
                (m for m in self._sent if m.chat_id == chat_id and m.call_index >= start), None
            )

        return await self.wait_for(reply, timeout)

    async def wait_call(
        self, method: str, *, after: int | None = None, timeout: float = 5.0
    ) -> ApiCall:
        """The first call of ``method`` recorded from call index ``after`` (default: now) on."""
        start = self.mark() if after is None else after
        wanted = method.lower()

        def call() -> ApiCall | None:
            return next((c for c in self.calls[start:] if c.method.lower() == wanted), None)

        return await self.wait_for(call, timeout)

    async def say(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        timeout: float = 5.0,
        reply_to: int | None = None,
        entities: Sequence[JSONDict] | None = None,
        mentions: Iterable[tuple[int, str]] = (),
    ) -> SentMessage:
        """``send_text`` and wait for the bot's next message to that chat."""
        start = self.mark()
        self.send_text(
            chat_id, user_id, text, reply_to=reply_to, entities=entities, mentions=mentions
        )
        return await self.wait_reply(chat_id, after=start, timeout=timeout)

    async def wait_callback_answer(self, query_id: str, timeout: float = 5.0) -> CallbackAnswer:
        """Wait until the bot answers the callback query ``query_id``."""

        def answer() -> CallbackAnswer | None:
            return next((a for a in self.callback_answers if a.callback_query_id == query_id), None)

        return await self.wait_for(answer, timeout)

    async def wait_until_delivered(
        self, update_id: int | None = None, timeout: float = 5.0
    ) -> None:
        """Wait until the bot acknowledged every update queued so far (or up to ``update_id``).

        Acknowledged means a later getUpdates carried an ``offset`` past it; updates of types
        outside ``allowed_updates`` count as done when the fake drops them.
        """
        target = self._next_update_id - 1 if update_id is None else update_id

        def done() -> bool:
            return all(u["update_id"] > target for u in self._pending)

        await self.wait_for(done, timeout)

    async def settle(
        self, update_queue: asyncio.Queue[Any] | None = None, timeout: float = 5.0
    ) -> None:
        """Wait until the bot acknowledged and fully processed every queued update.

        "Processed" needs PTB's ``app.update_queue``: it is joined after the acknowledgement,
        covering blocking handlers (see the module docstring).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        await self.wait_until_delivered(timeout=timeout)
        if update_queue is None:
            return
        try:
            await asyncio.wait_for(update_queue.join(), max(0.0, deadline - loop.time()))
        except TimeoutError:
            raise AssertionError(
                f"the bot did not finish processing its updates within {timeout} s\n{self.dump()}"
            ) from None

    # ------------------------------------------------------------------ HTTP layer

    def _bump(self) -> None:
        # An Event swapped on every change rather than an asyncio.Condition: changes happen in
        # synchronous code (send_text, request handlers), and notifying a Condition needs its
        # lock, which can only be taken with an await.
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def _wait_change(self, timeout: float) -> None:
        changed = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), timeout)

    async def _read_params(self, request: web.Request) -> tuple[dict[str, str], dict[str, Upload]]:
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

    async def _handle_api(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        method = request.match_info["method"]
        raw, uploads = await self._read_params(request)
        params, decode_error = _decode_params(raw)
        token = request.match_info["token"]
        # 499 stays only if the client hung up meanwhile; recorded anyway for the dumps.
        status, payload = 499, _ApiError(499, "client closed the request").payload()
        try:
            result = await self._dispatch(token, method, params, uploads, decode_error)
            status, payload = 200, {"ok": True, "result": result}
        except _ApiError as error:
            status, payload = error.status, error.payload()
        finally:
            self._record(method, params, uploads, arrived, status, payload)
        return web.Response(text=_dumps(payload), status=status, content_type="application/json")

    async def _dispatch(
        self,
        token: str,
        method: str,
        params: JSONDict,
        uploads: dict[str, Upload],
        decode_error: _ApiError | None,
    ) -> Any:
        if token != self._token:
            if _WELL_FORMED_TOKEN_RE.fullmatch(token):
                raise _ApiError(401, "Unauthorized")
            raise _ApiError(404, "Not Found")
        handler = self._handlers.get(method.lower())
        if handler is None:
            raise _ApiError(404, "Not Found")
        fault = self._take_fault(method)
        if fault is not None:
            if fault.delay:
                await self._sleep(fault.delay)
            if fault.status is not None:
                raise _ApiError(fault.status, fault.description, fault.parameters)
        if decode_error is not None:
            raise decode_error
        result = handler(params, uploads)
        if inspect.isawaitable(result):
            result = await result
        return result

    def _take_fault(self, method: str) -> Fault | None:
        faults = self._faults.get(method.lower())
        if not faults:
            return None
        fault = faults[0]
        fault.times -= 1
        if fault.times <= 0:
            faults.pop(0)
        return fault

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    def _record(
        self,
        method: str,
        params: JSONDict,
        uploads: dict[str, Upload],
        arrived: float,
        status: int,
        payload: JSONDict,
    ) -> ApiCall:
        call = ApiCall(
            index=len(self.calls),
            method=method,
            params=params,
            uploads=uploads,
            time=arrived,
            status=status,
            response=payload,
        )
        self.calls.append(call)
        self._bump()
        return call

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self._token:
            return web.Response(status=404, text="Not Found")
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None:
            return web.Response(status=404, text="Not Found")
        self.downloads.append(stored.file_path)
        self._bump()
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        payload = _ApiError(404, "Not Found").payload()
        return web.Response(text=_dumps(payload), status=404, content_type="application/json")

    # ------------------------------------------------------------------ updates

    def _queue(self, kind: str, payload: JSONDict) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        # A snapshot: later edits of the stored message must not change an undelivered update.
        self._pending.append({"update_id": update_id, kind: copy.deepcopy(payload)})
        self._bump()
        return update_id

    def _acknowledge(self, offset: int) -> None:
        before = len(self._pending)
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        if len(self._pending) != before:
            self._bump()

    def _deliverable(self, limit: int) -> list[JSONDict]:
        batch: list[JSONDict] = []
        for update in list(self._pending):
            if _update_type(update) not in self._allowed_updates:
                self._pending.remove(update)
                self.dropped_updates.append(update)
                self._bump()
                continue
            batch.append(update)
            if len(batch) >= limit:
                break
        return batch

    async def _get_updates(self, params: JSONDict, uploads: dict[str, Upload]) -> list[JSONDict]:
        if self._webhook_url:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _opt_int(params, "offset")
        limit = min(100, max(1, _opt_int(params, "limit") or 100))
        timeout = params.get("timeout") or 0
        if not isinstance(timeout, int | float) or isinstance(timeout, bool):
            raise _ApiError(400, "Bad Request: invalid timeout specified")
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = (
                frozenset(str(kind) for kind in allowed) if allowed else _DEFAULT_ALLOWED_UPDATES
            )
        if offset is not None:
            self._acknowledge(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._bump()  # a poll still waiting learns it was superseded
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, float(timeout))
        while True:
            if generation != self._poll_generation:
                raise _ApiError(409, _DEFAULT_DESCRIPTIONS[409])
            batch = self._deliverable(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._stopping.is_set():
                break
            self._waiting_polls += 1
            self._bump()
            try:
                await self._wait_change(remaining)
            finally:
                self._waiting_polls -= 1
        self._delivered.extend(u["update_id"] for u in batch)
        return copy.deepcopy(batch)

    def _delete_webhook(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        self._webhook_url = ""
        if _flag(params, "drop_pending_updates"):
            self._pending.clear()
            self._bump()
        return True

    def _set_webhook(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        url = _opt_str(params, "url") or ""
        if url and not url.startswith("https://"):
            raise _ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        self._webhook_url = url
        if _flag(params, "drop_pending_updates"):
            self._pending.clear()
            self._bump()
        return True

    def _get_webhook_info(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    # ------------------------------------------------------------------ chats

    def _user(self, user_id: int) -> JSONDict:
        try:
            return dict(self._users[user_id])
        except KeyError:
            raise ValueError(f"unknown user {user_id}; call add_user first") from None

    def _group(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None or chat.type == "private":
            raise ValueError(f"unknown group {chat_id}; call add_group first")
        return chat

    def _bot_json(self, *, full: bool = False) -> JSONDict:
        if full:
            return dict(self.bot_user)
        keys = ("id", "is_bot", "first_name", "last_name", "username")
        return {key: self.bot_user[key] for key in keys if key in self.bot_user}

    def _chat_json(self, chat: _Chat) -> JSONDict:
        if chat.type == "private":
            user = self._users[chat.id]
            result: JSONDict = {"id": chat.id, "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if key in user:
                    result[key] = user[key]
            return result
        result = {"id": chat.id, "type": chat.type, "title": chat.title}
        if chat.username:
            result["username"] = chat.username
        return result

    def _creator_or(self, chat: _Chat, fallback: JSONDict | None) -> JSONDict:
        for user_id, status in chat.members.items():
            if status == "creator" and user_id in self._users:
                return self._user(user_id)
        if fallback is not None:
            return fallback
        for user_id, status in chat.members.items():
            if status in _PRESENT and user_id in self._users:
                return self._user(user_id)
        raise ValueError(f"chat {chat.id} has no users; pass by_user_id")

    def _member_update(
        self, chat: _Chat, actor: JSONDict, user: JSONDict, old: str, new: str
    ) -> JSONDict:
        return {
            "chat": self._chat_json(chat),
            "from": actor,
            "date": int(self._clock()),
            "old_chat_member": _member_json(user, old),
            "new_chat_member": _member_json(user, new),
        }

    def _resolve_chat(self, params: JSONDict, key: str = "chat_id") -> _Chat:
        value = params.get(key)
        if value is None or value == "":
            raise _ApiError(400, f"Bad Request: {key} is empty")
        chat: _Chat | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            chat = self._chats.get(value)
        elif isinstance(value, str) and value.startswith("@"):
            chat = next((c for c in self._chats.values() if c.username == value[1:]), None)
        if chat is None:
            raise _ApiError(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise _ApiError(400, _MIGRATED, {"migrate_to_chat_id": chat.migrated_to})
        return chat

    def _check_access(self, chat: _Chat, *, writing: bool = True) -> None:
        if chat.type == "private":
            if chat.blocked and writing:
                raise _ApiError(403, "Forbidden: bot was blocked by the user")
            if not chat.started and writing:
                raise _ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            return
        status = chat.members.get(self.bot_id, "left")
        if status == "kicked":
            raise _ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
        if status not in _PRESENT:
            raise _ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")

    def _writable_chat(self, params: JSONDict) -> _Chat:
        chat = self._resolve_chat(params)
        self._check_access(chat)
        return chat

    def _readable_chat(self, params: JSONDict) -> _Chat:
        chat = self._resolve_chat(params)
        self._check_access(chat, writing=False)
        return chat

    def _new_message(self, chat: _Chat, sender: JSONDict, **fields: Any) -> JSONDict:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JSONDict = {
            "message_id": message_id,
            "from": sender,
            "chat": self._chat_json(chat),
            "date": int(self._clock()),
            **fields,
        }
        chat.messages[message_id] = message
        return message

    def _speaker(self, chat_id: int, user_id: int) -> tuple[_Chat, JSONDict]:
        user = self._user(user_id)
        chat = self._chats.get(chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}")
        if chat.type == "private":
            if chat_id != user_id:
                raise ValueError("in a private chat, chat_id is the user's id")
            if chat.blocked:
                raise ValueError(f"user {user_id} blocked the bot; call unblock_bot first")
            chat.started = True
            return chat, user
        if chat.migrated_to is not None:
            raise ValueError(f"chat {chat_id} migrated to {chat.migrated_to}")
        status = chat.members.get(user_id)
        if status in ("kicked", "left"):
            raise ValueError(f"user {user_id} is not in chat {chat_id} ({status})")
        chat.members.setdefault(user_id, "member")
        return chat, user

    def _user_message(
        self, chat: _Chat, user: JSONDict, fields: JSONDict, reply_to: int | None
    ) -> JSONDict:
        if reply_to is not None:
            replied = chat.messages.get(reply_to)
            if replied is None:
                raise ValueError(f"no message {reply_to} in chat {chat.id}")
            fields["reply_to_message"] = _without_reply(replied)
        message = self._new_message(chat, user, **fields)
        if self._bot_sees(chat, message):
            self._queue("message", message)
        else:
            self.unseen_messages.append(message)
        return dict(message)

    def _bot_sees(self, chat: _Chat, message: JSONDict) -> bool:
        """Telegram's privacy mode: what a group bot that is no administrator receives."""
        if chat.type == "private":
            return True
        status = chat.members.get(self.bot_id, "left")
        if status not in _PRESENT:
            return False
        if self.bot_user.get("can_read_all_group_messages") or status in _ADMIN:
            return True
        text = message.get("text") or message.get("caption") or ""
        if text.startswith("/"):
            return True
        replied = message.get("reply_to_message")
        if replied and replied.get("from", {}).get("id") == self.bot_id:
            return True
        mention = f"@{self.bot_username}".lower()
        for entity in message.get("entities", []) + message.get("caption_entities", []):
            if entity["type"] == "text_mention" and entity["user"]["id"] == self.bot_id:
                return True
            if entity["type"] == "mention":
                start = entity["offset"]
                piece = text.encode("utf-16-le")[2 * start : 2 * (start + entity["length"])]
                if piece.decode("utf-16-le").lower() == mention:
                    return True
        return False

    def _add_caption(self, fields: JSONDict, caption: str | None) -> None:
        if caption:
            fields["caption"] = caption
            entities = auto_entities(caption)
            if entities:
                fields["caption_entities"] = entities

    # ------------------------------------------------------------------ files

    def _store_file(
        self, content: bytes, folder: str, filename: str | None, mime_type: str | None
    ) -> _StoredFile:
        number = next(self._file_seq)
        suffix = PurePosixPath(filename).suffix if filename else ".jpg"
        if not suffix.isascii() or len(suffix) > 10:
            suffix = ""
        stored = _StoredFile(
            file_id=f"BQACAgUAAx0Cfake{number:06d}",
            file_unique_id=f"AgADfake{number:06d}",
            content=content,
            file_path=f"{folder}/file_{number}{suffix}",
            file_name=filename,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    @staticmethod
    def _document_json(stored: _StoredFile) -> JSONDict:
        document: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
        }
        if stored.file_name is not None:
            document["file_name"] = stored.file_name
        if stored.mime_type is not None:
            document["mime_type"] = stored.mime_type
        return document

    @staticmethod
    def _photo_size_json(stored: _StoredFile, side: int) -> JSONDict:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "width": side,
            "height": side,
        }

    def _get_file(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        file_id = _opt_str(params, "file_id")
        if not file_id:
            raise _ApiError(400, "Bad Request: file_id is empty")
        stored = self._files.get(file_id)
        if stored is None:
            raise _ApiError(400, "Bad Request: invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_BYTES:
            raise _ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    # ------------------------------------------------------------------ sending and editing

    def _format(
        self, text: str, parse_mode: str | None, entities: Any
    ) -> tuple[str, list[JSONDict]]:
        mode = (parse_mode or "").lower()
        if mode == "html":
            try:
                plain, found = parse_html(text, strict_ampersand=self.strict_html_ampersand)
            except EntityParseError as error:
                raise _ApiError(400, f"Bad Request: can't parse entities: {error}") from None
        elif mode in ("", "markdown", "markdownv2"):
            # Markdown is passed through unparsed: this project sends HTML.
            plain = text
            found = [dict(e) for e in entities] if isinstance(entities, list) else []
        else:
            raise _ApiError(400, "Bad Request: unsupported parse_mode")
        for entity in found:
            # <a href="tg://user?id=N"> names a user; Telegram fills in who that is.
            user_id = entity.get("user", {}).get("id") if entity["type"] == "text_mention" else None
            if user_id in self._users:
                entity["user"] = self._user(user_id)
        return strip_with_entities(plain, found)

    def _check_markup(self, markup: Any, *, inline_only: bool) -> JSONDict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise _ApiError(
                    400,
                    'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup '
                    "must be an Array of Arrays",
                )
            for button in (button for row in rows for button in row):
                self._check_button(button)
            return markup
        if not inline_only and any(
            key in markup for key in ("keyboard", "remove_keyboard", "force_reply")
        ):
            return markup
        raise _ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")

    @staticmethod
    def _check_button(button: Any) -> None:
        prefix = "Bad Request: can't parse inline keyboard button: "
        if not isinstance(button, dict):
            raise _ApiError(400, prefix + "InlineKeyboardButton must be an Object")
        text = button.get("text")
        if not isinstance(text, str):
            raise _ApiError(400, prefix + 'Field "text" must be of type String')
        if not text.strip():
            raise _ApiError(400, prefix + "Text must be non-empty")
        if not any(key in button for key in _BUTTON_ACTIONS):
            raise _ApiError(400, prefix + "Text buttons are unallowed in the inline keyboard")
        if "url" in button and not isinstance(button["url"], str):
            raise _ApiError(400, prefix + 'Field "url" must be of type String')
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str):
                raise _ApiError(400, prefix + 'Field "callback_data" must be of type String')
            if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _reply_target(self, chat: _Chat, params: JSONDict) -> int | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow = reply.get("allow_sending_without_reply") is True
        else:
            message_id = _opt_int(params, "reply_to_message_id")
            allow = _flag(params, "allow_sending_without_reply")
        if message_id is None:
            return None
        if message_id not in chat.messages:
            if allow:
                return None
            raise _ApiError(400, "Bad Request: message to be replied not found")
        return int(message_id)

    def _bot_message(
        self,
        chat: _Chat,
        params: JSONDict,
        *,
        method: str,
        fields: JSONDict,
        text: str | None,
        plain: str | None,
        entities: list[JSONDict],
        markup: JSONDict | None,
        reply_to: int | None,
        document: Upload | None = None,
        file_id: str | None = None,
    ) -> JSONDict:
        if markup is not None and "inline_keyboard" in markup:
            # Telegram's Message carries only inline keyboards; a ForceReply or reply keyboard
            # shapes the client but is never part of the message object.
            fields["reply_markup"] = markup
        if reply_to is not None:
            fields["reply_to_message"] = _without_reply(chat.messages[reply_to])
        message = self._new_message(chat, self._bot_json(), **fields)
        # No await between here and _record, so this call's index is the current length.
        self._sent.append(
            SentMessage(
                call_index=len(self.calls),
                method=method,
                chat_id=chat.id,
                message_id=message["message_id"],
                text=text,
                plain_text=plain,
                parse_mode=_opt_str(params, "parse_mode"),
                entities=entities,
                reply_markup=markup,
                reply_to=reply_to,
                document=document,
                file_id=file_id,
            )
        )
        return dict(message)

    def _checked_text(self, params: JSONDict) -> tuple[str, str, list[JSONDict]]:
        text = params.get("text")
        if not isinstance(text, str) or not text:
            raise _ApiError(400, "Bad Request: message text is empty")
        plain, entities = self._format(text, _opt_str(params, "parse_mode"), params.get("entities"))
        if not plain:
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(plain) > MAX_TEXT_LENGTH:
            raise _ApiError(400, "Bad Request: message is too long")
        return text, plain, entities

    def _send_message(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        chat = self._writable_chat(params)
        text, plain, entities = self._checked_text(params)
        markup = self._check_markup(params.get("reply_markup"), inline_only=False)
        reply_to = self._reply_target(chat, params)
        fields: JSONDict = {"text": plain}
        if entities:
            fields["entities"] = entities
        return self._bot_message(
            chat,
            params,
            method="sendMessage",
            fields=fields,
            text=text,
            plain=plain,
            entities=entities,
            markup=markup,
            reply_to=reply_to,
        )

    def _send_media(
        self, params: JSONDict, uploads: dict[str, Upload], kind: Literal["document", "photo"]
    ) -> JSONDict:
        chat = self._writable_chat(params)
        reference = params.get(kind)
        upload = uploads.get(kind)
        if isinstance(reference, str) and reference.startswith("attach://"):
            upload = uploads.get(reference.removeprefix("attach://"))
        folder = "documents" if kind == "document" else "photos"
        if upload is not None:
            mime = upload.content_type
            if kind == "photo":
                mime = "image/jpeg"
            elif not mime or mime == "application/octet-stream":
                mime = mimetypes.guess_type(upload.filename)[0] or mime
            stored = self._store_file(upload.content, folder, upload.filename, mime)
        elif isinstance(reference, str) and reference in self._files:
            stored = self._files[reference]
        elif isinstance(reference, str) and reference.startswith(("http://", "https://")):
            name = PurePosixPath(urlsplit(reference).path).name or None
            stored = self._store_file(b"", folder, name, mimetypes.guess_type(name or "")[0])
        elif reference is None:
            raise _ApiError(400, f"Bad Request: there is no {kind} in the request")
        else:
            raise _ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        caption = params.get("caption")
        plain: str | None = None
        entities: list[JSONDict] = []
        if isinstance(caption, str) and caption:
            plain, entities = self._format(
                caption, _opt_str(params, "parse_mode"), params.get("caption_entities")
            )
            if len(plain) > MAX_CAPTION_LENGTH:
                raise _ApiError(400, "Bad Request: message caption is too long")
        markup = self._check_markup(params.get("reply_markup"), inline_only=False)
        reply_to = self._reply_target(chat, params)
        fields: JSONDict = (
            {"document": self._document_json(stored)}
            if kind == "document"
            else {"photo": [self._photo_size_json(stored, 320)]}
        )
        if plain:
            fields["caption"] = plain
            if entities:
                fields["caption_entities"] = entities
        return self._bot_message(
            chat,
            params,
            method="sendDocument" if kind == "document" else "sendPhoto",
            fields=fields,
            text=caption if isinstance(caption, str) else None,
            plain=plain,
            entities=entities,
            markup=markup,
            reply_to=reply_to,
            document=upload,
            file_id=stored.file_id,
        )

    def _message_to_edit(self, params: JSONDict) -> tuple[_Chat, JSONDict]:
        if params.get("inline_message_id"):
            raise _ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat = self._writable_chat(params)
        message_id = _req_int(
            params, "message_id", "Bad Request: message identifier is not specified"
        )
        message = chat.messages.get(message_id)
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise _ApiError(400, "Bad Request: message can't be edited")
        return chat, message

    def _edit_message_text(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        _, message = self._message_to_edit(params)
        if "text" not in message:
            raise _ApiError(400, "Bad Request: there is no text in the message to edit")
        _, plain, entities = self._checked_text(params)
        markup = self._check_markup(params.get("reply_markup"), inline_only=True)
        if (
            plain == message["text"]
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise _ApiError(400, _NOT_MODIFIED)
        message["text"] = plain
        self._set_or_drop(message, "entities", entities or None)
        self._set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = int(self._clock())
        return dict(message)

    def _edit_message_reply_markup(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        _, message = self._message_to_edit(params)
        markup = self._check_markup(params.get("reply_markup"), inline_only=True)
        if markup == message.get("reply_markup"):
            raise _ApiError(400, _NOT_MODIFIED)
        self._set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = int(self._clock())
        return dict(message)

    @staticmethod
    def _set_or_drop(message: JSONDict, key: str, value: Any) -> None:
        if value is None:
            message.pop(key, None)
        else:
            message[key] = value

    def _delete_message(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        chat = self._writable_chat(params)
        message_id = _req_int(
            params, "message_id", "Bad Request: message identifier is not specified"
        )
        message = chat.messages.get(message_id)
        if message is None:
            raise _ApiError(400, "Bad Request: message to delete not found")
        own = message["from"]["id"] == self.bot_id
        if not own and chat.type != "private" and chat.members.get(self.bot_id) not in _ADMIN:
            raise _ApiError(400, "Bad Request: message can't be deleted")
        del chat.messages[message_id]
        return True

    def _answer_callback_query(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        query_id = _opt_str(params, "callback_query_id")
        if not query_id or query_id not in self._open_queries:
            raise _ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        del self._open_queries[query_id]
        self.callback_answers.append(
            CallbackAnswer(
                call_index=len(self.calls),
                callback_query_id=query_id,
                text=_opt_str(params, "text"),
                show_alert=_flag(params, "show_alert"),
                url=_opt_str(params, "url"),
                cache_time=_opt_int(params, "cache_time"),
            )
        )
        return True

    def _send_chat_action(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        self._writable_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    # ------------------------------------------------------------------ chat information

    def _get_chat(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        chat = self._readable_chat(params)
        info = self._chat_json(chat)
        info.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return info

    def _get_chat_administrators(
        self, params: JSONDict, uploads: dict[str, Upload]
    ) -> list[JSONDict]:
        chat = self._readable_chat(params)
        if chat.type == "private":
            raise _ApiError(400, "Bad Request: there are no administrators in the private chat")
        return [
            _member_json(self._bot_json() if uid == self.bot_id else self._user(uid), status)
            for uid, status in chat.members.items()
            if status in _ADMIN
        ]

    def _get_chat_member(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        chat = self._readable_chat(params)
        user_id = _req_int(params, "user_id")
        if user_id == self.bot_id:
            user = self._bot_json()
        elif user_id in self._users:
            user = self._user(user_id)
        else:
            raise _ApiError(400, "Bad Request: user not found")
        if chat.type == "private":
            if user_id not in (chat.id, self.bot_id):
                raise _ApiError(400, "Bad Request: user not found")
            return _member_json(user, "member")
        return _member_json(user, chat.members.get(user_id, "left"))

    def _get_chat_member_count(self, params: JSONDict, uploads: dict[str, Upload]) -> int:
        chat = self._readable_chat(params)
        if chat.type == "private":
            return 2
        return sum(1 for status in chat.members.values() if status in _PRESENT)

    def _leave_chat(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        chat = self._readable_chat(params)
        if chat.type == "private":
            raise _ApiError(
                400, "Bad Request: chat member status can't be changed in private chats"
            )
        old = chat.members.get(self.bot_id, "left")
        chat.members[self.bot_id] = "left"
        bot = self._bot_json()
        self._queue("my_chat_member", self._member_update(chat, bot, bot, old, "left"))
        return True

    # ------------------------------------------------------------------ commands and menu

    @staticmethod
    def _commands_key(scope: Any, language_code: str | None) -> tuple[str, str]:
        scope = scope if isinstance(scope, dict) else {"type": "default"}
        return json.dumps(scope, sort_keys=True), language_code or ""

    def _set_my_commands(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _ApiError(400, "Bad Request: commands is empty")
        if len(commands) > 100:
            raise _ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if not isinstance(command, dict):
                raise _ApiError(400, "Bad Request: can't parse BotCommand")
            name = command.get("command")
            if not isinstance(name, str) or not _COMMAND_NAME_RE.fullmatch(name):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            text = command.get("description")
            if not isinstance(text, str) or not 1 <= len(text) <= 256:
                raise _ApiError(400, "Bad Request: command description is invalid")
        key = self._commands_key(params.get("scope"), _opt_str(params, "language_code"))
        self._commands[key] = [dict(command) for command in commands]
        return True

    def _get_my_commands(self, params: JSONDict, uploads: dict[str, Upload]) -> list[JSONDict]:
        key = self._commands_key(params.get("scope"), _opt_str(params, "language_code"))
        return list(self._commands.get(key, []))

    def _delete_my_commands(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        key = self._commands_key(params.get("scope"), _opt_str(params, "language_code"))
        self._commands.pop(key, None)
        return True

    def _set_chat_menu_button(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        chat_id = None
        if params.get("chat_id") is not None:
            chat_id = self._resolve_chat(params).id
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise _ApiError(400, "Bad Request: can't parse menu button")
        self._menu_buttons[chat_id] = button
        return True

    def _get_chat_menu_button(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        chat_id = None
        if params.get("chat_id") is not None:
            chat_id = self._resolve_chat(params).id
        button = self._menu_buttons.get(chat_id) or self._menu_buttons.get(None)
        if button is None or button.get("type") == "default":
            return {"type": "commands"}
        return dict(button)
