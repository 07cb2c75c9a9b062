"""What the page shows of a chat: each message as JSON, and which messages changed since when.

The page renders what a Telegram client would: the text and entities the stand-in made of the
bot's HTML (it refuses what Telegram refuses, so only well-formed markup gets this far), the
inline keyboard, the replied-to message, documents to download. Messages change after they are
sent (a card is edited when a button is pressed), so each poll compares every message of the
chat with what was last reported and numbers the changes: the page asks for changes since the
last number it saw, and for the ids still there (a deleted prompt disappears).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import quote

from playground.standin import FakeTelegram, SentMessage

JSONDict = dict[str, Any]

FILES_ROUTE = "/api/files/"
EXCERPT = 60  # characters of a replied-to message shown above a reply


@dataclass(frozen=True)
class ChatChanges:
    """The messages of a chat that changed after ``since``, and every id still in the chat."""

    seq: int
    messages: list[JSONDict]
    ids: list[int]


class Transcript:
    """Numbers every change of every message the page has been told about.

    Args:
        fake: The stand-in whose chats are shown.
        zone: The time zone of the times shown.
    """

    def __init__(self, fake: FakeTelegram, zone: tzinfo) -> None:
        self.fake = fake
        self.zone = zone
        self._seq = 0
        self._seen: dict[tuple[int, int], tuple[str, int]] = {}

    def changes(self, chat_id: int, since: int) -> ChatChanges:
        """The messages of ``chat_id`` new or changed after change number ``since``."""
        sent = {m.message_id: m for m in self.fake.sent_messages(chat_id)}
        changed: list[JSONDict] = []
        ids: list[int] = []
        for message in self.fake.messages(chat_id):
            view = self.view(message, sent.get(message["message_id"]))
            ids.append(view["id"])
            if self._number(chat_id, view) > since:
                changed.append(view)
        return ChatChanges(self._seq, changed, ids)

    def _number(self, chat_id: int, view: JSONDict) -> int:
        """The change number of this version of a message (a new number if it changed)."""
        key = (chat_id, view["id"])
        fingerprint = json.dumps(view, sort_keys=True, ensure_ascii=False)
        known = self._seen.get(key)
        if known is not None and known[0] == fingerprint:
            return known[1]
        self._seq += 1
        self._seen[key] = (fingerprint, self._seq)
        return self._seq

    def view(self, message: JSONDict, sent: SentMessage | None = None) -> JSONDict:
        """One message as the page renders it."""
        sender = message.get("from", {})
        view: JSONDict = {
            "id": message["message_id"],
            "from": "bot" if sender.get("id") == self.fake.bot_id else "user",
            "sender": {"id": sender.get("id"), "name": display_name(sender)},
            "time": self._local_time(message.get("date", 0)),
            "text": message.get("text") or message.get("caption") or "",
            "entities": message.get("entities") or message.get("caption_entities") or [],
            "edited": "edit_date" in message,
        }
        replied = message.get("reply_to_message")
        if replied:
            view["reply_to"] = _excerpt(replied)
        buttons = _buttons(message.get("reply_markup"))
        if buttons:
            view["buttons"] = buttons
        document = message.get("document")
        if document:
            view["document"] = self._document(document)
        if message.get("photo"):
            view["photo"] = self._document(message["photo"][-1])
        service = _service(message)
        if service:
            view["service"] = service
        markup = sent.reply_markup if sent is not None else None
        if markup and markup.get("force_reply"):
            view["force_reply"] = True
            view["placeholder"] = str(markup.get("input_field_placeholder", ""))
        return view

    def _local_time(self, seconds: int) -> str:
        return datetime.fromtimestamp(seconds, UTC).astimezone(self.zone).strftime("%m-%d %H:%M")

    def _document(self, document: JSONDict) -> JSONDict:
        stored = self.fake.world.file(str(document.get("file_id", "")))
        shown: JSONDict = {
            "name": document.get("file_name") or "file",
            "size": document.get("file_size", 0),
        }
        if stored is not None:
            shown["url"] = FILES_ROUTE + quote(stored.file_path)
        return shown


def display_name(user: JSONDict) -> str:
    """A user's name as Telegram shows it: first and last name."""
    return " ".join(part for part in (user.get("first_name"), user.get("last_name")) if part)


def _excerpt(message: JSONDict) -> JSONDict:
    text = message.get("text") or message.get("caption") or ""
    if not text and message.get("document"):
        text = str(message["document"].get("file_name", ""))
    short = text if len(text) <= EXCERPT else text[:EXCERPT] + "…"
    return {
        "id": message["message_id"],
        "name": display_name(message.get("from", {})),
        "text": short.replace("\n", " "),
    }


def _buttons(markup: JSONDict | None) -> list[list[JSONDict]]:
    """The inline keyboard, row by row: callback buttons and links (nothing else is drawn)."""
    rows: list[list[JSONDict]] = []
    for row in (markup or {}).get("inline_keyboard", []):
        shown: list[JSONDict] = []
        for button in row:
            if "callback_data" in button:
                shown.append({"text": button["text"], "data": button["callback_data"]})
            elif "url" in button:
                shown.append({"text": button["text"], "url": button["url"]})
        if shown:
            rows.append(shown)
    return rows


def _service(message: JSONDict) -> JSONDict | None:
    """A service message (members added or gone, a group upgraded) as an event and names."""
    if "new_chat_members" in message:
        names = [display_name(user) for user in message["new_chat_members"]]
        return {"event": "members_added", "names": names}
    if "left_chat_member" in message:
        return {"event": "member_left", "names": [display_name(message["left_chat_member"])]}
    if "migrate_to_chat_id" in message or "migrate_from_chat_id" in message:
        return {"event": "migrated", "names": []}
    return None
