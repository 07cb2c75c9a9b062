"""The Bot API methods over the simulated world, with Telegram's refusals, faults and flood limits.

:class:`BotApi` answers one call at a time — ``answer(token, method, params, uploads)`` — and
records it; :mod:`playground.standin.server` puts it on HTTP. It refuses what Telegram refuses,
with Telegram's wording, so that a bot fails against the stand-in where it would fail in
production:

* a wrong token (401, or 404 when malformed) and unknown methods (404);
* malformed ``parse_mode=HTML``, empty text, text over 4096 and captions over 1024 UTF-16 units
  after parsing, callback data over 64 bytes, more than 100 inline buttons
  (:mod:`playground.standin.limits`);
* unknown chats, chats the bot was kicked from or is not in, users who blocked the bot, and
  users who never started it (403 "bot can't initiate conversation with a user" — a private
  ``send_text`` or ``add_user(..., started=True)`` starts the chat);
* migrated groups (400 with ``parameters.migrate_to_chat_id``);
* flood limits, when enabled (429 with ``parameters.retry_after``; :mod:`playground.standin.flood`);
* a second ``getUpdates`` while one is pending terminates the first with 409 Conflict, as when
  two bot instances poll at once; ``getUpdates`` while a webhook is set is 409 too.

Failures and slow answers can also be injected per method (:meth:`BotApi.fail_next`).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import mimetypes
import re
import time
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any, Literal
from urllib.parse import urlsplit

from playground.standin.flood import FloodControl
from playground.standin.limits import (
    MAX_DOWNLOAD_BYTES,
    checked_caption,
    checked_markup,
    checked_text,
)
from playground.standin.protocol import (
    ApiError,
    decode_params,
    flag,
    opt_int,
    opt_str,
    req_int,
)
from playground.standin.records import ApiCall, CallbackAnswer, Fault, SentMessage, Upload
from playground.standin.world import (
    ADMIN_STATUSES,
    DEFAULT_ALLOWED_UPDATES,
    PRESENT_STATUSES,
    Chat,
    JSONDict,
    StoredFile,
    World,
    member_json,
)

__all__ = ["DEFAULT_TOKEN", "BotApi"]

DEFAULT_TOKEN = "123:abc"

Method = Callable[[JSONDict, dict[str, Upload]], Any]

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
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"


def _too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def _set_or_drop(message: JSONDict, key: str, value: Any) -> None:
    if value is None:
        message.pop(key, None)
    else:
        message[key] = value


def _commands_key(scope: Any, language_code: str | None) -> tuple[str, str]:
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps(scope, sort_keys=True), language_code or ""


class BotApi:
    """The Bot API of one bot over a :class:`World`, recording every call it answers.

    Args:
        world: The simulated Telegram the methods read and change.
        token: The bot token accepted; any other gets 401 (or 404 if malformed).
        strict_html_ampersand: Refuse a bare ``&`` in ``parse_mode=HTML`` (see
            :func:`playground.standin.formatting.parse_html`).
        flood: Flood limits to enforce on sent messages; ``None`` enforces none.
        monotonic: The time source for :attr:`ApiCall.time`.
    """

    def __init__(
        self,
        world: World,
        *,
        token: str = DEFAULT_TOKEN,
        strict_html_ampersand: bool = True,
        flood: FloodControl | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.world = world
        self._token = token
        self.strict_html_ampersand = strict_html_ampersand
        self.flood = flood
        self._monotonic = monotonic

        self.calls: list[ApiCall] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.downloads: list[str] = []
        self._sent: list[SentMessage] = []
        self._faults: dict[str, list[Fault]] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._webhook_url = ""
        self._poll_generation = 0
        self._waiting_polls = 0
        self._closing = asyncio.Event()

        self._methods: dict[str, Method] = {
            "getme": lambda p, u: self.world.bot_json(full=True),
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

    # ------------------------------------------------------------------ answering calls

    @property
    def token(self) -> str:
        """The token the API accepts."""
        return self._token

    async def answer(
        self, token: str, method: str, raw: dict[str, str], uploads: dict[str, Upload]
    ) -> tuple[int, JSONDict]:
        """Answer one call with its HTTP status and JSON body, and record it in :attr:`calls`."""
        arrived = self._monotonic()
        params, decode_error = decode_params(raw)
        # 499 stays only if the client hung up meanwhile; recorded anyway for the dumps.
        status, payload = 499, ApiError(499, "client closed the request").payload()
        try:
            result = await self._dispatch(token, method, params, uploads, decode_error)
            status, payload = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, payload = error.status, error.payload()
        finally:
            self._record(method, params, uploads, arrived, status, payload)
        return status, payload

    def download(self, token: str, file_path: str) -> StoredFile | None:
        """The file behind a download URL (recorded in :attr:`downloads`), if the token fits."""
        stored = self.world.file_at(file_path) if token == self._token else None
        if stored is not None:
            self.downloads.append(stored.file_path)
            self.world.bump()
        return stored

    def open(self) -> None:
        """Accept long polls and delays again after :meth:`close`."""
        self._closing.clear()

    def close(self) -> None:
        """Answer pending long polls and injected delays at once (the server is stopping)."""
        self._closing.set()
        self.world.bump()

    async def _dispatch(
        self,
        token: str,
        method: str,
        params: JSONDict,
        uploads: dict[str, Upload],
        decode_error: ApiError | None,
    ) -> Any:
        if token != self._token:
            if _WELL_FORMED_TOKEN_RE.fullmatch(token):
                raise ApiError(401, "Unauthorized")
            raise ApiError(404, "Not Found")
        handler = self._methods.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found")
        fault = self._take_fault(method)
        if fault is not None:
            if fault.delay:
                await self._sleep(fault.delay)
            if fault.status is not None:
                raise ApiError(fault.status, fault.description, fault.parameters)
        if decode_error is not None:
            raise decode_error
        result = handler(params, uploads)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    def _record(
        self,
        method: str,
        params: JSONDict,
        uploads: dict[str, Upload],
        arrived: float,
        status: int,
        payload: JSONDict,
    ) -> None:
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
        self.world.bump()

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

    def _take_fault(self, method: str) -> Fault | None:
        faults = self._faults.get(method.lower())
        if not faults:
            return None
        fault = faults[0]
        fault.times -= 1
        if fault.times <= 0:
            faults.pop(0)
        return fault

    # ------------------------------------------------------------------ reading the record

    def calls_to(self, method: str) -> list[ApiCall]:
        """Every recorded call of ``method`` (case-insensitive), oldest first."""
        wanted = method.lower()
        return [call for call in self.calls if call.method.lower() == wanted]

    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent successfully, oldest first, optionally to one chat."""
        return [m for m in self._sent if chat_id is None or m.chat_id == chat_id]

    def my_commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The command list set with setMyCommands for a scope and language."""
        return list(self._commands.get(_commands_key(scope, language_code), []))

    @property
    def waiting_polls(self) -> int:
        """How many getUpdates requests are being held open right now."""
        return self._waiting_polls

    @property
    def webhook_url(self) -> str:
        """The webhook URL set with setWebhook, ``""`` when polling."""
        return self._webhook_url

    # ------------------------------------------------------------------ updates and webhooks

    async def _get_updates(self, params: JSONDict, uploads: dict[str, Upload]) -> list[JSONDict]:
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = opt_int(params, "offset")
        limit = min(100, max(1, opt_int(params, "limit") or 100))
        timeout = params.get("timeout") or 0
        if not isinstance(timeout, int | float) or isinstance(timeout, bool):
            raise ApiError(400, "Bad Request: invalid timeout specified")
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self.world.allowed_updates = (
                frozenset(str(kind) for kind in allowed) if allowed else DEFAULT_ALLOWED_UPDATES
            )
        if offset is not None:
            self.world.acknowledge(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self.world.bump()  # a poll still waiting learns it was superseded
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, float(timeout))
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, _DEFAULT_DESCRIPTIONS[409])
            batch = self.world.deliverable(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._closing.is_set():
                break
            self._waiting_polls += 1
            self.world.bump()
            try:
                await self.world.wait_change(remaining)
            finally:
                self._waiting_polls -= 1
        return self.world.hand_out(batch)

    def _delete_webhook(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        self._webhook_url = ""
        if flag(params, "drop_pending_updates"):
            self.world.drop_pending()
        return True

    def _set_webhook(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        url = opt_str(params, "url") or ""
        if url and not url.startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        self._webhook_url = url
        if flag(params, "drop_pending_updates"):
            self.world.drop_pending()
        return True

    def _get_webhook_info(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.pending_update_ids),
        }

    # ------------------------------------------------------------------ which chat, may the bot

    def _resolve_chat(self, params: JSONDict, key: str = "chat_id") -> Chat:
        value = params.get(key)
        if value is None or value == "":
            raise ApiError(400, f"Bad Request: {key} is empty")
        chat: Chat | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            chat = self.world.chat(value)
        elif isinstance(value, str) and value.startswith("@"):
            chat = self.world.chat_by_username(value[1:])
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise ApiError(400, _MIGRATED, {"migrate_to_chat_id": chat.migrated_to})
        return chat

    def _check_access(self, chat: Chat, *, writing: bool = True) -> None:
        if chat.is_private:
            if chat.blocked and writing:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not chat.started and writing:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            return
        status = self.world.bot_status(chat)
        if status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
        if status not in PRESENT_STATUSES:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")

    def _writable_chat(self, params: JSONDict) -> Chat:
        chat = self._resolve_chat(params)
        self._check_access(chat)
        return chat

    def _readable_chat(self, params: JSONDict) -> Chat:
        chat = self._resolve_chat(params)
        self._check_access(chat, writing=False)
        return chat

    # ------------------------------------------------------------------ sending

    def _text(self, params: JSONDict) -> tuple[str, list[JSONDict]]:
        """The checked ``text`` of a sendMessage or editMessageText, and its entities."""
        plain, entities = checked_text(
            params.get("text"),
            opt_str(params, "parse_mode"),
            params.get("entities"),
            strict_ampersand=self.strict_html_ampersand,
        )
        return plain, self._name_mentioned_users(entities)

    def _caption(self, caption: str, params: JSONDict) -> tuple[str, list[JSONDict]]:
        """The checked caption of a sendDocument or sendPhoto, and its entities."""
        plain, entities = checked_caption(
            caption,
            opt_str(params, "parse_mode"),
            params.get("caption_entities"),
            strict_ampersand=self.strict_html_ampersand,
        )
        return plain, self._name_mentioned_users(entities)

    def _name_mentioned_users(self, entities: list[JSONDict]) -> list[JSONDict]:
        """Fill in who each ``text_mention`` names, as Telegram does for its users."""
        for entity in entities:
            # <a href="tg://user?id=N"> names a user; Telegram fills in who that is.
            user_id = entity.get("user", {}).get("id") if entity["type"] == "text_mention" else None
            if isinstance(user_id, int) and self.world.knows_user(user_id):
                entity["user"] = self.world.user(user_id)
        return entities

    def _reply_target(self, chat: Chat, params: JSONDict) -> int | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow = reply.get("allow_sending_without_reply") is True
        else:
            message_id = opt_int(params, "reply_to_message_id")
            allow = flag(params, "allow_sending_without_reply")
        if message_id is None:
            return None
        if message_id not in chat.messages:
            if allow:
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return int(message_id)

    def _admit(self, chat: Chat) -> None:
        """Count a message against the flood limits, or refuse it with 429."""
        if self.flood is None:
            return
        retry_after = self.flood.admit(chat.id, private=chat.is_private)
        if retry_after is not None:
            raise _too_many_requests(retry_after)

    def _bot_message(
        self,
        chat: Chat,
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
        """Store a message the bot sends (everything checked, flood limits last)."""
        self._admit(chat)
        if markup is not None and "inline_keyboard" in markup:
            # Telegram's Message carries only inline keyboards; a ForceReply or reply keyboard
            # shapes the client but is never part of the message object.
            fields["reply_markup"] = markup
        if reply_to is not None:
            fields["reply_to_message"] = self.world.reply_to(chat, reply_to)
        message = self.world.new_message(chat, self.world.bot_json(), **fields)
        # No await between here and _record, so this call's index is the current length.
        self._sent.append(
            SentMessage(
                call_index=len(self.calls),
                method=method,
                chat_id=chat.id,
                message_id=message["message_id"],
                text=text,
                plain_text=plain,
                parse_mode=opt_str(params, "parse_mode"),
                entities=entities,
                reply_markup=markup,
                reply_to=reply_to,
                document=document,
                file_id=file_id,
            )
        )
        return dict(message)

    def _send_message(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        chat = self._writable_chat(params)
        plain, entities = self._text(params)
        markup = checked_markup(params.get("reply_markup"), inline_only=False)
        reply_to = self._reply_target(chat, params)
        fields: JSONDict = {"text": plain}
        if entities:
            fields["entities"] = entities
        return self._bot_message(
            chat,
            params,
            method="sendMessage",
            fields=fields,
            text=params["text"],
            plain=plain,
            entities=entities,
            markup=markup,
            reply_to=reply_to,
        )

    def _uploaded_file(
        self, params: JSONDict, uploads: dict[str, Upload], kind: Literal["document", "photo"]
    ) -> tuple[StoredFile, Upload | None]:
        """The file a sendDocument/sendPhoto names: an upload, a known file_id or a URL."""
        reference = params.get(kind)
        upload = uploads.get(kind)
        if isinstance(reference, str) and reference.startswith("attach://"):
            upload = uploads.get(reference.removeprefix("attach://"))
        folder = "documents" if kind == "document" else "photos"
        known = self.world.file(reference) if isinstance(reference, str) else None
        if upload is not None:
            mime = upload.content_type
            if kind == "photo":
                mime = "image/jpeg"
            elif not mime or mime == "application/octet-stream":
                mime = mimetypes.guess_type(upload.filename)[0] or mime
            return self.world.store_file(upload.content, folder, upload.filename, mime), upload
        if known is not None:
            return known, None
        if isinstance(reference, str) and reference.startswith(("http://", "https://")):
            name = PurePosixPath(urlsplit(reference).path).name or None
            guessed = mimetypes.guess_type(name or "")[0]
            return self.world.store_file(b"", folder, name, guessed), None
        if reference is None:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _send_media(
        self, params: JSONDict, uploads: dict[str, Upload], kind: Literal["document", "photo"]
    ) -> JSONDict:
        chat = self._writable_chat(params)
        stored, upload = self._uploaded_file(params, uploads, kind)
        caption = params.get("caption")
        plain: str | None = None
        entities: list[JSONDict] = []
        if isinstance(caption, str) and caption:
            plain, entities = self._caption(caption, params)
        markup = checked_markup(params.get("reply_markup"), inline_only=False)
        reply_to = self._reply_target(chat, params)
        fields: JSONDict = (
            {"document": stored.document_json()}
            if kind == "document"
            else {"photo": [stored.photo_size_json(320)]}
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

    def _send_chat_action(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        self._writable_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    # ------------------------------------------------------------------ editing and deleting

    def _message_to_edit(self, params: JSONDict) -> JSONDict:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat = self._writable_chat(params)
        message_id = req_int(
            params, "message_id", "Bad Request: message identifier is not specified"
        )
        message = chat.messages.get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.world.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _edit_message_text(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        message = self._message_to_edit(params)
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        plain, entities = self._text(params)
        markup = checked_markup(params.get("reply_markup"), inline_only=True)
        if (
            plain == message["text"]
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise ApiError(400, _NOT_MODIFIED)
        message["text"] = plain
        _set_or_drop(message, "entities", entities or None)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.world.now()
        return dict(message)

    def _edit_message_reply_markup(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        message = self._message_to_edit(params)
        markup = checked_markup(params.get("reply_markup"), inline_only=True)
        if markup == message.get("reply_markup"):
            raise ApiError(400, _NOT_MODIFIED)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.world.now()
        return dict(message)

    def _delete_message(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        chat = self._writable_chat(params)
        message_id = req_int(
            params, "message_id", "Bad Request: message identifier is not specified"
        )
        message = chat.messages.get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        own = message["from"]["id"] == self.world.bot_id
        if not own and not chat.is_private and self.world.bot_status(chat) not in ADMIN_STATUSES:
            raise ApiError(400, "Bad Request: message can't be deleted")
        del chat.messages[message_id]
        return True

    def _answer_callback_query(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        query_id = opt_str(params, "callback_query_id")
        if not query_id or not self.world.close_callback_query(query_id):
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.callback_answers.append(
            CallbackAnswer(
                call_index=len(self.calls),
                callback_query_id=query_id,
                text=opt_str(params, "text"),
                show_alert=flag(params, "show_alert"),
                url=opt_str(params, "url"),
                cache_time=opt_int(params, "cache_time"),
            )
        )
        return True

    # ------------------------------------------------------------------ files

    def _get_file(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        file_id = opt_str(params, "file_id")
        if not file_id:
            raise ApiError(400, "Bad Request: file_id is empty")
        stored = self.world.file(file_id)
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_BYTES:
            raise ApiError(400, "Bad Request: file is too big")
        return stored.file_json()

    # ------------------------------------------------------------------ chat information

    def _get_chat(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        chat = self._readable_chat(params)
        info = self.world.chat_json(chat)
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
        if chat.is_private:
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        return [
            member_json(self.world.person(uid), status)
            for uid, status in chat.members.items()
            if status in ADMIN_STATUSES
        ]

    def _get_chat_member(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        chat = self._readable_chat(params)
        user_id = req_int(params, "user_id")
        if user_id != self.world.bot_id and not self.world.knows_user(user_id):
            raise ApiError(400, "Bad Request: user not found")
        user = self.world.person(user_id)
        if chat.is_private:
            if user_id not in (chat.id, self.world.bot_id):
                raise ApiError(400, "Bad Request: user not found")
            return member_json(user, "member")
        return member_json(user, chat.members.get(user_id, "left"))

    def _get_chat_member_count(self, params: JSONDict, uploads: dict[str, Upload]) -> int:
        chat = self._readable_chat(params)
        if chat.is_private:
            return 2
        return sum(1 for status in chat.members.values() if status in PRESENT_STATUSES)

    def _leave_chat(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        chat = self._readable_chat(params)
        if chat.is_private:
            raise ApiError(400, "Bad Request: chat member status can't be changed in private chats")
        self.world.bot_leaves(chat)
        return True

    # ------------------------------------------------------------------ commands and menu

    def _set_my_commands(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: commands is empty")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if not isinstance(command, dict):
                raise ApiError(400, "Bad Request: can't parse BotCommand")
            name = command.get("command")
            if not isinstance(name, str) or not _COMMAND_NAME_RE.fullmatch(name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            text = command.get("description")
            if not isinstance(text, str) or not 1 <= len(text) <= 256:
                raise ApiError(400, "Bad Request: command description is invalid")
        key = _commands_key(params.get("scope"), opt_str(params, "language_code"))
        self._commands[key] = [dict(command) for command in commands]
        return True

    def _get_my_commands(self, params: JSONDict, uploads: dict[str, Upload]) -> list[JSONDict]:
        key = _commands_key(params.get("scope"), opt_str(params, "language_code"))
        return list(self._commands.get(key, []))

    def _delete_my_commands(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        key = _commands_key(params.get("scope"), opt_str(params, "language_code"))
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
            raise ApiError(400, "Bad Request: can't parse menu button")
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
