"""What the committee tree says: link codes, links, ``/branches``, dispatches and their notices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from domain.figures import Figures, rate_percent
from domain.groups import GroupContext
from domain.items import ItemSnapshot
from domain.outcomes import BranchesReport, Dispatch, DispatchedCopy, FollowedCopy, Outcome
from domain.tree import Branch, NameMatch, format_link_code, offered_candidates
from i18n import t
from views.callbacks import DispatchButton, pack
from views.cards import item_card
from views.outcomes import registered
from views.text import Button, Keyboard, Rendered, clip, esc

BRANCH_BUTTONS_PER_ROW = 2
PROBLEM_LIMIT = 40


def _sep(lang: str) -> str:
    return t(lang, "list.separator")


def link_code_message(group: GroupContext, code: str, expires_at: datetime, lang: str) -> str:
    """The answer to ``/link``: the code, until when it works, and what to do with it."""
    local = expires_at.astimezone(group.settings.zone)
    return t(
        lang,
        "tree.link_code",
        title=esc(group.title),
        code=format_link_code(code),
        until=local.strftime("%m-%d %H:%M"),
    )


def joined_message(parent: GroupContext, branch: GroupContext) -> str:
    """What the branch group is told when it was linked below its parent."""
    return t(branch.lang, "tree.joined", parent=esc(parent.title))


def branch_joined_message(parent: GroupContext, branch: GroupContext) -> str:
    """What the parent group is told when a branch linked below it."""
    return t(parent.lang, "tree.branch_joined", branch=esc(branch.title))


def unlinked_message(parent: GroupContext, branch: GroupContext, lang: str) -> str:
    """The answer to ``/unlink`` (and the notice to the other side)."""
    return t(lang, "tree.unlinked", parent=esc(parent.title), branch=esc(branch.title))


def figures_text(figures: Figures, lang: str) -> str:
    """总数 / 在办 / 逾期 / 整改率 of a ledger on one line."""
    return t(
        lang,
        "tree.figures",
        total=figures.total,
        active=figures.active,
        overdue=figures.overdue,
        rate=rate_percent(figures.closed, figures.total),
    )


def branches_message(report: BranchesReport, lang: str) -> str:
    """``/branches``: each branch's figures and the totals of the branches below it."""
    title = esc(report.group.title)
    if not report.branches:
        return t(lang, "tree.branches_none", title=title)
    text = [t(lang, "tree.branches_title", title=title, count=len(report.branches))]
    for line in report.branches:
        figures = figures_text(line.own, lang)
        text.append(t(lang, "tree.branch_line", branch=esc(line.group.title), figures=figures))
        if line.below is not None:
            below = figures_text(line.below, lang)
            text.append(t(lang, "tree.branch_below", count=line.below_count, figures=below))
    return "\n".join(text)


def dispatch_lines(dispatch: Dispatch, lang: str) -> list[str]:
    """Who got the item under which number, and which branches got nothing, and why."""
    lines: list[str] = []
    if dispatch.copies:
        sent = _sep(lang).join(
            t(lang, "tree.copy_number", branch=esc(copy.branch.title), number=copy.item.number)
            for copy in dispatch.copies
        )
        lines.append(t(lang, "tree.dispatched", number=dispatch.outcome.item.number, copies=sent))
    notes = (
        ("tree.note.already", dispatch.already),
        ("tree.note.unreachable", dispatch.unreachable),
        ("tree.note.unmatched", dispatch.unmatched),
    )
    lines += [t(lang, key, names=esc(_sep(lang).join(names))) for key, names in notes if names]
    if dispatch.admin_needed:
        lines.append(t(lang, "tree.note.admin_needed", number=dispatch.outcome.item.number))
    number = dispatch.outcome.item.number
    lines += [
        _ambiguous_line(match, shown, number, lang)
        for match, shown in offered_candidates(dispatch.ambiguous)
    ]
    return lines


def dispatch_keyboard(dispatch: Dispatch) -> Keyboard:
    """A button per offered candidate of each ambiguous name (empty when nothing is asked)."""
    return _ambiguous_buttons(dispatch.outcome.item.number, dispatch.ambiguous)


def dispatched_message(dispatch: Dispatch, lang: str) -> Rendered:
    """The answer to ``/dispatch`` (or a pressed branch button): what was done, then the card."""
    outcome = dispatch.outcome
    card = item_card(outcome.item, outcome.today, outcome.group.settings, lang)
    text = "\n".join([*dispatch_lines(dispatch, lang), card.text])
    return Rendered(text, dispatch_keyboard(dispatch) + card.keyboard)


def _ambiguous_line(match: NameMatch, shown: Sequence[Branch], number: int, lang: str) -> str:
    """The question about one name; when not every candidate has a button, how to name one."""
    names = esc(_sep(lang).join(b.title for b in shown))
    name, count = esc(match.typed), len(match.branches)
    if len(shown) == count:
        return t(lang, "tree.note.ambiguous", name=name, branches=names)
    if not shown:
        return t(lang, "tree.note.ambiguous_unasked", name=name, count=count, number=number)
    return t(
        lang, "tree.note.ambiguous_more", name=name, count=count, branches=names, number=number
    )


def _ambiguous_buttons(number: int, ambiguous: Sequence[NameMatch]) -> Keyboard:
    """One button per offered candidate, a few to a row (within Telegram's 100 buttons)."""
    buttons = [
        Button(branch.title, pack(DispatchButton(number, branch.group_id, match.typed)))
        for match, shown in offered_candidates(ambiguous)
        for branch in shown
    ]
    return tuple(
        tuple(buttons[i : i + BRANCH_BUTTONS_PER_ROW])
        for i in range(0, len(buttons), BRANCH_BUTTONS_PER_ROW)
    )


def dispatch_notice(
    copy: ItemSnapshot, committee: str, committee_number: int, branch: GroupContext
) -> Rendered:
    """The message a branch gets with its copy: where it comes from, the card, [认领]."""
    lang = branch.lang
    headline = t(
        lang,
        "tree.notice",
        committee=esc(committee),
        committee_number=committee_number,
        number=copy.number,
        problem=esc(copy.problem),
    )
    today = copy.created_at.astimezone(branch.settings.zone).date()
    return item_card(copy, today, branch.settings, lang, headline=headline)


def registered_and_dispatched(outcome: Outcome, dispatch: Dispatch | None, lang: str) -> Rendered:
    """已登记 #12 …, and, in a committee, to which branches the item went (asking if unclear)."""
    if dispatch is None:
        return registered(outcome, lang)
    rendered = registered(replace(outcome, item=dispatch.outcome.item), lang)
    text = "\n".join([rendered.text, *dispatch_lines(dispatch, lang)])
    return Rendered(text, dispatch_keyboard(dispatch) + rendered.keyboard)


def below_card(card: Rendered, outcome: Outcome, lang: str) -> Rendered:
    """A branch's item shown in its committee: read only, and where to act on it."""
    note = t(lang, "tree.below_note", group=esc(outcome.group.title))
    return Rendered(f"{card.text}\n{note}")


def imported_notice(received: Sequence[DispatchedCopy]) -> Rendered:
    """What a branch is told of the items a committee's import handed down to it, in one go."""
    branch = received[0].branch
    lang = branch.lang
    committee = received[0].item.origin.group_title if received[0].item.origin else ""
    lines = [t(lang, "tree.imported.title", committee=esc(committee), count=len(received))]
    for copy in received:
        origin = copy.item.origin
        lines.append(
            t(
                lang,
                "tree.imported.line",
                number=copy.item.number,
                problem=esc(clip(copy.item.problem, PROBLEM_LIMIT)),
                origin=origin.number if origin else "",
            )
        )
    numbers = " ".join(str(copy.item.number) for copy in received)
    lines.append(t(lang, "tree.imported.hint", numbers=numbers))
    return Rendered("\n".join(lines))


def followed_committee_notice(followed: FollowedCopy) -> str:
    """What a branch is told when its copy closed, went, came back or changed with the item."""
    return t(
        followed.branch.lang,
        f"tree.followed.{followed.how.value}",
        committee=esc(followed.committee),
        committee_number=followed.committee_number,
        number=followed.number,
    )
