"""The storage layer and the use cases on a real PostgreSQL server (asyncpg)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlmodel import SQLModel

from domain.clock import FixedClock
from domain.errors import UserError
from domain.figures import ledger_figures
from domain.items import Actor, DueKind, DueValue, EventChange, EventKind, OwnerRef, Status
from domain.listing import ListFilter
from domain.people import SeenUser
from domain.problem_form import read_problem
from domain.settings import GroupSettings
from services.container import Services, build_services
from services.ledger import Evidence
from services.ports import SendResult
from storage.database import Database
from storage.engine import MIGRATIONS, downgrade_schema
from tests.storage.old_events import OLD_EVENTS, fill_at_0003, stored_changes, stored_details

# Telegram ids are 64-bit: supergroups are -100…, user ids have long passed 2**31.
CHAT = -1001234567890
OTHER_CHAT = -1009876543210
ADMIN = Actor(user_id=2**31 + 7, name="王书记", username="wang", is_admin=True)
OWNER = Actor(user_id=7_123_456_789, name="张三", username="zhang")
HELPER = Actor(user_id=2**40 + 3, name="李四", username="li")
# Thursday 2026-11-26 10:00 in Shanghai: the daily digest (09:00) is due, the weekly one is not.
START = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)


class FakeNotifier:
    """Records every message the reminder sweep sends, and accepts it."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, tuple[str, ...]]] = []

    async def send(self, chat_id: int, parts: Sequence[str]) -> SendResult:
        """Record the message; yield once so that concurrent sweeps interleave here too."""
        await asyncio.sleep(0)
        self.sent.append((chat_id, tuple(parts)))
        return SendResult.ok()


@pytest.fixture
def clock() -> FixedClock:
    """A clock standing at Thursday 2026-11-26 10:00 Shanghai time."""
    return FixedClock(START)


@pytest.fixture
async def db(pg_database_url: str) -> AsyncIterator[Database]:
    """A migrated database of its own on the test PostgreSQL server."""
    database = Database.from_url(pg_database_url)
    await database.upgrade()
    yield database
    await database.close()


@pytest.fixture
async def second_db(db: Database, pg_database_url: str) -> AsyncIterator[Database]:
    """Another engine on the same database: what a second bot instance would hold."""
    database = Database.from_url(pg_database_url)
    yield database
    await database.close()


@pytest.fixture
async def services(db: Database, clock: FixedClock) -> Services:
    """All services over the PostgreSQL database, with one supergroup the bot is in."""
    built = build_services(db, clock, GroupSettings(), FakeNotifier())
    await built.groups.bot_added(CHAT, "supergroup", "第一党支部")
    return built


def _schema(connection: Connection) -> tuple[set[str], list[object], str | None]:
    """Tables, differences between the models and the database, and the Alembic revision."""
    tables = set(inspect(connection).get_table_names())
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    differences: list[object] = compare_metadata(context, SQLModel.metadata)
    return tables, differences, context.get_current_revision()


async def test_migrations_build_the_models_schema_and_a_second_upgrade_is_a_no_op(
    pg_database_url: str,
) -> None:
    """All migrations run on PostgreSQL, give exactly the models' schema, and rerun as a no-op."""
    database = Database.from_url(pg_database_url)
    try:
        await database.upgrade()
        async with database.engine.connect() as connection:
            tables, differences, revision = await connection.run_sync(_schema)
        await database.upgrade()
        async with database.engine.connect() as connection:
            again = await connection.run_sync(_schema)
    finally:
        await database.close()
    assert tables == set(SQLModel.metadata.tables) | {"alembic_version"}
    assert differences == []
    assert revision == ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert again == (tables, [], revision)


async def test_upgrading_turns_the_old_event_details_into_data_and_back(
    pg_database_url: str,
) -> None:
    """0003 → 0004 on PostgreSQL: text details become changes; the downgrade writes them back."""
    database = Database.from_url(pg_database_url)
    try:
        group_id = await fill_at_0003(database)
        await database.upgrade()
        assert await stored_changes(database, group_id) == [c for _, _, c in OLD_EVENTS]
        await downgrade_schema(database.engine, "0003")
        assert await stored_details(database) == [(k, d) for k, d, _ in OLD_EVENTS]
    finally:
        await database.close()


async def test_ledger_life_cycle_with_64_bit_telegram_ids(services: Services) -> None:
    """Register → claim → progress → done → approve → reopen → list → stats works on PostgreSQL."""
    ledger = services.ledger
    linked = await services.groups.seen(
        CHAT, "supergroup", "第一党支部", SeenUser(OWNER.user_id, "张三", username="zhang")
    )
    assert linked == []
    draft = read_problem("三会一课记录不规范 @zhang 月底前", (), TODAY)
    registered = await ledger.register(CHAT, ADMIN, draft)
    number = registered.item.number
    assert registered.item.owners == (OwnerRef("张三", OWNER.user_id, "zhang"),)
    assert registered.item.created_by == ADMIN.user_id
    assert registered.group.chat_id == CHAT

    claimed = await ledger.claim(CHAT, HELPER, number)
    assert [o.user_id for o in claimed.item.owners] == [OWNER.user_id, HELPER.user_id]
    await ledger.progress(CHAT, OWNER, number, "已补录10月记录", None)
    pending = await ledger.done(CHAT, HELPER, number, "已整改", Evidence("photo-1", "photo"))
    assert pending.item.status is Status.PENDING
    assert pending.item.pending_since == START
    closed = await ledger.approve(CHAT, ADMIN, number, "同意")
    assert closed.item.status is Status.CLOSED
    assert closed.item.closed_at == START
    reopened = await ledger.reopen(CHAT, ADMIN, number, "问题反弹")
    assert reopened.item.status is Status.OPEN
    assert [e.kind for e in reopened.item.events] == [
        EventKind.CREATED, EventKind.CLAIMED, EventKind.PROGRESS, EventKind.DONE,
        EventKind.APPROVED, EventKind.REOPENED,
    ]  # fmt: skip
    assert all(e.at == START for e in reopened.item.events)
    assert [p.file_id for p in reopened.item.progress] == [None, "photo-1"]

    await ledger.register(CHAT, OWNER, read_problem("党费收缴不及时 @zhang 明天", (), TODAY))
    listing = await ledger.list_items(CHAT, OWNER, ListFilter.MINE)
    assert [i.number for i in listing.items] == [2, 1]
    everywhere = await ledger.mine(HELPER, None)
    assert [(i.number, i.group_title) for i in everywhere.items] == [(1, "第一党支部")]
    stats = await ledger.group_items(CHAT)
    figures = ledger_figures(stats.items, stats.today)
    assert (figures.total, figures.open, figures.closed, figures.due_within_7) == (2, 2, 0, 2)

    context = await services.groups.context(CHAT)
    assert context is not None
    assert context.chat_id == CHAT
    assert await services.groups.migrated(CHAT, OTHER_CHAT)
    assert (await ledger.show(OTHER_CHAT, number)).item.owners[1].user_id == HELPER.user_id


async def test_an_extension_is_decided_on_its_locked_item(services: Services) -> None:
    """The item is found and locked through its request (FOR UPDATE OF items), in its group only."""
    ledger = services.ledger
    await ledger.register(CHAT, ADMIN, read_problem("三会一课记录不规范 月底前", (), TODAY))
    await ledger.claim(CHAT, OWNER, 1)
    asked = await ledger.request_extension_text(CHAT, OWNER, 1, "12月31日前 等待批复")
    assert asked.extension_id is not None
    decided = await ledger.decide_extension(CHAT, ADMIN, asked.extension_id, True)
    assert (decided.item.due, decided.item.original_due) == (date(2026, 12, 31), date(2026, 11, 30))
    assert decided.item.events[-1].change == EventChange(
        new_due=DueValue(DueKind.DATE, date(2026, 12, 31))
    )
    await services.groups.bot_added(OTHER_CHAT, "supergroup", "第二党支部")
    with pytest.raises(UserError) as elsewhere:
        await ledger.decide_extension(OTHER_CHAT, ADMIN, asked.extension_id, False)
    assert elsewhere.value.key == "error.no_extension"


async def test_two_instances_sweeping_at_once_send_each_digest_exactly_once(
    db: Database, second_db: Database, clock: FixedClock
) -> None:
    """Two reminder sweeps on two engines racing over one database send each digest once."""
    notifier = FakeNotifier()
    first = build_services(db, clock, GroupSettings(), notifier)
    second = build_services(second_db, clock, GroupSettings(), notifier)
    chats = [-1001000000000 - n for n in range(8)]
    for n, chat in enumerate(chats):
        await first.groups.bot_added(chat, "supergroup", f"第{n + 1}党支部")
        draft = read_problem(f"问题{n} 明天", (), TODAY)
        await (first if n % 2 else second).ledger.register(chat, OWNER, draft)

    reports = await asyncio.gather(first.reminders.sweep(), second.reminders.sweep())

    assert sorted(chat for chat, _ in notifier.sent) == sorted(chats)
    assert all("问题" in "".join(parts) for _, parts in notifier.sent)
    assert sum(r.sent for r in reports) == len(chats)
    assert sum(r.failed for r in reports) == 0
    later = await asyncio.gather(first.reminders.sweep(), second.reminders.sweep())
    assert len(notifier.sent) == len(chats)
    assert [r.sent for r in later] == [0, 0]


async def test_the_dispatch_table_records_one_sent_row_per_digest(
    db: Database, clock: FixedClock
) -> None:
    """After a sweep, each group's digest key has one row, marked sent at the sweep's instant."""
    services = build_services(db, clock, GroupSettings(), FakeNotifier())
    await services.groups.bot_added(CHAT, "supergroup", "第一党支部")
    await services.ledger.register(CHAT, OWNER, read_problem("问题 明天", (), TODAY))
    await services.reminders.sweep()
    async with db.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT key, sent_at FROM dispatches"))).all()
    assert [(key.split(":")[0], key.split(":")[2], sent) for key, sent in rows] == [
        ("digest", TODAY.isoformat(), START)
    ]
