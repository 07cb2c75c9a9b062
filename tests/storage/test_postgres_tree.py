"""The committee tree on PostgreSQL: concurrent changes to linked items and links never deadlock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from domain.clock import FixedClock
from domain.errors import UserError
from domain.items import Actor, Status
from domain.outcomes import Outcome
from domain.problem_form import read_problem
from domain.settings import GroupSettings
from services.container import Services, build_services
from services.tree import Link
from storage.database import Database

COMMITTEE = -1001000000001
BRANCH = -1001000000002
ADMIN = Actor(user_id=2**31 + 7, name="王书记", username="wang", is_admin=True)
OWNER = Actor(user_id=7_123_456_789, name="张三", username="zhang")
CLOCK = FixedClock(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
TODAY = date(2026, 11, 26)
ITEMS = 12


@pytest.fixture
async def instances(pg_database_url: str) -> AsyncIterator[tuple[Services, Services]]:
    """Two instances' services, each with its own engine, on one migrated PostgreSQL database."""
    first_db, second_db = Database.from_url(pg_database_url), Database.from_url(pg_database_url)
    await first_db.upgrade()
    try:
        yield (
            build_services(first_db, CLOCK, GroupSettings()),
            build_services(second_db, CLOCK, GroupSettings()),
        )
    finally:
        await first_db.close()
        await second_db.close()


async def link(services: Services, parent: int, branch: int) -> Link:
    """``/link`` in the parent, ``/join`` in the branch."""
    issued = await services.tree.issue_code(parent, ADMIN)
    return await services.tree.join(branch, ADMIN, issued.code)


async def test_a_branch_closing_its_copy_while_the_committee_accepts_does_not_deadlock(
    instances: tuple[Services, Services],
) -> None:
    """B2: the branch's 验收 of each copy races the committee's 验收 of the item: all finish."""
    branch_side, committee_side = instances
    await branch_side.groups.bot_added(COMMITTEE, "supergroup", "机关党委")
    await branch_side.groups.bot_added(BRANCH, "supergroup", "第一党支部")
    await link(branch_side, COMMITTEE, BRANCH)
    for n in range(1, ITEMS + 1):
        await committee_side.ledger.register(COMMITTEE, ADMIN, read_problem(f"问题{n}", (), TODAY))
        await committee_side.dispatch.dispatch(COMMITTEE, ADMIN, n, "第一党支部")
        await branch_side.ledger.claim(BRANCH, OWNER, n)
        await branch_side.ledger.done(BRANCH, OWNER, n, "已整改", None)

    results = await asyncio.gather(
        *(branch_side.ledger.approve(BRANCH, ADMIN, n, "") for n in range(1, ITEMS + 1)),
        *(committee_side.ledger.approve(COMMITTEE, ADMIN, n, "") for n in range(1, ITEMS + 1)),
        return_exceptions=True,
    )

    unexpected = [r for r in results if not isinstance(r, Outcome | UserError)]
    assert unexpected == []
    for n in range(1, ITEMS + 1):
        for chat in (COMMITTEE, BRANCH):
            assert (await branch_side.ledger.show(chat, n)).item.status is Status.CLOSED


async def test_two_groups_joining_under_each_other_at_once_make_no_cycle(
    instances: tuple[Services, Services],
) -> None:
    """B10: A joins under B while B joins under A: one link is made, the other refused."""
    first, second = instances
    pairs = [(-1001000000100 - 2 * n, -1001000000101 - 2 * n) for n in range(6)]
    for a, b in pairs:
        await first.groups.bot_added(a, "supergroup", f"甲{a}")
        await first.groups.bot_added(b, "supergroup", f"乙{b}")
    for a, b in pairs:
        code_a = (await first.tree.issue_code(a, ADMIN)).code
        code_b = (await first.tree.issue_code(b, ADMIN)).code
        results = await asyncio.gather(
            first.tree.join(a, ADMIN, code_b),
            second.tree.join(b, ADMIN, code_a),
            return_exceptions=True,
        )
        linked = [r for r in results if isinstance(r, Link)]
        refused = [r for r in results if isinstance(r, UserError)]
        assert len(linked) == 1, results
        assert [e.key for e in refused] == ["tree.error.cycle"], results
