"""What the bot says after a change: a one-line headline, then the item card."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from domain.deadline import Deadline, NoteCode
from domain.items import DueKind
from domain.outcomes import Outcome
from i18n import LANGUAGES, t
from views.callbacks import (
    CardButton,
    DeadlineButton,
    DeadlineChoice,
    DeadlinePickButton,
    ExtensionButton,
    Prefix,
    pack,
    unpack,
)
from views.cards import date_with_weekday, deadline_echo, due_text, item_card
from views.text import Button, Keyboard, Rendered, clip, esc

PROMPT_KINDS = (Prefix.PROGRESS, Prefix.REJECT)
COMMAND_HINT_LIMIT = 60  # characters of the member's words repeated in a command hint
_FIRST_NUMBER = re.compile(r"#(\d+)")


def _card_with_headline(outcome: Outcome, headline: str, lang: str) -> Rendered:
    return item_card(outcome.item, outcome.today, outcome.group.settings, lang, headline=headline)


def changed(outcome: Outcome, event: str, lang: str) -> Rendered:
    """Headline for ``event`` (claimed, progress, done, approved …) followed by the card."""
    item = outcome.item
    key = f"outcome.{event}"
    if event == "done":
        key = "outcome.done_pending" if item.status.value == "pending" else "outcome.done_closed"
    headline = t(lang, key, number=item.number, problem=esc(item.problem))
    rendered = _card_with_headline(outcome, headline, lang)
    notes = _withdrawn_note(outcome, lang)
    if outcome.redispatch_hint:
        notes.append(t(lang, "outcome.redispatch_hint", number=item.number))
    if outcome.pending_owners:
        names = t(lang, "list.separator").join(outcome.pending_owners)
        notes.append(t(lang, "outcome.pending_owners", names=esc(names)))
    return replace(rendered, text="\n".join([rendered.text, *notes]))


def _withdrawn_note(outcome: Outcome, lang: str) -> list[str]:
    """Say that closing or deleting the item withdrew its waiting extension request."""
    return [t(lang, "outcome.extensions_withdrawn")] if outcome.withdrawn_extensions else []


def _assumptions(deadline: Deadline | None, lang: str) -> list[str]:
    """What the bot assumed reading the deadline (按明年计算 …), said once under the card."""
    notes = [n for n in (deadline.notes if deadline else ()) if n is not NoteCode.SOFT]
    if not notes:
        return []
    said = t(lang, "list.separator").join(t(lang, f"deadline.note.{n.value}") for n in notes)
    return [t(lang, "outcome.deadline_notes", notes=said)]


def registered(outcome: Outcome, lang: str) -> Rendered:
    """已登记 #12 …: the card, any assumption about the deadline, and choice buttons if none."""
    rendered = changed(outcome, "registered", lang)
    lines = [rendered.text, *_assumptions(outcome.deadline, lang), *_named(outcome, lang)]
    if outcome.same_problem is not None:
        same, number = outcome.same_problem, outcome.item.number
        lines.append(t(lang, "outcome.same_problem", same=same, number=number))
    keyboard = rendered.keyboard
    if outcome.deadline_choices:
        lines.append(t(lang, "outcome.ask_which_deadline"))
        keyboard = deadline_choices_keyboard(outcome, lang) + keyboard
    elif outcome.item.due_kind is DueKind.NONE:
        lines.append(t(lang, "outcome.ask_deadline"))
        keyboard = deadline_keyboard(outcome.item.number, lang) + keyboard
    return replace(rendered, text="\n".join(lines), keyboard=keyboard)


def command_hint(number: int, words: str, lang: str) -> str:
    """A reply naming an item first (``3 已补齐``) is shown the command that records it."""
    example = esc(clip(f"/progress {number} {words}", COMMAND_HINT_LIMIT))
    return t(lang, "reply.use_command", number=number, example=example)


def _named(outcome: Outcome, lang: str) -> list[str]:
    """Say which words were taken as owners because members of the group are called so."""
    if not outcome.named_owners:
        return []
    names = t(lang, "list.separator").join(outcome.named_owners)
    return [t(lang, "outcome.named_owners", names=esc(names), number=outcome.item.number)]


def deadline_choices_keyboard(outcome: Outcome, lang: str) -> Keyboard:
    """One button per deadline the line named: ``下周五前 2026-12-04(周五)``."""
    number = outcome.item.number
    buttons = [
        Button(
            t(lang, "deadline.pick", phrase=deadline.phrase, day=_day(deadline, lang)),
            pack(DeadlinePickButton(number, index)),
        )
        for index, deadline in enumerate(outcome.deadline_choices)
    ]
    return (tuple(buttons),)


def _day(deadline: Deadline, lang: str) -> str:
    """A deadline's day with its weekday, or 长期坚持."""
    if deadline.due is None:
        return t(lang, "deadline.long_term")
    return date_with_weekday(deadline.due, lang)


def deadline_keyboard(number: int, lang: str) -> Keyboard:
    """本周内 / 月底前 / 本季度末 / 年底前 / 长期坚持 / 暂不设定."""
    buttons = [
        Button(t(lang, f"deadline.choice.{choice}"), pack(DeadlineButton(number, choice)))
        for choice in DeadlineChoice
    ]
    return (tuple(buttons[:3]), tuple(buttons[3:]))


_CHOICE_PHRASES = {
    DeadlineChoice.WEEK: "本周内",
    DeadlineChoice.MONTH: "月底前",
    DeadlineChoice.QUARTER: "本季度末",
    DeadlineChoice.YEAR: "年底前",
    DeadlineChoice.LONG_TERM: "长期坚持",
}


def choice_phrase(choice: DeadlineChoice) -> str | None:
    """The deadline phrase a deadline button stands for (None for 暂不设定)."""
    return _CHOICE_PHRASES.get(choice)


def simple(outcome: Outcome, event: str, lang: str) -> str:
    """A one-line confirmation without the card (and what the change withdrew)."""
    item = outcome.item
    line = t(lang, f"outcome.{event}", number=item.number, problem=esc(item.problem))
    return "\n".join([line, *_withdrawn_note(outcome, lang)])


BATCH_PROBLEM_LIMIT = 30


def batch_line(outcome: Outcome, event: str, lang: str) -> str:
    """One item's line in the answer to a command on several items (``/delete 1 2 3``)."""
    item = outcome.item
    problem = esc(clip(item.problem, BATCH_PROBLEM_LIMIT))
    line = t(lang, f"batch.{event}", number=item.number, problem=problem)
    return line + t(lang, "batch.withdrawn") if outcome.withdrawn_extensions else line


def batch(command: str, event: str, count: int, done: int, lines: Sequence[str], lang: str) -> str:
    """The answer to a command on several items: how many were done, then a line for each."""
    parts = [t(lang, "batch.header", command=command, count=count, done=done), *lines]
    if event == "deleted" and done:
        parts.append(t(lang, "batch.deleted_hint"))
    return "\n".join(parts)


def deadline_changed(outcome: Outcome, lang: str) -> Rendered:
    """The deadline was set (or left for later): a headline, the card, any assumption made."""
    key = "outcome.deadline_set" if outcome.deadline is not None else "outcome.deadline_later"
    headline = t(lang, key, number=outcome.item.number, problem=esc(outcome.item.problem))
    card = _card_with_headline(outcome, headline, lang)
    lines = [card.text, *_assumptions(outcome.deadline, lang), *_withdrawn_note(outcome, lang)]
    return replace(card, text="\n".join(lines))


def extension_requested(outcome: Outcome, lang: str) -> Rendered:
    """延期申请 with [同意] [驳回] buttons for the admins."""
    item = outcome.item
    asked = next(e for e in item.extensions if e.id == outcome.extension_id)
    echo = deadline_echo(asked.new_due, asked.new_phrase, (), lang)
    text = t(
        lang,
        "outcome.extension_requested",
        number=item.number,
        problem=esc(item.problem),
        old=due_text(item, outcome.today, lang),
        echo=echo,
        reason=esc(asked.reason),
    )
    if asked.after_deadline:
        text += t(lang, "extension.after_deadline_mark")
    ident = asked.id
    keyboard: Keyboard = (
        (
            Button(t(lang, "button.extension_approve"), pack(ExtensionButton(ident, approve=True))),
            Button(t(lang, "button.extension_reject"), pack(ExtensionButton(ident, approve=False))),
        ),
    )
    return Rendered(text, keyboard, t(lang, "card.overflow", number=item.number))


def extension_decided(outcome: Outcome, approved: bool, actor: str, lang: str) -> Rendered:
    """The decision on an extension request, then the card."""
    key = "outcome.extension_approved" if approved else "outcome.extension_rejected"
    due = outcome.item.due.isoformat() if outcome.item.due else "-"
    headline = t(
        lang,
        key,
        number=outcome.item.number,
        problem=esc(outcome.item.problem),
        who=esc(actor),
        due=due,
    )
    return _card_with_headline(outcome, headline, lang)


def prompt(kind: Prefix, number: int, lang: str) -> str:
    """Ask the user to reply with progress or a reason for item ``number``."""
    return t(lang, f"prompt.{kind}", number=number)


def card_number(buttons: Sequence[str]) -> int | None:
    """The item of a card, recognised by its card buttons (``progress:N`` …); None otherwise."""
    for data in buttons:
        button = unpack(data)
        if isinstance(button, CardButton):
            return button.number
    return None


def acknowledged(outcome: Outcome, lang: str) -> str:
    """已签收 #N: the acknowledgement is recorded, and it is not progress."""
    number = outcome.item.number
    headline = t(lang, "outcome.acknowledged", number=number, problem=esc(outcome.item.problem))
    return headline + "\n" + t(lang, "outcome.acknowledged_note", number=number)


def reply_target(text: str, buttons: Sequence[str], lang: str) -> tuple[Prefix, int] | None:
    """Which item (and what) a reply to one of the bot's messages is about, if any.

    Only two kinds of message take replies: an item card (recognised by its card buttons,
    ``progress:N`` …) and a prompt that asked for progress or a reason (its exact text).
    Replies to anything else — lists, digests, notices, errors — are conversation.
    """
    number = card_number(buttons)
    if number is not None:
        return Prefix.PROGRESS, number
    match = _FIRST_NUMBER.search(text.split("\n", 1)[0])
    if match is None:
        return None
    number = int(match.group(1))
    for kind in PROMPT_KINDS:
        if any(text == prompt(kind, number, language) for language in (lang, *LANGUAGES)):
            return kind, number
    return None
