"""Ledgers for the benchmarks, bulk-inserted into a migrated database (SQLite or PostgreSQL).

Rows are written with multi-row ``INSERT``s, not through the bot: building 100,000 items one
command at a time would take longer than the benchmarks themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, insert, text
from sqlmodel import SQLModel

from storage import models  # noqa: F401  (registers the tables)
from storage.database import Database

BUILT = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
ROWS_PER_INSERT = 2_000  # PostgreSQL takes at most 32,767 parameters in one statement
SPREAD_DAYS = 365  # deadlines spread over a year, from 30 days overdue onwards
OWNERS_PER_GROUP = 4
OVERDUE_AND_SOON = (-3, 5)  # every group's digest has something to say


def chat_id_of(group_id: int) -> int:
    """The Telegram chat id of benchmark group ``group_id`` (a supergroup's)."""
    return -1_000_000_000_000 - group_id


def admin_of(group_id: int) -> int:
    """The user id of the group's creator (who files problems and reads lists)."""
    return 100_000 + group_id * 10


def owner_of(group_id: int, number: int) -> int:
    """The user id of the owner of item ``number`` in group ``group_id`` (four per group)."""
    return 100_000 + group_id * 10 + 1 + (number - 1) % OWNERS_PER_GROUP


@dataclass(frozen=True)
class Ledger:
    """Groups ``first_group``… with ``items_per_group`` open items each, owned by known users."""

    first_group: int
    groups: int
    items_per_group: int
    first_item: int = 1  # the id of the first item row (ids must not collide across ledgers)
    due_in_days: tuple[int, ...] = ()  # deadlines of items 1, 2, … in turn; () spreads them

    def offset(self, n: int) -> int:
        """Days from today to the deadline of the ledger's ``n``-th item (from 0)."""
        if self.due_in_days:
            return self.due_in_days[n % self.items_per_group % len(self.due_in_days)]
        return (n * 37) % SPREAD_DAYS - 30

    @property
    def group_ids(self) -> range:
        """The groups' row ids."""
        return range(self.first_group, self.first_group + self.groups)

    @property
    def items(self) -> int:
        """How many items the ledger holds."""
        return self.groups * self.items_per_group


def group_rows(ledger: Ledger) -> list[dict[str, Any]]:
    """One ``groups`` row per group, numbering continuing after its items."""
    return [
        {
            "id": n,
            "chat_id": chat_id_of(n),
            "title": f"第{n}党支部",
            "name_override": "",
            "chat_type": "supergroup",
            "active": True,
            "settings_json": "{}",
            "next_number": ledger.items_per_group + 1,
            "created_at": BUILT,
            "updated_at": BUILT,
        }
        for n in ledger.group_ids
    ]


def item_rows(ledger: Ledger, today: date) -> list[dict[str, Any]]:
    """Open items, deadlines spread over a year from 30 days overdue on unless the ledger says."""
    rows = []
    for n in range(ledger.items):
        offset = ledger.offset(n)
        rows.append(
            {
                "id": ledger.first_item + n,
                "group_id": ledger.first_group + n // ledger.items_per_group,
                "number": n % ledger.items_per_group + 1,
                "problem": f"三会一课记录不规范,会议记录缺少签字({n})",
                "detail": "",
                "category": "组织建设",
                "unit": "第一党支部",
                "lead": "王书记",
                "source": "巡察反馈",
                "status": "open",
                "due_kind": "date",
                "due_date": today + timedelta(days=offset),
                "due_phrase": "",
                "original_due": today + timedelta(days=offset),
                "deleted": False,
                "return_count": 0,
                "extension_count": 0,
                "created_by": 1,
                "created_by_name": "王书记",
                "created_at": BUILT,
                "updated_at": BUILT,
                "closed_by_name": "",
            }
        )
    return rows


def owner_rows(ledger: Ledger, owner: Callable[[int, int], int] = owner_of) -> list[dict[str, Any]]:
    """One owner per item: ``owner(group_id, number)``, named after the user id."""
    rows = []
    for n in range(ledger.items):
        group_id = ledger.first_group + n // ledger.items_per_group
        user_id = owner(group_id, n % ledger.items_per_group + 1)
        rows.append(
            {
                "item_id": ledger.first_item + n,
                "position": 0,
                "name": f"张{user_id % 977}",
                "user_id": user_id,
            }
        )
    return rows


async def bulk(db: Database, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` a few thousand at a time, in one transaction."""
    async with db.engine.begin() as connection:
        for start in range(0, len(rows), ROWS_PER_INSERT):
            await connection.execute(insert(table), list(rows[start : start + ROWS_PER_INSERT]))


async def fill(
    db: Database,
    ledgers: Sequence[Ledger],
    today: date,
    owner: Callable[[int, int], int] = owner_of,
) -> None:
    """Migrate the database, insert every ledger, and let the planner know the tables."""
    await db.upgrade()
    tables = SQLModel.metadata.tables
    for ledger in ledgers:
        await bulk(db, tables["groups"], group_rows(ledger))
        await bulk(db, tables["items"], item_rows(ledger, today))
        await bulk(db, tables["owners"], owner_rows(ledger, owner))
    if db.engine.dialect.name == "postgresql":
        # Explicit ids leave the sequences behind; the bot's own inserts must not collide.
        async with db.engine.begin() as connection:
            for table in ("groups", "items", "owners"):
                await connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                )
    async with db.engine.begin() as connection:
        await connection.execute(text("ANALYZE"))
