"""The reminder policy: slots, digest sections, the report day and the weekly summary (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.figures import ledger_figures
from domain.items import (
    DueKind,
    ExtensionView,
    ItemSnapshot,
    OwnerRef,
    ProgressView,
    Status,
)
from domain.reminders import (
    Reason,
    SentDigest,
    SlotKind,
    WaitingExtension,
    build_digest,
    due_slots,
    is_report_reminder_day,
    private_copies,
    slot_key,
    summary_period,
    weekly_summary,
)
from domain.settings import GroupSettings, WeeklySlot

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 26)  # a Thursday
SETTINGS = GroupSettings()
CREATED = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def item(
    number: int,
    *,
    left: int | None = None,
    status: Status = Status.OPEN,
    kind: DueKind = DueKind.DATE,
    deleted: bool = False,
    progress_on: date | None = None,
    created: datetime = CREATED,
    closed: datetime | None = None,
) -> ItemSnapshot:
    """An item due ``left`` days from TODAY (None: no date), owned by 张三."""
    due = TODAY + timedelta(days=left) if left is not None else None
    progress: tuple[ProgressView, ...] = ()
    if progress_on is not None:
        at = datetime.combine(progress_on, time(10), tzinfo=SHANGHAI)
        progress = (ProgressView(author="张三", text="进展", at=at),)
    return ItemSnapshot(
        id=number,
        group_id=1,
        number=number,
        problem=f"问题{number}",
        status=status,
        due_kind=kind if due is not None or kind is not DueKind.DATE else DueKind.NONE,
        due=due,
        due_phrase="",
        created_at=created,
        created_by=1,
        created_by_name="王书记",
        deleted=deleted,
        closed_at=closed,
        owners=(OwnerRef("张三", 2, "zhang"),),
        progress=progress,
    )


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware Shanghai wall-clock time."""
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


# --- slots -----------------------------------------------------------------------------------

MONDAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("now", "settings", "expected"),
    [
        (local(TODAY, 8, 59), SETTINGS, ()),
        (local(TODAY, 9, 0), SETTINGS, (SlotKind.DIGEST,)),
        (local(TODAY, 23, 59), SETTINGS, (SlotKind.DIGEST,)),
        (local(MONDAY, 8, 59), SETTINGS, ()),
        (local(MONDAY, 9, 0), SETTINGS, (SlotKind.DIGEST, SlotKind.WEEKLY)),
        (local(MONDAY, 9, 0), replace(SETTINGS, weekly_summary=None), (SlotKind.DIGEST,)),
        (
            local(MONDAY, 8, 0),
            replace(SETTINGS, reminder_time=time(8, 0)),
            (SlotKind.DIGEST,),
        ),
        (
            local(TODAY, 18, 0),
            replace(SETTINGS, weekly_summary=WeeklySlot(3, time(18, 0))),
            (SlotKind.DIGEST, SlotKind.WEEKLY),
        ),
    ],
)
def test_due_slots_are_today_s_slots_whose_time_has_come(
    now: datetime, settings: GroupSettings, expected: tuple[SlotKind, ...]
) -> None:
    """The digest is due from reminder_time on; the summary from its weekday and time on."""
    assert due_slots(settings, now) == expected


@pytest.mark.parametrize(
    ("kind", "day", "key"),
    [
        (SlotKind.DIGEST, date(2026, 11, 30), "digest:7:2026-11-30"),
        (SlotKind.WEEKLY, date(2026, 11, 30), "weekly:7:2026-W49"),
        (SlotKind.WEEKLY, date(2026, 12, 6), "weekly:7:2026-W49"),
        (SlotKind.WEEKLY, date(2027, 1, 1), "weekly:7:2026-W53"),
        (SlotKind.WEEKLY, date(2027, 1, 4), "weekly:7:2027-W01"),
    ],
)
def test_slot_keys_name_the_group_and_the_day_or_iso_week(
    kind: SlotKind, day: date, key: str
) -> None:
    """Digest keys carry the date; weekly keys the ISO year and week (one per week)."""
    assert slot_key(kind, 7, day) == key


# --- digest sections -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "section", "days", "escalated"),
    [
        (-5, "overdue", 5, True),
        (-3, "overdue", 3, True),
        (-2, "overdue", 2, False),
        (-1, "overdue", 1, False),
        (0, "due_today", None, None),
        (1, "due_soon", 1, False),
        (3, "due_soon", 3, False),
        (7, "due_soon", 7, False),
        (2, None, None, None),
        (4, None, None, None),
        (8, None, None, None),
        (30, None, None, None),
    ],
)
def test_a_dated_open_item_lands_in_the_section_its_deadline_says(
    left: int, section: str | None, days: int | None, escalated: bool | None
) -> None:
    """Overdue (督办 from 3 days), due today, due in exactly 7/3/1 days, or nothing at all."""
    digest = build_digest([item(1, left=left)], [], TODAY, SETTINGS)
    if section is None:
        assert digest is None
        return
    assert digest is not None
    found = getattr(digest, section)
    assert len(found) == 1
    if section != "due_today":
        assert (found[0].days, found[0].escalated) == (days, escalated)


@pytest.mark.parametrize(
    "snapshot",
    [
        item(1, left=-4, status=Status.CLOSED),
        item(1, left=0, deleted=True),
        item(1, kind=DueKind.LONG_TERM),
        item(1),  # no deadline
        item(1, left=1, status=Status.CLOSED),
    ],
)
def test_closed_deleted_long_term_and_undated_items_never_make_a_digest(
    snapshot: ItemSnapshot,
) -> None:
    """Outside the report day these items give nothing to say."""
    assert build_digest([snapshot], [], TODAY, SETTINGS) is None


def test_pending_items_are_listed_once_under_pending_even_when_overdue() -> None:
    """A pending item waits for an admin: listed under 待验收, not under 逾期."""
    digest = build_digest([item(4, left=-6, status=Status.PENDING)], [], TODAY, SETTINGS)
    assert digest is not None
    assert [i.number for i in digest.pending] == [4]
    assert digest.overdue == ()


def test_sections_are_ordered_most_urgent_first() -> None:
    """Overdue: longest first; due soon: nearest first; ties by number."""
    items = [item(n, left=left) for n, left in ((1, -1), (2, -9), (3, 7), (4, 1), (5, 3), (6, -9))]
    digest = build_digest(items, [], TODAY, SETTINGS)
    assert digest is not None
    assert [line.item.number for line in digest.overdue] == [2, 6, 1]
    assert [line.item.number for line in digest.due_soon] == [4, 5, 3]


def test_custom_reminder_distances_and_escalation() -> None:
    """remind_days_before 5,2 and escalate_after_days 1 change what is listed and flagged."""
    settings = replace(SETTINGS, remind_days_before=(5, 2), escalate_after_days=1)
    items = [item(1, left=5), item(2, left=2), item(3, left=1), item(4, left=-1)]
    digest = build_digest(items, [], TODAY, settings)
    assert digest is not None
    assert [line.item.number for line in digest.due_soon] == [2, 1]
    assert [(line.item.number, line.escalated) for line in digest.overdue] == [(4, True)]


def test_waiting_extensions_make_a_digest() -> None:
    """An extension request waiting for a decision is listed for the admins."""
    request = ExtensionView(
        id=1,
        requested_by="张三",
        old_due=TODAY,
        new_due=TODAY + timedelta(days=30),
        new_phrase="年底前",
        reason="等待上级批复",
        status="waiting",
        after_deadline=False,
        at=CREATED,
    )
    subject = item(9, left=20)
    digest = build_digest([subject], [WaitingExtension(subject, request)], TODAY, SETTINGS)
    assert digest is not None
    assert [w.item.number for w in digest.extensions] == [9]


# --- the monthly report day ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "report_day", "expected"),
    [
        (date(2026, 11, 25), 28, True),
        (date(2026, 11, 24), 28, False),
        (date(2026, 11, 28), 28, False),
        (date(2026, 2, 25), 28, True),
        (date(2026, 11, 28), 1, True),  # 30-day November: three days before 12-01
        (date(2026, 12, 29), 1, True),  # 31-day December: three days before 01-01
        (date(2026, 12, 28), 1, False),
        (date(2026, 11, 17), 20, True),
    ],
)
def test_the_report_reminder_comes_three_days_before_the_report_day(
    today: date, report_day: int, expected: bool
) -> None:
    """Three days before ``report_day``, across month ends too."""
    assert is_report_reminder_day(today, report_day) is expected


def test_report_day_lists_open_items_without_progress_this_month() -> None:
    """On the 25th: open items silent this month, and long-term items for their review."""
    today = date(2026, 11, 25)
    items = [
        item(1, left=60, progress_on=date(2026, 11, 3)),  # reported this month
        item(2, left=60, progress_on=date(2026, 10, 31)),  # only last month
        item(3, left=60),  # never
        item(4, kind=DueKind.LONG_TERM),
        item(5, kind=DueKind.LONG_TERM, progress_on=date(2026, 11, 20)),
        item(6, left=60, status=Status.PENDING),
        item(7, left=60, status=Status.CLOSED),
    ]
    digest = build_digest(items, [], today, SETTINGS)
    assert digest is not None
    assert digest.report_day == 28
    assert [i.number for i in digest.report_missing] == [2, 3]
    assert [i.number for i in digest.long_term_review] == [4]
    assert build_digest(items, [], today - timedelta(days=1), SETTINGS) is not None  # pending #6
    assert build_digest(items[:5], [], today - timedelta(days=1), SETTINGS) is None


# --- the weekly summary ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "period"),
    [
        (date(2026, 11, 30), (date(2026, 11, 23), date(2026, 11, 29))),  # Monday: last week
        (date(2026, 12, 1), (date(2026, 11, 30), date(2026, 12, 1))),
        (date(2026, 11, 27), (date(2026, 11, 23), date(2026, 11, 27))),  # a Friday slot
        (date(2026, 12, 6), (date(2026, 11, 30), date(2026, 12, 6))),  # a Sunday slot
    ],
)
def test_summary_periods_are_calendar_weeks(today: date, period: tuple[date, date]) -> None:
    """A summary covers this week's Monday to today; on a Monday, last Monday–Sunday."""
    assert summary_period(today) == period


def test_weekly_summary_counts_closed_and_new_in_the_group_s_calendar_week() -> None:
    """Closed/new use Shanghai days: 23:30 on Sunday counts, 00:30 on Monday does not."""
    start, end = date(2026, 11, 23), date(2026, 11, 29)
    today = date(2026, 11, 30)
    inside = datetime(2026, 11, 29, 15, 30, tzinfo=UTC)  # Sunday 23:30 in Shanghai
    after = datetime(2026, 11, 29, 16, 30, tzinfo=UTC)  # Monday 00:30 in Shanghai
    before = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)  # Sunday 23:30, the week before
    items = [
        item(1, left=-10, status=Status.CLOSED, closed=inside),
        item(2, left=-10, status=Status.CLOSED, closed=after),
        item(3, left=-10, status=Status.CLOSED, closed=before),
        item(4, left=-2, created=inside),
        item(5, left=3, created=after),
        item(6, left=-1, status=Status.PENDING),
        item(7, kind=DueKind.LONG_TERM),
        item(8, left=1, deleted=True, created=inside),
    ]
    summary = weekly_summary(items, start, end, today, zone=SHANGHAI)
    assert [i.number for i in summary.closed] == [1]
    assert [i.number for i in summary.new] == [4]
    assert summary.figures == ledger_figures(items, today)
    # deadlines are relative to TODAY (11-26): #4 due 11-24, #6 due 11-25, #5 due 11-29
    assert [(line.item.number, line.days) for line in summary.overdue] == [(4, 6), (6, 5), (5, 1)]
    assert len(summary.overdue) == summary.figures.overdue


# --- private copies --------------------------------------------------------------------------

ZHANG = OwnerRef("张三", 2, "zhang")
WANG = OwnerRef("王五", 5)
PLAIN = OwnerRef("李四")
PENDING_OWNER = OwnerRef("@zhao", None, "zhao")


def owned(number: int, owners: tuple[OwnerRef, ...], **kwargs: Any) -> ItemSnapshot:
    """An item of ``item`` with other owners."""
    return replace(item(number, **kwargs), owners=owners)


def sent(group_id: int, title: str, items: list[ItemSnapshot], **settings: Any) -> SentDigest:
    """A digest of TODAY as it went out to a group."""
    chosen = replace(SETTINGS, **settings)
    digest = build_digest(items, [], TODAY, chosen)
    assert digest is not None
    return SentDigest(group_id, title, chosen, digest)


def test_a_private_copy_lists_the_owner_s_items_once_each_under_the_most_urgent_reason() -> None:
    """Overdue, due today and due soon lines per owner; pending items stay with the admins.

    Owners without an account (a plain name, a @username not yet linked) get no copy.
    """
    items = [
        owned(1, (ZHANG, WANG), left=-4),
        owned(2, (ZHANG,), left=0),
        owned(3, (WANG, PLAIN), left=3),
        owned(4, (ZHANG,), left=-1, status=Status.PENDING),
        owned(5, (PENDING_OWNER,), left=1),
    ]
    (zhang, wang) = private_copies([sent(7, "第一党支部", items)])
    assert (zhang.user_id, zhang.day, zhang.language, zhang.group_id) == (2, TODAY, "zh", 7)
    assert zhang.key == "private:2:2026-11-26"
    (section,) = zhang.sections
    assert section.title == "第一党支部"
    assert [(x.item.number, x.reason, x.days, x.escalated) for x in section.lines] == [
        (1, Reason.OVERDUE, 4, True),
        (2, Reason.DUE_TODAY, 0, False),
    ]
    assert [(x.item.number, x.reason, x.days) for x in wang.sections[0].lines] == [
        (1, Reason.OVERDUE, 4),
        (3, Reason.DUE_SOON, 3),
    ]


def test_an_overdue_item_due_for_its_report_is_listed_once_as_overdue() -> None:
    """On a report reminder day an overdue item is in two digest sections, once in the copy."""
    report_day = (TODAY + timedelta(days=3)).day
    items = [owned(1, (ZHANG,), left=-2), owned(2, (ZHANG,), kind=DueKind.LONG_TERM)]
    (copy,) = private_copies([sent(7, "第一党支部", items, report_day=report_day)])
    (section,) = copy.sections
    assert section.report_day == report_day
    assert [(x.item.number, x.reason) for x in section.lines] == [
        (1, Reason.OVERDUE),
        (2, Reason.REVIEW),
    ]


def test_one_copy_across_groups_with_the_day_and_language_of_the_first_group() -> None:
    """Two groups' digests make one copy per owner; the lowest group id decides day and language.

    A group that turned mention_owners off mentions nobody, so it adds nothing.
    """
    english = sent(9, "Second Branch", [owned(1, (ZHANG,), left=1)], language="en")
    chinese = sent(8, "第一党支部", [owned(4, (ZHANG,), left=0)])
    quiet = sent(3, "第三党支部", [owned(2, (ZHANG,), left=-1)], mention_owners=False)
    (copy,) = private_copies([english, quiet, chinese])
    assert (copy.group_id, copy.language) == (8, "zh")
    assert [(s.title, [x.item.number for x in s.lines]) for s in copy.sections] == [
        ("第一党支部", [4]),
        ("Second Branch", [1]),
    ]
    assert private_copies([quiet]) == []
