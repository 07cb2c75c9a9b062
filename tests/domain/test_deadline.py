from __future__ import annotations

import string
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.deadline import (
    Deadline,
    DeadlineError,
    DeadlineErrorCode,
    DeadlineKind,
    DeadlineMatch,
    NoteCode,
    find_deadline,
    parse_deadline,
)
from i18n import t
from i18n.en.deadline import MESSAGES as EN
from i18n.zh.deadline import MESSAGES as ZH

THU = date(2026, 11, 26)  # the reference day of deadlines.tsv, a Thursday
_IN_REPO = Path(__file__).parents[1] / "data/deadlines.tsv"
_SHARED = Path(__file__).parents[3] / "shared/data/deadlines.tsv"


def _tsv_rows() -> list[tuple[date, str, str, str]]:
    """The rows of deadlines.tsv: the in-repo copy, or shared/data when the copy is missing."""
    path = _IN_REPO if _IN_REPO.exists() else _SHARED
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        reference, phrase, kind, due, *_ = [*line.split("\t"), ""]
        rows.append((date.fromisoformat(reference), phrase, kind, due))
    return rows


def describe(result: Deadline | DeadlineError) -> str:
    """A compact text form: '2026-12-31 next_year', 'long_term', 'soft 2026-12-03', 'error:x'."""
    if isinstance(result, DeadlineError):
        return f"error:{result.code.value}"
    if result.kind is DeadlineKind.LONG_TERM:
        return "long_term"
    notes = "".join(f" {note.value}" for note in result.notes if note is not NoteCode.SOFT)
    prefix = "soft " if result.kind is DeadlineKind.SOFT else ""
    return f"{prefix}{result.due}{notes}"


def parsed(phrase: str, today: date = THU, soft_days: int = 7) -> str:
    """Parse a whole phrase and describe the result."""
    return describe(parse_deadline(phrase, today, soft_days=soft_days))


# --- the shared examples -----------------------------------------------------------------------


@pytest.mark.parametrize(("today", "phrase", "kind", "due"), _tsv_rows(), ids=lambda v: str(v))
def test_tsv_row(today: date, phrase: str, kind: str, due: str) -> None:
    """Every phrase in deadlines.tsv resolves to its kind and due day."""
    result = parse_deadline(phrase, today)
    if kind == "error":
        assert isinstance(result, DeadlineError)
        return
    assert isinstance(result, Deadline)
    assert result.kind.value == kind
    assert (result.due.isoformat() if result.due else "") == due
    assert result.phrase == phrase


def test_tsv_copy_present() -> None:
    """The in-repo copy of deadlines.tsv exists, so the tests are self-contained."""
    assert _IN_REPO.exists()
    assert len(_tsv_rows()) >= 50


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("**月底前", "error:placeholder"),
        ("20xx年", "error:placeholder"),
        ("底前", "error:truncated"),
        ("每月28日前", "error:recurring"),
        ("13月40日", "error:impossible"),
        ("下个世纪", "error:unrecognised"),
        ("9月15日前", "2027-09-15 next_year"),
        ("8月底前", "2027-08-31 next_year"),
        ("5号前", "2026-12-05 next_month"),
        ("星期三", "2026-12-02 next_week"),
        ("上半年", "2027-06-30 next_year"),
        ("尽快", "soft 2026-12-03"),
    ],
)
def test_tsv_errors_and_notes(phrase: str, expected: str) -> None:
    """The tsv's error rows give the right code and its assumed dates carry the right note."""
    assert parsed(phrase) == expected


# --- whole phrases -----------------------------------------------------------------------------

ABSOLUTE = [
    ("2027-1-5", "2027-01-05"),
    ("2027.01.05", "2027-01-05"),
    ("2027年1月5号", "2027-01-05"),
    ("二〇二七年一月五日", "2027-01-05"),
    ("2027年1月5日前", "2027-01-05"),
    ("２０２７－０１－０５", "2027-01-05"),
    ("１２／３１", "2026-12-31"),
    ("12月31", "2026-12-31"),
    ("十二月底", "2026-12-31"),
    ("十月一日", "2027-10-01 next_year"),
    ("11月26日", "2026-11-26"),
    ("11月25日", "2027-11-25 next_year"),
    ("1.15", "2027-01-15 next_year"),
    ("二十号前", "2026-12-20 next_month"),
    ("三十一号前", "2026-12-31 next_month"),
    ("26号", "2026-11-26"),
    ("本月30日", "2026-11-30"),
    ("下月5号", "2026-12-05"),
    ("下个月十五日前", "2026-12-15"),
    ("2019年12月", "2019-12-31 past_year"),
    ("2019年12月31日", "2019-12-31 past_year"),
    ("2026-11-01", "2026-11-01 past_year"),
    ("今年3月底", "2026-03-31 past_year"),
    ("明年3月底", "2027-03-31"),
    ("2026年12月底", "2026-12-31"),
    ("2027年6月底前", "2027-06-30"),
    ("12月底前", "2026-12-31"),
    ("12月份", "2026-12-31"),
    ("12月内", "2026-12-31"),
    ("11月下旬", "2026-11-30"),
    ("11月中旬", "2027-11-20 next_year"),
    ("2027年1月上旬", "2027-01-10"),
]


@pytest.mark.parametrize(("phrase", "expected"), ABSOLUTE)
def test_absolute_dates(phrase: str, expected: str) -> None:
    """Absolute dates in every notation, Chinese numerals and full width, roll past dates on."""
    assert parsed(phrase) == expected


SUFFIXES = [
    ("12月31日之前", "2026-12-31"),
    ("12月31日以前", "2026-12-31"),
    ("12月31日截止", "2026-12-31"),
    ("12月31日为止", "2026-12-31"),
    ("12月31日止", "2026-12-31"),
    ("12月31日完成", "2026-12-31"),
    ("12月31日前完成", "2026-12-31"),
    ("12月31日前完成整改", "2026-12-31"),
    ("12月31日(前)", "2026-12-31"),
    ("12月31日（前）", "2026-12-31"),
    ("截至12月31日", "2026-12-31"),
    ("截止到12月31日", "2026-12-31"),
    ("于月底前", "2026-11-30"),
    ("月底前。", "2026-11-30"),
    (" 下 周 五 前 ", "2026-12-04"),
    ("月底\u200b前", "2026-11-30"),
    ("3天以内", "2026-11-29"),
    ("3天之内", "2026-11-29"),
    ("3天", "2026-11-29"),
    ("本周内完成", "2026-11-29"),
    ("年内完成", "2026-12-31"),
    ("尽快完成", "soft 2026-12-03"),
]


@pytest.mark.parametrize(("phrase", "expected"), SUFFIXES)
def test_suffixes_and_wrapping(phrase: str, expected: str) -> None:
    """Every suffix, bracketed 前, lead words, whitespace and punctuation are accepted."""
    assert parsed(phrase) == expected


MONTHS_YEARS_QUARTERS = [
    ("本月末", "2026-11-30"),
    ("当月底", "2026-11-30"),
    ("月内", "2026-11-30"),
    ("本月", "2026-11-30"),
    ("下个月底", "2026-12-31"),
    ("下月末", "2026-12-31"),
    ("下个月", "2026-12-31"),
    ("下下个月底", "2027-01-31"),
    ("本月中旬", "2026-12-20 next_month"),
    ("下月上旬", "2026-12-10"),
    ("下旬", "2026-11-30"),
    ("年底", "2026-12-31"),
    ("年末", "2026-12-31"),
    ("今年内", "2026-12-31"),
    ("本年度", "2026-12-31"),
    ("今年", "2026-12-31"),
    ("明年", "2027-12-31"),
    ("明年年底", "2027-12-31"),
    ("后年底", "2028-12-31"),
    ("2027年底", "2027-12-31"),
    ("2027年", "2027-12-31"),
    ("2025年底", "2025-12-31 past_year"),
    ("二〇二七年底前", "2027-12-31"),
    ("季度末", "2026-12-31"),
    ("本季度", "2026-12-31"),
    ("本季末", "2026-12-31"),
    ("下季度末", "2027-03-31"),
    ("下个季度", "2027-03-31"),
    ("二季度末", "2027-06-30 next_year"),
    ("第四季度", "2026-12-31"),
    ("四季度末前", "2026-12-31"),
    ("2027年三季度末", "2027-09-30"),
    ("明年一季度", "2027-03-31"),
    ("下半年", "2026-12-31"),
    ("明年下半年", "2027-12-31"),
    ("2027年上半年", "2027-06-30"),
    ("今年上半年", "2026-06-30 past_year"),
]


@pytest.mark.parametrize(("phrase", "expected"), MONTHS_YEARS_QUARTERS)
def test_months_years_quarters(phrase: str, expected: str) -> None:
    """Month ends, month thirds, years, quarters and half-years resolve to their last day."""
    assert parsed(phrase) == expected


WEEKS = [
    ("这周", "2026-11-29"),
    ("本周", "2026-11-29"),
    ("这个星期", "2026-11-29"),
    ("下周", "2026-12-06"),
    ("下个星期内", "2026-12-06"),
    ("下礼拜", "2026-12-06"),
    ("下下周", "2026-12-13"),
    ("周四", "2026-11-26"),
    ("周四前", "2026-11-26"),
    ("礼拜五", "2026-11-27"),
    ("星期日", "2026-11-29"),
    ("星期天", "2026-11-29"),
    ("周末", "2026-11-29"),
    ("周一", "2026-11-30 next_week"),
    ("本周一", "2026-11-30 next_week"),
    ("周3", "2026-12-02 next_week"),
    ("下周一", "2026-11-30"),
    ("下星期三前", "2026-12-02"),
    ("下个礼拜天", "2026-12-06"),
    ("下下周一", "2026-12-07"),
]


@pytest.mark.parametrize(("phrase", "expected"), WEEKS)
def test_weeks(phrase: str, expected: str) -> None:
    """Weeks start on Monday; a weekday already past this week means next week's."""
    assert parsed(phrase) == expected


def test_weekday_today_counts_as_not_past() -> None:
    """On a Sunday, 周日 is today and 本周内 is today."""
    sunday = date(2026, 11, 29)
    assert parsed("周日", sunday) == "2026-11-29"
    assert parsed("本周内", sunday) == "2026-11-29"
    assert parsed("周六", sunday) == "2026-12-05 next_week"


DURATIONS = [
    ("0天内", "2026-11-26"),
    ("10天内", "2026-12-06"),
    ("十五日内", "2026-12-11"),
    ("两个星期内", "2026-12-10"),
    ("三周内", "2026-12-17"),
    ("半月内", "2026-12-11"),
    ("一个半月内", "2027-01-10"),
    ("两个月内", "2027-01-26"),
    ("十二个月内", "2027-11-26"),
    ("一个季度内", "2027-02-26"),
    ("一年半内", "2028-05-26"),
    ("三年内", "2029-11-26"),
    ("两年以内", "2028-11-26"),
    ("1个工作日内", "2026-11-27"),
    ("三个工作日内", "2026-12-01"),
    ("十个工作日", "2026-12-10"),
]


@pytest.mark.parametrize(("phrase", "expected"), DURATIONS)
def test_durations(phrase: str, expected: str) -> None:
    """Durations count from today: days, weeks, half months, months, quarters, years."""
    assert parsed(phrase) == expected


@pytest.mark.parametrize(
    ("today", "phrase", "expected"),
    [
        (date(2027, 1, 31), "一个月内", "2027-02-28"),
        (date(2028, 1, 31), "一个月内", "2028-02-29"),
        (date(2026, 8, 31), "半年内", "2027-02-28"),
        (date(2028, 1, 5), "2月底", "2028-02-29"),
        (date(2027, 11, 26), "2月底前", "2028-02-29 next_year"),
        (date(2027, 12, 1), "2月29日", "2028-02-29 next_year"),
        (date(2028, 1, 5), "2月29日前", "2028-02-29"),
        (date(2028, 1, 5), "2028年2月29日", "2028-02-29"),
        (date(2026, 1, 30), "30号前", "2026-01-30"),
        (date(2026, 1, 31), "30号前", "2026-03-30 next_month"),
        (date(2026, 2, 10), "下月底", "2026-03-31"),
        (date(2026, 2, 10), "月底", "2026-02-28"),
    ],
)
def test_month_lengths_and_leap_years(today: date, phrase: str, expected: str) -> None:
    """Month ends, leap days and short months land on real days."""
    assert parsed(phrase, today) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("下周五", "2027-01-08"),
        ("周五", "2027-01-01"),
        ("本周内", "2027-01-03"),
        ("下周内", "2027-01-10"),
        ("月底前", "2026-12-31"),
        ("下月底", "2027-01-31"),
        ("本季度末", "2026-12-31"),
        ("下季度", "2027-03-31"),
        ("年底前", "2026-12-31"),
        ("明年底", "2027-12-31"),
        ("12月31日", "2026-12-31"),
        ("12月25日", "2027-12-25 next_year"),
        ("5号前", "2027-01-05 next_month"),
        ("一周内", "2027-01-04"),
        ("上半年", "2027-06-30 next_year"),
    ],
)
def test_year_end(phrase: str, expected: str) -> None:
    """Near the year end (Monday 2026-12-28) phrases cross into the new year correctly."""
    assert parsed(phrase, date(2026, 12, 28)) == expected


@pytest.mark.parametrize(
    ("today", "phrase", "expected"),
    [
        (date(2026, 3, 31), "本季度末", "2026-03-31"),
        (date(2026, 4, 1), "本季度末", "2026-06-30"),
        (date(2026, 4, 1), "一季度末", "2027-03-31 next_year"),
        (date(2026, 3, 31), "一季度末", "2026-03-31"),
        (date(2026, 1, 10), "四季度末", "2026-12-31"),
        (date(2026, 10, 5), "下季度", "2027-03-31"),
        (date(2026, 9, 30), "下季度末", "2026-12-31"),
        (date(2026, 6, 30), "上半年", "2026-06-30"),
        (date(2026, 7, 1), "上半年", "2027-06-30 next_year"),
    ],
)
def test_quarter_rollovers(today: date, phrase: str, expected: str) -> None:
    """Quarters and half-years roll over exactly at their boundaries."""
    assert parsed(phrase, today) == expected


@pytest.mark.parametrize(
    ("today", "phrase", "expected"),
    [
        (date(2026, 9, 30), "1个工作日内", "2026-10-08"),
        (date(2026, 9, 30), "3个工作日内", "2026-10-10"),
        (date(2026, 9, 18), "1个工作日内", "2026-09-20"),
        (date(2026, 4, 30), "1个工作日内", "2026-05-06"),
        (date(2026, 2, 13), "1个工作日内", "2026-02-14"),
        (date(2026, 2, 13), "两个工作日内", "2026-02-24"),
        (date(2026, 2, 13), "5个工作日内", "2026-02-27"),
        (date(2026, 12, 30), "1个工作日内", "2026-12-31"),
        (date(2026, 12, 30), "5个工作日内", "2027-01-06 workdays_beyond_calendar"),
        (date(2027, 1, 1), "10个工作日内", "2027-01-15 workdays_beyond_calendar"),
    ],
)
def test_working_days(today: date, phrase: str, expected: str) -> None:
    """Working days skip 国庆/春节 2026, count make-up Saturdays, and are flagged beyond 2026."""
    assert parsed(phrase, today) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("当天", "2026-11-26"),
        ("今日", "2026-11-26"),
        ("立即", "2026-11-26"),
        ("马上", "2026-11-26"),
        ("即知即改", "2026-11-26"),
        ("立行立改", "2026-11-26"),
        ("明日", "2026-11-27"),
        ("后天前", "2026-11-28"),
        ("大后天", "2026-11-29"),
    ],
)
def test_relative_days(phrase: str, expected: str) -> None:
    """Today-words mean today, 明天/后天/大后天 one to three days on."""
    assert parsed(phrase) == expected


@pytest.mark.parametrize(
    "phrase",
    ["长期", "长期坚持", "常态化", "持续整改", "建立长效机制", "常态长效", "长期坚持、常态长效"],
)
def test_long_term(phrase: str) -> None:
    """Long-term words give a long-term deadline without a date."""
    result = parse_deadline(phrase, THU)
    assert isinstance(result, Deadline)
    assert (result.kind, result.due, result.notes) == (DeadlineKind.LONG_TERM, None, ())


@pytest.mark.parametrize("phrase", ["尽快", "尽早", "抓紧", "及时"])
def test_soft(phrase: str) -> None:
    """Soft words give today + soft_days, marked soft."""
    result = parse_deadline(phrase, THU, soft_days=3)
    assert result == Deadline(DeadlineKind.SOFT, date(2026, 11, 29), phrase, (NoteCode.SOFT,))


ERRORS = [
    ("", "empty"),
    ("   ", "empty"),
    ("\u3000\n", "empty"),
    ("x", "placeholder"),
    ("xx月xx日前", "placeholder"),
    ("某月某日前", "placeholder"),
    ("××月底", "placeholder"),
    ("__月__日", "placeholder"),
    ("x个工作日内", "placeholder"),
    ("20xx-12-31", "placeholder"),
    ("周x前", "placeholder"),
    ("底", "truncated"),
    ("末前", "truncated"),
    ("每周", "recurring"),
    ("每季度", "recurring"),
    ("每周五前", "recurring"),
    ("每年12月31日前", "recurring"),
    ("每个月底", "recurring"),
    ("按月报送", "recurring"),
    ("2月30日", "impossible"),
    ("2027年2月29日", "impossible"),
    ("2月29日", "impossible"),
    ("32号前", "impossible"),
    ("0月5日", "impossible"),
    ("13月底", "impossible"),
    ("五季度末", "impossible"),
    ("2026-02-30", "impossible"),
    ("12.32", "impossible"),
    ("下个世纪", "unrecognised"),
    ("。", "unrecognised"),
    ("hello", "unrecognised"),
    ("3天前", "unrecognised"),
    ("12月前", "unrecognised"),
    ("下周前", "unrecognised"),
    ("年前", "unrecognised"),
    ("26年底", "unrecognised"),
    ("周八", "unrecognised"),
]


@pytest.mark.parametrize(("phrase", "code"), ERRORS)
def test_errors(phrase: str, code: str) -> None:
    """Blank, placeholder, truncated, recurring, impossible and unknown phrases give their code."""
    assert parsed(phrase) == f"error:{code}"


def test_error_keeps_phrase_as_typed() -> None:
    """An error quotes the phrase as typed (stripped), not the normalised form."""
    assert parse_deadline("  ＊＊月底前 ", THU) == DeadlineError(
        DeadlineErrorCode.PLACEHOLDER, "＊＊月底前"
    )


def test_extreme_reference_days_do_not_raise() -> None:
    """Phrases that leave the date range at year 1 or 9999 are impossible, not a crash."""
    assert parsed("明天", date.max) == "error:impossible"
    assert parsed("9月15日", date.max) == "error:impossible"
    assert parsed("下周五", date.min) == "0001-01-12"
    assert parsed("9999天内", date(9999, 1, 1)) == "error:impossible"


def test_huge_working_day_count_is_fast() -> None:
    """Thousands of working days beyond the known calendar are counted arithmetically."""
    assert parsed("9999个工作日内").endswith("workdays_beyond_calendar")


# --- phrases inside sentences ------------------------------------------------------------------


def found(text: str, today: date = THU) -> tuple[str, str, str] | None:
    """Find a phrase and return (phrase as cut from the text, description, remainder)."""
    match = find_deadline(text, today)
    if match is None:
        return None
    return text[match.start : match.end], describe(match.result), match.remainder


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "/problem 三会一课记录不规范 @zhang 月底前",
            ("月底前", "2026-11-30", "三会一课记录不规范 @zhang"),
        ),
        (
            "消防通道堵塞 @li 下周五前整改完毕",
            ("下周五前", "2026-12-04", "消防通道堵塞 @li 整改完毕"),
        ),
        ("月底前 党费收缴不及时 @zhang", ("月底前", "2026-11-30", "党费收缴不及时 @zhang")),
        ("党费收缴 12月31日前 @zhang 李四", ("12月31日前", "2026-12-31", "党费收缴 @zhang 李四")),
        ("@zhang月底前", ("月底前", "2026-11-30", "@zhang")),
        ("台账不全，月底前完成", ("月底前完成", "2026-11-30", "台账不全")),
        ("台账不全 月底前完成整改", ("月底前", "2026-11-30", "台账不全 完成整改")),
        ("消防通道堵塞 于月底前整改", ("于月底前", "2026-11-30", "消防通道堵塞 整改")),
        ("截至12月31日 党费", ("截至12月31日", "2026-12-31", "党费")),
        ("组织生活会 12.31前", ("12.31前", "2026-12-31", "组织生活会")),
        ("会议记录 １２月３１日前", ("１２月３１日前", "2026-12-31", "会议记录")),
        ("第一党支部 一季度末", ("一季度末", "2027-03-31 next_year", "第一党支部")),
        ("整改 长期坚持", ("长期坚持", "long_term", "整改")),
        ("党费收缴不及时 尽快", ("尽快", "soft 2026-12-03", "党费收缴不及时")),
        ("资料缺失 3个工作日内", ("3个工作日内", "2026-12-01", "资料缺失")),
        ("/new@rectify_bot 资料缺失 本周内", ("本周内", "2026-11-29", "资料缺失")),
        (
            "2025年度组织生活会问题 @li 月底前",
            ("月底前", "2026-11-30", "2025年度组织生活会问题 @li"),
        ),
        ("12月1日检查发现问题 年底前", ("年底前", "2026-12-31", "12月1日检查发现问题")),
        ("学习不深入 2026年12月31日", ("2026年12月31日", "2026-12-31", "学习不深入")),
        ("第二十五号文件 二十五号前", ("二十五号前", "2026-12-25 next_month", "第二十五号文件")),
    ],
)
def test_find_deadline(text: str, expected: tuple[str, str, str]) -> None:
    """A phrase at the start, middle or end is found, with mentions and commands kept out."""
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "三会一课记录不规范",
        "第一党支部组织生活会未召开",
        "党费收缴不及时 @zhang",
        "长期未开展组织生活",
        "5号楼消防通道堵塞",
        "评分 3.15 分偏低",
        "12月31日会议记录缺失",
        "年底考核材料不全",
        "上半年党费未收缴",
        "每周一次学习",
        "摸底前要核实",
        "十九大精神学习不够",
        "",
    ],
)
def test_find_nothing(text: str) -> None:
    """Dates and numerals inside ordinary problem text are not taken as a deadline."""
    assert find_deadline(text, THU) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每月10号前提醒缴纳", ("每月10号前", "error:recurring", "提醒缴纳")),
        ("每月10号前提醒缴纳 月底前", ("月底前", "2026-11-30", "每月10号前提醒缴纳")),
        ("台账 x月底前", ("x月底前", "error:placeholder", "台账")),
        ("台账 13月40日前", ("13月40日前", "error:impossible", "台账")),
        ("台账 底前", ("底前", "error:truncated", "台账")),
    ],
)
def test_find_errors(text: str, expected: tuple[str, str, str]) -> None:
    """Errors are found when they are the best candidate; a valid deadline beats an error."""
    assert found(text) == expected


def test_find_prefers_longest() -> None:
    """The most specific phrase wins over one it contains (下下周五 over 周五)."""
    assert found("整改 下下周五前") == ("下下周五前", "2026-12-11", "整改")


def test_find_span_maps_to_original_text() -> None:
    """Spans point into the original text even when NFKC changes lengths before the phrase."""
    text = "㍿ 台账 月底前"
    match = find_deadline(text, THU)
    assert isinstance(match, DeadlineMatch)
    assert text[match.start : match.end] == "月底前"
    assert match.remainder == "㍿ 台账"


def test_find_keeps_combining_marks_with_their_letters() -> None:
    """Composed characters before the phrase keep the span aligned with the original."""
    text = "cafe\u0301 한글 월 月底前"
    match = find_deadline(text, THU)
    assert isinstance(match, DeadlineMatch)
    assert text[match.start : match.end] == "月底前"


# --- properties --------------------------------------------------------------------------------

_PIECES = [
    *"0123456789一二两三四五六七八九十〇１２",
    *"年月日号周天底末前内个半上中下旬季度本这明今后每xX*_某.-/ ",
    "星期",
    "工作日",
    "之前",
    "以内",
    "完成",
    "长期",
    "尽快",
    "@zhang",
    "台账",
]
phrases = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)
any_text = st.one_of(st.text(), phrases, st.text(alphabet=string.printable))
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=200, deadline=None)
@given(text=any_text, today=st.dates())
def test_parse_never_raises(text: str, today: date) -> None:
    """parse_deadline returns a result for any text on any day."""
    assert isinstance(parse_deadline(text, today), Deadline | DeadlineError)


@settings(max_examples=200, deadline=None)
@given(text=any_text, today=st.dates())
def test_find_never_raises(text: str, today: date) -> None:
    """find_deadline returns None or a match with a span inside the text."""
    match = find_deadline(text, today)
    if match is not None:
        assert 0 <= match.start < match.end <= len(text)


def _not_before_today(result: Deadline | DeadlineError, today: date) -> bool:
    """A dated result is on or after today unless it says the written date is past."""
    if not isinstance(result, Deadline) or result.due is None:
        return True
    return result.due >= today or NoteCode.PAST_YEAR in result.notes


@settings(max_examples=200, deadline=None)
@given(text=phrases, today=days)
def test_never_before_today(text: str, today: date) -> None:
    """A DATE or SOFT result never lies before the reference day unless flagged PAST_YEAR."""
    assert _not_before_today(parse_deadline(text, today), today)
    match = find_deadline(text, today)
    assert match is None or _not_before_today(match.result, today)


def _answer(result: Deadline | DeadlineError) -> object:
    """The result without the phrase as typed."""
    if isinstance(result, DeadlineError):
        return result.code
    return result.kind, result.due, result.notes


@settings(max_examples=200, deadline=None)
@given(text=any_text, today=days)
def test_nfkc_invariant(text: str, today: date) -> None:
    """Parsing or finding gives the same answer after NFKC normalisation of the input."""
    normal = unicodedata.normalize("NFKC", text)
    assert _answer(parse_deadline(text, today)) == _answer(parse_deadline(normal, today))
    first, second = find_deadline(text, today), find_deadline(normal, today)
    assert (first is None) == (second is None)
    if first is not None and second is not None:
        assert _answer(first.result) == _answer(second.result)


@settings(max_examples=200, deadline=None)
@given(today=days, offset=st.integers(min_value=0, max_value=400))
def test_iso_date_round_trip(today: date, offset: int) -> None:
    """Any ISO date on or after today parses to itself without notes."""
    due = today + timedelta(days=offset)
    assert parsed(due.isoformat(), today) == due.isoformat()


# --- messages ----------------------------------------------------------------------------------


def _fields(template: str) -> set[str]:
    """The str.format field names of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_messages_same_keys_and_fields() -> None:
    """Chinese and English define the same deadline keys with the same placeholders."""
    assert ZH.keys() == EN.keys()
    assert all(key.startswith("deadline.") for key in ZH)
    for key in ZH:
        assert _fields(ZH[key]) == _fields(EN[key]), key


def test_messages_cover_every_code() -> None:
    """Every error code, note code and weekday has a message."""
    keys = {f"deadline.error.{code.value}" for code in DeadlineErrorCode}
    keys |= {f"deadline.note.{code.value}" for code in NoteCode}
    keys |= {f"deadline.weekday.{day}" for day in range(7)}
    keys |= {"deadline.long_term", "deadline.soft", "deadline.days_left"}
    keys |= {"deadline.due_today", "deadline.overdue"}
    assert keys <= ZH.keys()


@pytest.mark.parametrize("code", [c for c in DeadlineErrorCode if c is not DeadlineErrorCode.EMPTY])
def test_error_messages_quote_phrase_and_show_examples(code: DeadlineErrorCode) -> None:
    """Each error message quotes the phrase and shows examples, without HTML."""
    for lang in ("zh", "en"):
        text = t(lang, f"deadline.error.{code.value}", phrase="PHRASE")
        assert "PHRASE" in text
        assert "月底前" in text
        assert "<" not in text


def test_rendered_labels() -> None:
    """Labels render with their parameters in both languages."""
    assert t("zh", "deadline.days_left", days=4) == "还剩4天"
    assert t("en", "deadline.overdue", days=3) == "3d overdue"
    assert t("zh", "deadline.weekday.0") == "周一"
    assert t("en", "deadline.note.next_year") == "taken as next year"
