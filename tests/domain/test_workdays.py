"""Working days: the operator's holiday list over the calendar package, Monday–Friday beyond."""

from __future__ import annotations

from datetime import date

import pytest

from domain.deadline import Deadline, NoteCode, parse_deadline
from domain.workdays import (
    PACKAGE_CALENDAR,
    PACKAGE_YEARS,
    HolidayCalendar,
    HolidayListError,
    combine,
    read_holiday_lines,
)

# The shape of a State Council notice for 2027 (the dates are an example, not the real notice).
NOTICE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知(示例)
2027-01-01 元旦 休
2027-02-06 ~ 2027-02-12 春节 休
2027-02-14 班
2027年2月20日 班
2027-04-05 清明节 休
"""
CALENDAR_2027 = read_holiday_lines(NOTICE_2027.splitlines())


def test_the_package_stops_before_2027() -> None:
    """The reason for the configuration: the package does not know 2027 (yet)."""
    assert 2026 in PACKAGE_YEARS
    assert not PACKAGE_CALENDAR.knows(2027)
    assert PACKAGE_CALENDAR.unknown_years(date(2026, 11, 26)) == [2027]


def test_reading_a_notice() -> None:
    """Ranges, single days, 班 days and Chinese dates are read; comments are skipped."""
    assert date(2027, 2, 6) in CALENDAR_2027.days_off
    assert date(2027, 2, 12) in CALENDAR_2027.days_off
    assert len(CALENDAR_2027.days_off) == 1 + 7 + 1
    assert CALENDAR_2027.work_days == {date(2027, 2, 14), date(2027, 2, 20)}
    assert CALENDAR_2027.knows(2027)
    assert CALENDAR_2027.unknown_years(date(2026, 11, 26)) == []


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2027, 2, 8), False),  # a Monday of the Spring Festival
        (date(2027, 2, 14), True),  # a Sunday made a working day
        (date(2027, 2, 15), True),  # an ordinary Monday
        (date(2027, 2, 13), False),  # an ordinary Saturday
        (date(2026, 10, 1), False),  # National Day: the package still decides 2026
    ],
)
def test_listed_days_decide_then_the_package_then_weekdays(day: date, working: bool) -> None:
    """A listed day is what the list says; others follow the package or Monday–Friday."""
    assert CALENDAR_2027.is_working_day(day) is working


def test_a_listed_day_overrides_the_package() -> None:
    """The operator's list is preferred over the package, day by day."""
    local = read_holiday_lines(["2026-12-01 本地假日 休"])
    assert PACKAGE_CALENDAR.is_working_day(date(2026, 12, 1))
    assert not local.is_working_day(date(2026, 12, 1))
    assert local.is_working_day(date(2026, 12, 2))


def test_five_working_days_across_a_configured_holiday() -> None:
    """5个工作日内 from Thursday 2027-02-04 skips the configured Spring Festival."""
    without = parse_deadline("5个工作日内", date(2027, 2, 4))
    with_list = parse_deadline("5个工作日内", date(2027, 2, 4), calendar=CALENDAR_2027)
    assert isinstance(without, Deadline)
    assert isinstance(with_list, Deadline)
    assert without.due == date(2027, 2, 11)
    assert without.notes == (NoteCode.WORKDAYS_BEYOND_CALENDAR,)
    # Fri 5th, (6th–12th off), Sun 14th is a working day, then Mon 15th, Tue 16th, Wed 17th.
    assert with_list.due == date(2027, 2, 17)
    assert with_list.notes == ()


def test_beyond_every_known_year_the_note_stays() -> None:
    """Counting into 2028, which nobody listed, still says so."""
    result = parse_deadline("5个工作日内", date(2027, 12, 30), calendar=CALENDAR_2027)
    assert isinstance(result, Deadline)
    assert result.notes == (NoteCode.WORKDAYS_BEYOND_CALENDAR,)


@pytest.mark.parametrize(
    "line",
    [
        "2027-02-30 休",  # no such day
        "2027-02-10 ~ 2027-02-06 休",  # backwards
        "2027-02-06 春节",  # neither 休 nor 班
        "春节 2027-02-06 休",  # no date first
    ],
)
def test_bad_lines_are_refused_with_the_line(line: str) -> None:
    """A line that cannot be read is refused, and the message quotes it."""
    with pytest.raises(HolidayListError) as refused:
        read_holiday_lines([line])
    assert line in str(refused.value)


def test_a_day_both_off_and_working_is_refused() -> None:
    """The same day as 休 and 班 is a mistake, within a list or between lists."""
    with pytest.raises(HolidayListError):
        read_holiday_lines(["2027-02-14 休", "2027-02-14 班"])
    with pytest.raises(HolidayListError):
        combine(read_holiday_lines(["2027-02-14 休"]), read_holiday_lines(["2027-02-14 班"]))


def test_english_words_work_too() -> None:
    """off/holiday and work/workday may end a line as well."""
    calendar = read_holiday_lines(["2027-10-01 - 2027-10-07 National Day off", "2027-10-09 work"])
    assert date(2027, 10, 4) in calendar.days_off
    assert calendar.work_days == {date(2027, 10, 9)}


def test_an_empty_list_is_the_package() -> None:
    """No configuration: the package's calendar, unchanged."""
    assert read_holiday_lines([]) == HolidayCalendar() == PACKAGE_CALENDAR
