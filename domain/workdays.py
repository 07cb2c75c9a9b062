"""PRC working days: the operator's holiday list, the official calendar package, then Mon–Fri.

``chinese_calendar`` ships the State Council's holiday and make-up-workday notices for a fixed
range of years (2004–2026 in 1.11).  The State Council publishes next year's notice in
November or December; until the package catches up, the operator lists the new year's days in
the configuration (README: Configuration, ``[calendar]``), and :class:`HolidayCalendar` prefers
that list, day by day, over the package.  Beyond every known year a day counts as a working day
when it is Monday to Friday, and the caller is told the answer went past the known calendar.

The list's text format follows the notice: one line per holiday or range, one per make-up
working day (:func:`read_holiday_lines`)::

    # 国务院办公厅关于2027年部分节假日安排的通知
    2027-01-01 元旦 休
    2027-02-06 ~ 2027-02-12 春节 休
    2027-02-14 班
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import chinese_calendar

_DAY: Final = timedelta(days=1)


def _package_years() -> range:
    """Years the installed holiday calendar has data for."""
    years = {day.year for day in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


PACKAGE_YEARS: Final = _package_years()


@dataclass(frozen=True)
class HolidayCalendar:
    """Days off and make-up working days the operator listed, over the package's calendar.

    A listed day decides; any other day of a year the operator listed days in is a working day
    when it is Monday to Friday, unless the package knows that year.
    """

    days_off: frozenset[date] = frozenset()
    work_days: frozenset[date] = frozenset()  # 调休上班: weekends that are working days

    @property
    def listed_years(self) -> frozenset[int]:
        """The years the operator's list covers."""
        return frozenset(day.year for day in self.days_off | self.work_days)

    def knows(self, year: int) -> bool:
        """Whether the holidays of ``year`` are known (listed, or in the package)."""
        return year in PACKAGE_YEARS or year in self.listed_years

    @property
    def last_known_year(self) -> int:
        """The last year whose holidays are known."""
        return max([PACKAGE_YEARS[-1], *self.listed_years])

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a PRC working day (Monday–Friday where nothing says otherwise)."""
        if day in self.work_days:
            return True
        if day in self.days_off:
            return False
        if day.year in PACKAGE_YEARS:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def add_working_days(self, start: date, n: int) -> tuple[date, bool]:
        """The ``n``-th working day after ``start``, and whether it left the known calendar.

        Raises:
            ValueError: if ``n`` is negative.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        last = self.last_known_year
        day, beyond = start, False
        while n:
            if day.year > last:
                # Every later day is unknown too: finish with plain weekday arithmetic.
                return _add_weekdays(day, n), True
            day += _DAY
            beyond = beyond or not self.knows(day.year)
            if self.is_working_day(day):
                n -= 1
        return day, beyond

    def unknown_years(self, today: date) -> list[int]:
        """This year and next, when their holidays are not known yet."""
        return [year for year in (today.year, today.year + 1) if not self.knows(year)]


PACKAGE_CALENDAR: Final = HolidayCalendar()


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


# --- the operator's list -----------------------------------------------------------------------

_DATE: Final = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_LINE: Final = re.compile(rf"^{_DATE}(?:\s*(?:~|～|至|到|--|-|—|–)\s*{_DATE})?(?P<rest>.*)$")
_OFF_WORDS: Final = ("休", "放假", "off", "holiday")
_WORK_WORDS: Final = ("班", "上班", "work", "workday")


class HolidayListError(ValueError):
    """A line of a holiday list that cannot be read; the message names the line."""


def _dates(first: date, last: date) -> Iterable[date]:
    """Every day from ``first`` to ``last``."""
    day = first
    while day <= last:
        yield day
        day += _DAY


def _kind(rest: str, line: str) -> bool:
    """True for days off, False for make-up working days (the last word of the line)."""
    words = rest.split()
    last = words[-1].lower() if words else ""
    if last in _OFF_WORDS:
        return True
    if last in _WORK_WORDS:
        return False
    raise HolidayListError(f"{line!r}: end the line with 休 (days off) or 班 (working day)")


def read_holiday_lines(lines: Iterable[str]) -> HolidayCalendar:
    """Read ``2027-02-06 ~ 2027-02-12 春节 休`` / ``2027-02-14 班`` lines (``#`` comments)."""
    off: set[date] = set()
    work: set[date] = set()
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LINE.match(line)
        if match is None:
            raise HolidayListError(f"{raw.strip()!r}: expected a date such as 2027-02-14")
        numbers = [int(value) for value in match.groups()[:6] if value is not None]
        try:
            first = date(*numbers[:3])
            last = date(*numbers[3:6]) if len(numbers) == 6 else first
        except ValueError as error:
            raise HolidayListError(f"{raw.strip()!r}: {error}") from None
        if last < first:
            raise HolidayListError(f"{raw.strip()!r}: the range ends before it starts")
        (off if _kind(match["rest"], raw.strip()) else work).update(_dates(first, last))
    clash = off & work
    if clash:
        raise HolidayListError(f"{min(clash)} is listed both as a day off and as a working day")
    return HolidayCalendar(frozenset(off), frozenset(work))


def combine(*calendars: HolidayCalendar) -> HolidayCalendar:
    """Several lists as one (a file and the lists in the configuration); they must agree."""
    off = frozenset[date]().union(*(c.days_off for c in calendars))
    work = frozenset[date]().union(*(c.work_days for c in calendars))
    clash = off & work
    if clash:
        raise HolidayListError(f"{min(clash)} is listed both as a day off and as a working day")
    return HolidayCalendar(off, work)


# The package's calendar for callers that do not pass one (tests, the CLI).
def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day by the package's calendar."""
    return PACKAGE_CALENDAR.is_working_day(day)


def add_working_days(start: date, n: int) -> tuple[date, bool]:
    """The ``n``-th working day after ``start`` by the package's calendar (see the class)."""
    return PACKAGE_CALENDAR.add_working_days(start, n)
