"""This instance among others: registration, heartbeat, clean retirement and health.

Every bot process is an *instance* with its own id. It registers when it starts, beats every
``heartbeat`` (``bot.jobs``) and is considered gone by the others once
:data:`GONE_AFTER_BEATS` heartbeats are missed — then its claims on scheduled messages may be
taken over (``storage.outbox``). A clean stop retires the instance at once and frees its
claims, so the next start does not even wait for the heartbeat to lapse.

:meth:`InstanceService.health` answers a load balancer's question (``/healthz``): the database
can be reached and the reminder sweep is making progress.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.clock import Clock
from storage import instances as instance_repo
from storage.database import Database

log = logging.getLogger(__name__)

GONE_AFTER_BEATS = 4  # missed heartbeats before an instance counts as gone
FORGET_AFTER = timedelta(days=1)  # an expired instance's row is kept this long for diagnosis
PING_TIMEOUT_SECONDS = 5.0
STALE_SWEEPS = 3  # intervals without sweep progress before the instance reports unhealthy
STALE_GRACE = timedelta(minutes=1)


@dataclass(frozen=True)
class InstanceIdentity:
    """Who this process is: a unique id, and where it runs (for the operator)."""

    id: str
    host: str = ""
    pid: int = 0

    @classmethod
    def ad_hoc(cls) -> InstanceIdentity:
        """An identity for services built without one (tests, one-off commands)."""
        return cls(f"sweep-{uuid.uuid4().hex[:12]}")


@dataclass(frozen=True)
class SweepStatus:
    """What the reminder sweep of this instance has done lately."""

    last_finished_at: datetime | None = None
    progress_at: datetime | None = None  # a sweep started, sent something, or finished
    running: bool = False


@dataclass(frozen=True)
class Health:
    """The answer to ``/healthz``."""

    healthy: bool
    instance: str
    database: bool
    last_sweep_at: datetime | None
    sweeping: bool
    problem: str = ""

    def as_json(self) -> dict[str, object]:
        """The JSON body a load balancer (or an operator) reads."""
        return {
            "status": "ok" if self.healthy else "unhealthy",
            "instance": self.instance,
            "database": "ok" if self.database else "unreachable",
            "last_sweep_at": self.last_sweep_at.isoformat() if self.last_sweep_at else None,
            "sweeping": self.sweeping,
            "problem": self.problem,
        }


class InstanceService:
    """Registers this instance, keeps it alive, retires it, and reports its health."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        identity: InstanceIdentity,
        *,
        heartbeat: timedelta = timedelta(seconds=15),
        sweep_interval: timedelta = timedelta(seconds=60),
    ) -> None:
        self._db = db
        self._clock = clock
        self.identity = identity
        self.heartbeat = heartbeat
        self._stale_after = STALE_SWEEPS * sweep_interval + STALE_GRACE
        self._started_at: datetime | None = None

    @property
    def lifetime(self) -> timedelta:
        """How long after its last heartbeat an instance still counts as alive."""
        return GONE_AFTER_BEATS * self.heartbeat

    async def start(self) -> None:
        """Register this instance (at start, before the first sweep claims anything)."""
        now = self._clock.now()
        self._started_at = now
        me = self.identity
        async with self._db.transaction() as session:
            await instance_repo.register(session, me.id, me.host, me.pid, now, now + self.lifetime)
        log.info("instance %s registered (host %s, pid %s)", me.id, me.host, me.pid)

    async def beat(self, last_sweep_at: datetime | None = None) -> None:
        """The heartbeat: stay alive for another lifetime; forget long-expired instances."""
        now = self._clock.now()
        me = self.identity
        expires = now + self.lifetime
        async with self._db.transaction() as session:
            alive = await instance_repo.beat(session, me.id, now, expires, last_sweep_at)
            if not alive:  # pruned while this process was frozen: come back
                await instance_repo.register(session, me.id, me.host, me.pid, now, expires)
            await instance_repo.prune(session, now - FORGET_AFTER)

    async def stop(self) -> int:
        """Retire this instance and free its unsent claims; returns how many were freed."""
        async with self._db.transaction() as session:
            released = await instance_repo.retire(session, self.identity.id, self._clock.now())
        log.info("instance %s retired; %d claims released", self.identity.id, released)
        return released

    async def health(self, sweep: SweepStatus) -> Health:
        """Healthy when the database answers and the sweep made progress lately."""
        database = await self._database_reachable()
        now = self._clock.now()
        progress = sweep.progress_at or self._started_at
        stale = progress is None or now - progress > self._stale_after
        problem = ""
        if not database:
            problem = "the database cannot be reached"
        elif stale:
            problem = f"no sweep progress for more than {int(self._stale_after.total_seconds())} s"
        return Health(
            healthy=not problem,
            instance=self.identity.id,
            database=database,
            last_sweep_at=sweep.last_finished_at,
            sweeping=sweep.running,
            problem=problem,
        )

    async def _database_reachable(self) -> bool:
        try:
            async with asyncio.timeout(PING_TIMEOUT_SECONDS), self._db.transaction() as session:
                await instance_repo.ping(session)
        except Exception:  # any failure means unreachable for the load balancer
            log.warning("health check: the database cannot be reached", exc_info=True)
            return False
        return True
