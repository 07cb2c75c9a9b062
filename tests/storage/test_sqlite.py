"""The storage layer on SQLite: transactions, migrations, usernames and the batch reads."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, inspect, text
from sqlmodel import SQLModel

from domain.clock import FixedClock
from domain.items import Actor, EventKind, OwnerRef
from domain.people import SeenUser
from domain.settings import GroupSettings
from domain.transitions import ExtensionRequest
from services.groups import GroupService
from storage import groups as group_repo
from storage import items as repo
from storage.database import Database
from storage.engine import MIGRATIONS, downgrade_schema, upgrade_schema
from storage.models import ItemRow, ProgressRow
from tests.storage.old_events import OLD_EVENTS, fill_at_0003, stored_changes, stored_details

CHAT = -1001
OTHER_CHAT = -1002
OWNER = Actor(user_id=2, name="张三", username="zhang")
# Thursday 2026-11-26 10:00 in Shanghai.
START = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)


@pytest.fixture
def url(tmp_path: Path) -> str:
    """The URL of a SQLite file in a temp dir."""
    return f"sqlite+aiosqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture
async def db(url: str) -> AsyncIterator[Database]:
    """A migrated SQLite database file."""
    database = Database.from_url(url)
    await database.upgrade()
    yield database
    await database.close()


@pytest.fixture
def groups(db: Database) -> GroupService:
    """The group service over the database, at a fixed instant."""
    return GroupService(db, FixedClock(START), GroupSettings())


async def _group_id(groups: GroupService, chat_id: int = CHAT) -> int:
    """Record a supergroup the bot is in; returns its id."""
    return (await groups.bot_added(chat_id, "supergroup", "第一党支部")).id


async def _add_item(
    db: Database, group_id: int, owners: Sequence[OwnerRef] = (), status: str = "open"
) -> ItemRow:
    """Store an item with these owners, a measure and a 'created' event."""
    async with db.transaction() as session:
        row = ItemRow(
            group_id=group_id,
            number=await repo.allocate_number(session, group_id),
            problem="三会一课记录不规范",
            status=status,
            created_by=OWNER.user_id,
            created_at=START,
            updated_at=START,
        )
        await repo.insert_item(session, row, owners, ["补录记录"])
        repo.add_event(session, row, EventKind.CREATED, OWNER.user_id, OWNER.name, START)
    return row


def _schema(connection: Connection) -> tuple[set[str], list[object], str | None]:
    """Tables, differences between the models and the database, and the Alembic revision."""
    tables = set(inspect(connection).get_table_names())
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    differences: list[object] = compare_metadata(context, SQLModel.metadata)
    return tables, differences, context.get_current_revision()


async def test_migrations_build_the_models_schema_on_sqlite(db: Database) -> None:
    """All migrations run in batch mode on SQLite and give exactly the models' schema."""
    async with db.engine.connect() as connection:
        tables, differences, revision = await connection.run_sync(_schema)
    assert tables == set(SQLModel.metadata.tables) | {"alembic_version"}
    assert differences == []
    assert revision == ScriptDirectory(str(MIGRATIONS)).get_current_head()


async def test_upgrading_a_filled_database_keys_its_usernames_and_keeps_every_row(
    url: str,
) -> None:
    """0002 → 0003 with groups, items and owners in place: rows kept, usernames keyed."""
    database = Database.from_url(url)
    try:
        await upgrade_schema(database.engine, "0002")
        async with database.engine.begin() as connection:
            for statement in (
                "INSERT INTO groups (id, chat_id, title, name_override, chat_type, active,"
                " language, settings_json, next_number, created_at, updated_at)"
                " VALUES (1, -1001, 'G', '', 'supergroup', 1, 'zh', '{}', 2, :at, :at)",
                "INSERT INTO items (id, group_id, number, problem, detail, category, unit, lead,"
                " source, status, due_kind, due_phrase, deleted, return_count, extension_count,"
                " created_by, created_by_name, created_at, updated_at, closed_by_name) VALUES"
                " (1, 1, 1, 'P', '', '', '', '', '', 'open', 'none', '', 0, 0, 0, 1, '', :at,"
                " :at, '')",
                "INSERT INTO owners (item_id, position, name, username)"
                " VALUES (1, 0, '@NewBie', 'NewBie')",
                "INSERT INTO users (user_id, username, first_name, last_name, language_code,"
                " private_started, blocked, updated_at)"
                " VALUES (9, 'NewBie', '新人', '', '', 0, 0, :at)",
            ):
                await connection.execute(text(statement), {"at": START.isoformat()})
        await database.upgrade()
        async with database.engine.connect() as connection:
            columns = await connection.run_sync(_column_names, "groups")
            keys = await connection.execute(
                text(
                    "SELECT (SELECT username_lower FROM owners), (SELECT username_lower FROM users)"
                )
            )
            assert tuple(keys.one()) == ("newbie", "newbie")
        assert "language" not in columns
        linked = await GroupService(database, FixedClock(START), GroupSettings()).seen(
            -1001, "supergroup", "G", SeenUser(9, "新人", username="NEWBIE")
        )
        assert linked == [1]
    finally:
        await database.close()


async def test_upgrading_turns_the_old_event_details_into_data_and_back(url: str) -> None:
    """0003 → 0004: each event's text detail becomes its change; the downgrade writes it back."""
    database = Database.from_url(url)
    try:
        group_id = await fill_at_0003(database)
        await database.upgrade()
        assert await stored_changes(database, group_id) == [c for _, _, c in OLD_EVENTS]
        async with database.engine.connect() as connection:
            assert "detail" not in await connection.run_sync(_column_names, "events")
        await downgrade_schema(database.engine, "0003")
        assert await stored_details(database) == [(k, d) for k, d, _ in OLD_EVENTS]
    finally:
        await database.close()


def _column_names(connection: Connection, table: str) -> set[str]:
    """The names of the reflected columns of ``table``."""
    return {column["name"] for column in inspect(connection).get_columns(table)}


async def test_a_member_who_takes_a_pending_username_is_linked_at_their_next_message(
    db: Database, groups: GroupService
) -> None:
    """A known member who changes their username to a pending @username is linked then."""
    group_id = await _group_id(groups)
    await groups.seen(CHAT, "supergroup", "", SeenUser(9, "新人", username="old_name"))
    item = await _add_item(db, group_id, [OwnerRef("@NewBie", username="NewBie")])
    again = await groups.seen(CHAT, "supergroup", "", SeenUser(9, "新人", username="old_name"))
    renamed = await groups.seen(CHAT, "supergroup", "", SeenUser(9, "新人", username="newbie"))
    assert (again, renamed) == ([], [item.id])
    async with db.transaction() as session:
        shown = await repo.full_snapshot(session, item)
    assert shown.owners == (OwnerRef("新人", 9, "NewBie"),)


async def test_a_known_members_message_neither_rereads_the_user_nor_looks_for_owners(
    db: Database, groups: GroupService
) -> None:
    """Every group message is recorded: for a known member it costs three statements."""
    await _group_id(groups)
    user = SeenUser(9, "新人", username="newbie")
    await groups.seen(CHAT, "supergroup", "", user)
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(" ".join(args[2].split()[:3]))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        assert await groups.seen(CHAT, "supergroup", "", user) == []
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    assert [s.split()[0] for s in statements if not s.startswith("BEGIN")] == [
        "INSERT",  # the user, rewritten only if their name or username changed
        "SELECT",  # the group
        "UPDATE",  # the membership's last_seen_at
    ]


async def test_members_are_found_by_username_whatever_its_case(
    db: Database, groups: GroupService
) -> None:
    """@ZHANG finds the member @zhang of this group, and nobody in another group."""
    group_id = await _group_id(groups)
    other_id = await _group_id(groups, OTHER_CHAT)
    await groups.seen(CHAT, "supergroup", "", SeenUser(OWNER.user_id, "张三", username="Zhang"))
    async with db.transaction() as session:
        found = await group_repo.member_by_username(session, group_id, "ZHANG")
        elsewhere = await group_repo.member_by_username(session, other_id, "zhang")
    assert found is not None
    assert (found.user_id, found.username, elsewhere) == (OWNER.user_id, "Zhang", None)


async def test_a_full_snapshot_has_owners_measures_progress_extensions_and_events(
    db: Database, groups: GroupService
) -> None:
    """full_snapshot and full_snapshots agree, and both carry every child of an item."""
    group_id = await _group_id(groups)
    item = await _add_item(db, group_id, [OwnerRef("张三", OWNER.user_id, "zhang")])
    assert item.id is not None
    async with db.transaction() as session:
        repo.add_progress(session, _progress(item.id, "已补录", START))
        request = ExtensionRequest(
            old_due=None,
            new_due=TODAY + timedelta(days=30),
            new_phrase="",
            reason="需要时间",
            after_deadline=False,
        )
        await repo.add_extension(session, item, request, OWNER, START)
    async with db.transaction() as session:
        one = await repo.full_snapshot(session, item)
        (batch,) = await repo.full_snapshots(session, [item])
    assert one == batch
    assert one.owners == (OwnerRef("张三", OWNER.user_id, "zhang"),)
    assert [m.text for m in one.measures] == ["补录记录"]
    assert [p.text for p in one.progress] == ["已补录"]
    assert [(e.reason, e.status) for e in one.extensions] == [("需要时间", "waiting")]
    assert [e.kind for e in one.events] == [EventKind.CREATED]


def _progress(item_id: int, text: str, at: datetime) -> ProgressRow:
    """A progress entry by the owner."""
    return ProgressRow(item_id=item_id, author_id=OWNER.user_id, text=text, created_at=at)


async def test_light_snapshots_carry_only_the_latest_progress_of_each_item(
    db: Database, groups: GroupService
) -> None:
    """With several entries per item, each light snapshot shows its item's newest one."""
    group_id = await _group_id(groups)
    first, second, quiet = [await _add_item(db, group_id) for _ in range(3)]
    async with db.transaction() as session:
        for n, row in enumerate([first, second, first, second, first]):
            assert row.id is not None
            repo.add_progress(session, _progress(row.id, f"第{n}次", START + timedelta(hours=n)))
    async with db.transaction() as session:
        snaps = await repo.snapshots(session, [first, second, quiet], with_latest_progress=True)
    assert [[p.text for p in s.progress] for s in snaps] == [["第4次"], ["第3次"], []]


async def test_items_of_groups_filters_by_status_and_deletion_in_sql(
    db: Database, groups: GroupService
) -> None:
    """Only the asked statuses of the asked groups; deleted items only on request."""
    group_id = await _group_id(groups)
    other_id = await _group_id(groups, OTHER_CHAT)
    for status in ("open", "pending", "closed"):
        await _add_item(db, group_id, status=status)
    await _add_item(db, other_id)
    gone = await _add_item(db, group_id, status="pending")
    async with db.transaction() as session:
        gone.deleted = True
        session.add(gone)
    async with db.transaction() as session:
        active = await repo.items_of_groups(session, [group_id], statuses={"open", "pending"})
        with_deleted = await repo.items_of_groups(
            session, [group_id], statuses=["pending"], include_deleted=True
        )
        everything = await repo.items_of_groups(session, [group_id, other_id])
    assert [(r.number, r.status) for r in active] == [(1, "open"), (2, "pending")]
    assert [r.number for r in with_deleted] == [2, 4]
    assert [(r.group_id, r.number) for r in everything] == [
        (group_id, 1), (group_id, 2), (group_id, 3), (other_id, 1),
    ]  # fmt: skip


async def test_groups_by_ids_reads_many_groups_at_once(db: Database, groups: GroupService) -> None:
    """groups_by_ids maps each known id to its group and leaves unknown ids out."""
    group_id = await _group_id(groups)
    other_id = await _group_id(groups, OTHER_CHAT)
    async with db.transaction() as session:
        found = await group_repo.groups_by_ids(session, [other_id, group_id, other_id, 999])
        none = await group_repo.groups_by_ids(session, [])
    assert {gid: g.chat_id for gid, g in found.items()} == {group_id: CHAT, other_id: OTHER_CHAT}
    assert none == {}


async def test_owners_are_replaced_in_order(db: Database, groups: GroupService) -> None:
    """replace_owners swaps the whole list, keeping the new owners' order and username keys."""
    group_id = await _group_id(groups)
    item = await _add_item(db, group_id, [OwnerRef("张三", 2, "zhang"), OwnerRef("李四")])
    async with db.transaction() as session:
        await repo.replace_owners(
            session, item, [OwnerRef("@wang", username="Wang"), OwnerRef("赵六", 6)]
        )
    async with db.transaction() as session:
        shown = await repo.full_snapshot(session, item)
    async with db.engine.connect() as connection:
        stored = await connection.execute(
            text("SELECT position, username_lower FROM owners ORDER BY position")
        )
        rows = [tuple(r) for r in stored.all()]
    assert shown.owners == (OwnerRef("@wang", None, "Wang"), OwnerRef("赵六", 6))
    assert rows == [(0, "wang"), (1, None)]
