"""English deadline phrases: resolved as the Chinese ones are, on three reference days.

``tests/data/deadlines_en.tsv`` lists each English phrase with the Chinese phrase it must equal
(same kind, due day and notes) on a Thursday, the last day of a year and the last day of a
month.  English is accepted in every group (a phrase never means something else in the other
language), so nothing here depends on a group's language.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.deadline import (
    Deadline,
    DeadlineError,
    find_deadline,
    parse_deadline,
)
from domain.problem_form import read_problem
from domain.workdays import HolidayCalendar, read_holiday_lines

TABLE = Path(__file__).parents[1] / "data" / "deadlines_en.tsv"


def rows() -> list[tuple[date, str, str, str, str, str]]:
    """The rows of deadlines_en.tsv."""
    found = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        reference, phrase, chinese, kind, due, note = [*line.split("\t"), "", ""][:6]
        found.append((date.fromisoformat(reference), phrase, chinese, kind, due, note))
    return found


def described(result: Deadline | DeadlineError) -> tuple[str, str, str]:
    """Kind, due day and notes (or the error code) of a result."""
    if isinstance(result, DeadlineError):
        return "error", "", result.code.value
    notes = ",".join(note.value for note in result.notes if note.value != "soft")
    return result.kind.value, result.due.isoformat() if result.due else "", notes


@pytest.mark.parametrize(
    ("today", "phrase", "chinese", "kind", "due", "note"),
    rows(),
    ids=lambda value: str(value),
)
def test_english_phrase_resolves_as_the_chinese_one(
    today: date, phrase: str, chinese: str, kind: str, due: str, note: str
) -> None:
    """The English phrase gives the table's result, and so does its Chinese twin."""
    english = parse_deadline(phrase, today)
    assert described(english) == (kind, due, note)
    assert described(parse_deadline(chinese, today)) == described(english)
    assert english.phrase == phrase  # echoed as typed


def test_the_table_covers_three_reference_days() -> None:
    """A Thursday, the last day of a year and the last day of a month, every phrase on each."""
    days = {row[0] for row in rows()}
    assert days == {date(2026, 11, 26), date(2026, 12, 31), date(2027, 1, 31)}
    assert date(2026, 11, 26).weekday() == 3
    phrases = {row[1] for row in rows()}
    assert all(sum(row[1] == p for row in rows()) == 3 for p in phrases)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("By Friday", "2026-11-27"),
        ("by December 31", "2026-12-31"),
        ("Dec 31, 2027", "2027-12-31"),
        ("end of Q1", "2027-03-31"),
        ("within two weeks", "2026-12-10"),
        ("in a month", "2026-12-26"),
        ("by the end of the month", "2026-11-30"),
        ("early December", "2026-12-10"),
        ("the day after tomorrow", "2026-11-28"),
        ("  end   of  month ", "2026-11-30"),
    ],
)
def test_more_english_forms(phrase: str, expected: str) -> None:
    """Capitals, "by", "the", spaces and number words are all read."""
    result = parse_deadline(phrase, date(2026, 11, 26))
    assert isinstance(result, Deadline)
    assert result.due is not None
    assert result.due.isoformat() == expected


def test_chinese_phrases_work_with_english_ones_around() -> None:
    """月底前 is read whatever else a group speaks; English in a Chinese group is harmless."""
    today = date(2026, 11, 26)
    assert described(parse_deadline("月底前", today)) == ("date", "2026-11-30", "")
    assert described(parse_deadline("end of month", today)) == ("date", "2026-11-30", "")


@pytest.mark.parametrize(
    ("text", "phrase", "rest"),
    [
        ("Fire exit blocked @li by Friday", "by Friday", "Fire exit blocked @li"),
        ("Fix the ledger within 5 working days", "within 5 working days", "Fix the ledger"),
        ("Update records by end of month please", "by end of month", "Update records please"),
    ],
)
def test_english_phrase_inside_a_sentence(text: str, phrase: str, rest: str) -> None:
    """find_deadline takes an English phrase out of a one-line /problem."""
    found = find_deadline(text, date(2026, 11, 26))
    assert found is not None
    assert isinstance(found.result, Deadline)
    assert found.result.phrase == phrase
    assert found.remainder == rest


@pytest.mark.parametrize("text", ["党员today学习", "Saturdays are busy", "the end is near"])
def test_no_english_phrase_inside_words(text: str) -> None:
    """Only whole words count, and "the end" in a sentence is no truncated deadline."""
    found = find_deadline(text, date(2026, 11, 26))
    assert found is None


def test_problem_with_an_english_deadline() -> None:
    """/problem in English: owners, the deadline and the problem text come apart."""
    draft = read_problem("Fire exit blocked @li by next Friday", (), date(2026, 11, 26))
    assert draft.problem == "Fire exit blocked"
    assert draft.deadline is not None
    assert draft.deadline.due == date(2026, 12, 4)


def test_english_working_days_follow_the_configured_calendar() -> None:
    """English working days skip the configured Spring Festival like 5个工作日内."""
    calendar: HolidayCalendar = read_holiday_lines(["2027-02-06 ~ 2027-02-12 春节 休"])
    english = parse_deadline("within 5 working days", date(2027, 2, 4), calendar=calendar)
    chinese = parse_deadline("5个工作日内", date(2027, 2, 4), calendar=calendar)
    assert isinstance(english, Deadline)
    assert isinstance(chinese, Deadline)
    assert english.due == chinese.due == date(2027, 2, 18)
