"""English deadline phrases, read by saying them in Chinese (README: Deadline language).

``end of month`` is ``月底``, ``by Friday`` ``周五前``, ``next Friday`` ``下周五``,
``within 5 working days`` ``5个工作日内``, ``mid-December`` ``12月中旬``, ``31 Dec``
``12月31日``: every English phrase is translated word for word into the Chinese phrase it means,
and
:mod:`domain.deadline` resolves that.  So the rules are the same by construction: inclusive
("by" is the Chinese 前), the next occurrence of a date without a year (with the same notes
echoed), and the same refusals (``every month`` is a cadence, ``TBD`` a placeholder,
``February 30`` impossible, ``by the end`` truncated, anything else unrecognised).

English is understood in every group, whatever its language: a phrase in one language never
reads as something else in the other, so accepting both costs nothing.  Inside a sentence
(:func:`english_spans`) a phrase must stand as whole words, so ``today`` inside ``todays`` or
between Chinese characters is not taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from domain.vocabulary import cn_numeral

_MONTHS: Final = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_WEEKDAYS: Final = {
    "monday": "一", "mon": "一", "tuesday": "二", "tue": "二", "tues": "二",
    "wednesday": "三", "wed": "三", "thursday": "四", "thu": "四", "thur": "四", "thurs": "四",
    "friday": "五", "fri": "五", "saturday": "六", "sat": "六", "sunday": "日", "sun": "日",
}  # fmt: skip
_NUMBERS: Final = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip

_MONTH: Final = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY: Final = "(?P<weekday>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + ")"
_COUNT: Final = r"(?P<n>\d{1,4}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + ")"
_DAY: Final = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR: Final = r"(?P<year>\d{4})"
_BY: Final = (
    r"(?:(?P<by>by|before|no later than|not later than|until|till|on or before|due(?: by)?)\s+)?"
    r"(?:the\s+)?"
)
_WITHIN: Final = r"(?:within|in|inside|in the next|within the next)\s+"
_THIS: Final = r"(?:(?:this|the|the current)\s+)?"


@dataclass(frozen=True)
class _Rule:
    """An English form and how to say it in Chinese (before the 前 that "by" adds)."""

    pattern: re.Pattern[str]
    say: Callable[[re.Match[str]], str]


def _count(match: re.Match[str]) -> str:
    """The count of a duration, as digits."""
    word = match["n"].lower()
    return str(_NUMBERS[word]) if word in _NUMBERS else word


def _month(match: re.Match[str]) -> int:
    """The month a month name stands for."""
    return _MONTHS[match["month"].lower()]


def _year(match: re.Match[str]) -> str:
    """``2027年`` when a year was written, else nothing."""
    return f"{match['year']}年" if match.groupdict().get("year") else ""


def _weekday(match: re.Match[str]) -> str:
    """The Chinese weekday numeral (一 … 日)."""
    return _WEEKDAYS[match["weekday"].lower()]


_PARTS: Final = {
    "early": "上旬",
    "mid": "中旬",
    "middle of": "中旬",
    "late": "下旬",
    "end of": "底",
}


def _rule(pattern: str, say: Callable[[re.Match[str]], str]) -> _Rule:
    """Compile one form (case-insensitive; the "by" prefix is part of every form)."""
    return _Rule(re.compile(f"{_BY}(?:{pattern})", re.IGNORECASE), say)


def _fixed(words: str) -> Callable[[re.Match[str]], str]:
    """A form that always says the same Chinese words."""

    def say(match: re.Match[str]) -> str:
        return words

    return say


_RULES: Final = (
    _rule(r"tbd|tbc|t\.b\.d\.|n/a|xx+|\?\?+", _fixed("xx")),
    _rule(r"end|the end|end of", _fixed("底")),
    _rule(
        r"(?:every|each)\s+(?:\w+\s+)?(?:day|week|month|quarter|year|monday|tuesday|wednesday"
        r"|thursday|friday|saturday|sunday)|daily|weekly|monthly|quarterly|yearly|annually",
        _fixed("每月"),
    ),
    _rule(r"today|tonight|end of (?:the )?day|eod|close of business|cob", _fixed("今天")),
    _rule(r"tomorrow", _fixed("明天")),
    _rule(r"(?:the )?day after tomorrow", _fixed("后天")),
    _rule(r"immediately|right away|at once|straight away", _fixed("立即")),
    _rule(r"asap|a\.s\.a\.p\.|as soon as possible|soon|promptly", _fixed("尽快")),
    _rule(
        r"ongoing|on-going|long[- ]term|continuous(?:ly)?|permanent(?:ly)?|no end date",
        _fixed("长期"),
    ),
    _rule(rf"next\s+{_WEEKDAY}", lambda m: f"下周{_weekday(m)}"),
    _rule(rf"{_WEEKDAY}\s+next\s+week", lambda m: f"下周{_weekday(m)}"),
    _rule(rf"{_WEEKDAY}\s+(?:after next|the week after next)", lambda m: f"下下周{_weekday(m)}"),
    _rule(rf"(?:this\s+)?{_WEEKDAY}(?:\s+this\s+week)?", lambda m: f"周{_weekday(m)}"),
    _rule(rf"(?:end of\s+)?{_THIS}week|(?:this\s+)?weekend", _fixed("本周")),
    _rule(r"(?:end of\s+)?(?:the\s+)?next week", _fixed("下周")),
    _rule(r"(?:end of\s+)?(?:the\s+)?week after next", _fixed("下下周")),
    _rule(rf"end of\s+{_THIS}month|{_THIS}month[- ]end|this month", _fixed("月底")),
    _rule(r"end of\s+(?:the\s+)?next month|next month(?:[- ]end)?", _fixed("下月底")),
    _rule(rf"(?:mid-?|middle of\s+){_THIS}month", _fixed("本月中旬")),
    _rule(rf"end of\s+{_THIS}quarter|{_THIS}quarter[- ]end|this quarter", _fixed("本季度末")),
    _rule(r"end of\s+(?:the\s+)?next quarter|next quarter", _fixed("下季度末")),
    _rule(
        rf"(?:end of\s+)?q(?P<q>[1-4])(?:\s+{_YEAR})?",
        lambda m: f"{_year(m)}{cn_numeral(int(m['q']))}季度末",
    ),
    _rule(rf"end of\s+{_THIS}year|{_THIS}year[- ]end|this year", _fixed("年底")),
    _rule(r"end of\s+(?:the\s+)?next year|next year", _fixed("明年底")),
    _rule(rf"end of\s+{_YEAR}", lambda m: f"{m['year']}年底"),
    _rule(r"(?:the\s+)?first half of next year|h1 next year", _fixed("明年上半年")),
    _rule(rf"(?:the\s+)?first half(?:\s+of\s+{_THIS}year)?|h1", _fixed("上半年")),
    _rule(rf"(?:the\s+)?second half(?:\s+of\s+{_THIS}year)?|h2", _fixed("下半年")),
    _rule(
        rf"(?:{_WITHIN})?{_COUNT}\s+(?:(?:working|business|work)\s+days?|workdays?)",
        lambda m: f"{_count(m)}个工作日内",
    ),
    _rule(rf"(?:{_WITHIN})?{_COUNT}\s+days?", lambda m: f"{_count(m)}天内"),
    _rule(rf"(?:{_WITHIN})?{_COUNT}\s+weeks?", lambda m: f"{_count(m)}周内"),
    _rule(rf"(?:{_WITHIN})?(?:a\s+)?fortnight", _fixed("2周内")),
    _rule(rf"(?:{_WITHIN})?half\s+a\s+month", _fixed("半个月内")),
    _rule(rf"(?:{_WITHIN})?half\s+a\s+year", _fixed("半年内")),
    _rule(rf"(?:{_WITHIN})?{_COUNT}\s+months?", lambda m: f"{_count(m)}个月内"),
    _rule(rf"{_WITHIN}{_COUNT}\s+years?", lambda m: f"{_count(m)}年内"),
    _rule(
        rf"(?P<part>early|mid|middle of|late|end of)[- ]?{_MONTH}(?:,?\s+{_YEAR})?",
        lambda m: f"{_year(m)}{_month(m)}月{_PARTS[m['part'].lower()]}",
    ),
    _rule(
        rf"{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?",
        lambda m: f"{_year(m)}{_month(m)}月{int(m['day'])}日",
    ),
    _rule(
        rf"{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?",
        lambda m: f"{_year(m)}{_month(m)}月{int(m['day'])}日",
    ),
    _rule(rf"{_MONTH}(?:\s+{_YEAR})?", lambda m: f"{_year(m)}{_month(m)}月"),
)


def _say(rule: _Rule, match: re.Match[str]) -> str:
    """The Chinese phrase of a match, with 前 when "by" was written."""
    return rule.say(match) + ("前" if match["by"] else "")


def _spaced(text: str) -> str:
    """Runs of white space as one space, the ends trimmed."""
    return " ".join(text.split())


def translate(phrase: str) -> str | None:
    """The Chinese phrase an English deadline phrase means, or None when it is not English."""
    text = _spaced(phrase).strip(" .,;:!")
    if not text or not text.isascii():
        return None
    for rule in _RULES:
        match = rule.pattern.fullmatch(text)
        if match is not None:
            return _say(rule, match)
    return None


# Inside a sentence, "the end" or a lone month name is too common to be taken as a deadline.
_NOT_IN_SENTENCES: Final = frozenset({0, 1})


def english_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Every English deadline phrase standing as whole words in ``text``: (start, end, 中文)."""
    for index, rule in enumerate(_RULES):
        if index in _NOT_IN_SENTENCES:
            continue
        scan = re.compile(r"(?<!\w)(?=(" + rule.pattern.pattern + r")(?!\w))", re.IGNORECASE)
        for hit in scan.finditer(text):
            match = rule.pattern.match(text, hit.start(), hit.start() + len(hit.group(1)))
            if match is not None and match.end() > match.start():
                yield match.start(), match.end(), _say(rule, match)
