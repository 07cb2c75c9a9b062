"""Event rows as the services wrote them before migration 0004, and what 0004 makes of them.

Shared by the SQLite and the PostgreSQL migration tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Final

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import UTCDateTime

from domain.clock import FixedClock
from domain.items import NO_CHANGE, DueKind, DueValue, EventChange
from domain.settings import GroupSettings
from services.groups import GroupService
from storage import items as repo
from storage.database import Database
from storage.engine import upgrade_schema

CHAT: Final = -1001
AT: Final = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
NOV_30: Final = DueValue(DueKind.DATE, date(2026, 11, 30))
SOFT_DEC_3: Final = DueValue(DueKind.SOFT, date(2026, 12, 3))
DEC_31: Final = DueValue(DueKind.DATE, date(2026, 12, 31))

# (kind, the detail text written before 0004, the change 0004 turns it into)
OLD_EVENTS: Final[list[tuple[str, str, EventChange]]] = [
    ("created", "", NO_CHANGE),
    ("created", "导入", EventChange(imported=True)),
    ("claimed", "", NO_CHANGE),
    (
        "assigned",
        "张三 → 李四、@zhang",
        EventChange(old_owners=("张三",), new_owners=("李四", "@zhang")),
    ),
    ("assigned", " → 李四", EventChange(new_owners=("李四",))),
    ("progress", "已补录10月记录", EventChange(text="已补录10月记录")),
    ("done", "", NO_CHANGE),
    ("done", "已整改", EventChange(text="已整改")),
    ("approved", "同意", EventChange(text="同意")),
    ("rejected", "缺少签字", EventChange(text="缺少签字")),
    ("reopened", "问题反弹", EventChange(text="问题反弹")),
    (
        "deadline",
        "2026-11-30 → long_term",
        EventChange(old_due=NOV_30, new_due=DueValue(DueKind.LONG_TERM)),
    ),
    (
        "deadline",
        "none → soft:2026-12-03",
        EventChange(old_due=DueValue(DueKind.NONE), new_due=SOFT_DEC_3),
    ),
    (
        "deadline",
        "long_term → none",
        EventChange(old_due=DueValue(DueKind.LONG_TERM), new_due=DueValue(DueKind.NONE)),
    ),
    ("deadline", "随便 → 写写", EventChange(text="随便 → 写写")),
    (
        "extension_requested",
        "soft:2026-12-03 → 2026-12-31: 等待 → 批复: 下周",
        EventChange(text="等待 → 批复: 下周", old_due=SOFT_DEC_3, new_due=DEC_31),
    ),
    (
        "extension_requested",
        "none → 2026-12-31: 等待批复",
        EventChange(text="等待批复", old_due=DueValue(DueKind.NONE), new_due=DEC_31),
    ),
    ("extension_approved", "2026-12-31", EventChange(new_due=DEC_31)),
    (
        "extension_rejected",
        "2027-01-15",
        EventChange(new_due=DueValue(DueKind.DATE, date(2027, 1, 15))),
    ),
    (
        "edited",
        "category: 思想建设 → 组织建设",
        EventChange(field="category", old_value="思想建设", new_value="组织建设"),
    ),
    ("edited", "unit:  → 第一党支部", EventChange(field="unit", new_value="第一党支部")),
    ("edited", "lead: 王书记 → ", EventChange(field="lead", old_value="王书记")),
    ("edited", "owner: a → b", EventChange(text="owner: a → b")),
    ("deleted", "", NO_CHANGE),
    ("undeleted", "", NO_CHANGE),
    ("owner_linked", "@NewBie", EventChange(username="NewBie")),
    ("measure_done", "1 3", EventChange(measures=(1, 3))),
]

# The events table as revision 0003 left it (the application's models describe head).
_TEXT_COLUMNS_AT_0003: Final = (
    "problem", "detail", "category", "unit", "lead", "source", "status", "due_kind",
    "due_phrase", "created_by_name", "closed_by_name",
)  # fmt: skip
ITEMS_AT_0003: Final = sa.table(
    "items",
    sa.column("id", sa.Integer),
    sa.column("group_id", sa.Integer),
    sa.column("number", sa.Integer),
    *(sa.column(name, sa.Text) for name in _TEXT_COLUMNS_AT_0003),
    sa.column("deleted", sa.Boolean),
    sa.column("return_count", sa.Integer),
    sa.column("extension_count", sa.Integer),
    sa.column("created_by", sa.BigInteger),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)
EVENTS_AT_0003: Final = sa.table(
    "events",
    sa.column("item_id", sa.Integer),
    sa.column("group_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("actor_id", sa.BigInteger),
    sa.column("actor_name", sa.String),
    sa.column("detail", sa.Text),
    sa.column("created_at", UTCDateTime()),
)


async def fill_at_0003(database: Database) -> int:
    """A database at revision 0003 with one item whose history is OLD_EVENTS; its group id."""
    await upgrade_schema(database.engine, "0003")
    groups = GroupService(database, FixedClock(AT), GroupSettings())
    group_id = (await groups.bot_added(CHAT, "supergroup", "第一党支部")).id
    async with database.transaction() as session:
        # Written with the tables as they were at 0003: the models have grown since.
        inserted = await session.exec(
            sa.insert(ITEMS_AT_0003)
            .values(
                **{
                    **dict.fromkeys(_TEXT_COLUMNS_AT_0003, ""),
                    "problem": "三会一课记录不规范",
                    "status": "open",
                    "due_kind": "none",
                },
                group_id=group_id,
                number=await repo.allocate_number(session, group_id),
                deleted=False,
                return_count=0,
                extension_count=0,
                created_by=1,
                created_at=AT,
                updated_at=AT,
            )
            .returning(ITEMS_AT_0003.c.id)
        )
        item_id = inserted.scalar_one()
        await session.exec(
            sa.insert(EVENTS_AT_0003).values(
                [
                    {
                        "item_id": item_id,
                        "group_id": group_id,
                        "kind": kind,
                        "actor_id": 1,
                        "actor_name": "王书记",
                        "detail": detail,
                        "created_at": AT,
                    }
                    for kind, detail, _ in OLD_EVENTS
                ]
            )
        )
    return group_id


async def stored_changes(database: Database, group_id: int) -> list[EventChange]:
    """The history of item #1, as the application reads it now."""
    async with database.transaction() as session:
        row = await repo.item_by_number(session, group_id, 1)
        assert row is not None
        return [event.change for event in (await repo.full_snapshot(session, row)).events]


async def stored_details(database: Database) -> list[tuple[str, str]]:
    """(kind, detail) of every event, read with plain SQL (after a downgrade to 0003)."""
    async with database.engine.connect() as connection:
        rows = await connection.execute(sa.text("SELECT kind, detail FROM events ORDER BY id"))
        return [(str(kind), str(detail)) for kind, detail in rows.all()]
