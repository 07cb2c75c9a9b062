"""A committee's digest sections about its branches, and its weekly 通报, as HTML lines."""

from __future__ import annotations

from domain.figures import rate_percent
from domain.reminders import WeeklySummary
from domain.settings import GroupSettings
from domain.tree_reports import BranchItems, Rollup, RollupLine, TreeDigest
from i18n import t
from views.cards import owners_text
from views.digest import summary_html
from views.text import clip, esc

PROBLEM_LIMIT = 40
NUMBERS_LISTED = 20  # item numbers named per branch in the 报送 lines before "等N项"


def _numbers(branch: BranchItems, lang: str) -> str:
    numbers = [f"#{item.number}" for item in branch.items[:NUMBERS_LISTED]]
    shown = t(lang, "list.separator").join(numbers)
    more = len(branch.items) - NUMBERS_LISTED
    return shown + (t(lang, "tree.digest.more", count=len(branch.items)) if more > 0 else "")


def tree_digest_lines(digest: TreeDigest, settings: GroupSettings) -> list[str]:
    """督办 of the items below, and who has not reported (or missed the report day)."""
    lang = settings.language
    lines: list[str] = []
    if digest.escalations:
        lines.append(t(lang, "tree.digest.escalations"))
        lines += [
            t(
                lang,
                "tree.digest.escalation_line",
                group=esc(e.group_title),
                number=e.item.number,
                problem=esc(clip(e.item.problem, PROBLEM_LIMIT)),
                days=e.days,
                owners=owners_text(e.item.owners, lang, link=settings.mention_owners),
            )
            for e in digest.escalations
        ]
    for key, branches in (("unreported", digest.unreported), ("missed", digest.missed)):
        if branches:
            lines.append(t(lang, f"tree.digest.{key}", day=digest.report_day))
            lines += [
                t(
                    lang,
                    "tree.digest.branch_items",
                    group=esc(b.group_title),
                    count=len(b.items),
                    numbers=_numbers(b, lang),
                )
                for b in branches
            ]
    return lines


def _change(line: RollupLine, lang: str) -> str:
    if line.rate_change is None:
        return ""
    if line.rate_change > 0:
        return t(lang, "tree.rollup.up", points=line.rate_change)
    if line.rate_change < 0:
        return t(lang, "tree.rollup.down", points=-line.rate_change)
    return t(lang, "tree.rollup.same")


def _rollup_line(rank: int, line: RollupLine, lang: str) -> str:
    """One branch's line of the 通报 ("no items yet" rather than a 0% rate)."""
    if line.figures.total == 0:
        return t(lang, "tree.rollup.line_empty", rank=rank, group=esc(line.title))
    return t(
        lang,
        "tree.rollup.line",
        rank=rank,
        group=esc(line.title),
        total=line.figures.total,
        closed=line.closed_this_week,
        active=line.figures.active,
        overdue=line.figures.overdue,
        rate=rate_percent(line.figures.closed, line.figures.total),
        change=_change(line, lang),
    )


def summary_with_rollup(
    summary: WeeklySummary, title: str, settings: GroupSettings, roll: Rollup | None
) -> str:
    """A group's weekly summary; a committee's says it counts its own items, then its branches."""
    html = summary_html(summary, title, settings, own_only=roll is not None)
    return html if roll is None else "\n".join([html, *rollup_lines(roll, settings)])


def rollup_lines(rollup: Rollup, settings: GroupSettings) -> list[str]:
    """The 通报: the branches ranked by 整改率, the total, and the oldest overdue items."""
    lang = settings.language
    total = rollup.total
    lines = [
        t(lang, "tree.rollup.title", count=len(rollup.lines), total=total.total),
        *(_rollup_line(rank, line, lang) for rank, line in enumerate(rollup.lines, 1)),
        t(
            lang,
            "tree.rollup.total",
            total=total.total,
            closed=rollup.closed_this_week,
            active=total.active,
            overdue=total.overdue,
            rate=rate_percent(total.closed, total.total),
        ),
    ]
    if rollup.oldest_overdue:
        oldest = t(lang, "list.separator").join(
            t(
                lang,
                "tree.rollup.old_item",
                group=esc(o.group_title),
                number=o.item.number,
                problem=esc(clip(o.item.problem, PROBLEM_LIMIT)),
                days=o.days,
            )
            for o in rollup.oldest_overdue
        )
        lines.append(t(lang, "tree.rollup.oldest", items=oldest))
    return lines
