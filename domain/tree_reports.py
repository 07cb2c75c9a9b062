"""What a committee hears about its branches: 督办 escalations, 报送 and the weekly 通报 (pure).

Everything here is a function of the items passed in and the days given.

Choices the issues left open, written down here:

* **Escalation (督办).** An item of a branch that is overdue ``escalate_after_days`` (the
  branch's setting) appears in its parent's digest on the day it reaches that many days and
  every seventh day after, until closed; from twice that it also appears, on the same rhythm,
  in the digest of the parent's parent (:func:`~domain.tree.escalates_today`).
* **Report day (报送).** The committee's own ``report_day`` counts for its branches: three days
  before it, the committee's digest lists, branch by branch, the open items without progress
  this month; the day after it, the branches that still had such items (they missed it).
  Only a committee's direct branches are named; a branch of a branch reports to its own parent.
* **Roll-up (通报).** One line per direct branch, over the branch and everything below it,
  counted by :func:`~domain.figures.ledger_figures` (the function ``/stats`` uses), so the
  lines add up to the total; ranked by 整改率, then by name. The week-over-week change compares
  the 整改率 now with the 整改率 at the end of the previous period, recounted from the items'
  registration and closing dates (an item reopened since counts as open then too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from domain.figures import Figures, counted_once, is_overdue, ledger_figures, rate_percent
from domain.items import ItemSnapshot, Status, days_left
from domain.reminders import is_report_reminder_day, reported_this_month
from domain.settings import GroupSettings
from domain.tree import escalates_today, report_missed_day

OLDEST_OVERDUE: int = 5
WEEK = 7


@dataclass(frozen=True)
class GroupBelow:
    """A group below a committee, as the committee's reports see it."""

    group_id: int
    title: str
    settings: GroupSettings
    distance: int  # 1: a branch; 2: a branch of a branch …
    items: tuple[ItemSnapshot, ...]


@dataclass(frozen=True)
class Escalation:
    """An overdue item of a group below, brought to the committee's attention (督办)."""

    group_title: str
    item: ItemSnapshot
    days: int


@dataclass(frozen=True)
class BranchItems:
    """A branch and some of its items (those without progress this month)."""

    group_title: str
    items: tuple[ItemSnapshot, ...]


@dataclass(frozen=True)
class TreeDigest:
    """The sections a committee's daily digest adds about the groups below it."""

    escalations: tuple[Escalation, ...] = ()
    report_day: int | None = None
    unreported: tuple[BranchItems, ...] = ()  # three days before the report day
    missed: tuple[BranchItems, ...] = ()  # the day after it

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to say about the branches today."""
        return not (self.escalations or self.unreported or self.missed)


def _open(items: Sequence[ItemSnapshot]) -> list[ItemSnapshot]:
    return [i for i in items if not i.deleted and i.status is Status.OPEN]


def escalations(below: Sequence[GroupBelow], today: date) -> tuple[Escalation, ...]:
    """The items below that reach a committee today: longest overdue first."""
    found: list[Escalation] = []
    for group in below:
        threshold = group.settings.escalate_after_days
        for item in _open(group.items):
            left = days_left(item, today)
            if left is not None and escalates_today(-left, threshold, group.distance):
                found.append(Escalation(group.title, item, -left))
    return tuple(sorted(found, key=lambda e: (-e.days, e.group_title, e.item.number)))


def _silent(group: GroupBelow, today: date) -> tuple[ItemSnapshot, ...]:
    """A branch's open items without a progress entry this month (in the branch's time zone)."""
    zone = group.settings.zone
    silent = [i for i in _open(group.items) if not reported_this_month(i, today, zone)]
    return tuple(sorted(silent, key=lambda i: i.number))


def _branch_items(below: Sequence[GroupBelow], today: date) -> tuple[BranchItems, ...]:
    lists = [(g.title, _silent(g, today)) for g in below if g.distance == 1]
    return tuple(BranchItems(title, items) for title, items in lists if items)


def tree_digest(
    settings: GroupSettings, below: Sequence[GroupBelow], today: date
) -> TreeDigest | None:
    """What a committee's digest adds today about the groups below it; None when nothing."""
    report_day = settings.report_day
    reminder, missed = (
        is_report_reminder_day(today, report_day),
        report_missed_day(today, report_day),
    )
    digest = TreeDigest(
        escalations=escalations(below, today),
        report_day=report_day if reminder or missed else None,
        unreported=_branch_items(below, today) if reminder else (),
        missed=_branch_items(below, today) if missed else (),
    )
    return None if digest.is_empty else digest


# --- the weekly roll-up ----------------------------------------------------------------------


@dataclass(frozen=True)
class RollupLine:
    """One branch (and everything below it) in a committee's weekly 通报."""

    title: str
    figures: Figures
    closed_this_week: int
    rate_change: int | None  # percentage points since the end of the previous period


@dataclass(frozen=True)
class OldOverdue:
    """One of the oldest overdue items across the branches."""

    group_title: str
    item: ItemSnapshot
    days: int


@dataclass(frozen=True)
class Rollup:
    """A committee's weekly 通报: a line per branch, ranked, the total, the oldest overdue."""

    lines: tuple[RollupLine, ...]
    total: Figures
    closed_this_week: int
    oldest_overdue: tuple[OldOverdue, ...]


@dataclass(frozen=True)
class BranchLedger:
    """A direct branch and every item of it and of the groups below it, with their groups."""

    title: str
    items: tuple[tuple[str, ItemSnapshot], ...]  # (the item's group's title, the item)


def _closed_between(item: ItemSnapshot, start: date, end: date, zone: tzinfo) -> bool:
    if item.status is not Status.CLOSED or item.closed_at is None:
        return False
    return start <= item.closed_at.astimezone(zone).date() <= end


def _rate_as_of(items: Sequence[ItemSnapshot], day: date, zone: tzinfo) -> int | None:
    """整改率 at the end of ``day``, from registration and closing dates; None without items."""
    then = [i for i in items if not i.deleted and i.created_at.astimezone(zone).date() <= day]
    closed = [i for i in then if i.closed_at is not None and i.status is Status.CLOSED]
    closed = [
        i for i in closed if i.closed_at is not None and i.closed_at.astimezone(zone).date() <= day
    ]
    return rate_percent(len(closed), len(then)) if then else None


def _counted(pairs: Sequence[tuple[str, ItemSnapshot]]) -> list[tuple[str, ItemSnapshot]]:
    """The items not deleted, an item handed further down counted through its copies only."""
    kept = {id(item) for item in counted_once([i for _, i in pairs if not i.deleted])}
    return [(title, item) for title, item in pairs if id(item) in kept]


def _line(branch: BranchLedger, start: date, end: date, today: date, zone: tzinfo) -> RollupLine:
    items = [item for _, item in _counted(branch.items)]
    figures = ledger_figures(items, today)
    before = _rate_as_of(items, start - timedelta(days=1), zone)
    now = rate_percent(figures.closed, figures.total) if figures.total else None
    change = now - before if now is not None and before is not None else None
    closed = sum(1 for item in items if _closed_between(item, start, end, zone))
    return RollupLine(branch.title, figures, closed, change)


def _rank_key(line: RollupLine) -> tuple[bool, int, str]:
    """By 整改率, highest first; a branch without items has no rate and comes last."""
    figures = line.figures
    return (figures.total == 0, -rate_percent(figures.closed, figures.total), line.title)


def rollup(
    branches: Sequence[BranchLedger], start: date, end: date, today: date, zone: tzinfo
) -> Rollup | None:
    """The 通报 over ``start``…``end`` as of ``today``; None for a committee without branches."""
    if not branches:
        return None
    lines = [_line(branch, start, end, today, zone) for branch in branches]
    ranked = sorted(lines, key=_rank_key)
    every = _counted([pair for branch in branches for pair in branch.items])
    overdue = [
        OldOverdue(title, item, -(days_left(item, today) or 0))
        for title, item in every
        if is_overdue(item, today)
    ]
    overdue.sort(key=lambda o: (-o.days, o.group_title, o.item.number))
    return Rollup(
        lines=tuple(ranked),
        total=ledger_figures([item for _, item in every], today),
        closed_this_week=sum(line.closed_this_week for line in lines),
        oldest_overdue=tuple(overdue[:OLDEST_OVERDUE]),
    )
