"""Figures count each piece of work once: a committee's handed-down item through its copies."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from domain.figures import counted_once, ledger_figures
from domain.items import Status
from tests.domain.test_items import item

TODAY = date(2026, 12, 4)


def test_a_handed_down_item_is_counted_through_its_copies_only() -> None:
    """The committee's #1 went to two branches; one closed: 2 items, 1 closed, not 3."""
    parent = replace(item(date(2026, 11, 30)), id=1, group_id=1)
    first = replace(parent, id=2, group_id=2, parent_item_id=1, status=Status.CLOSED)
    second = replace(parent, id=3, group_id=3, parent_item_id=1)
    figures = ledger_figures([parent, first, second], TODAY)
    assert (figures.total, figures.closed, figures.overdue) == (2, 1, 1)
    assert counted_once([parent, first, second]) == [first, second]


def test_an_item_whose_copies_are_not_counted_with_it_counts_itself() -> None:
    """The committee's own ledger alone (no copies among the items) still counts the item."""
    parent = replace(item(date(2026, 11, 30)), id=1, group_id=1)
    assert ledger_figures([parent], TODAY).total == 1
