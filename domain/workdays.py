"""PRC working days: the official holiday calendar where it is known, Monday–Friday beyond it.

``chinese_calendar`` ships the State Council's holiday and make-up-workday notices for a fixed
range of years (2004–2026 in 1.11).  Beyond that range nobody knows the holidays yet, so a day
counts as a working day when it is Monday to Friday, and the caller is told the answer went past
the known calendar.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import chinese_calendar

_DAY: Final = timedelta(days=1)


def _known_years() -> range:
    """Years the installed holiday calendar has data for."""
    years = {day.year for day in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


KNOWN_YEARS: Final = _known_years()


def calendar_known(day: date) -> bool:
    """Whether the official holiday calendar covers ``day``."""
    return day.year in KNOWN_YEARS


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a PRC working day (Monday–Friday outside the known calendar)."""
    if calendar_known(day):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def _add_weekdays(start: date, n: int) -> date:
    """``n`` (at least one) Monday–Friday days after ``start``, in constant time."""
    # Any seven consecutive days hold five weekdays; keep 1–5 to step so the last one lands on one.
    weeks = (n - 1) // 5
    rest = n - 5 * weeks
    day = start + timedelta(weeks=weeks)
    while rest:
        day += _DAY
        if day.weekday() < 5:
            rest -= 1
    return day


def add_working_days(start: date, n: int) -> tuple[date, bool]:
    """Return the ``n``-th working day after ``start`` and whether it left the known calendar.

    Raises:
        ValueError: if ``n`` is negative.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day, beyond = start, False
    while n:
        if day.year > KNOWN_YEARS[-1]:
            # Every later day is unknown too: finish with plain weekday arithmetic.
            return _add_weekdays(day, n), True
        day += _DAY
        beyond = beyond or not calendar_known(day)
        if is_working_day(day):
            n -= 1
    return day, beyond
