"""Two bot instances on one database, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from domain.clock import FixedClock
from domain.items import Actor, OwnerRef
from domain.listing import ListFilter
from domain.people import SeenUser
from domain.problem_form import read_problem
from domain.settings import GroupSettings
from services.container import Services, build_services
from storage.database import Database

CHAT = -1001234567890
ADMIN = Actor(user_id=2**31 + 7, name="王书记", username="wang", is_admin=True)
OWNER = Actor(user_id=7_123_456_789, name="张三", username="zhang")
TODAY = date(2026, 11, 26)
CLOCK = FixedClock(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database: a SQLite file, or a database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'ledger.db'}"
    pg_url: str = request.getfixturevalue("pg_database_url")
    return pg_url


@pytest.fixture
async def instances(url: str) -> AsyncIterator[tuple[Services, Services]]:
    """The services of two instances, each with its own engine on the same migrated database."""
    first_db, second_db = Database.from_url(url), Database.from_url(url)
    await first_db.upgrade()
    try:
        yield (
            build_services(first_db, CLOCK, GroupSettings()),
            build_services(second_db, CLOCK, GroupSettings()),
        )
    finally:
        await first_db.close()
        await second_db.close()


async def test_concurrent_registrations_get_distinct_consecutive_numbers(
    instances: tuple[Services, Services],
) -> None:
    """20 registrations racing through two instances in one group are numbered 1–20, no gaps."""
    first, second = instances
    await first.groups.bot_added(CHAT, "supergroup", "第一党支部")
    drafts = [read_problem(f"问题{n} 月底前", (), TODAY) for n in range(20)]
    outcomes = await asyncio.gather(
        *(
            (first if n % 2 else second).ledger.register(CHAT, OWNER, draft)
            for n, draft in enumerate(drafts)
        )
    )
    assert sorted(o.item.number for o in outcomes) == list(range(1, 21))
    listing = await first.ledger.list_items(CHAT, OWNER, ListFilter.ALL)
    assert sorted(i.number for i in listing.items) == list(range(1, 21))
    assert {i.problem for i in listing.items} == {d.problem for d in drafts}


async def test_a_new_group_and_user_seen_by_two_instances_at_once_are_recorded_once(
    instances: tuple[Services, Services], url: str
) -> None:
    """Concurrent first messages in a new group all succeed and make one group, user, member."""
    first, second = instances
    user = SeenUser(OWNER.user_id, "张三", username="zhang")
    await asyncio.gather(
        *(
            (first if n % 2 else second).groups.seen(CHAT, "supergroup", "支部", user)
            for n in range(8)
        )
    )
    await first.ledger.register(CHAT, ADMIN, read_problem("问题 @zhang 明天", (), TODAY))
    shown = await second.ledger.show(CHAT, 1)
    assert shown.item.owners == (OwnerRef("张三", OWNER.user_id, "zhang"),)
    db = Database.from_url(url)
    try:
        async with db.engine.connect() as connection:
            counts = await connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM groups), (SELECT count(*) FROM users),"
                    " (SELECT count(*) FROM memberships)"
                )
            )
            assert tuple(counts.one()) == (1, 1, 1)
    finally:
        await db.close()
