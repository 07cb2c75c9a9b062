"""Instances and heartbeats: a claim lasts as long as its instance; health for a load balancer."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import create_async_engine

from domain.clock import FixedClock
from domain.settings import GroupSettings
from services.container import Services, build_services
from services.instances import GONE_AFTER_BEATS, InstanceIdentity, SweepStatus
from storage import instances as instance_repo
from storage import outbox
from storage.database import Database
from tests import fortnight
from tests.fortnight import local
from tests.services.conftest import GROUP_A
from tests.services.test_reminders import FakeNotifier

HEARTBEAT = timedelta(seconds=15)
LIFETIME = GONE_AFTER_BEATS * HEARTBEAT


def instance(db: Database, clock: FixedClock, name: str, notifier: FakeNotifier) -> Services:
    """The services of one registered-to-be instance called ``name``."""
    return build_services(
        db,
        clock,
        GroupSettings(),
        notifier,
        identity=InstanceIdentity(name, "host", 1),
        heartbeat=HEARTBEAT,
    )


async def claim_digest(services: Services, db: Database, clock: FixedClock, owner: str) -> str:
    """Claim group A's digest of today for ``owner``, as a sweep does just before sending."""
    group = await services.groups.require(GROUP_A)
    key = f"digest:{group.id}:{clock.now().astimezone(fortnight.ZONE).date().isoformat()}"
    async with db.transaction() as session:
        assert await outbox.claim_many(session, {key: group.id}, clock.now(), owner)
    return key


async def test_a_dead_instances_claims_are_taken_over_once_its_heartbeat_lapses(
    services: Services, db: Database, clock: FixedClock
) -> None:
    """Killed mid-send: its claim holds until its last heartbeat is a lifetime old, then moves.

    The other instance sends the digest once, and the row counts the second attempt.
    """
    notifier = FakeNotifier()
    await fortnight.seed(services, clock, GROUP_A)
    clock.set(local(fortnight.FIRST_DAY, 9))
    dead, alive = instance(db, clock, "dead", notifier), instance(db, clock, "alive", notifier)
    await dead.instances.start()
    await alive.instances.start()
    key = await claim_digest(services, db, clock, "dead")
    clock.set(local(fortnight.FIRST_DAY, 9) + LIFETIME - timedelta(seconds=1))
    await alive.instances.beat()
    await alive.reminders.sweep()
    assert notifier.texts(GROUP_A) == []
    clock.set(local(fortnight.FIRST_DAY, 9) + LIFETIME + timedelta(seconds=1))
    await alive.reminders.sweep()
    await alive.reminders.sweep()
    assert len(notifier.texts(GROUP_A)) == 1
    async with db.transaction() as session:
        row = await outbox.dispatch_by_key(session, key)
    assert row is not None
    assert (row.claimed_by, row.attempts, row.sent_at is not None) == ("alive", 2, True)


async def test_a_heartbeat_keeps_the_claims_of_a_live_instance(
    services: Services, db: Database, clock: FixedClock
) -> None:
    """An instance that keeps beating keeps its claim however long its send takes."""
    notifier = FakeNotifier()
    await fortnight.seed(services, clock, GROUP_A)
    start = local(fortnight.FIRST_DAY, 9)
    clock.set(start)
    slow, other = instance(db, clock, "slow", notifier), instance(db, clock, "other", notifier)
    await slow.instances.start()
    await claim_digest(services, db, clock, "slow")
    for minutes in range(1, 11):
        clock.set(start + timedelta(minutes=minutes))
        await slow.instances.beat()
        await other.reminders.sweep()
    assert notifier.texts(GROUP_A) == []


async def test_a_clean_stop_frees_the_claims_at_once(
    services: Services, db: Database, clock: FixedClock
) -> None:
    """A bot stopped with SIGTERM retires: the next start takes its claims without waiting."""
    notifier = FakeNotifier()
    await fortnight.seed(services, clock, GROUP_A)
    clock.set(local(fortnight.FIRST_DAY, 9))
    old, new = instance(db, clock, "old", notifier), instance(db, clock, "new", notifier)
    await old.instances.start()
    await claim_digest(services, db, clock, "old")
    assert await old.instances.stop() == 1
    await new.instances.start()
    report = await new.reminders.sweep()
    assert (report.sent, len(notifier.texts(GROUP_A))) == (1, 1)


async def test_long_expired_instances_are_forgotten_by_the_heartbeat(
    db: Database, clock: FixedClock
) -> None:
    """A day after it expired, an instance's row goes; one pruned while frozen comes back."""
    notifier = FakeNotifier()
    gone, beating = instance(db, clock, "gone", notifier), instance(db, clock, "beating", notifier)
    await gone.instances.start()
    await beating.instances.start()
    clock.set(clock.now() + timedelta(days=2))
    await beating.instances.beat()
    async with db.transaction() as session:
        assert [row.id for row in await instance_repo.all_instances(session)] == ["beating"]
        await instance_repo.prune(session, clock.now() + timedelta(days=1))
    await beating.instances.beat()
    async with db.transaction() as session:
        (row,) = await instance_repo.all_instances(session)
    assert (row.id, row.expires_at) == ("beating", clock.now() + LIFETIME)


async def test_health_needs_the_database_and_recent_sweep_progress(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    """Healthy after a sweep; unhealthy when sweeps stall, or when the database is unreachable."""
    services = instance(db, clock, "me", FakeNotifier())
    await services.instances.start()
    await services.reminders.sweep()
    healthy = await services.instances.health(services.reminders.status())
    assert (healthy.healthy, healthy.database, healthy.last_sweep_at) == (True, True, clock.now())
    assert healthy.as_json()["status"] == "ok"
    clock.set(clock.now() + timedelta(minutes=5))
    stale = await services.instances.health(services.reminders.status())
    assert (stale.healthy, stale.database) == (False, True)
    assert "no sweep progress" in stale.problem
    missing = tmp_path / "no-such-folder" / "ledger.db"
    broken = Database(create_async_engine(f"sqlite+aiosqlite:///{missing}"))
    try:
        cut_off = instance(broken, clock, "cut-off", FakeNotifier())
        fresh = SweepStatus(progress_at=clock.now())
        unreachable = await cut_off.instances.health(fresh)
    finally:
        await broken.close()
    assert (unreachable.healthy, unreachable.database) == (False, False)
    assert unreachable.as_json()["database"] == "unreachable"


def test_an_ad_hoc_identity_is_unique() -> None:
    """Services built without an identity get one of their own, never shared."""
    assert InstanceIdentity.ad_hoc().id != InstanceIdentity.ad_hoc().id
