"""The fuzzing arena: one running bot per test module, a fresh group per Hypothesis example.

Hypothesis drives commands through the real Application against the stand-in Telegram, which
refuses what Telegram refuses (invalid HTML, text over 4,096 UTF-16 units, captions over 1,024,
keyboards over 100 buttons, callback data over 64 bytes). After every example :class:`Arena`
checks what Telegram would have seen and what the database holds:

* every Bot API call was accepted (an edit that changes nothing is the only refusal allowed),
* the global error handler was never reached (no ERROR log, no ``error.internal`` reply),
* user text was escaped: no entity the bot never writes (italic, links, spoilers …) appears,
* every command got an answer,
* the group's ledger is consistent (:func:`check_ledger`).

The bot is started once per module (``arena`` fixture in the test modules) so that hundreds of
examples take seconds; each example plays in its own new group, so examples never see each
other's items and no group nears Telegram's 20 messages a minute.

CI runs a moderate, derandomized number of examples (``tests/conftest.py``). To hunt for more,
``RECTIFY_FUZZ_SCALE=20 HYPOTHESIS_PROFILE=explore pytest tests/e2e/test_fuzz_*.py`` runs
twenty times as many, freshly drawn.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.app import Runtime
from domain.clock import FixedClock
from domain.items import EventKind
from i18n import LANGUAGES, t
from playground.standin import FakeTelegram, SentMessage
from playground.standin.records import ApiCall
from storage.models import EventRow, ExtensionRow, GroupRow, ItemRow, ProgressRow
from tests.e2e.conftest import START, config_for, start_runtime, stop_runtime

ADMIN = 1
OWNER = 2
BYSTANDER = 3
MEMBERS = tuple(range(10, 20))  # more owners, with usernames member_10 … member_19
USERS = (ADMIN, OWNER, BYSTANDER, *MEMBERS)
SPEAKERS = (OWNER, *MEMBERS[:2])  # members the bot has seen in each new group
FIRST_GROUP = -100_000
FUZZ_SCALE = int(os.environ.get("RECTIFY_FUZZ_SCALE", "1"))

# Entities the bot writes itself (<b>, <code>, <a href="tg://user?id=…">); any other entity in
# a bot message can only come from user text that went out unescaped.
BOT_ENTITIES = frozenset({"bold", "code", "text_mention"})
NOT_MODIFIED = "message is not modified"


class _Collector(logging.Handler):
    """Keeps every ERROR record: the global error handler logs each unhandled failure so."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings for ``examples`` examples (times ``RECTIFY_FUZZ_SCALE``) of a bot.

    No deadline (an example is a conversation through HTTP); the health checks for slow and
    large examples are off, as huge inputs are the point.
    """
    return settings(
        max_examples=examples * FUZZ_SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _internal_error_prefixes() -> tuple[str, ...]:
    """How the ``error.internal`` reply starts, in every language."""
    return tuple(t(lang, "error.internal", detail="\0").split("\0")[0] for lang in LANGUAGES)


@dataclass
class Arena:
    """The running bot, the stand-in, the clock, and the checks every example ends with."""

    fake: FakeTelegram
    runtime: Runtime
    clock: FixedClock
    errors: _Collector
    groups: int = 0
    commands: list[tuple[int, int]] = field(default_factory=list)  # (chat, call index) asked

    def begin(self) -> int:
        """Start an example: forget the last one's errors; where its calls begin."""
        self.errors.records.clear()
        self.commands.clear()
        return self.fake.mark()

    async def new_group(self, title: str = "第一党支部", lang: str = "zh") -> int:
        """A new group with every user in it, the admin its creator, the bot just added."""
        self.groups += 1
        chat_id = FIRST_GROUP - self.groups
        self.fake.add_group(chat_id, title, with_bot=False)
        for user in USERS:
            self.fake.add_member(chat_id, user)
        self.fake.make_admin(chat_id, ADMIN, status="creator")
        self.fake.add_bot_to_group(chat_id, ADMIN)
        await self.settle()
        if lang != "zh":
            await self.send(chat_id, ADMIN, f"/lang {lang}")
        for user in SPEAKERS:  # so that @mentions of them resolve (the others stay pending)
            self.fake.send_text(chat_id, user, "大家好")
        await self.settle()
        return chat_id

    async def settle(self) -> None:
        """Wait until the bot has handled every update sent so far."""
        await self.fake.settle(self.runtime.application.update_queue, timeout=30)

    def tick(self) -> None:
        """One second passes: each change gets its own instant, so its event can be matched."""
        self.clock.set(self.clock.now() + timedelta(seconds=1))

    async def send(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        reply_to: int | None = None,
        mentions: Iterable[tuple[int, str]] = (),
    ) -> list[SentMessage]:
        """A user writes ``text``; what the bot sent to the chat in answer."""
        self.tick()
        start = self.fake.mark()
        self.fake.send_text(chat_id, user_id, text, reply_to=reply_to, mentions=mentions)
        if text.startswith("/"):
            self.commands.append((chat_id, start))
        await self.settle()
        return self.sent_since(chat_id, start)

    async def send_document(
        self, chat_id: int, user_id: int, filename: str, content: bytes, caption: str
    ) -> list[SentMessage]:
        """A user sends a file with ``caption``; what the bot sent in answer."""
        self.tick()
        start = self.fake.mark()
        self.fake.send_document(chat_id, user_id, filename, content, caption=caption)
        self.commands.append((chat_id, start))
        await self.settle()
        return self.sent_since(chat_id, start)

    async def send_photo(self, chat_id: int, user_id: int, caption: str) -> list[SentMessage]:
        """A user sends a photo with ``caption``; what the bot sent in answer."""
        self.tick()
        start = self.fake.mark()
        self.fake.send_photo(chat_id, user_id, caption=caption)
        if caption.startswith("/"):
            self.commands.append((chat_id, start))
        await self.settle()
        return self.sent_since(chat_id, start)

    async def press(self, chat_id: int, message_id: int, user_id: int, data: str) -> None:
        """A user presses the button with ``data``; wait until the bot is done with it."""
        self.tick()
        query = self.fake.press_button(chat_id, message_id, user_id, data)
        await self.fake.wait_callback_answer(query, timeout=30)
        await self.settle()

    def sent_since(self, chat_id: int, start: int) -> list[SentMessage]:
        """Messages the bot sent to ``chat_id`` from call index ``start`` on."""
        return [m for m in self.fake.sent_messages(chat_id) if m.call_index >= start]

    # --- the checks -------------------------------------------------------------------------

    async def check(self, chat_id: int, since: int) -> None:
        """Everything an example must leave true (see the module docstring)."""
        check_calls(self.fake.calls[since:])
        assert not self.errors.records, _describe(self.errors.records)
        for message in self.sent_since(chat_id, since):
            check_message(message)
        for chat, start in self.commands:
            assert self.sent_since(chat, start), f"no answer to a command in {chat}"
        await check_ledger(self.runtime, chat_id)


def check_calls(calls: Sequence[ApiCall]) -> None:
    """Telegram accepted every call (an edit to the same text is the bot's own no-op)."""
    for call in calls:
        if call.ok or NOT_MODIFIED in (call.description or "").lower():
            continue
        raise AssertionError(f"Telegram refused: {call.summary()}")


def check_message(message: SentMessage) -> None:
    """No internal-error reply; no markup that only unescaped user text could have made."""
    shown = message.plain_text or ""
    assert not shown.startswith(_internal_error_prefixes()), shown
    foreign = {e["type"] for e in message.entities} - BOT_ENTITIES
    assert not foreign, f"user text went out as markup ({foreign}): {message.text!r}"


def _describe(records: Sequence[logging.LogRecord]) -> str:
    lines = []
    for record in records:
        lines.append(f"{record.name}: {record.getMessage()}")
        if record.exc_info and record.exc_info[1] is not None:
            lines.append(repr(record.exc_info[1]))
    return "\n".join(lines)


async def check_ledger(runtime: Runtime, chat_id: int) -> None:
    """The group's ledger is consistent: unique numbers, and every change in the event log.

    Each item has one ``created`` event, its first; its last change (``updated_at``) is an
    event's instant; every progress entry and every extension request has its event.
    """
    async with runtime.db.transaction() as session:
        group = (await session.exec(select(GroupRow).where(GroupRow.chat_id == chat_id))).one()
        items = (await session.exec(select(ItemRow).where(ItemRow.group_id == group.id))).all()
        numbers = [item.number for item in items]
        assert len(numbers) == len(set(numbers)), f"numbers repeat: {sorted(numbers)}"
        assert all(number > 0 for number in numbers)
        for item in items:
            await _check_item(session, item)


async def _check_item(session: AsyncSession, item: ItemRow) -> None:
    events = (
        await session.exec(
            select(EventRow).where(EventRow.item_id == item.id).order_by(col(EventRow.id))
        )
    ).all()
    kinds = [EventKind(event.kind) for event in events]
    assert kinds[:1] == [EventKind.CREATED], f"#{item.number}: {kinds}"
    assert kinds.count(EventKind.CREATED) == 1, f"#{item.number}: {kinds}"
    assert _naive(item.updated_at) in {_naive(e.created_at) for e in events}, (
        f"#{item.number} changed without an event: {kinds}"
    )
    progress = (
        await session.exec(select(ProgressRow.created_at).where(ProgressRow.item_id == item.id))
    ).all()
    extensions = (
        await session.exec(select(ExtensionRow.created_at).where(ExtensionRow.item_id == item.id))
    ).all()
    for children, wanted in (
        (progress, {EventKind.PROGRESS, EventKind.DONE}),
        (extensions, {EventKind.EXTENSION_REQUESTED}),
    ):
        logged = {_naive(e.created_at) for e in events if EventKind(e.kind) in wanted}
        missing = [at for at in children if _naive(at) not in logged]
        assert not missing, f"#{item.number}: {sorted(wanted)} not logged at {missing}"


def _naive(at: datetime) -> datetime:
    """SQLite hands datetimes back without a zone: compare them all without one."""
    return at.replace(tzinfo=None)


@asynccontextmanager
async def arena_for(folder: Path) -> AsyncIterator[Arena]:
    """Start the stand-in and the bot once; stop both at the end."""
    errors = _Collector()
    root = logging.getLogger()
    root.addHandler(errors)
    try:
        async with FakeTelegram() as fake:
            fake.add_user(ADMIN, "王书记", username="wang")
            fake.add_user(OWNER, "张三", username="zhang")
            fake.add_user(BYSTANDER, "李四", username="li")
            for member in MEMBERS:
                fake.add_user(member, f"成员{member}", username=f"member_{member}")
            clock = FixedClock(START)
            # The reminder sweep would run on wall-clock time; the fuzz drives only commands.
            config = config_for(fake, folder, sweep_seconds=86_400.0)
            runtime = await start_runtime(config, clock)
            try:
                yield Arena(fake, runtime, clock, errors)
            finally:
                await stop_runtime(runtime)
    finally:
        root.removeHandler(errors)
