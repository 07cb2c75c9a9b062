"""The simulated Telegram: users, chats, messages, files and the bot's update queue — no HTTP.

The world holds what Telegram knows: who exists, who is in which group with which status,
every message stored in every chat, the files users and the bot uploaded, and the updates
waiting for the bot. It applies Telegram's rules about *what the bot gets to see*; the Bot API
methods that read and change it are in :mod:`playground.standin.api`.

Telegram behaviours reproduced here, because tests and the playground trip over them:

* Privacy mode (getMe says ``can_read_all_group_messages: false``): in groups the bot only gets
  messages starting with ``/``, replies to its own messages, messages mentioning it and
  service messages — unless it is an administrator. Other group messages are stored (they
  take a message id) but no update is queued; they are kept in :attr:`World.unseen_messages`.
* ``chat_member`` updates are queued only while the bot is an administrator of that group, and
  delivered only if the bot asked for them in ``allowed_updates`` (e.g.
  ``allowed_updates=Update.ALL_TYPES``); other types are dropped when fetched
  (:attr:`World.dropped_updates`).
* A private chat is *started* once the user wrote to the bot (or ``add_user(..., started=True)``);
  the API refuses to write first to a user who never started it, and to one who blocked it.
* A basic group upgraded to a supergroup keeps the old id as a tombstone pointing at the new one.
* An administrator may post anonymously: the message comes ``from`` GroupAnonymousBot
  (:data:`ANONYMOUS_ADMIN`, a bot) with ``sender_chat`` set to the group itself.

Every change bumps a signal (:meth:`World.wait_change`) so that long polls and waiting helpers
wake up without polling on a timer. :meth:`World.snapshot` and :meth:`World.restore` keep the
world across restarts (the playground saves it beside its database).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Literal

__all__ = [
    "ADMIN_STATUSES",
    "ANONYMOUS_ADMIN",
    "DEFAULT_ALLOWED_UPDATES",
    "DEFAULT_BOT_USER",
    "PRESENT_STATUSES",
    "Chat",
    "JSONDict",
    "MemberStatus",
    "StoredFile",
    "World",
    "member_json",
]

JSONDict = dict[str, Any]
MemberStatus = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]

DEFAULT_BOT_USER: JSONDict = {
    "id": 999,
    "is_bot": True,
    "first_name": "整改台账",
    "username": "rectify_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

# Who an anonymous administrator's messages come from (the real Telegram account).
ANONYMOUS_ADMIN: JSONDict = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}

PRESENT_STATUSES: frozenset[str] = frozenset({"creator", "administrator", "member", "restricted"})
ADMIN_STATUSES: frozenset[str] = frozenset({"creator", "administrator"})
# What Telegram delivers when the bot never named allowed_updates: all but chat_member,
# message_reaction and message_reaction_count.
DEFAULT_ALLOWED_UPDATES: frozenset[str] = frozenset(
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


@dataclass
class Chat:
    """One chat as Telegram stores it; a private chat's id is its user's id."""

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

    @property
    def is_private(self) -> bool:
        """Whether this is a user's private chat with the bot."""
        return self.type == "private"


@dataclass
class StoredFile:
    """A file Telegram keeps: reachable by ``file_id`` (getFile) and by ``file_path`` (download)."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    file_name: str | None
    mime_type: str | None

    def document_json(self) -> JSONDict:
        """The Document object of a message carrying this file."""
        document: JSONDict = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }
        if self.file_name is not None:
            document["file_name"] = self.file_name
        if self.mime_type is not None:
            document["mime_type"] = self.mime_type
        return document

    def photo_size_json(self, side: int) -> JSONDict:
        """One PhotoSize object (a square of ``side`` pixels) showing this file."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "width": side,
            "height": side,
        }

    def file_json(self) -> JSONDict:
        """The File object getFile answers."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


def member_json(user: JSONDict, status: str) -> JSONDict:
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


def _chat_data(chat: Chat) -> JSONDict:
    """One chat as JSON-ready data (JSON keys are strings, so members and messages are lists)."""
    return {
        "id": chat.id,
        "type": chat.type,
        "title": chat.title,
        "username": chat.username,
        "members": [[user_id, status] for user_id, status in chat.members.items()],
        "messages": [copy.deepcopy(message) for message in chat.messages.values()],
        "next_message_id": chat.next_message_id,
        "migrated_to": chat.migrated_to,
        "started": chat.started,
        "blocked": chat.blocked,
    }


def _chat_from(raw: JSONDict) -> Chat:
    """The chat :func:`_chat_data` described."""
    return Chat(
        id=int(raw["id"]),
        type=str(raw["type"]),
        title=raw["title"],
        username=raw["username"],
        members={int(user_id): str(status) for user_id, status in raw["members"]},
        messages={int(message["message_id"]): message for message in raw["messages"]},
        next_message_id=int(raw["next_message_id"]),
        migrated_to=raw["migrated_to"],
        started=bool(raw["started"]),
        blocked=bool(raw["blocked"]),
    )


def _file_data(stored: StoredFile) -> JSONDict:
    """One stored file as JSON-ready data, its bytes in base64."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "content": base64.b64encode(stored.content).decode("ascii"),
        "file_path": stored.file_path,
        "file_name": stored.file_name,
        "mime_type": stored.mime_type,
    }


def _file_from(raw: JSONDict) -> StoredFile:
    """The stored file :func:`_file_data` described."""
    return StoredFile(
        file_id=str(raw["file_id"]),
        file_unique_id=str(raw["file_unique_id"]),
        content=base64.b64decode(raw["content"]),
        file_path=str(raw["file_path"]),
        file_name=raw["file_name"],
        mime_type=raw["mime_type"],
    )


def _update_type(update: JSONDict) -> str:
    return next(key for key in update if key != "update_id")


def _without_reply(message: JSONDict) -> JSONDict:
    """A copy fit for ``reply_to_message``: Telegram does not nest replies further."""
    return {key: value for key, value in message.items() if key != "reply_to_message"}


class World:
    """Telegram's state as one bot sees it: users, chats, messages, files and its updates.

    Args:
        bot_user: What getMe answers; defaults to :data:`DEFAULT_BOT_USER`.
        clock: Seconds since the epoch for message ``date`` fields.
    """

    def __init__(
        self, *, bot_user: JSONDict | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.bot_user: JSONDict = dict(DEFAULT_BOT_USER if bot_user is None else bot_user)
        self._clock = clock
        self.unseen_messages: list[JSONDict] = []  # group messages privacy mode kept from the bot
        self.dropped_updates: list[JSONDict] = []  # not in allowed_updates when fetched
        self.allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES

        self._users: dict[int, JSONDict] = {}
        self._chats: dict[int, Chat] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_seq = itertools.count(1)
        self._query_seq = itertools.count(1)
        self._open_queries: dict[str, tuple[int, int]] = {}  # query id -> (chat id, message id)

        self._pending: list[JSONDict] = []
        self._next_update_id = 1000
        self._delivered: list[int] = []
        self._changed = asyncio.Event()

    # ------------------------------------------------------------------ the bot

    @property
    def bot_id(self) -> int:
        """The bot's user id."""
        return int(self.bot_user["id"])

    @property
    def bot_username(self) -> str:
        """The bot's username, without ``@``."""
        return str(self.bot_user["username"])

    def bot_json(self, *, full: bool = False) -> JSONDict:
        """The bot as a User object; ``full`` adds the getMe-only fields."""
        if full:
            return dict(self.bot_user)
        keys = ("id", "is_bot", "first_name", "last_name", "username")
        return {key: self.bot_user[key] for key in keys if key in self.bot_user}

    def now(self) -> int:
        """The current ``date`` for messages and member updates, in seconds."""
        return int(self._clock())

    # ------------------------------------------------------------------ change signal

    def bump(self) -> None:
        """Wake everyone waiting in :meth:`wait_change`."""
        # An Event swapped on every change rather than an asyncio.Condition: changes happen in
        # synchronous code (send_text, request handlers), and notifying a Condition needs its
        # lock, which can only be taken with an await.
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def wait_change(self, timeout: float) -> None:  # noqa: ASYNC109 - a deadline's remainder
        """Return at the next change, or after ``timeout`` seconds without one."""
        changed = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), timeout)

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
        chat = self._chats.setdefault(user_id, Chat(id=user_id, type="private"))
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
        chat = Chat(id=chat_id, type=type, title=title, username=username)
        if with_bot:
            chat.members[self.bot_id] = "member"
        self._chats[chat_id] = chat
        return self.chat_json(chat)

    def add_member(self, chat_id: int, user_id: int, *, status: MemberStatus = "member") -> None:
        """Put a user into a group with ``status`` (no update is queued)."""
        self.user(user_id)
        self.group(chat_id).members[user_id] = status

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
        chat = self.group(chat_id)
        is_bot = user_id == self.bot_id
        user = self.bot_json() if is_bot else self.user(user_id)
        old = chat.members.get(user_id, "left")
        chat.members[user_id] = status
        if not notify:
            return
        actor = self.user(by_user_id) if by_user_id is not None else self._creator_or(chat, user)
        kind = "my_chat_member" if is_bot else "chat_member"
        if kind == "chat_member" and chat.members.get(self.bot_id) not in ADMIN_STATUSES:
            return
        self.queue(kind, self._member_update(chat, actor, user, old, status))

    def add_bot_to_group(
        self,
        chat_id: int,
        by_user_id: int,
        *,
        status: Literal["member", "administrator"] = "member",
    ) -> JSONDict:
        """A user adds the bot: queue ``my_chat_member`` and the ``new_chat_members`` message."""
        chat = self.group(chat_id)
        old = chat.members.get(self.bot_id, "left")
        if old in PRESENT_STATUSES:
            raise ValueError(f"the bot is already in chat {chat_id}")
        actor = self.user(by_user_id)
        chat.members.setdefault(by_user_id, "member")
        chat.members[self.bot_id] = status
        self.queue("my_chat_member", self._member_update(chat, actor, self.bot_json(), old, status))
        message = self.new_message(chat, actor, new_chat_members=[self.bot_json()])
        self.queue("message", message)
        return dict(message)

    def remove_bot_from_group(
        self,
        chat_id: int,
        by_user_id: int,
        *,
        status: Literal["kicked", "left"] = "kicked",
    ) -> None:
        """A user removes the bot: queue ``my_chat_member``; later sends get 403 Forbidden."""
        chat = self.group(chat_id)
        old = chat.members.get(self.bot_id, "left")
        chat.members[self.bot_id] = status
        actor = self.user(by_user_id)
        self.queue("my_chat_member", self._member_update(chat, actor, self.bot_json(), old, status))

    def bot_leaves(self, chat: Chat) -> None:
        """The bot leaves a group (leaveChat): queue its own ``my_chat_member``."""
        old = chat.members.get(self.bot_id, "left")
        chat.members[self.bot_id] = "left"
        bot = self.bot_json()
        self.queue("my_chat_member", self._member_update(chat, bot, bot, old, "left"))

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: queue ``my_chat_member``; later sends get 403 Forbidden."""
        user = self.user(user_id)
        chat = self._chats[user_id]
        chat.blocked = True
        self.queue(
            "my_chat_member", self._member_update(chat, user, self.bot_json(), "member", "kicked")
        )

    def unblock_bot(self, user_id: int) -> None:
        """The user restarts the bot: queue ``my_chat_member`` back to member."""
        user = self.user(user_id)
        chat = self._chats[user_id]
        chat.blocked = False
        chat.started = True
        self.queue(
            "my_chat_member", self._member_update(chat, user, self.bot_json(), "kicked", "member")
        )

    def migrate_group(self, old_id: int, new_id: int, *, by_user_id: int | None = None) -> None:
        """Upgrade a basic group to a supergroup, queuing both service messages.

        Later calls naming ``old_id`` get 400 with ``parameters.migrate_to_chat_id``.
        """
        old = self.group(old_id)
        if old.type != "group":
            raise ValueError("only a basic group (type='group') can be upgraded")
        if new_id in self._chats:
            raise ValueError(f"chat {new_id} already exists")
        new = Chat(id=new_id, type="supergroup", title=old.title, members=dict(old.members))
        self._chats[new_id] = new
        old.migrated_to = new_id
        actor = self.user(by_user_id) if by_user_id is not None else self._creator_or(old, None)
        self.queue("message", self.new_message(old, actor, migrate_to_chat_id=new_id))
        self.queue("message", self.new_message(new, actor, migrate_from_chat_id=old_id))

    # ------------------------------------------------------------------ looking things up

    def knows_user(self, user_id: int) -> bool:
        """Whether ``user_id`` is a user of this world (the bot is not)."""
        return user_id in self._users

    def user(self, user_id: int) -> JSONDict:
        """A copy of a user's User object; ValueError for an unknown user."""
        try:
            return dict(self._users[user_id])
        except KeyError:
            raise ValueError(f"unknown user {user_id}; call add_user first") from None

    def person(self, user_id: int) -> JSONDict:
        """The User object of the bot or of a user."""
        return self.bot_json() if user_id == self.bot_id else self.user(user_id)

    def chat(self, chat_id: int) -> Chat | None:
        """The chat with this id, if there is one."""
        return self._chats.get(chat_id)

    def chat_by_username(self, username: str) -> Chat | None:
        """The public group with this ``@username`` (given without ``@``), if any."""
        return next((c for c in self._chats.values() if c.username == username), None)

    def group(self, chat_id: int) -> Chat:
        """A group or supergroup; ValueError if there is no such group."""
        chat = self._chats.get(chat_id)
        if chat is None or chat.is_private:
            raise ValueError(f"unknown group {chat_id}; call add_group first")
        return chat

    def chat_json(self, chat: Chat) -> JSONDict:
        """The Chat object of ``chat`` as messages carry it."""
        if chat.is_private:
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

    def member_status(self, chat_id: int, user_id: int) -> str:
        """A user's (or the bot's) status in a group, ``left`` if never there."""
        return self.group(chat_id).members.get(user_id, "left")

    def bot_status(self, chat: Chat) -> str:
        """The bot's status in a group, ``left`` if never there."""
        return chat.members.get(self.bot_id, "left")

    def message(self, chat_id: int, message_id: int) -> JSONDict:
        """The current state of a stored message (user's or bot's, after edits)."""
        return dict(self._chats[chat_id].messages[message_id])

    def messages(self, chat_id: int) -> list[JSONDict]:
        """Every message still in the chat (not deleted), in id order."""
        chat = self._chats[chat_id]
        return [dict(chat.messages[mid]) for mid in sorted(chat.messages)]

    # ------------------------------------------------------------------ messages

    def new_message(self, chat: Chat, sender: JSONDict, **fields: Any) -> JSONDict:
        """Store a message from ``sender`` in ``chat`` with the next id; return the stored dict."""
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JSONDict = {
            "message_id": message_id,
            "from": sender,
            "chat": self.chat_json(chat),
            "date": self.now(),
            **fields,
        }
        chat.messages[message_id] = message
        return message

    def reply_to(self, chat: Chat, message_id: int) -> JSONDict:
        """The ``reply_to_message`` field for a reply to ``message_id`` in ``chat``."""
        replied = chat.messages.get(message_id)
        if replied is None:
            raise ValueError(f"no message {message_id} in chat {chat.id}")
        return _without_reply(replied)

    def speaker(self, chat_id: int, user_id: int) -> tuple[Chat, JSONDict]:
        """The chat and User object for a user about to write there; ValueError if they can't.

        Writing in a private chat starts it; writing in a group makes the user a member.
        """
        user = self.user(user_id)
        chat = self._chats.get(chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}")
        if chat.is_private:
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

    def anonymous_speaker(self, chat_id: int, user_id: int) -> tuple[Chat, JSONDict]:
        """The group and GroupAnonymousBot, for an administrator about to post anonymously.

        Telegram lets only administrators stay anonymous; ValueError for anyone else.
        """
        chat = self.group(chat_id)
        if chat.members.get(user_id) not in ADMIN_STATUSES:
            raise ValueError(f"user {user_id} is no administrator of chat {chat_id}")
        return chat, dict(ANONYMOUS_ADMIN)

    def post(self, chat: Chat, user: JSONDict, fields: JSONDict, reply_to: int | None) -> JSONDict:
        """A user's message: store it and queue it if privacy mode lets the bot see it."""
        if reply_to is not None:
            fields["reply_to_message"] = self.reply_to(chat, reply_to)
        message = self.new_message(chat, user, **fields)
        if self.bot_sees(chat, message):
            self.queue("message", message)
        else:
            self.unseen_messages.append(message)
        return dict(message)

    def edit_user_message(
        self, chat_id: int, message_id: int, text: str, entities: list[JSONDict]
    ) -> JSONDict:
        """The author edits their message: queue ``edited_message`` (if the bot saw it)."""
        chat = self._chats[chat_id]
        message = chat.messages.get(message_id)
        if message is None:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        message["text"] = text
        message["edit_date"] = self.now()
        if entities:
            message["entities"] = entities
        else:
            message.pop("entities", None)
        if self.bot_sees(chat, message):
            self.queue("edited_message", dict(message))
        return dict(message)

    def bot_sees(self, chat: Chat, message: JSONDict) -> bool:
        """Telegram's privacy mode: what a group bot that is no administrator receives."""
        if chat.is_private:
            return True
        status = self.bot_status(chat)
        if status not in PRESENT_STATUSES:
            return False
        if self.bot_user.get("can_read_all_group_messages") or status in ADMIN_STATUSES:
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

    # ------------------------------------------------------------------ callback queries

    def open_callback_query(self, chat: Chat, message: JSONDict, user: JSONDict, data: str) -> str:
        """A user pressed a callback button: queue ``callback_query``; return the query id."""
        query_id = str(next(self._query_seq))
        self._open_queries[query_id] = (chat.id, message["message_id"])
        self.queue(
            "callback_query",
            {
                "id": query_id,
                "from": user,
                "chat_instance": f"ci{abs(chat.id)}",
                "message": dict(message),
                "data": data,
            },
        )
        return query_id

    def close_callback_query(self, query_id: str) -> bool:
        """Close a query the bot answers; False if it is unknown or already answered."""
        return self._open_queries.pop(query_id, None) is not None

    # ------------------------------------------------------------------ files

    def store_file(
        self, content: bytes, folder: str, filename: str | None, mime_type: str | None
    ) -> StoredFile:
        """Keep an uploaded file under a new ``file_id`` and ``file_path``."""
        number = next(self._file_seq)
        suffix = PurePosixPath(filename).suffix if filename else ".jpg"
        if not suffix.isascii() or len(suffix) > 10:
            suffix = ""
        stored = StoredFile(
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

    def file(self, file_id: str) -> StoredFile | None:
        """The stored file with this ``file_id``, if any."""
        return self._files.get(file_id)

    def file_at(self, file_path: str) -> StoredFile | None:
        """The stored file with this ``file_path`` (the download URL's tail), if any."""
        return self._files_by_path.get(file_path)

    # ------------------------------------------------------------------ keeping the world

    def snapshot(self) -> JSONDict:
        """Users, chats (members, messages, private-chat state) and files, as JSON-ready data.

        What a playground keeps across restarts. Pending updates and open callback queries are
        left out: a bot that stopped cleanly has acknowledged what it received.
        """
        return {
            "users": [copy.deepcopy(user) for user in self._users.values()],
            "chats": [_chat_data(chat) for chat in self._chats.values()],
            "files": [_file_data(stored) for stored in self._files.values()],
        }

    def restore(self, data: JSONDict) -> None:
        """Replace users, chats and files by those of a :meth:`snapshot` (all or nothing)."""
        users = {int(user["id"]): dict(user) for user in data["users"]}
        chats = [_chat_from(raw) for raw in data["chats"]]
        files = [_file_from(raw) for raw in data["files"]]
        self._users = users
        self._chats = {chat.id: chat for chat in chats}
        self._files = {stored.file_id: stored for stored in files}
        self._files_by_path = {stored.file_path: stored for stored in files}
        # File numbers run 1, 2, 3 … and files are never deleted: the next one follows on.
        self._file_seq = itertools.count(len(files) + 1)
        self.bump()

    # ------------------------------------------------------------------ the update queue

    def queue(self, kind: str, payload: JSONDict) -> int:
        """Queue an update of type ``kind`` for the bot; return its ``update_id``."""
        update_id = self._next_update_id
        self._next_update_id += 1
        # A snapshot: later edits of the stored message must not change an undelivered update.
        self._pending.append({"update_id": update_id, kind: copy.deepcopy(payload)})
        self.bump()
        return update_id

    def acknowledge(self, offset: int) -> None:
        """Forget updates below ``offset`` (negative: keep only the last ``-offset``)."""
        before = len(self._pending)
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        if len(self._pending) != before:
            self.bump()

    def deliverable(self, limit: int) -> list[JSONDict]:
        """Up to ``limit`` pending updates of allowed types; others are dropped on the way."""
        batch: list[JSONDict] = []
        for update in list(self._pending):
            if _update_type(update) not in self.allowed_updates:
                self._pending.remove(update)
                self.dropped_updates.append(update)
                self.bump()
                continue
            batch.append(update)
            if len(batch) >= limit:
                break
        return batch

    def hand_out(self, batch: list[JSONDict]) -> list[JSONDict]:
        """Note ``batch`` as delivered and return a copy to send (still pending until acked)."""
        self._delivered.extend(u["update_id"] for u in batch)
        return copy.deepcopy(batch)

    def drop_pending(self) -> None:
        """Forget every pending update (``drop_pending_updates=True``)."""
        if self._pending:
            self._pending.clear()
            self.bump()

    @property
    def pending_update_ids(self) -> list[int]:
        """Updates queued and not yet acknowledged by the bot."""
        return [u["update_id"] for u in self._pending]

    @property
    def delivered_update_ids(self) -> list[int]:
        """Updates handed to the bot in a getUpdates answer, in order (repeats possible)."""
        return list(self._delivered)

    @property
    def last_update_id(self) -> int:
        """The id of the latest update queued so far (999 before the first)."""
        return self._next_update_id - 1

    # ------------------------------------------------------------------ member updates

    def _creator_or(self, chat: Chat, fallback: JSONDict | None) -> JSONDict:
        for user_id, status in chat.members.items():
            if status == "creator" and user_id in self._users:
                return self.user(user_id)
        if fallback is not None:
            return fallback
        for user_id, status in chat.members.items():
            if status in PRESENT_STATUSES and user_id in self._users:
                return self.user(user_id)
        raise ValueError(f"chat {chat.id} has no users; pass by_user_id")

    def _member_update(
        self, chat: Chat, actor: JSONDict, user: JSONDict, old: str, new: str
    ) -> JSONDict:
        return {
            "chat": self.chat_json(chat),
            "from": actor,
            "date": self.now(),
            "old_chat_member": member_json(user, old),
            "new_chat_member": member_json(user, new),
        }
