"""Reminder policy: what the daily digest says and what the weekly summary counts (pure).

Everything here is a function of the items passed in and ``today`` (a date in the group's time
zone); nothing reads a clock or a database.

Choices the issue left open, written down here:

* The digest's overdue, due-today and due-soon sections list **open** items only. A pending item
  waits for an admin, not for its owners, so it is listed once, under 待验收.
* Three days before ``report_day`` the digest asks for the monthly report: open dated items
  with no progress entry this calendar month, and open long-term items with none (their
  monthly review). An item that already reported this month is not asked again.
* The weekly summary's counts (open, overdue, due within 7 days, pending, long-term, 整改率) are
  :func:`~domain.figures.ledger_figures` as of ``today`` — the same numbers
  ``/stats`` and the export show that day. "Closed this week" and "new this week" use the
  period, in the group's time zone.
* Private copies (README: Reminders and summaries): when digests go out, every owner they
  mention who pressed /start privately gets one private message a day with their own items
  from those digests, across their groups (:func:`private_copies`). Only owners with an
  account are mentioned, and a group that turned ``mention_owners`` off mentions nobody, so
  it makes no copies. The owner's day, and the message's language, are those of the first
  group (lowest id) whose digest mentions them; each item is listed once, under its most
  urgent reason.
* Periods (weeks start on Monday): a summary, scheduled or asked for with ``/summary``, covers
  this week from Monday up to today — except on a Monday, when the week has barely begun: then
  it covers last week, Monday to Sunday (:func:`summary_period`). So the default Monday 09:00
  summary reports last week, and a Friday 17:00 one reports Monday to Friday.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from domain.figures import Figures, is_overdue, ledger_figures
from domain.items import (
    DueKind,
    ExtensionView,
    ItemSnapshot,
    Status,
    days_left,
    is_dispatched,
)
from domain.settings import GroupSettings

REPORT_LEAD_DAYS = 3
WEEK = 7


@dataclass(frozen=True)
class DueLine:
    """One item in a dated section: days overdue (overdue lines) or days left (due soon)."""

    item: ItemSnapshot
    days: int
    escalated: bool = False


@dataclass(frozen=True)
class WaitingExtension:
    """An extension request (延期申请) still waiting for an admin's decision."""

    item: ItemSnapshot
    request: ExtensionView


@dataclass(frozen=True)
class Digest:
    """The daily digest of one group: every section that needs attention today."""

    today: date
    overdue: tuple[DueLine, ...] = ()
    due_today: tuple[ItemSnapshot, ...] = ()
    due_soon: tuple[DueLine, ...] = ()
    pending: tuple[ItemSnapshot, ...] = ()
    extensions: tuple[WaitingExtension, ...] = ()
    report_day: int | None = None
    report_missing: tuple[ItemSnapshot, ...] = ()
    long_term_review: tuple[ItemSnapshot, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when no section has anything in it."""
        return not (
            self.overdue
            or self.due_today
            or self.due_soon
            or self.pending
            or self.extensions
            or self.report_missing
            or self.long_term_review
        )


@dataclass(frozen=True)
class WeeklySummary:
    """The weekly 销号 summary of one group over ``period_start``…``period_end``."""

    period_start: date
    period_end: date
    today: date
    closed: tuple[ItemSnapshot, ...]
    new: tuple[ItemSnapshot, ...]
    figures: Figures
    overdue: tuple[DueLine, ...]


# --- slots: when scheduled messages are due --------------------------------------------------


class SlotKind(StrEnum):
    """The scheduled messages of a group."""

    DIGEST = "digest"
    WEEKLY = "weekly"
    BULLETIN = "bulletin"  # a committee's weekly 通报, posted in a branch (bulletin_to_branches)


def due_slots(settings: GroupSettings, local_now: datetime) -> tuple[SlotKind, ...]:
    """Today's slots whose time has come by ``local_now`` (wall-clock time in the group's zone).

    Only today's slots exist: a slot of an earlier day is never due again, so a bot that was
    down at 09:00 catches up the same day and never sends yesterday's digest late.
    """
    slots: list[SlotKind] = []
    if local_now.time() >= settings.reminder_time:
        slots.append(SlotKind.DIGEST)
    weekly = settings.weekly_summary
    if weekly is not None and local_now.weekday() == weekly.weekday:
        slots += [SlotKind.WEEKLY] if local_now.time() >= weekly.at else []
    return tuple(slots)


def slot_key(kind: SlotKind, group_id: int, day: date) -> str:
    """The unique key of a slot: ``digest:<group>:<date>`` or ``weekly:<group>:<ISO week>``.

    A bulletin is keyed like a weekly summary, by the branch it is posted in.
    """
    if kind in (SlotKind.WEEKLY, SlotKind.BULLETIN):
        year, week, _ = day.isocalendar()
        return f"{kind.value}:{group_id}:{year}-W{week:02d}"
    return f"digest:{group_id}:{day.isoformat()}"


def private_key(user_id: int, day: date) -> str:
    """The unique key of an owner's private copy of one day: ``private:<user>:<date>``."""
    return f"private:{user_id}:{day.isoformat()}"


# --- the daily digest ------------------------------------------------------------------------


def is_report_reminder_day(today: date, report_day: int) -> bool:
    """True three days before the monthly report day (``report_day`` is 1–28)."""
    return (today + timedelta(days=REPORT_LEAD_DAYS)).day == report_day


def digest_horizon(today: date, settings: GroupSettings) -> date:
    """The latest deadline a digest can mention: today plus the widest reminder distance."""
    return today + timedelta(days=settings.warn_days)


def reported_this_month(item: ItemSnapshot, today: date, zone: tzinfo) -> bool:
    """True when the item has a progress entry dated this calendar month (group time zone)."""
    month_start = today.replace(day=1)
    return any(entry.at.astimezone(zone).date() >= month_start for entry in item.progress)


def _open(items: Iterable[ItemSnapshot]) -> list[ItemSnapshot]:
    return [i for i in items if not i.deleted and i.status is Status.OPEN]


def _by_number(items: Iterable[ItemSnapshot]) -> tuple[ItemSnapshot, ...]:
    return tuple(sorted(items, key=lambda i: i.number))


def overdue_lines(
    items: Iterable[ItemSnapshot], today: date, escalate_after_days: int
) -> tuple[DueLine, ...]:
    """Open items past their deadline, longest overdue first, flagged 督办 when old enough.

    A dispatched item is never flagged itself: its branches' overdue copies carry the 督办 up.
    """
    lines = []
    for item in _open(items):
        left = days_left(item, today)
        if left is not None and left < 0:
            escalated = -left >= escalate_after_days and not is_dispatched(item)
            lines.append(DueLine(item, -left, escalated=escalated))
    return tuple(sorted(lines, key=lambda line: (-line.days, line.item.number)))


def _due_today(items: Iterable[ItemSnapshot], today: date) -> tuple[ItemSnapshot, ...]:
    return _by_number(i for i in _open(items) if days_left(i, today) == 0)


def _due_soon(
    items: Iterable[ItemSnapshot], today: date, distances: Sequence[int]
) -> tuple[DueLine, ...]:
    lines = []
    for item in _open(items):
        left = days_left(item, today)
        if left is not None and left > 0 and left in distances:
            lines.append(DueLine(item, left))
    return tuple(sorted(lines, key=lambda line: (line.days, line.item.number)))


def _pending(items: Iterable[ItemSnapshot]) -> tuple[ItemSnapshot, ...]:
    return _by_number(i for i in items if not i.deleted and i.status is Status.PENDING)


def _report_sections(
    items: Sequence[ItemSnapshot], today: date, zone: tzinfo
) -> tuple[tuple[ItemSnapshot, ...], tuple[ItemSnapshot, ...]]:
    """Open items that have not reported this month: (dated or undated, long-term)."""
    silent = [i for i in _open(items) if not reported_this_month(i, today, zone)]
    long_term = [i for i in silent if i.due_kind is DueKind.LONG_TERM]
    others = [i for i in silent if i.due_kind is not DueKind.LONG_TERM]
    return _by_number(others), _by_number(long_term)


def build_digest(
    items: Sequence[ItemSnapshot],
    extensions: Sequence[WaitingExtension],
    today: date,
    settings: GroupSettings,
) -> Digest | None:
    """The digest of one group for ``today``, or None when nothing needs attention.

    ``items`` must include every active item due on or before :func:`digest_horizon`, every
    pending item and, on a report reminder day, every open item with its latest progress.
    """
    report_day: int | None = None
    missing: tuple[ItemSnapshot, ...] = ()
    long_term: tuple[ItemSnapshot, ...] = ()
    if is_report_reminder_day(today, settings.report_day):
        report_day = settings.report_day
        missing, long_term = _report_sections(items, today, settings.zone)
    digest = Digest(
        today=today,
        overdue=overdue_lines(items, today, settings.escalate_after_days),
        due_today=_due_today(items, today),
        due_soon=_due_soon(items, today, settings.remind_days_before),
        pending=_pending(items),
        extensions=tuple(sorted(extensions, key=lambda e: (e.item.number, e.request.id))),
        report_day=report_day,
        report_missing=missing,
        long_term_review=long_term,
    )
    return None if digest.is_empty else digest


# --- the weekly summary ----------------------------------------------------------------------


def summary_period(today: date) -> tuple[date, date]:
    """A summary's period: this week's Monday up to today; on a Monday, last Monday–Sunday."""
    if today.weekday() == 0:
        return today - timedelta(days=WEEK), today - timedelta(days=1)
    return today - timedelta(days=today.weekday()), today


def _within(day: date, start: date, end: date) -> bool:
    return start <= day <= end


def weekly_summary(
    items: Sequence[ItemSnapshot],
    period_start: date,
    period_end: date,
    today: date,
    *,
    zone: tzinfo,
) -> WeeklySummary:
    """Closed and new items of the period, and the ledger's figures as of ``today``.

    ``zone`` turns the stored UTC instants (closed, created) into the group's calendar days.
    """
    alive = [i for i in items if not i.deleted]
    closed = [
        i
        for i in alive
        if i.status is Status.CLOSED
        and i.closed_at is not None
        and _within(i.closed_at.astimezone(zone).date(), period_start, period_end)
    ]
    new = [
        i for i in alive if _within(i.created_at.astimezone(zone).date(), period_start, period_end)
    ]
    overdue = [DueLine(i, -(days_left(i, today) or 0)) for i in alive if is_overdue(i, today)]
    return WeeklySummary(
        period_start=period_start,
        period_end=period_end,
        today=today,
        closed=_by_number(closed),
        new=_by_number(new),
        figures=ledger_figures(alive, today),
        overdue=tuple(sorted(overdue, key=lambda line: (-line.days, line.item.number))),
    )


# --- private copies --------------------------------------------------------------------------


class Reason(StrEnum):
    """Why one of an owner's items is in a digest."""

    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"
    REPORT = "report"  # no progress this month, the report day is near
    REVIEW = "review"  # a long-term item's monthly review


@dataclass(frozen=True)
class OwnerLine:
    """One of an owner's items in a digest: why it is there, and days overdue or left."""

    item: ItemSnapshot
    reason: Reason
    days: int = 0
    escalated: bool = False


@dataclass(frozen=True)
class SentDigest:
    """A digest that went out to a group: what the owners' private copies are made of."""

    group_id: int
    title: str
    settings: GroupSettings
    digest: Digest


@dataclass(frozen=True)
class PrivateSection:
    """An owner's lines from one group's digest."""

    title: str
    lines: tuple[OwnerLine, ...]
    report_day: int | None = None


@dataclass(frozen=True)
class PrivateCopy:
    """One owner's private message of the day: their items from the digests, group by group.

    ``day``, ``language`` and ``group_id`` are those of the first group whose digest mentions
    the owner (the dispatch row of the copy belongs to that group).
    """

    user_id: int
    day: date
    language: str
    group_id: int
    sections: tuple[PrivateSection, ...]

    @property
    def key(self) -> str:
        """The copy's unique dispatch key."""
        return private_key(self.user_id, self.day)


def _reasons(digest: Digest) -> list[OwnerLine]:
    """Every owner-facing line of a digest, most urgent first (pending items are the admins')."""
    return [
        *(OwnerLine(x.item, Reason.OVERDUE, x.days, x.escalated) for x in digest.overdue),
        *(OwnerLine(item, Reason.DUE_TODAY) for item in digest.due_today),
        *(OwnerLine(x.item, Reason.DUE_SOON, x.days) for x in digest.due_soon),
        *(OwnerLine(item, Reason.REPORT) for item in digest.report_missing),
        *(OwnerLine(item, Reason.REVIEW) for item in digest.long_term_review),
    ]


def lines_by_owner(digest: Digest) -> dict[int, tuple[OwnerLine, ...]]:
    """The digest's lines per mentioned owner (user id); each item once, its first reason."""
    found: dict[int, dict[int, OwnerLine]] = {}
    for line in _reasons(digest):
        for owner in line.item.owners:
            if owner.user_id is not None:
                found.setdefault(owner.user_id, {}).setdefault(line.item.id, line)
    return {user: tuple(lines.values()) for user, lines in found.items()}


def private_copies(sent: Sequence[SentDigest]) -> list[PrivateCopy]:
    """The private copy of every owner the digests mention (groups in order of id)."""
    first: dict[int, SentDigest] = {}
    sections: dict[int, list[PrivateSection]] = {}
    for group in sorted(sent, key=lambda g: g.group_id):
        if not group.settings.mention_owners:
            continue
        for user, lines in lines_by_owner(group.digest).items():
            first.setdefault(user, group)
            section = PrivateSection(group.title, lines, group.digest.report_day)
            sections.setdefault(user, []).append(section)
    return [
        PrivateCopy(
            user_id=user,
            day=group.digest.today,
            language=group.settings.language,
            group_id=group.group_id,
            sections=tuple(sections[user]),
        )
        for user, group in sorted(first.items())
    ]
