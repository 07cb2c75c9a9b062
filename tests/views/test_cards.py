"""Item cards, /show and /list rows: wording a reader sees, in both languages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from domain.deadline import NoteCode
from domain.items import (
    DueKind,
    EventKind,
    EventView,
    ItemSnapshot,
    MeasureView,
    OwnerRef,
    Status,
)
from domain.listing import ListFilter
from domain.settings import GroupSettings
from i18n import t
from views.cards import (
    deadline_echo,
    due_text,
    item_card,
    item_full,
    list_row,
    listing_key,
    read_listing_key,
    short_day,
)
from views.text import clip

TODAY = date(2026, 11, 26)
SETTINGS = GroupSettings()
AT = datetime(2026, 11, 2, 2, tzinfo=UTC)
ZHANG = OwnerRef("张三", 2, "zhang")


def item(**changes: object) -> ItemSnapshot:
    """#12 三会一课记录不规范, due 2026-11-30 (月底前), owned by @zhang, with ``changes``."""
    base = ItemSnapshot(
        id=12,
        group_id=1,
        number=12,
        problem="三会一课记录不规范",
        status=Status.OPEN,
        due_kind=DueKind.DATE,
        due=date(2026, 11, 30),
        due_phrase="月底前",
        created_at=AT,
        created_by=1,
        created_by_name="王书记",
        owners=(ZHANG,),
    )
    return replace(base, **changes)  # type: ignore[arg-type]  # changes mixes field types


def long_term(phrase: str) -> ItemSnapshot:
    """A long-term item registered with ``phrase``."""
    return item(due_kind=DueKind.LONG_TERM, due=None, due_phrase=phrase)


def event(kind: EventKind) -> EventView:
    """One event by 王书记 that carries nothing but its kind."""
    return EventView(kind, "王书记", AT)


# --- deadlines ----------------------------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["长期坚持", "长期", "长期坚持。", "", "Long-term"])
def test_long_term_label_is_not_repeated_as_the_phrase(phrase: str) -> None:
    """长期坚持, not 长期坚持〔长期坚持〕: a phrase that only restates the label is dropped."""
    assert due_text(long_term(phrase), TODAY, "zh") == "长期坚持"
    assert deadline_echo(None, phrase, (), "zh") == "长期坚持"
    assert due_text(long_term(phrase), TODAY, "en") == "long-term"


def test_a_different_long_term_phrase_is_still_echoed() -> None:
    """常态化 says something the label does not: it stays, once."""
    assert due_text(long_term("常态化"), TODAY, "zh") == "长期坚持〔常态化〕"
    assert deadline_echo(None, "常态化", (), "zh") == "长期坚持〔常态化〕"


def test_soft_deadline_is_marked_once() -> None:
    """尽快: the date, the phrase and (软时限) once, in the card and in the echo."""
    soft = item(due_kind=DueKind.SOFT, due=date(2026, 12, 3), due_phrase="尽快")
    text = due_text(soft, TODAY, "zh")
    assert text == "2026-12-03(周四)〔尽快〕(软时限) 还剩7天"
    echo = deadline_echo(date(2026, 12, 3), "尽快", (NoteCode.SOFT,), "zh")
    assert echo == "2026-12-03(周四)〔尽快〕(软时限)"
    assert echo.count("软时限") == 1


def test_other_notes_follow_the_echo() -> None:
    """按明年计算 is said after the date and phrase."""
    echo = deadline_echo(date(2027, 9, 15), "9月15日前", (NoteCode.NEXT_YEAR,), "zh")
    assert echo == "2027-09-15(周三)〔9月15日前〕 按明年计算"


@pytest.mark.parametrize(
    ("days", "zh", "en"),
    [
        (4, "还剩4天", "4d left"),
        (1, "还剩1天", "1d left"),
        (0, "今日到期", "due today"),
        (-1, "逾期1天", "1d overdue"),
        (-3, "逾期3天", "3d overdue"),
    ],
)
def test_distance_reads_right_for_any_number(days: int, zh: str, en: str) -> None:
    """No "1 days left": compact forms in English."""
    due = date.fromordinal(TODAY.toordinal() + days)
    assert due_text(item(due=due), TODAY, "zh").endswith(zh)
    assert due_text(item(due=due), TODAY, "en").endswith(en)


def test_a_deleted_item_shows_no_distance() -> None:
    """A deleted item's deadline has no 还剩N天."""
    assert due_text(item(deleted=True), TODAY, "zh") == "2026-11-30(周一)〔月底前〕"


# --- the card -----------------------------------------------------------------------------------


def test_card_follows_the_product_layout() -> None:
    """Title and state, deadline, owners, short measures on one line."""
    measures = (MeasureView("建立党费台账", True), MeasureView("每月10号前提醒缴纳"))
    text = item_card(item(measures=measures), TODAY, SETTINGS, "zh").text
    assert text.splitlines() == [
        "<b>#12 三会一课记录不规范</b>  🟡 临期",
        "时限:2026-11-30(周一)〔月底前〕 还剩4天",
        "责任人:@zhang",
        "措施:① 建立党费台账 ✅ ② 每月10号前提醒缴纳",
    ]


def test_many_or_long_measures_take_a_line_each() -> None:
    """Three measures, or two long ones, are listed one per line, indented."""
    three = tuple(MeasureView(text) for text in ("建台账", "每月提醒", "年底复查"))
    text = item_card(item(measures=three), TODAY, SETTINGS, "zh").text
    assert "措施:\n  ① 建台账\n  ② 每月提醒\n  ③ 年底复查" in text
    long = (MeasureView("建立健全党费收缴台账并逐月核对" * 3), MeasureView("每月10号前提醒缴纳"))
    text = item_card(item(measures=long), TODAY, SETTINGS, "en").text
    assert "Measures:\n  ① " in text
    assert "\n  ② 每月10号前提醒缴纳" in text


@pytest.mark.parametrize(
    ("status", "event", "headline", "state"),
    [
        (Status.PENDING, "done_pending", "#12 已申请销号 三会一课记录不规范", "🕓 待验收"),
        (Status.CLOSED, "approved", "#12 验收通过 三会一课记录不规范", "✅ 已销号"),
        (Status.CLOSED, "done_closed", "#12 已完成整改 三会一课记录不规范", "✅ 已销号"),
    ],
)
def test_outcome_headline_leaves_the_icon_to_the_state(
    status: Status, event: str, headline: str, state: str
) -> None:
    """The state (with its icon) is said once, after the headline."""
    line = t("zh", f"outcome.{event}", number=12, problem="三会一课记录不规范")
    assert line == headline
    first = item_card(item(status=status), TODAY, SETTINGS, "zh", headline=line).text.split("\n")[0]
    assert first == f"{headline}  {state}"
    icon = state.split()[0]
    assert first.count(icon) == 1


def test_deleted_item_says_so_once_and_counts_no_days() -> None:
    """/show of a deleted item: the 🗑 banner once, no state label repeating it, no 还剩N天."""
    text = item_full(item(deleted=True), TODAY, SETTINGS, "zh").text
    assert text.count("🗑") == 1
    assert text.startswith("🗑 #12 已删除")
    assert "还剩" not in text


# --- history ------------------------------------------------------------------------------------


def test_history_header_says_when_it_is_only_the_latest() -> None:
    """All entries: 共N条; more than eight: 最近8条,共N条."""
    few = item(events=tuple(event(EventKind.PROGRESS) for _ in range(3)))
    many = item(events=tuple(event(EventKind.PROGRESS) for _ in range(11)))
    assert "变更记录(共3条):" in item_full(few, TODAY, SETTINGS, "zh").text
    assert "变更记录(最近8条,共11条):" in item_full(many, TODAY, SETTINGS, "zh").text
    assert "History (1):" in item_full(item(events=few.events[:1]), TODAY, SETTINGS, "en").text
    assert "History (latest 8 of 11):" in item_full(many, TODAY, SETTINGS, "en").text


# --- /list rows ---------------------------------------------------------------------------------


def test_list_row_drops_the_year_only_within_this_year() -> None:
    """11-30 this year, 2027-09-15 next year."""
    assert short_day(date(2026, 11, 30), TODAY) == "11-30"
    assert short_day(date(2027, 9, 15), TODAY) == "2027-09-15"
    row = list_row(item(due=date(2027, 9, 15)), TODAY, SETTINGS, "zh")
    assert row == "· #12 三会一课记录不规范 — 2027-09-15 还剩293天 张三"


@pytest.mark.parametrize(
    ("changes", "icon"),
    [
        ({"due": date(2026, 12, 31)}, "·"),
        ({}, "🟡"),
        ({"due": date(2026, 11, 20)}, "🔴"),
        ({"status": Status.PENDING, "due": date(2026, 12, 31)}, "🕓"),
        ({"status": Status.CLOSED}, "✅"),
        ({"due_kind": DueKind.LONG_TERM, "due": None}, "♾"),
        ({"deleted": True}, "🗑"),
    ],
)
def test_list_icons_only_where_they_mean_something(changes: dict[str, object], icon: str) -> None:
    """Plain open items get a neutral dot; the meaningful states keep their icons."""
    row = list_row(item(**changes), TODAY, SETTINGS, "zh")
    assert row.startswith(f"{icon} #12 ")
    assert "▫" not in row


# --- clip ---------------------------------------------------------------------------------------


def test_clip_folds_whitespace_and_marks_a_cut() -> None:
    """One line, at most ``limit`` characters, an ellipsis only when something was cut."""
    assert clip("三会一课\n记录  不规范", 20) == "三会一课 记录 不规范"
    assert clip("一二三四五六", 6) == "一二三四五六"
    assert clip("一二三四五六七", 6) == "一二三四五…"


@pytest.mark.parametrize(
    ("count", "shown", "more"), [(4, 4, ""), (5, 3, " 等5人"), (50, 3, " 等50人")]
)
def test_a_list_row_names_a_few_owners_and_counts_the_rest(
    count: int, shown: int, more: str
) -> None:
    """Up to four owners are all named; more are cut to three and 等N人."""
    owners = tuple(OwnerRef(f"成员{index:02d}") for index in range(count))
    row = list_row(item(owners=owners), TODAY, SETTINGS, "zh")
    assert row.count("成员") == shown
    assert row.endswith(more or "(未关联账号)")


@pytest.mark.parametrize(
    "who", [OwnerRef("李四"), OwnerRef("@li", username="li"), OwnerRef("李四", 72)]
)
def test_a_page_button_remembers_whom_a_list_is_about(who: OwnerRef) -> None:
    """A plain name, an @username and a user id each come back from a page button's key."""
    which, read = read_listing_key(listing_key(ListFilter.USER, who))
    assert which is ListFilter.USER
    assert read is not None
    assert read.same_person(who) or read.named(who.name)
