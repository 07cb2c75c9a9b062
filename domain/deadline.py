"""Deadline language (README: Deadline language): 月底前, 下周五前, 3个工作日内 … → a due day.

The domain returns codes (:class:`DeadlineKind`, :class:`NoteCode`, :class:`DeadlineErrorCode`);
the wording lives in the ``deadline`` sections of the message catalogue.

Choices beyond what the README's table says:

* Input is NFKC-normalised first, so full-width digits and punctuation read as ASCII.  A whole
  phrase (``parse_deadline``) also loses its whitespace, a bracketed suffix (``(前)``), surrounding
  punctuation and a leading 截至/截止/于/在/到/最迟 ….
* Suffixes 前/之前/以前/内/以内/之内 and 完成/截止/为止/止 are optional; "…前" is inclusive.
  "前" right after a whole period (``下周前``, ``12月前``, ``年前``, ``一季度前``) is ambiguous
  (before it starts, or by its end?) and is unrecognised; 底/末/内 make it clear.
  Durations take 内 but never 前 (``3天前`` means "three days ago").
* Without a year, a date already past this year is next year's (``NEXT_YEAR``); with a year
  (``2026年``, ``今年``, ``明年``) it is never moved, and a past one carries ``PAST_YEAR``.
  ``2月29日`` goes to next year when this year has none; if next year has none either it is
  ``IMPOSSIBLE``.  A day alone (``5号前``) moves to the next month that has that day.
* ``M月`` / ``M月份`` / ``M月内`` mean the month's last day; ``上旬/中旬/下旬`` the 10th, 20th,
  last day (alone: this month's, or next month's when past).  ``周末`` is Sunday.
* Years are four digits (``2026``, ``二〇二六``); two-digit years are not guessed.
  ``N年内`` is a duration for N ≤ 50.
* ``N日内`` is a duration ("within N days"), ``N日`` / ``N日前`` the N-th of the month.
* An unrecognised phrase containing 每…月/周/季/年/天, 按月 or 定期 is ``RECURRING``; one
  containing a placeholder (x, ×, *, _, 某, ○○, □□, ?) is ``PLACEHOLDER``.

Finding a phrase inside a sentence (``find_deadline``) is more careful, because problem texts
are full of dates and numerals (三会一课, 第一党支部, 5号楼, 不及时, 长期未开展 …):

* a match counts if it carries a suffix (前, 内, 截止 …), or stands on its own: start of text, or
  after a non-letter/digit or 截至/于/在/到 …; and end of text, or before a non-letter/digit or
  完成/整改/落实 ….  ``12.31`` / ``12/31`` and a day alone (``5号``) need a suffix;
  long-term and soft words (长期, 及时) and the truncated ``底前`` must begin on their own.
* A match inside a longer one is dropped (``每月10号前`` is one recurring phrase, not ``10号前``);
  of the rest, a valid deadline beats an error, then the longer match, then the later one.
* 完成/截止/为止 are taken into the phrase only at the end of a clause (``月底前完成`` but not
  ``月底前完成整改``, which leaves ``完成整改`` in the problem text); a leading 截至/于/在 …
  that stands on its own is taken in.
* The remainder also drops a leading bot command (``/problem``, ``/new@bot``).

English phrases (``end of month``, ``by Friday``, ``within 5 working days``, ``31 Dec`` …) are
understood in every group: :mod:`domain.deadline_en` says each in Chinese and the Chinese
grammar resolves it, so both languages follow the same rules and refusals.  Working days follow
the :class:`~domain.workdays.HolidayCalendar` the caller passes (the operator's list over the
package's), the package's alone by default.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import Enum, StrEnum
from typing import Final, TypeAlias

from dateutil.relativedelta import relativedelta

from domain.deadline_en import english_spans, translate
from domain.vocabulary import (
    CN_NUMBER_CHARS,
    CN_YEAR_CHARS,
    PLACEHOLDER,
    PLACEHOLDER_DIGITS,
    read_cn_number,
)
from domain.workdays import PACKAGE_CALENDAR, HolidayCalendar, add_working_days

__all__ = [
    "Deadline",
    "DeadlineError",
    "DeadlineErrorCode",
    "DeadlineKind",
    "DeadlineMatch",
    "NoteCode",
    "add_working_days",
    "find_deadline",
    "parse_deadline",
]


class DeadlineKind(StrEnum):
    """What kind of deadline a phrase names."""

    DATE = "date"
    LONG_TERM = "long_term"
    SOFT = "soft"


class NoteCode(StrEnum):
    """An assumption the bot must say out loud when echoing the date."""

    NEXT_YEAR = "next_year"
    NEXT_MONTH = "next_month"
    NEXT_WEEK = "next_week"
    WORKDAYS_BEYOND_CALENDAR = "workdays_beyond_calendar"
    PAST_YEAR = "past_year"
    SOFT = "soft"


@dataclass(frozen=True)
class Deadline:
    """A resolved deadline: the inclusive due day (none for long-term) and the phrase as typed."""

    kind: DeadlineKind
    due: date | None
    phrase: str
    notes: tuple[NoteCode, ...] = ()


class DeadlineErrorCode(StrEnum):
    """Why a phrase gives no deadline."""

    EMPTY = "empty"
    PLACEHOLDER = "placeholder"
    TRUNCATED = "truncated"
    RECURRING = "recurring"
    IMPOSSIBLE = "impossible"
    UNRECOGNISED = "unrecognised"


@dataclass(frozen=True)
class DeadlineError:
    """A phrase that gives no deadline, and why."""

    code: DeadlineErrorCode
    phrase: str


@dataclass(frozen=True)
class DeadlineMatch:
    """A deadline phrase found in a sentence, its span there, and the sentence without it."""

    result: Deadline | DeadlineError
    start: int
    end: int
    remainder: str


_Result: TypeAlias = Deadline | DeadlineError

# --- the grammar's building blocks -------------------------------------------------------------

_NUMC: Final = CN_NUMBER_CHARS
_YEARC: Final = CN_YEAR_CHARS
_PH: Final = PLACEHOLDER_DIGITS
_CJK: Final = r"[\u3400-\u9fff\uf900-\ufaff]"

_SLOT_START: Final = rf"(?<![A-Za-z0-9_@{_NUMC}{_PH}])"
_TOKENS: Final[Mapping[str, str]] = {
    # A number: Arabic, Chinese, or one with a placeholder in it (reported, never guessed).
    "<N>": _SLOT_START + rf"(?:[0-9]{{1,4}}(?![0-9])|[{_NUMC}]{{1,5}}"
    rf"|(?=[0-9{_NUMC}{_PH}]{{0,4}}[{_PH}])[0-9{_NUMC}{_PH}]{{1,5}})",
    "<Y>": _SLOT_START + rf"(?:[0-9]{{4}}|[{_YEARC}]{{4}}"
    rf"|(?=[0-9{_YEARC}{_PH}]{{0,3}}[{_PH}])[0-9{_YEARC}{_PH}]{{1,4}})",
    "<YP>": r"(?:(?P<y><Y>)年|(?P<ry>今年|本年|明年|次年|来年|后年))",
    "<WK>": r"(?:周|星期|礼拜)",
    "<WD>": rf"[一二三四五六日天末1-7{_PH}]",
    "<NEXT>": r"下下个|下下|下一个|下个|下一|下|这个|这|本|当|次",
}
_BEFORE: Final = ("之前", "以前", "前")
_WITHIN: Final = "以内|之内|内"
_DONE_WHOLE: Final = "完成整改|整改完成|整改完毕|整改到位|完成|整改|截止|为止|止"
# Inside a sentence 完成 … belong to the phrase only at the end of a clause.
_DONE_FIND: Final = rf"(?:完成|截止|为止|止)(?!{_CJK})"


class _Suffix(Enum):
    """Which suffixes a rule takes."""

    POINT = "point"  # 前 or 内, then 完成 …
    SPAN = "span"  # 内 only (3天前 is "three days ago")
    DONE = "done"  # 完成 … only


def _suffix(kind: _Suffix, *, whole: bool) -> str:
    """The suffix group of a rule's pattern."""
    done = f"(?:{_DONE_WHOLE})" if whole else _DONE_FIND
    head = {
        _Suffix.POINT: f"(?:{'|'.join(_BEFORE)}|{_WITHIN})?",
        _Suffix.SPAN: f"(?:{_WITHIN})?",
        _Suffix.DONE: "",
    }[kind]
    return f"(?P<suf>{head}(?:{done})?)"


def _expand(template: str) -> str:
    """Replace the ``<TOKEN>`` building blocks in a rule's pattern (tokens may nest)."""
    previous = ""
    while previous != template:
        previous = template
        for token, pattern in _TOKENS.items():
            template = template.replace(token, pattern)
    return template


# --- numbers and dates -------------------------------------------------------------------------


def _to_int(text: str) -> int | None:
    """An Arabic or Chinese number (years digit by digit: 二〇二六), or None when malformed."""
    if text.isascii() and text.isdigit():
        return int(text)
    return read_cn_number(text, digit_by_digit=True)


def _group(match: re.Match[str], name: str) -> str | None:
    """A named group, or None when the rule has no such group or it did not take part."""
    return match.groupdict().get(name)


def _num(match: re.Match[str], name: str) -> int | None:
    """A named group read as a number."""
    text = _group(match, name)
    return None if text is None else _to_int(text)


def _last_day(year: int, month: int) -> int:
    """Number of days in a month."""
    return calendar.monthrange(year, month)[1]


def _month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, _last_day(year, month))


def _shift_month(day: date, months: int) -> tuple[int, int]:
    """The (year, month) ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _valid_month_day(month: int, day: int) -> bool:
    """Whether the month/day exists in some year (a leap year has them all)."""
    return 1 <= month <= 12 and 1 <= day <= _last_day(2000, month)


def _part_day(year: int, month: int, part: str | None) -> int:
    """The day a month part stands for: 上旬 10, 中旬 20, otherwise the last day."""
    return {"上旬": 10, "中旬": 20}.get(part or "", _last_day(year, month))


def _date(due: date, notes: tuple[NoteCode, ...] = ()) -> Deadline:
    """A dated deadline (the phrase is filled in by the caller)."""
    return Deadline(DeadlineKind.DATE, due, "", notes)


def _error(code: DeadlineErrorCode) -> DeadlineError:
    """An error (the phrase is filled in by the caller)."""
    return DeadlineError(code, "")


_YEAR_OFFSET: Final[Mapping[str, int]] = {
    "今年": 0,
    "本年": 0,
    "明年": 1,
    "次年": 1,
    "来年": 1,
    "后年": 2,
}

_YEAR_REL: Final[Mapping[str, int]] = {
    "今": 0,
    "本": 0,
    "当": 0,
    "明": 1,
    "次": 1,
    "来": 1,
    "后": 2,
}


def _explicit_year(match: re.Match[str], today: date) -> int | None:
    """The year written in the phrase (2026年, 明年 …), or None."""
    digits = _group(match, "y")
    if digits is not None:
        return _to_int(digits)
    word = _group(match, "ry")
    return None if word is None else today.year + _YEAR_OFFSET[word]


def _try(build: Callable[[int], date], year: int) -> date | None:
    """``build(year)``, or None when that year has no such day."""
    try:
        return build(year)
    except ValueError:
        return None


def _on_or_after(today: date, year: int | None, build: Callable[[int], date]) -> Deadline:
    """The day in the written year, or this year's, or next year's when this year's is past."""
    if year is not None:
        due = build(year)
        return _date(due, (NoteCode.PAST_YEAR,) if due < today else ())
    this_year = _try(build, today.year)
    if this_year is not None and this_year >= today:
        return _date(this_year)
    return _date(build(today.year + 1), (NoteCode.NEXT_YEAR,))


def _says_before(match: re.Match[str]) -> bool:
    """Whether the suffix starts with 前 (ambiguous after a whole period)."""
    return (_group(match, "suf") or "").startswith(_BEFORE)


def _monday(today: date) -> date:
    """Monday of the week containing ``today``."""
    return today - timedelta(days=today.weekday())


# --- rule handlers: a match → a result, or None when the match is not a deadline after all -----


@dataclass(frozen=True)
class _Context:
    """What every handler needs besides the match."""

    today: date
    soft_days: int
    calendar: HolidayCalendar = PACKAGE_CALENDAR


_Handler: TypeAlias = Callable[[re.Match[str], _Context], _Result | None]


def _h_iso(match: re.Match[str], ctx: _Context) -> _Result | None:
    """2026-12-31, 2026/12/31, 2026.12.31."""
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if not _valid_month_day(month, day):
        return _error(DeadlineErrorCode.IMPOSSIBLE)
    return _on_or_after(ctx.today, year, lambda y: date(y, month, day))


def _h_month_day(match: re.Match[str], ctx: _Context) -> _Result | None:
    """(2026年)12月31日, 12.31, 12/31."""
    month, day = _num(match, "m"), _num(match, "d")
    year = _explicit_year(match, ctx.today)
    if month is None or day is None or (_group(match, "y") is not None and year is None):
        return None
    if not _valid_month_day(month, day):
        return _error(DeadlineErrorCode.IMPOSSIBLE)
    return _on_or_after(ctx.today, year, lambda y: date(y, month, day))


def _h_month(match: re.Match[str], ctx: _Context) -> _Result | None:
    """(2026年)12月, 12月底, 12月上旬/中旬/下旬."""
    month, part = _num(match, "m"), _group(match, "part")
    year = _explicit_year(match, ctx.today)
    if month is None or (_group(match, "y") is not None and year is None):
        return None
    if part is None and _says_before(match):
        return None
    if not 1 <= month <= 12:
        return _error(DeadlineErrorCode.IMPOSSIBLE)
    return _on_or_after(ctx.today, year, lambda y: date(y, month, _part_day(y, month, part)))


_NEXT_MONTH_WORDS: Final = ("下月", "下个月", "次月")


def _h_day(match: re.Match[str], ctx: _Context) -> _Result | None:
    """5号前, 本月5日, 下月5号: this month's day, or the next month that has it."""
    day = _num(match, "d")
    suffix = _group(match, "suf") or ""
    if day is None or suffix.startswith(("内", "以内", "之内")):
        return None
    if not 1 <= day <= 31:
        return _error(DeadlineErrorCode.IMPOSSIBLE)
    if _group(match, "pre") in _NEXT_MONTH_WORDS:
        return _date(date(*_shift_month(ctx.today, 1), day))
    # Every day up to 31 occurs in at least one of three consecutive months.
    for ahead in range(3):
        year, month = _shift_month(ctx.today, ahead)
        if day <= _last_day(year, month) and date(year, month, day) >= ctx.today:
            return _date(date(year, month, day), (NoteCode.NEXT_MONTH,) if ahead else ())
    return _error(DeadlineErrorCode.IMPOSSIBLE)


def _h_days(match: re.Match[str], ctx: _Context) -> _Result | None:
    """3天内, 三日内."""
    count = _num(match, "n")
    return None if count is None else _date(ctx.today + timedelta(days=count))


def _h_weeks(match: re.Match[str], ctx: _Context) -> _Result | None:
    """一周内, 两个星期内."""
    count = _num(match, "n")
    return None if count is None else _date(ctx.today + timedelta(weeks=count))


def _months_later(ctx: _Context, months: int, days: int = 0) -> Deadline:
    """Today plus whole months (clamped to the month's end) and days."""
    return _date(ctx.today + relativedelta(months=months, days=days))


def _h_half_month(match: re.Match[str], ctx: _Context) -> _Result | None:
    """半个月内 (+15 days), 一个半月内."""
    count = _num(match, "n") if _group(match, "n") is not None else 0
    return None if count is None else _months_later(ctx, count, 15)


def _h_months(match: re.Match[str], ctx: _Context) -> _Result | None:
    """一个月内, 3个月内."""
    count = _num(match, "n")
    return None if count is None else _months_later(ctx, count)


def _h_quarters(match: re.Match[str], ctx: _Context) -> _Result | None:
    """一个季度内."""
    count = _num(match, "n")
    return None if count is None else _months_later(ctx, 3 * count)


def _h_half_year(match: re.Match[str], ctx: _Context) -> _Result | None:
    """半年内, 一年半内."""
    count = _num(match, "n") if _group(match, "n") is not None else 0
    return None if count is None else _months_later(ctx, 12 * count + 6)


_MAX_YEARS: Final = 50


def _h_years(match: re.Match[str], ctx: _Context) -> _Result | None:
    """三年内 (a bare 三年 is too vague, and 2026年内 is a year)."""
    count = _num(match, "n")
    within = (_group(match, "suf") or "").startswith(("内", "以内", "之内"))
    if count is None or count > _MAX_YEARS or not within:
        return None
    return _months_later(ctx, 12 * count)


def _h_workdays(match: re.Match[str], ctx: _Context) -> _Result | None:
    """5个工作日内: PRC working days, Monday–Friday beyond the known holiday calendar."""
    count = _num(match, "n")
    if count is None:
        return None
    due, beyond = ctx.calendar.add_working_days(ctx.today, count)
    return _date(due, (NoteCode.WORKDAYS_BEYOND_CALENDAR,) if beyond else ())


def _h_year(match: re.Match[str], ctx: _Context) -> _Result | None:
    """年底, 年内, 今年, 本年度, 明年底, 2026年底."""
    part, relative = _group(match, "part"), _group(match, "rel")
    digits = _group(match, "y")
    if digits is None and relative is None and part is None and not _group(match, "suf"):
        return None
    if part is None and _says_before(match):
        return None
    if digits is None:
        return _date(date(ctx.today.year + _YEAR_REL[relative or "今"], 12, 31))
    year = _to_int(digits)
    if year is None:
        return None
    due = date(year, 12, 31)
    return _date(due, (NoteCode.PAST_YEAR,) if due < ctx.today else ())


def _h_quarter(match: re.Match[str], ctx: _Context) -> _Result | None:
    """本季度(末), 季度末, 下季度, 一季度末 … 四季度末, 2027年二季度."""
    word, part = _group(match, "pre"), _group(match, "part")
    written = _group(match, "q")
    if word is None and written is None and part is None and not _group(match, "suf"):
        return None
    if part is None and _says_before(match):
        return None
    year = _explicit_year(match, ctx.today)
    if written is not None:
        quarter = _to_int(written)
        if quarter is None:
            return None
        if not 1 <= quarter <= 4:
            return _error(DeadlineErrorCode.IMPOSSIBLE)
        return _on_or_after(ctx.today, year, lambda y: _month_end(y, 3 * quarter))
    if _group(match, "y") is not None or _group(match, "ry") is not None:
        return None
    current = (ctx.today.month - 1) // 3
    index = current + _offset(word)
    return _date(_month_end(ctx.today.year + index // 4, index % 4 * 3 + 3))


def _h_half(match: re.Match[str], ctx: _Context) -> _Result | None:
    """上半年 (next 06-30), 下半年 (12-31), 明年上半年."""
    if _group(match, "part") is None and _says_before(match):
        return None
    month = 6 if match["h"] == "上" else 12
    year = _explicit_year(match, ctx.today)
    if _group(match, "y") is not None and year is None:
        return None
    return _on_or_after(ctx.today, year, lambda y: _month_end(y, month))


def _offset(word: str | None) -> int:
    """How many weeks/months/quarters ahead 本/下/下下 … points."""
    if word is None or word[0] not in "下次":
        return 0
    return 2 if word.startswith("下下") else 1


_WEEKDAY: Final[Mapping[str, int]] = {
    **{char: index for index, char in enumerate("一二三四五六")},
    **{str(index + 1): index for index in range(7)},
    "日": 6,
    "天": 6,
    "末": 6,
}


def _h_weekday(match: re.Match[str], ctx: _Context) -> _Result | None:
    """周五, 本周五, 星期三, 下周五, 下下周五, 周末: weeks start on Monday."""
    due = _monday(ctx.today) + timedelta(weeks=_offset(_group(match, "pre")))
    due += timedelta(days=_WEEKDAY[match["wd"]])
    if due < ctx.today:
        return _date(due + timedelta(weeks=1), (NoteCode.NEXT_WEEK,))
    return _date(due)


def _h_week(match: re.Match[str], ctx: _Context) -> _Result | None:
    """本周(内), 这周, 下周(内), 下下周: that week's Sunday."""
    if _says_before(match):
        return None
    weeks = _offset(_group(match, "pre"))
    return _date(_monday(ctx.today) + timedelta(weeks=weeks, days=6))


def _h_month_relative(match: re.Match[str], ctx: _Context) -> _Result | None:
    """月底, 本月底, 月末, 月内, 下月底, 下个月, 本月中旬, 下旬."""
    word, part = _group(match, "pre"), _group(match, "part")
    if word is None and part is None and not _group(match, "suf"):
        return None
    if part is None and _says_before(match):
        return None
    year, month = _shift_month(ctx.today, _offset(word))
    due = date(year, month, _part_day(year, month, part))
    if due >= ctx.today:
        return _date(due)
    year, month = _shift_month(ctx.today, 1)
    return _date(date(year, month, _part_day(year, month, part)), (NoteCode.NEXT_MONTH,))


_DAYS_FROM_TODAY: Final[Mapping[str, int]] = {
    "大后天": 3,
    "后天": 2,
    "明天": 1,
    "明日": 1,
    "次日": 1,
}


def _h_relative(match: re.Match[str], ctx: _Context) -> _Result | None:
    """今天, 立即, 立行立改, 马上, 明天, 后天."""
    return _date(ctx.today + timedelta(days=_DAYS_FROM_TODAY.get(match["w"], 0)))


def _h_long_term(match: re.Match[str], ctx: _Context) -> _Result | None:
    """长期坚持, 常态化, 持续整改, 建立长效机制: no date."""
    return Deadline(DeadlineKind.LONG_TERM, None, "")


def _h_soft(match: re.Match[str], ctx: _Context) -> _Result | None:
    """尽快, 尽早, 抓紧, 及时: today plus the group's soft deadline days."""
    due = ctx.today + timedelta(days=ctx.soft_days)
    return Deadline(DeadlineKind.SOFT, due, "", (NoteCode.SOFT,))


def _fixed(code: DeadlineErrorCode) -> _Handler:
    """A handler that always reports ``code``."""

    def handler(match: re.Match[str], ctx: _Context) -> _Result | None:
        return _error(code)

    return handler


# --- rules -------------------------------------------------------------------------------------


class _Strength(Enum):
    """When a match inside a sentence counts (whole phrases are always taken)."""

    NORMAL = "normal"  # with a suffix, or standing on its own
    SUFFIXED = "suffixed"  # only with a suffix: 12.31前, 5号前
    ISOLATED = "isolated"  # only starting on its own: 长期, 及时, 底前
    WHOLE = "whole"  # never inside a sentence: a lone placeholder such as xx


@dataclass(frozen=True)
class _Rule:
    """One form of the grammar."""

    whole: re.Pattern[str]
    inner: re.Pattern[str]
    scan: re.Pattern[str]
    handler: _Handler
    strength: _Strength
    placeholders: bool


def _rule(
    template: str,
    handler: _Handler,
    suffix: _Suffix = _Suffix.POINT,
    strength: _Strength = _Strength.NORMAL,
    *,
    placeholders: bool = True,
) -> _Rule:
    """Compile one grammar form for whole phrases and for searching sentences."""
    body = _expand(template)
    inner = body + _suffix(suffix, whole=False)
    return _Rule(
        whole=re.compile(body + _suffix(suffix, whole=True)),
        inner=re.compile(inner),
        # A zero-width look-ahead finds every start position, overlapping ones included.
        scan=re.compile(f"(?=(?:{inner}))"),
        handler=handler,
        strength=strength,
        placeholders=placeholders,
    )


_LONG_TERM: Final = (
    "长期坚持|长期整改|长期推进|长期|常态化推进|常态化整改|常态化|常态长效|持续整改|持续推进"
    "|持续|建立健全长效机制|建立长效机制|长效机制|长效常治|长效"
)
_RULES: Final = (
    _rule(
        r"(?<![0-9])(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})(?![0-9])",
        _h_iso,
    ),
    _rule(r"<YP>?(?P<m><N>)月(?P<d><N>)(?:日|号)?", _h_month_day),
    _rule(r"<YP>?(?P<m><N>)月份?(?P<part>底|末|上旬|中旬|下旬)?", _h_month),
    _rule(
        r"(?P<pre>本月|当月|这个月|下个月|下月|次月)?(?P<d><N>)(?:日|号)",
        _h_day,
        strength=_Strength.SUFFIXED,
    ),
    _rule(
        r"(?<![0-9./-])(?P<m>[0-9]{1,2})[-./](?P<d>[0-9]{1,2})(?![0-9./-])",
        _h_month_day,
        strength=_Strength.SUFFIXED,
    ),
    _rule(r"(?P<n><N>)个?(?:天|日|自然日)", _h_days, _Suffix.SPAN),
    _rule(r"(?P<n><N>)个?(?:周|星期|礼拜)", _h_weeks, _Suffix.SPAN),
    _rule(r"(?:(?P<n><N>)个半月|半个?月)", _h_half_month, _Suffix.SPAN),
    _rule(r"(?P<n><N>)个月", _h_months, _Suffix.SPAN),
    _rule(r"(?P<n><N>)个季度", _h_quarters, _Suffix.SPAN),
    _rule(r"(?:(?P<n><N>)年半|半年)", _h_half_year, _Suffix.SPAN),
    _rule(r"(?P<n><N>)年", _h_years, _Suffix.SPAN),
    _rule(r"(?P<n><N>)个?工作日", _h_workdays, _Suffix.SPAN),
    _rule(
        r"(?:(?P<y><Y>)|(?P<rel>今|本|当|明|次|来|后))?年度?(?P<part>年底|年末|底|末|终)?",
        _h_year,
    ),
    _rule(
        r"<YP>?(?:(?P<pre>本|这个|这|当|下个|下一个|下一|下|次)|第?(?P<q><N>))?(?:季度|季)"
        r"(?P<part>末|底)?",
        _h_quarter,
    ),
    _rule(r"<YP>?(?P<h>上|下)半年度?(?P<part>末|底)?", _h_half),
    _rule(r"(?P<pre><NEXT>)?<WK>(?P<wd><WD>)", _h_weekday),
    _rule(r"(?P<pre><NEXT>)<WK>", _h_week),
    _rule(r"(?P<pre><NEXT>)?月份?(?P<part>底|末|上旬|中旬|下旬)?", _h_month_relative),
    _rule(r"(?P<part>上旬|中旬|下旬)", _h_month_relative, strength=_Strength.ISOLATED),
    _rule(
        r"(?P<w>大后天|后天|明天|明日|次日|今天|今日|当天|当日|本日|立即|立刻|即刻|马上"
        r"|立行立改|即知即改|即查即改|立查立改)",
        _h_relative,
    ),
    _rule(
        rf"(?:{_LONG_TERM})(?:[、,/和及与]?(?:{_LONG_TERM}))*",
        _h_long_term,
        _Suffix.DONE,
        _Strength.ISOLATED,
    ),
    _rule(r"(?:尽快|尽早|尽速|抓紧|及时|从速)", _h_soft, _Suffix.DONE, _Strength.ISOLATED),
    _rule(
        r"每(?:<N>)?个?(?:月|周|星期|礼拜|季度|季|年|半年|旬)的?"
        r"(?:(?P<m><N>)月(?P<d><N>)(?:日|号)?|(?P<d2><N>)(?:日|号)|<WD>|底|末|上旬|中旬|下旬)",
        _fixed(DeadlineErrorCode.RECURRING),
        placeholders=False,
    ),
    _rule(r"(?:底|末)", _fixed(DeadlineErrorCode.TRUNCATED), strength=_Strength.ISOLATED),
    _rule(
        rf"[{_PH}]+",
        _fixed(DeadlineErrorCode.PLACEHOLDER),
        strength=_Strength.WHOLE,
        placeholders=False,
    ),
)

_PLACEHOLDER_IN_MATCH: Final = re.compile(f"[{_PH}]")
_RECURRING_ANYWHERE: Final = re.compile(
    _expand(
        r"每(?:<N>)?个?(?:月|周|星期|礼拜|季|年|天|日|旬|工作日|半年|半月)|按(?:月|周|季|年)|定期"
    )
)


def _apply(rule: _Rule, match: re.Match[str], ctx: _Context) -> _Result | None:
    """Run a rule's handler; placeholders and days out of range become errors."""
    if rule.placeholders and _PLACEHOLDER_IN_MATCH.search(match.group(0)):
        return _error(DeadlineErrorCode.PLACEHOLDER)
    try:
        return rule.handler(match, ctx)
    except (ValueError, OverflowError):
        # date() refuses the day (2月30日, a 2月29日 without a leap year, or beyond year 9999).
        return _error(DeadlineErrorCode.IMPOSSIBLE)


# --- whole phrases -----------------------------------------------------------------------------

_EDGE_PUNCTUATION: Final = "。.,，;；:：!！?？、\"'“”‘’「」『』【】()[]〔〕<>《》"
_BRACKETED_SUFFIX: Final = re.compile(r"\((之前|以前|前|以内|之内|内)\)")
_LEAD_WORDS: Final = (
    "截止到",
    "截至",
    "截止",
    "最迟",
    "最晚",
    "务必",
    "力争",
    "争取",
    "要求",
    "须",
    "需",
    "限",
    "于",
    "在",
    "到",
)


def _clean_phrase(text: str) -> str:
    """A whole phrase without whitespace, invisible marks, wrapping punctuation or lead words."""
    cleaned = "".join(
        char
        for char in unicodedata.normalize("NFKC", text)
        if not char.isspace() and unicodedata.category(char) != "Cf"
    )
    cleaned = _BRACKETED_SUFFIX.sub(r"\1", cleaned).strip(_EDGE_PUNCTUATION)
    for word in _LEAD_WORDS:
        if cleaned.startswith(word) and len(cleaned) > len(word):
            return cleaned[len(word) :]
    return cleaned


def _parse_clean(cleaned: str, ctx: _Context) -> _Result:
    """The result for a cleaned, non-empty whole phrase (phrase not yet filled in)."""
    for rule in _RULES:
        match = rule.whole.fullmatch(cleaned)
        if match is not None:
            result = _apply(rule, match, ctx)
            if result is not None:
                return result
    if _RECURRING_ANYWHERE.search(cleaned):
        return _error(DeadlineErrorCode.RECURRING)
    if PLACEHOLDER.search(cleaned):
        return _error(DeadlineErrorCode.PLACEHOLDER)
    return _error(DeadlineErrorCode.UNRECOGNISED)


_MONTH_DAY: Final = re.compile(r"^(?P<m>[0-9]{1,2})[-./](?P<d>[0-9]{1,2})(?:前|之前|以前)?$")


def is_month_day(text: str) -> bool:
    """True for ``12-31`` (or 12.31, 12/31): a month and a day, not a range of item numbers."""
    match = _MONTH_DAY.match(unicodedata.normalize("NFKC", text.strip()))
    return match is not None and 1 <= int(match["m"]) <= 12 and 1 <= int(match["d"]) <= 31


def parse_deadline(
    text: str,
    today: date,
    *,
    soft_days: int = 7,
    calendar: HolidayCalendar = PACKAGE_CALENDAR,
) -> Deadline | DeadlineError:
    """Parse a whole deadline phrase (Chinese or English). Never raises on any str input."""
    phrase = text.strip()
    normal = unicodedata.normalize("NFKC", text)
    if not normal.strip():
        return DeadlineError(DeadlineErrorCode.EMPTY, phrase)
    ctx = _Context(today, soft_days, calendar)
    english = translate(normal)
    if english is not None:
        return replace(_parse_clean(english, ctx), phrase=phrase)
    cleaned = _clean_phrase(text)
    if not cleaned:
        return DeadlineError(DeadlineErrorCode.UNRECOGNISED, phrase)
    return replace(_parse_clean(cleaned, ctx), phrase=phrase)


# --- phrases inside a sentence -----------------------------------------------------------------


@dataclass(frozen=True)
class _Normalised:
    """NFKC text with, for every character, the span of the original it came from."""

    text: str
    origin: tuple[tuple[int, int], ...]


def _starter_chunks(text: str) -> Iterator[tuple[int, int]]:
    """Spans of a character and the combining marks that follow it."""
    start = 0
    for index in range(1, len(text)):
        if unicodedata.combining(text[index]) == 0:
            yield start, index
            start = index
    if text:
        yield start, len(text)


def _nfkc(text: str) -> str:
    """NFKC normal form."""
    return unicodedata.normalize("NFKC", text)


def _normalise(text: str) -> _Normalised:
    """Normalise piecewise so that every normalised character maps back to the original."""
    pieces: list[tuple[int, int]] = []
    for start, end in _starter_chunks(text):
        if pieces:
            head, cut = pieces[-1]
            # Some starters compose with the next one (Hangul jamo): keep those together.
            if _nfkc(text[head:end]) != _nfkc(text[head:cut]) + _nfkc(text[start:end]):
                pieces[-1] = (head, end)
                continue
        pieces.append((start, end))
    whole = _nfkc(text)
    if "".join(_nfkc(text[s:e]) for s, e in pieces) != whole:
        pieces = [(0, len(text))]
    origin = tuple(span for span in pieces for _ in _nfkc(text[span[0] : span[1]]))
    return _Normalised(whole, origin)


_RIGHT_WORDS: Final = ("完成", "整改", "办结", "落实", "解决", "到位", "销号")


def _free_left(text: str, index: int) -> bool:
    """Whether a phrase may start here: at the start, or after a non-letter/digit."""
    return index == 0 or not text[index - 1].isalnum()


def _anchored_left(text: str, index: int) -> bool:
    """Free on the left, or right after 截至/于/在 …."""
    return _free_left(text, index) or text[:index].endswith(_LEAD_WORDS)


def _anchored_right(text: str, index: int) -> bool:
    """Whether a phrase may end here: at the end, before a non-letter/digit, or before 完成 …."""
    return index == len(text) or not text[index].isalnum() or text.startswith(_RIGHT_WORDS, index)


def _counts(rule: _Rule, text: str, match: re.Match[str]) -> bool:
    """Whether a match inside a sentence is taken as a deadline phrase."""
    suffixed = bool(_group(match, "suf"))
    if rule.strength is _Strength.SUFFIXED:
        return suffixed
    if rule.strength is _Strength.ISOLATED:
        return _anchored_left(text, match.start()) and (
            suffixed or _anchored_right(text, match.end())
        )
    return suffixed or (_anchored_left(text, match.start()) and _anchored_right(text, match.end()))


@dataclass(frozen=True)
class _Candidate:
    """A match inside the normalised sentence and its result."""

    start: int
    end: int
    result: _Result
    order: int

    def contains(self, other: _Candidate) -> bool:
        """Whether ``other`` lies inside this one and should give way to it."""
        if (self.start, self.end) == (other.start, other.end):
            return self.rank_at_same_span() < other.rank_at_same_span()
        return self.start <= other.start and other.end <= self.end

    def rank_at_same_span(self) -> tuple[bool, int]:
        """Lower is better: a valid deadline, then the earlier rule."""
        return isinstance(self.result, DeadlineError), self.order


_LATIN: Final = re.compile("[A-Za-z]{2}")


def _english_candidates(text: str, ctx: _Context) -> list[_Candidate]:
    """English phrases standing as whole words, resolved as the Chinese they say."""
    order = len(_RULES)
    return [
        _Candidate(start, end, _parse_clean(chinese, ctx), order)
        for start, end, chinese in english_spans(text)
    ]


def _candidates(text: str, ctx: _Context) -> list[_Candidate]:
    """Every match of every rule that counts inside ``text`` (English phrases too)."""
    found = _english_candidates(text, ctx) if _LATIN.search(text) else []
    for order, rule in enumerate(_RULES):
        if rule.strength is _Strength.WHOLE:
            continue
        for hit in rule.scan.finditer(text):
            match = rule.inner.match(text, hit.start())
            if match is None or match.end() == match.start() or not _counts(rule, text, match):
                continue
            result = _apply(rule, match, ctx)
            if result is not None:
                found.append(_Candidate(match.start(), match.end(), result, order))
    return found


def _best(candidates: list[_Candidate]) -> _Candidate | None:
    """Drop matches inside longer ones; prefer a valid deadline, then length, then lateness."""
    outer = [c for c in candidates if not any(o.contains(c) for o in candidates if o is not c)]
    if not outer:
        return None
    return max(
        outer, key=lambda c: (isinstance(c.result, Deadline), c.end - c.start, c.start, -c.order)
    )


def _take_lead_word(text: str, start: int) -> int:
    """Move the start back over a 截至/于/在 … that stands on its own."""
    for word in _LEAD_WORDS:
        begin = start - len(word)
        if text[:start].endswith(word) and _free_left(text, begin):
            return begin
    return start


_COMMAND: Final = re.compile(r"^/[A-Za-z]\w*(?:@\w+)?(?=\s|$)")
_SEPARATORS: Final = ",，;；、:："


def _remainder(text: str, start: int, end: int) -> str:
    """The sentence without the phrase (and a leading bot command), whitespace collapsed."""
    rest = " ".join(f"{text[:start]} {text[end:]}".split())
    rest = _COMMAND.sub("", rest)
    return " ".join(rest.split()).strip(_SEPARATORS + " ")


def find_deadline(
    text: str,
    today: date,
    *,
    soft_days: int = 7,
    calendar: HolidayCalendar = PACKAGE_CALENDAR,
) -> DeadlineMatch | None:
    """Find a deadline phrase embedded in a sentence (e.g. '消防通道堵塞 @li 下周五前整改完毕')."""
    norm = _normalise(text)
    best = _best(_candidates(norm.text, _Context(today, soft_days, calendar)))
    if best is None:
        return None
    start = norm.origin[_take_lead_word(norm.text, best.start)][0]
    end = norm.origin[best.end - 1][1]
    result = replace(best.result, phrase=text[start:end].strip())
    return DeadlineMatch(result, start, end, _remainder(text, start, end))
