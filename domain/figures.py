"""Ledger figures: the one place where totals, 整改率 and breakdowns are computed.

``/stats``, the weekly summary and the export all call :func:`ledger_figures`, so they never
disagree.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.items import DueKind, ItemSnapshot, Status, days_left


@dataclass(frozen=True)
class Breakdown:
    """Totals and 整改率 for one category, unit or owner."""

    name: str
    total: int
    closed: int


@dataclass(frozen=True)
class Figures:
    """Counts over the items of one ledger (deleted items excluded)."""

    total: int
    closed: int
    open: int
    pending: int
    overdue: int
    due_within_7: int
    long_term: int
    no_deadline: int
    by_category: tuple[Breakdown, ...] = field(default=())
    by_unit: tuple[Breakdown, ...] = field(default=())
    by_owner: tuple[Breakdown, ...] = field(default=())
    by_group: tuple[Breakdown, ...] = field(default=())  # a committee's: by branch

    @property
    def active(self) -> int:
        """在办: open plus pending."""
        return self.open + self.pending


def rate_percent(closed: int, total: int) -> int:
    """整改率 as a whole percentage, rounded half up."""
    return (closed * 200 + total) // (2 * total) if total else 0


def is_overdue(item: ItemSnapshot, today: date) -> bool:
    """Active and past its deadline (long-term and undated items never are)."""
    left = days_left(item, today)
    return item.is_active and left is not None and left < 0


def _breakdown(
    items: Sequence[ItemSnapshot], keys: Iterable[tuple[ItemSnapshot, str]]
) -> tuple[Breakdown, ...]:
    total: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    for item, key in keys:
        total[key] += 1
        if item.status is Status.CLOSED:
            closed[key] += 1
    rows = [Breakdown(name, total[name], closed[name]) for name in total]
    return tuple(sorted(rows, key=lambda b: (-b.total, natural_key(b.name))))


_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that reads numbers as numbers: 第2党支部 before 第10党支部."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(name) if part
    )


def _owner_keys(
    items: Sequence[ItemSnapshot], unassigned: str | None
) -> Iterable[tuple[ItemSnapshot, str]]:
    """Each item once per owner, and under ``unassigned`` when it has none (if given)."""
    for item in items:
        if item.owners:
            yield from ((item, owner.name) for owner in item.owners)
        elif unassigned is not None:
            yield item, unassigned


def counted_once(items: Sequence[ItemSnapshot]) -> list[ItemSnapshot]:
    """``items`` without those whose branch copies are among them: the work is counted there."""
    handed_down = {i.parent_item_id for i in items if i.parent_item_id is not None}
    return [i for i in items if i.id not in handed_down]


def ledger_figures(
    items: Iterable[ItemSnapshot],
    today: date,
    *,
    unnamed: str = "",
    unassigned: str | None = None,
) -> Figures:
    """Count a ledger's items as of ``today``.

    ``unnamed`` labels items without a category or unit; ``unassigned`` labels items without
    owners in ``by_owner`` (left out of it when None). Items that carry their group's title (a
    committee's view of its branches) are also counted by group in ``by_group``.

    A committee's item handed down to branches whose copies are among ``items`` is counted
    through its copies, once per branch, and not again itself (see :func:`counted_once`).
    """
    alive = counted_once([i for i in items if not i.deleted])
    active = [i for i in alive if i.is_active]

    def due_soon(item: ItemSnapshot) -> bool:
        left = days_left(item, today)
        return left is not None and 0 <= left <= 7

    return Figures(
        total=len(alive),
        closed=sum(1 for i in alive if i.status is Status.CLOSED),
        open=sum(1 for i in alive if i.status is Status.OPEN),
        pending=sum(1 for i in alive if i.status is Status.PENDING),
        overdue=sum(1 for i in active if is_overdue(i, today)),
        due_within_7=sum(1 for i in active if due_soon(i)),
        long_term=sum(1 for i in active if i.due_kind is DueKind.LONG_TERM),
        no_deadline=sum(1 for i in active if i.due_kind is DueKind.NONE),
        by_category=_breakdown(alive, ((i, i.category or unnamed) for i in alive)),
        by_unit=_breakdown(alive, ((i, i.unit or unnamed) for i in alive)),
        by_owner=_breakdown(alive, _owner_keys(alive, unassigned)),
        by_group=_breakdown(alive, ((i, i.group_title) for i in alive if i.group_title)),
    )
