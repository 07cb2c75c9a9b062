"""Import and export on PostgreSQL: the claim of a preview and the bulk reads are plain SQL too."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from domain.clock import FixedClock
from domain.errors import UserError
from domain.outcomes import Imported
from domain.settings import GroupSettings
from services.container import Services, build_services
from services.upload_reader import read_upload
from storage.database import Database
from tests.services.conftest import ADMIN, GROUP_A, GROUP_B, START
from tests.services.test_plan_import import SHORT_PLAN


@pytest.fixture
async def pg_services(pg_database_url: str) -> AsyncIterator[Services]:
    """All services over a fresh PostgreSQL database, with groups A and B."""
    database = Database.from_url(pg_database_url)
    await database.upgrade()
    built = build_services(database, FixedClock(START), GroupSettings())
    await built.groups.bot_added(GROUP_A, "supergroup", "第一党支部")
    await built.groups.bot_added(GROUP_B, "supergroup", "第二党支部")
    yield built
    await database.close()


async def test_two_confirmations_at_once_create_the_items_once(pg_services: Services) -> None:
    """Concurrent [确认导入] presses: one wins, the other is told it was already confirmed."""
    preview = await pg_services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    results = await asyncio.gather(
        *(pg_services.plan_import.confirm(GROUP_A, ADMIN, preview.id) for _ in range(2)),
        return_exceptions=True,
    )
    created = [r for r in results if isinstance(r, Imported)]
    refused = [r for r in results if isinstance(r, UserError)]
    assert [len(imported.items) for imported in created] == [2]
    assert [error.key for error in refused] == ["import.error.confirmed"]
    assert len((await pg_services.ledger.group_items(GROUP_A)).items) == 2


async def test_round_trip_on_postgres(pg_services: Services) -> None:
    """Export group A and import the file into group B: the same problems and deadlines."""
    preview = await pg_services.plan_import.preview(GROUP_A, ADMIN, SHORT_PLAN)
    await pg_services.plan_import.confirm(GROUP_A, ADMIN, preview.id)
    filename, data = await pg_services.export.export(GROUP_A)
    rows = read_upload(filename, data)
    assert not isinstance(rows, str)
    again = await pg_services.plan_import.preview(GROUP_B, ADMIN, rows)
    await pg_services.plan_import.confirm(GROUP_B, ADMIN, again.id)
    ledgers = [(await pg_services.ledger.group_items(g)).items for g in (GROUP_A, GROUP_B)]
    first, second = ([(i.problem, i.due, i.status) for i in items] for items in ledgers)
    assert first == second
    assert len(first) == 2
