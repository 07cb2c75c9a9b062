"""Deadline language: errors, assumptions, labels (English)."""

from __future__ import annotations

from typing import Final

_EXAMPLES: Final = (
    "Please give a deadline, e.g. end of month (月底前), by December 31 (12月31日前), "
    "2026-12-31, next Friday (下周五), within 3 working days (3个工作日内), "
    "ongoing (长期坚持)."
)

MESSAGES: Final[dict[str, str]] = {
    "deadline.error.empty": "No deadline was given.\n" + _EXAMPLES,
    "deadline.error.placeholder": (
        'The deadline "{phrase}" contains a placeholder, so no date can be set.\n' + _EXAMPLES
    ),
    "deadline.error.truncated": (
        'The deadline "{phrase}" is incomplete: the month or year is missing '
        '(as in "月底前", "年底前").\n' + _EXAMPLES
    ),
    "deadline.error.recurring": (
        '"{phrase}" is a recurring rule, not a deadline for this item '
        "(put it in the measures).\n" + _EXAMPLES
    ),
    "deadline.error.impossible": (
        'The deadline "{phrase}" is not a real date (months are 1–12, '
        "days no more than the month has).\n" + _EXAMPLES
    ),
    "deadline.error.unrecognised": 'The deadline "{phrase}" was not understood.\n' + _EXAMPLES,
    "deadline.note.next_year": "taken as next year",
    "deadline.note.next_month": "taken as next month",
    "deadline.note.next_week": "taken as next week",
    "deadline.note.workdays_beyond_calendar": (
        "holidays not yet published; working days counted Monday to Friday"
    ),
    "deadline.note.past_year": "the date written has already passed; please check it",
    "deadline.note.soft": "soft deadline",
    "deadline.long_term": "long-term",
    "deadline.soft": "soft deadline",
    "deadline.weekday.0": "Mon",
    "deadline.weekday.1": "Tue",
    "deadline.weekday.2": "Wed",
    "deadline.weekday.3": "Thu",
    "deadline.weekday.4": "Fri",
    "deadline.weekday.5": "Sat",
    "deadline.weekday.6": "Sun",
    "deadline.days_left": "{days}d left",
    "deadline.due_today": "due today",
    "deadline.overdue": "{days}d overdue",
}
