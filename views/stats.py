"""``/stats``: totals, 整改率 and breakdowns by category, owner and unit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.figures import Breakdown, ledger_figures, rate_percent
from domain.items import ItemSnapshot
from i18n import t
from views.text import esc

TOP_ROWS = 10


def _rows(rows: Sequence[Breakdown], lang: str) -> list[str]:
    """The first :data:`TOP_ROWS` rows, then how many more there are (all are in /export)."""
    more = [t(lang, "stats.more", count=len(rows) - TOP_ROWS)] if len(rows) > TOP_ROWS else []
    return [
        t(
            lang,
            "stats.row",
            name=esc(row.name),
            closed=row.closed,
            total=row.total,
            rate=rate_percent(row.closed, row.total),
        )
        for row in rows[:TOP_ROWS]
    ] + more


def stats_text(title: str, items: Sequence[ItemSnapshot], today: date, lang: str) -> str:
    """The statistics message of one group."""
    figures = ledger_figures(
        items, today, unnamed=t(lang, "stats.unnamed"), unassigned=t(lang, "stats.unassigned")
    )
    lines = [
        t(lang, "stats.title", title=esc(title)),
        t(
            lang,
            "stats.totals",
            total=figures.total,
            closed=figures.closed,
            active=figures.active,
            rate=rate_percent(figures.closed, figures.total),
        ),
        t(
            lang,
            "stats.states",
            overdue=figures.overdue,
            soon=figures.due_within_7,
            pending=figures.pending,
            long_term=figures.long_term,
            undated=figures.no_deadline,
        ),
    ]
    for key, rows in (
        ("group", figures.by_group),
        ("category", figures.by_category),
        ("owner", figures.by_owner),
        ("unit", figures.by_unit),
    ):
        if rows:
            lines.append(t(lang, f"stats.by_{key}"))
            lines += _rows(rows, lang)
    return "\n".join(lines)
