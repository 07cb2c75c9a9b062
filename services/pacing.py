"""Pacing every message the bot sends under Telegram's flood limits, across all instances.

Before a message goes out, :meth:`SendPacer.wait_turn` reserves an instant for it in the
database (``storage.pacing``: one short transaction, rows locked) and waits until then. The
reservation counts every instance's messages, so three instances together send no faster than
one may (``domain.pacing`` says how the instant is chosen). Replies to users are reserved as
*interactive* and may take the room that bulk messages (the reminder fan-out) leave free, so a
command is answered at once while a fan-out runs.
"""

from __future__ import annotations

from domain.pacing import Rate, SendLimits, Window, earliest_slot, recent, window
from services.ports import Timer
from storage import pacing as pacing_repo
from storage.database import Database
from storage.pacing import OVERALL, chat_scope


class SendPacer:
    """Reserves send instants within the flood limits, shared through the database."""

    def __init__(self, db: Database, limits: SendLimits, timer: Timer) -> None:
        self._db = db
        self._limits = limits
        self._timer = timer
        self._known: set[str] = set()  # scopes whose rows exist (rows are never deleted)

    @property
    def limits(self) -> SendLimits:
        """The limits applied."""
        return self._limits

    def _scopes(self, chat_id: int, *, bulk: bool) -> dict[str, Window]:
        """The scopes a message to ``chat_id`` counts in, with their windows."""
        chat_rate: Rate | None = self._limits.private if chat_id > 0 else self._limits.group
        rates = {OVERALL: self._limits.overall, chat_scope(chat_id): chat_rate}
        return {scope: window(rate, bulk=bulk) for scope, rate in rates.items() if rate}

    async def reserve(self, chat_id: int, *, bulk: bool) -> float:
        """Reserve the earliest instant (Unix seconds) a message to ``chat_id`` may go."""
        scopes = self._scopes(chat_id, bulk=bulk)
        if not scopes:
            return self._timer.time()
        new = [scope for scope in scopes if scope not in self._known]
        if new:
            async with self._db.transaction() as session:
                await pacing_repo.ensure_scopes(session, new)
            self._known.update(new)
        async with self._db.transaction() as session:
            stored = await pacing_repo.lock_scopes(session, list(scopes))
            now = self._timer.time()  # after the lock: the time the reservation is made
            kept = {
                scope: recent(stored.get(scope, []), now, limit.seconds)
                for scope, limit in scopes.items()
            }
            at = earliest_slot([(kept[scope], limit) for scope, limit in scopes.items()], now)
            await pacing_repo.save_scopes(
                session, {scope: sorted([*times, at]) for scope, times in kept.items()}
            )
        return at

    async def wait_turn(self, chat_id: int, *, bulk: bool) -> float:
        """Wait until a message to ``chat_id`` may go; returns the seconds waited."""
        if not self._limits.enabled:
            return 0.0
        delay = await self.reserve(chat_id, bulk=bulk) - self._timer.time()
        if delay > 0:
            await self._timer.sleep(delay)
        return max(0.0, delay)
