"""Service fixtures: a real SQLite file in a temp dir, a fixed clock, two groups."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.clock import FixedClock
from domain.items import Actor
from domain.settings import GroupSettings
from services.container import Services, build_services
from storage.database import Database

GROUP_A = -1001
GROUP_B = -1002
# Thursday 2026-11-26 10:00 in Shanghai.
START = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

ADMIN = Actor(user_id=1, name="王书记", username="wang", is_admin=True)
OWNER = Actor(user_id=2, name="张三", username="zhang")
BYSTANDER = Actor(user_id=3, name="李四", username="li")


@pytest.fixture
def clock() -> FixedClock:
    """A clock standing at Thursday 2026-11-26 10:00 Shanghai time."""
    return FixedClock(START)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite database file."""
    database = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'ledger.db'}")
    await database.upgrade()
    yield database
    await database.close()


@pytest.fixture
async def services(db: Database, clock: FixedClock) -> Services:
    """All services over the temp database, with two groups the bot is in."""
    built = build_services(db, clock, GroupSettings())
    await built.groups.bot_added(GROUP_A, "supergroup", "第一党支部")
    await built.groups.bot_added(GROUP_B, "supergroup", "第二党支部")
    return built
