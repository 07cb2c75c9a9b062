"""The clock port: the only way any code learns the current time."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import Protocol


class Clock(Protocol):
    """Source of the current instant (aware, UTC)."""

    def now(self) -> datetime:
        """Return the current aware datetime in UTC."""
        ...


def local_today(clock: Clock, zone: tzinfo) -> date:
    """Return today's calendar date in ``zone``."""
    return clock.now().astimezone(zone).date()


class FixedClock:
    """A clock that stands still until moved; used by tests and simulations."""

    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._instant = instant.astimezone(UTC)

    def now(self) -> datetime:
        """Return the fixed instant."""
        return self._instant

    def set(self, instant: datetime) -> None:
        """Move the clock to ``instant`` (aware)."""
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._instant = instant.astimezone(UTC)
