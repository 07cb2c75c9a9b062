"""Driving the stand-in from outside: acting as Telegram users, and waiting for the bot.

:class:`FakeTelegram` puts the pieces together — the simulated :class:`World`, its
:class:`BotApi` and the :class:`ApiServer` on 127.0.0.1 — and is what tests and the playground
hold. The bot talks HTTP to it exactly as it would to api.telegram.org; the driver plays the
users (``send_text``, ``press_button``, ``send_document`` …) and reads what the bot did
(``calls``, ``sent_messages``, ``wait_reply`` …).

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

* Everything the stand-in records (calls, queued/acknowledged updates) bumps a change signal;
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

What Telegram does with what users do (privacy mode, member updates) is described in
:mod:`playground.standin.world`; what it refuses the bot, in :mod:`playground.standin.api`.
"""

# ruff: noqa: ASYNC109 - the waiting helpers take a timeout so that a failed wait can end
# in an AssertionError that dumps the calls recorded so far, not a bare TimeoutError.

from __future__ import annotations

import asyncio
import mimetypes
import time
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Any, Literal, Self, TypeVar

from playground.standin.api import DEFAULT_TOKEN, BotApi
from playground.standin.flood import FloodControl, FloodLimits
from playground.standin.formatting import auto_entities, utf16_len
from playground.standin.records import ApiCall, CallbackAnswer, SentMessage
from playground.standin.server import ApiServer
from playground.standin.world import JSONDict, MemberStatus, World

__all__ = ["FakeTelegram"]

T = TypeVar("T")

_TINY_JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


def _flat_buttons(markup: JSONDict | None) -> list[JSONDict]:
    if not markup:
        return []
    rows = markup.get("inline_keyboard", [])
    return [button for row in rows for button in row]


def _caption_fields(caption: str | None) -> JSONDict:
    """A user's caption with the entities Telegram detects in it (commands, mentions)."""
    if not caption:
        return {}
    fields: JSONDict = {"caption": caption}
    entities = auto_entities(caption)
    if entities:
        fields["caption_entities"] = entities
    return fields


class FakeTelegram:
    """A stand-in Telegram: a world of users and chats, its Bot API, and an HTTP endpoint.

    Args:
        token: The bot token the stand-in accepts; any other gets 401 (or 404 if malformed).
        bot_user: What getMe answers; defaults to :data:`~playground.standin.DEFAULT_BOT_USER`.
        clock: Seconds since the epoch for message ``date`` fields.
        strict_html_ampersand: Refuse a bare ``&`` in ``parse_mode=HTML`` (see
            :func:`playground.standin.formatting.parse_html`).
        flood_limits: Enforce Telegram's flood limits (429 with ``retry_after``); off by
            default, so tests may send as fast as they like.
        monotonic: The time source of the flood limits and of :attr:`ApiCall.time`.
        host: The address to listen on.
        port: The port to listen on; 0 lets the OS pick a free one.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_user: JSONDict | None = None,
        clock: Callable[[], float] = time.time,
        strict_html_ampersand: bool = True,
        flood_limits: FloodLimits | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.world = World(bot_user=bot_user, clock=clock)
        flood = None if flood_limits is None else FloodControl(flood_limits, monotonic)
        self.api = BotApi(
            self.world,
            token=token,
            strict_html_ampersand=strict_html_ampersand,
            flood=flood,
            monotonic=monotonic,
        )
        self.server = ApiServer(self.api, host=host, port=port)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start the HTTP server."""
        await self.server.start()

    async def stop(self) -> None:
        """Answer pending long polls and delayed calls at once, then close the server."""
        await self.server.stop()

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
        """The token the stand-in accepts."""
        return self.api.token

    @property
    def port(self) -> int:
        """The TCP port the stand-in listens on."""
        return self.server.port

    @property
    def base_url(self) -> str:
        """Value for ``Bot(base_url=...)``: PTB requests ``{base_url}{token}/{method}``."""
        return self.server.base_url

    @property
    def base_file_url(self) -> str:
        """Value for ``Bot(base_file_url=...)``: files are ``{base_file_url}{token}/{path}``."""
        return self.server.base_file_url

    @property
    def bot_user(self) -> JSONDict:
        """What getMe answers (change it before the bot starts)."""
        return self.world.bot_user

    @property
    def bot_id(self) -> int:
        """The bot's user id."""
        return self.world.bot_id

    @property
    def bot_username(self) -> str:
        """The bot's username, without ``@``."""
        return self.world.bot_username

    # ------------------------------------------------------------------ setting the scene

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
        """Create a user and their private chat; see :meth:`World.add_user`."""
        return self.world.add_user(
            user_id,
            first_name,
            username=username,
            last_name=last_name,
            language_code=language_code,
            started=started,
        )

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        type: Literal["group", "supergroup"] = "supergroup",
        username: str | None = None,
        with_bot: bool = True,
    ) -> JSONDict:
        """Create a group, the bot in it unless ``with_bot=False``; see :meth:`World.add_group`."""
        return self.world.add_group(chat_id, title, type=type, username=username, with_bot=with_bot)

    def add_member(self, chat_id: int, user_id: int, *, status: MemberStatus = "member") -> None:
        """Put a user into a group with ``status`` (no update is queued)."""
        self.world.add_member(chat_id, user_id, status=status)

    def make_admin(
        self,
        chat_id: int,
        user_id: int,
        *,
        status: Literal["creator", "administrator", "member"] = "administrator",
        notify: bool = False,
        by_user_id: int | None = None,
    ) -> None:
        """Set a member's (or the bot's) status; see :meth:`World.make_admin`."""
        self.world.make_admin(chat_id, user_id, status=status, notify=notify, by_user_id=by_user_id)

    def add_bot_to_group(
        self,
        chat_id: int,
        by_user_id: int,
        *,
        status: Literal["member", "administrator"] = "member",
    ) -> JSONDict:
        """A user adds the bot: queue ``my_chat_member`` and the ``new_chat_members`` message."""
        return self.world.add_bot_to_group(chat_id, by_user_id, status=status)

    def remove_bot_from_group(
        self,
        chat_id: int,
        by_user_id: int,
        *,
        status: Literal["kicked", "left"] = "kicked",
    ) -> None:
        """A user removes the bot: queue ``my_chat_member``; later sends get 403 Forbidden."""
        self.world.remove_bot_from_group(chat_id, by_user_id, status=status)

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: queue ``my_chat_member``; later sends get 403 Forbidden."""
        self.world.block_bot(user_id)

    def unblock_bot(self, user_id: int) -> None:
        """The user restarts the bot: queue ``my_chat_member`` back to member."""
        self.world.unblock_bot(user_id)

    def migrate_group(self, old_id: int, new_id: int, *, by_user_id: int | None = None) -> None:
        """Upgrade a basic group to a supergroup; see :meth:`World.migrate_group`."""
        self.world.migrate_group(old_id, new_id, by_user_id=by_user_id)

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
        anonymous: bool = False,
    ) -> JSONDict:
        """A user writes ``text`` in a chat; queue the ``message`` update; return the Message.

        Entities for ``/commands`` and ``@mentions`` are computed (UTF-16 offsets) unless
        ``entities`` is given; each ``(user_id, name)`` of ``mentions`` appends `` name`` as a
        ``text_mention``. ``reply_to`` is a message id in that chat (the user's or the bot's).
        ``anonymous``: an administrator posts as the group (from GroupAnonymousBot, with
        ``sender_chat`` the group).
        """
        if anonymous:
            chat, user = self.world.anonymous_speaker(chat_id, user_id)
        else:
            chat, user = self.world.speaker(chat_id, user_id)
        found = auto_entities(text) if entities is None else [dict(e) for e in entities]
        for mentioned_id, name in mentions:
            if text:
                text += " "
            found.append(
                {
                    "type": "text_mention",
                    "offset": utf16_len(text),
                    "length": utf16_len(name),
                    "user": self.world.user(mentioned_id),
                }
            )
            text += name
        fields: JSONDict = {"text": text}
        if found:
            fields["entities"] = found
        if anonymous:
            fields["sender_chat"] = self.world.chat_json(chat)
        return self.world.post(chat, user, fields, reply_to)

    def edit_text(self, chat_id: int, message_id: int, text: str) -> JSONDict:
        """The author edits their message: queue ``edited_message`` (if the bot saw it)."""
        return self.world.edit_user_message(chat_id, message_id, text, auto_entities(text))

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
        chat, user = self.world.speaker(chat_id, user_id)
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.world.store_file(content, "documents", filename, mime)
        fields: JSONDict = {"document": stored.document_json(), **_caption_fields(caption)}
        return self.world.post(chat, user, fields, reply_to)

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
        chat, user = self.world.speaker(chat_id, user_id)
        sizes = [
            self.world.store_file(content, "photos", None, "image/jpeg").photo_size_json(side)
            for side in (90, 320)
        ]
        fields: JSONDict = {"photo": sizes, **_caption_fields(caption)}
        return self.world.post(chat, user, fields, reply_to)

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
        chat = self.world.chat(chat_id)
        user = self.world.user(user_id)
        message = chat.messages.get(message_id) if chat is not None else None
        if chat is None or message is None:
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
        return self.world.open_callback_query(chat, message, user, matching[0]["callback_data"])

    # ------------------------------------------------------------------ faults

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
        """Make the next calls of ``method`` fail or be slow; see :meth:`BotApi.fail_next`."""
        self.api.fail_next(
            method,
            status=status,
            retry_after=retry_after,
            description=description,
            migrate_to_chat_id=migrate_to_chat_id,
            times=times,
            delay=delay,
        )

    async def disconnect(self) -> None:
        """Telegram becomes unreachable: connections to the stand-in are refused.

        Pending long polls are answered first (as when a server goes down); the world and the
        record are kept, and users may go on acting (their updates wait in the queue).
        """
        await self.server.stop()

    async def reconnect(self) -> None:
        """Telegram is reachable again, at the same address."""
        await self.server.start()

    def queue_update(self, kind: str, payload: JSONDict) -> int:
        """Queue an update of type ``kind`` with ``payload`` exactly as given; return its id.

        For updates the world would never make itself, e.g. a payload a bot cannot parse.
        """
        return self.world.queue(kind, payload)

    # ------------------------------------------------------------------ reading the record

    @property
    def calls(self) -> list[ApiCall]:
        """Every Bot API call answered so far, in the order the answers went out."""
        return self.api.calls

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Every successful answerCallbackQuery, oldest first."""
        return self.api.callback_answers

    @property
    def downloads(self) -> list[str]:
        """The file paths the bot downloaded, in order."""
        return self.api.downloads

    @property
    def unseen_messages(self) -> list[JSONDict]:
        """Group messages privacy mode kept from the bot."""
        return self.world.unseen_messages

    @property
    def dropped_updates(self) -> list[JSONDict]:
        """Updates dropped because their type was not in ``allowed_updates`` when fetched."""
        return self.world.dropped_updates

    def calls_to(self, method: str) -> list[ApiCall]:
        """Every recorded call of ``method`` (case-insensitive), oldest first."""
        return self.api.calls_to(method)

    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent successfully, oldest first, optionally to one chat."""
        return self.api.sent_messages(chat_id)

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
        return self.world.message(chat_id, message_id)

    def messages(self, chat_id: int) -> list[JSONDict]:
        """Every message still in the chat (not deleted), in id order."""
        return self.world.messages(chat_id)

    def member_status(self, chat_id: int, user_id: int) -> str:
        """A user's (or the bot's) status in a group, ``left`` if never there."""
        return self.world.member_status(chat_id, user_id)

    def my_commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The command list set with setMyCommands for a scope and language."""
        return self.api.my_commands(scope, language_code)

    @property
    def pending_update_ids(self) -> list[int]:
        """Updates queued and not yet acknowledged by the bot."""
        return self.world.pending_update_ids

    @property
    def delivered_update_ids(self) -> list[int]:
        """Updates handed to the bot in a getUpdates answer, in order (repeats possible)."""
        return self.world.delivered_update_ids

    @property
    def waiting_polls(self) -> int:
        """How many getUpdates requests are being held open right now."""
        return self.api.waiting_polls

    @property
    def allowed_updates(self) -> frozenset[str]:
        """The update types the bot currently receives."""
        return self.world.allowed_updates

    @property
    def webhook_url(self) -> str:
        """The webhook URL set with setWebhook, ``""`` when polling."""
        return self.api.webhook_url

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
            f"delivered: {self.delivered_update_ids[-10:]}"
        )
        return "\n".join(lines)

    # ------------------------------------------------------------------ waiting

    async def wait_for(self, predicate: Callable[[], T | None], timeout: float = 5.0) -> T:
        """Wait until ``predicate()`` returns something other than ``None``/``False``.

        The predicate is re-checked whenever the stand-in records a call or an update changes
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
            await self.world.wait_change(remaining)

    async def wait_reply(
        self, chat_id: int, *, after: int | None = None, timeout: float = 5.0
    ) -> SentMessage:
        """The first message the bot sends to ``chat_id`` from call index ``after`` on.

        ``after`` defaults to now (:meth:`mark`); take the mark before acting if anything is
        awaited between the action and this call.
        """
        start = self.mark() if after is None else after

        def reply() -> SentMessage | None:
            sent = self.sent_messages(chat_id)
            return next((m for m in sent if m.call_index >= start), None)

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
        anonymous: bool = False,
    ) -> SentMessage:
        """``send_text`` and wait for the bot's next message to that chat."""
        start = self.mark()
        self.send_text(
            chat_id,
            user_id,
            text,
            reply_to=reply_to,
            entities=entities,
            mentions=mentions,
            anonymous=anonymous,
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
        outside ``allowed_updates`` count as done when the stand-in drops them.
        """
        target = self.world.last_update_id if update_id is None else update_id

        def done() -> bool:
            return all(pending > target for pending in self.pending_update_ids)

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
