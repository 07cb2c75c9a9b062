"""The daily digest, its private copies and the weekly summary as HTML, split at the limit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.figures import rate_percent
from domain.items import ItemSnapshot, ProgressKind, is_dispatched, open_copies
from domain.reminders import (
    Digest,
    OwnerLine,
    PrivateCopy,
    PrivateSection,
    Reason,
    WaitingExtension,
    WeeklySummary,
)
from domain.settings import GroupSettings
from i18n import t
from views.cards import owners_text, weekday
from views.text import clip, esc, split_html

PROBLEM_LIMIT = 40
REASON_LIMIT = 60
BRANCHES_NAMED = 3  # a dispatched item's open branches named in a digest line, then 等N个


def long_date(day: date, lang: str) -> str:
    """``11月30日`` / ``11-30``."""
    return t(lang, "digest.date", month=day.month, day=day.day)


def short_date(day: date, lang: str) -> str:
    """``11-30`` in both languages."""
    return t(lang, "digest.short_date", month=day.month, day=day.day)


def _problem(item: ItemSnapshot) -> str:
    return esc(clip(item.problem, PROBLEM_LIMIT))


def _owners(item: ItemSnapshot, settings: GroupSettings) -> str:
    """Owners as mentions (so Telegram notifies them) unless the group turned that off.

    A dispatched item without owners of its own names the branches that still have it open.
    """
    if is_dispatched(item) and not item.owners:
        return _open_branches(item, settings.language)
    return owners_text(item.owners, settings.language, link=settings.mention_owners)


def _open_branches(item: ItemSnapshot, lang: str) -> str:
    """``待销号:第一党支部、第二党支部等3个支部``: where a dispatched item is still open."""
    branches = open_copies(item)
    if not branches:
        return t(lang, "digest.branches_closed")
    named = t(lang, "list.separator").join(esc(c.group_title) for c in branches[:BRANCHES_NAMED])
    counted = len(branches) > BRANCHES_NAMED
    more = t(lang, "digest.branches_more", count=len(branches)) if counted else ""
    return t(lang, "digest.branches_open", branches=named + more)


def _names(item: ItemSnapshot, lang: str) -> str:
    """Owners' names only: a closed item needs nobody's attention."""
    return " ".join(esc(owner.name) for owner in item.owners) or t(lang, "card.nobody")


def _section(header: str, lines: Sequence[str]) -> list[str]:
    return [header, *lines] if lines else []


# --- the daily digest ------------------------------------------------------------------------


def _overdue(digest: Digest, settings: GroupSettings) -> list[str]:
    lang = settings.language
    escalated = t(lang, "digest.escalated")
    lines = [
        t(
            lang,
            "digest.overdue_line",
            number=line.item.number,
            problem=_problem(line.item),
            days=line.days,
            owners=_owners(line.item, settings),
            escalated=escalated if line.escalated else "",
        )
        for line in digest.overdue
    ]
    return _section(t(lang, "digest.overdue"), lines)


def _due_today(digest: Digest, settings: GroupSettings) -> list[str]:
    lang = settings.language
    lines = [
        t(
            lang,
            "digest.due_today_line",
            number=item.number,
            problem=_problem(item),
            owners=_owners(item, settings),
        )
        for item in digest.due_today
    ]
    return _section(t(lang, "digest.due_today"), lines)


def _when(days: int, lang: str) -> str:
    if days == 1:
        return t(lang, "digest.tomorrow")
    return t(lang, "digest.in_days", days=days)


def _due_soon(digest: Digest, settings: GroupSettings) -> list[str]:
    lang = settings.language
    lines = [
        t(
            lang,
            "digest.due_soon_line",
            number=line.item.number,
            problem=_problem(line.item),
            when=_when(line.days, lang),
            owners=_owners(line.item, settings),
        )
        for line in digest.due_soon
    ]
    return _section(t(lang, "digest.due_soon"), lines)


def _requester(item: ItemSnapshot, lang: str) -> str:
    """Who asked to close: the author of the 销号 note, else the owners (never notified)."""
    if item.progress and item.progress[-1].kind == ProgressKind.DONE:
        return esc(item.progress[-1].author)
    return owners_text(item.owners, lang, link=False)


def _pending(digest: Digest, settings: GroupSettings) -> list[str]:
    lang = settings.language
    lines = []
    for item in digest.pending:
        since = item.pending_since.astimezone(settings.zone).date() if item.pending_since else None
        lines.append(
            t(
                lang,
                "digest.pending_line",
                number=item.number,
                problem=_problem(item),
                who=_requester(item, lang),
                date=short_date(since, lang) if since else "",
            )
        )
    return _section(t(lang, "digest.pending"), lines)


def _extension_line(waiting: WaitingExtension, lang: str) -> str:
    return t(
        lang,
        "digest.extension_line",
        number=waiting.item.number,
        problem=_problem(waiting.item),
        who=esc(waiting.request.requested_by),
        new_due=waiting.request.new_due.isoformat(),
        reason=esc(clip(waiting.request.reason, REASON_LIMIT)),
    )


def _extensions(digest: Digest, settings: GroupSettings) -> list[str]:
    lang = settings.language
    lines = [_extension_line(waiting, lang) for waiting in digest.extensions]
    return _section(t(lang, "digest.extensions"), lines)


def _owner_lines(items: Sequence[ItemSnapshot], key: str, settings: GroupSettings) -> list[str]:
    return [
        t(
            settings.language,
            key,
            number=item.number,
            problem=_problem(item),
            owners=_owners(item, settings),
        )
        for item in items
    ]


def _report(digest: Digest, settings: GroupSettings) -> list[str]:
    lang = settings.language
    if digest.report_day is None:
        return []
    missing = _owner_lines(digest.report_missing, "digest.report_line", settings)
    review = _owner_lines(digest.long_term_review, "digest.long_term_line", settings)
    return [
        *_section(t(lang, "digest.report", day=digest.report_day), missing),
        *_section(t(lang, "digest.long_term"), review),
    ]


def digest_html(digest: Digest, title: str, settings: GroupSettings) -> str:
    """The whole digest as one HTML text (before splitting)."""
    lang = settings.language
    header = t(
        lang,
        "digest.title",
        title=esc(title),
        date=long_date(digest.today, lang),
        weekday=weekday(digest.today, lang),
    )
    sections = [
        _overdue(digest, settings),
        _due_today(digest, settings),
        _due_soon(digest, settings),
        _pending(digest, settings),
        _extensions(digest, settings),
        _report(digest, settings),
    ]
    body = [line for section in sections for line in section]
    footer = [t(lang, "digest.footer")] if _owners_must_act(digest) else []
    return "\n".join([header, *body, *footer])


def _owners_must_act(digest: Digest) -> bool:
    """The how-to line helps owners; pending items and extensions are the admins' business."""
    return bool(
        digest.overdue
        or digest.due_today
        or digest.due_soon
        or digest.report_missing
        or digest.long_term_review
    )


def digest_parts(digest: Digest, title: str, settings: GroupSettings) -> list[str]:
    """The digest as messages of at most 4096 characters each (split, never truncated)."""
    return split_html(digest_html(digest, title, settings))


# --- private copies --------------------------------------------------------------------------


def _due(line: OwnerLine, lang: str) -> str:
    due = line.item.due
    return short_date(due, lang) if due is not None else ""


def _private_line(line: OwnerLine, section: PrivateSection, lang: str) -> str:
    """One of the owner's items: #number, problem, and its deadline or what is asked."""
    item = line.item
    fields = {"number": item.number, "problem": _problem(item), "due": _due(line, lang)}
    if line.reason is Reason.OVERDUE:
        escalated = t(lang, "digest.escalated") if line.escalated else ""
        return t(lang, "private.overdue", days=line.days, escalated=escalated, **fields)
    if line.reason is Reason.DUE_SOON:
        return t(lang, "private.due_soon", when=_when(line.days, lang), **fields)
    if line.reason is Reason.REPORT:
        return t(lang, "private.report", day=section.report_day or "", **fields)
    return t(lang, f"private.{line.reason.value}", **fields)


def private_html(copy: PrivateCopy) -> str:
    """An owner's private copy as one HTML text: their items, group by group."""
    lang = copy.language
    lines = [
        t(lang, "private.title", date=long_date(copy.day, lang), weekday=weekday(copy.day, lang))
    ]
    for section in copy.sections:
        lines.append(t(lang, "private.group", title=esc(section.title)))
        lines += [_private_line(line, section, lang) for line in section.lines]
    lines.append(t(lang, "private.footer"))
    return "\n".join(lines)


def private_parts(copy: PrivateCopy) -> list[str]:
    """An owner's private copy as messages of at most 4096 characters each."""
    return split_html(private_html(copy))


# --- the weekly summary ----------------------------------------------------------------------


def _closed(summary: WeeklySummary, settings: GroupSettings) -> list[str]:
    lang = settings.language
    if not summary.closed:
        return [t(lang, "summary.closed_none")]
    lines = [
        t(
            lang,
            "summary.closed_line",
            number=item.number,
            problem=_problem(item),
            owners=_names(item, lang),
        )
        for item in summary.closed
    ]
    return [t(lang, "summary.closed", count=len(summary.closed)), *lines]


def _counts(summary: WeeklySummary, lang: str) -> list[str]:
    figures = summary.figures
    return [
        t(lang, "summary.new", count=len(summary.new)),
        t(
            lang,
            "summary.active",
            active=figures.active,
            overdue=figures.overdue,
            soon=figures.due_within_7,
            pending=figures.pending,
            long_term=figures.long_term,
        ),
        t(
            lang,
            "summary.rate",
            rate=rate_percent(figures.closed, figures.total),
            closed=figures.closed,
            total=figures.total,
        ),
    ]


def _overdue_list(summary: WeeklySummary, settings: GroupSettings) -> list[str]:
    lang = settings.language
    lines = [
        t(
            lang,
            "summary.overdue_line",
            number=line.item.number,
            problem=_problem(line.item),
            days=line.days,
            owners=_owners(line.item, settings),
        )
        for line in summary.overdue
    ]
    return _section(t(lang, "summary.overdue"), lines)


def summary_html(
    summary: WeeklySummary, title: str, settings: GroupSettings, *, own_only: bool = False
) -> str:
    """The whole weekly summary as one HTML text (before splitting).

    ``own_only``: a committee's, whose branches follow in a roll-up; its figures are said to be
    its own items', as /stats counts the whole subtree.
    """
    lang = settings.language
    header = t(
        lang,
        "summary.title",
        title=esc(title),
        start=long_date(summary.period_start, lang),
        end=long_date(summary.period_end, lang),
    )
    if summary.figures.total == 0:
        return "\n".join([header, t(lang, "summary.own_empty" if own_only else "summary.empty")])
    lines = [
        header,
        *([t(lang, "summary.own_scope")] if own_only else []),
        *_closed(summary, settings),
        *_counts(summary, lang),
        *_overdue_list(summary, settings),
    ]
    return "\n".join(lines)
