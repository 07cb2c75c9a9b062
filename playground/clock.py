"""The playground's clock: real time plus a jump forward, never backwards, kept across restarts.

The services read this clock (it is injected through ``bot.app.build_runtime``), so jumping it to
Monday 09:00 makes the reminder sweep send Monday's summaries as it would on that morning. It
runs on from where it was set (real time plus an offset); :meth:`PlaygroundClock.jump` only goes
forward, and a restart resumes at the later of the saved instant and the real one.
"""

from __future__ import annotations

import calendar
import json
import logging
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path

from domain.clock import Clock

log = logging.getLogger(__name__)

MORNING = time(9, 0)
MONDAY = 0
DayTest = Callable[[date], bool]


class Preset(StrEnum):
    """The clock control's shortcuts."""

    MORNING = "morning"  # the next 09:00
    MONDAY = "monday"  # the next Monday 09:00
    REPORT_DAY = "report_day"  # the next report day (``[defaults] report_day``) at 09:00


class BackwardsError(ValueError):
    """A jump to an instant before the clock's current one; time never goes backwards."""

    def __init__(self, wanted: datetime, now: datetime) -> None:
        super().__init__(f"the clock only goes forward: {wanted.isoformat()} is before now")
        self.wanted = wanted
        self.now = now


class PlaygroundClock:
    """Real time moved forward by the jumps made so far; saved to ``path`` when given.

    Args:
        real: Where real time comes from (the system clock; a fixed one in tests).
        path: A JSON file that keeps the clock's instant across restarts, or ``None``.
    """

    def __init__(self, real: Clock, path: Path | None = None) -> None:
        self._real = real
        self._path = path
        self._offset = timedelta(0)
        saved = self._read()
        if saved is not None:
            self._offset = max(timedelta(0), saved - real.now())

    def now(self) -> datetime:
        """The playground's current instant (aware, UTC)."""
        return self._real.now() + self._offset

    def jump(self, instant: datetime) -> datetime:
        """Move the clock forward to ``instant`` (aware) and save it; refuse going back."""
        if instant.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        now = self.now()
        if instant < now:
            raise BackwardsError(instant, now)
        self._offset = instant.astimezone(UTC) - self._real.now()
        self.save()
        return self.now()

    def save(self) -> None:
        """Write the current instant, so that a restart never moves time backwards."""
        if self._path is None:
            return
        temporary = self._path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"now": self.now().isoformat()}), encoding="utf-8")
        os.replace(temporary, self._path)

    def _read(self) -> datetime | None:
        if self._path is None or not self._path.exists():
            return None
        try:
            saved = datetime.fromisoformat(
                json.loads(self._path.read_text(encoding="utf-8"))["now"]
            )
        except (ValueError, KeyError, TypeError) as error:
            log.warning("ignoring the unreadable clock file %s (%s)", self._path, error)
            return None
        return saved if saved.tzinfo is not None else None


def preset_instant(preset: Preset, now: datetime, zone: tzinfo, report_day: int) -> datetime:
    """The instant a preset jumps to from ``now``: always strictly later, 09:00 in ``zone``."""
    local = now.astimezone(zone)
    if preset is Preset.MORNING:
        return _next_at(local, lambda day: True)
    if preset is Preset.MONDAY:
        return _next_at(local, lambda day: day.weekday() == MONDAY)
    return _next_at(local, lambda day: day.day == _report_day_in(day, report_day))


def _next_at(local: datetime, wanted: DayTest) -> datetime:
    """The first 09:00 after ``local`` on a day that ``wanted`` accepts (within a year)."""
    day = local.date()
    for _ in range(367):
        candidate = datetime.combine(day, MORNING, tzinfo=local.tzinfo)
        if candidate > local and wanted(day):
            return candidate.astimezone(UTC)
        day += timedelta(days=1)
    raise ValueError("no such day within a year")  # unreachable for the presets above


def _report_day_in(day: date, report_day: int) -> int:
    """The report day of ``day``'s month (a short month's last day if it has no such day)."""
    return min(report_day, calendar.monthrange(day.year, day.month)[1])


def parse_local(text: str, zone: tzinfo) -> datetime:
    """``2026-11-30 09:00`` (or ``2026-11-30T09:00``, seconds optional) in ``zone``, as UTC."""
    cleaned = " ".join(text.strip().replace("T", " ").split())
    for layout in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            naive = datetime.strptime(cleaned, layout)  # noqa: DTZ007 - the zone is attached next
        except ValueError:
            continue
        return naive.replace(tzinfo=zone).astimezone(UTC)
    raise ValueError(f"not a date and time such as 2026-11-30 09:00: {text!r}")
