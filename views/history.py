"""An item's history as sentences: one per event, for ``/show`` and for the export's 推进记录.

The event log stores what changed as data (:class:`~domain.items.EventChange`); here it is put
into words through the catalogue (``history.*``), in the reader's language. A sentence follows
the actor's name (``王书记 将时限由2026-11-30改为长期坚持``) and is plain text: the card escapes
it, the spreadsheet takes it as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, assert_never

from domain.items import DueKind, DueValue, EventChange, EventKind, EventView
from domain.vocabulary import EDIT_FIELDS
from i18n import t
from views.text import clip

SHORT_TEXT_LIMIT: Final = 60  # a reason or note on the card; the export keeps it whole
SHORT_VALUE_LIMIT: Final = 30  # an edited field's old or new value on the card
EDITABLE: Final = frozenset(field.value for field in EDIT_FIELDS)


class _Words:
    """How one reader sees one event: the language, and whether long text is clipped."""

    def __init__(self, lang: str, *, short: bool) -> None:
        self.lang = lang
        self.short = short

    def say(self, key: str, **params: object) -> str:
        """A catalogue sentence in the reader's language."""
        return t(self.lang, key, **params)

    def text(self, text: str) -> str:
        """Free text (a reason, a comment), clipped on the card."""
        return clip(text, SHORT_TEXT_LIMIT) if self.short else text

    def value(self, value: str) -> str:
        """An edited field's value in quotes, or (空) when blank."""
        if not value.strip():
            return self.say("field.blank")
        shown = clip(value, SHORT_VALUE_LIMIT) if self.short else value
        return self.say("history.value", value=shown)

    def due(self, due: DueValue) -> str:
        """A deadline: its date (marked 软时限), 长期坚持, or 未设定."""
        if due.kind is DueKind.LONG_TERM:
            return self.say("deadline.long_term")
        if due.day is None:
            return self.say("card.no_deadline")
        soft = self.say("card.soft_mark") if due.kind is DueKind.SOFT else ""
        return due.day.isoformat() + soft

    def names(self, names: Sequence[str]) -> str:
        """Owners' names joined the reader's way, or 未指定."""
        if not names:
            return self.say("card.nobody")
        return self.text(self.say("list.separator").join(names))


def event_sentence(event: EventView, lang: str, *, short: bool = False) -> str:
    """What the actor did, as a sentence in ``lang`` (``short``: long text clipped, for cards)."""
    words = _Words(lang, short=short)
    sentence = _sentence(event.kind, event.change, words)
    if sentence is not None:
        return sentence
    # An old record whose details are missing: say what kind of event it was, and its text.
    what = words.say(f"event.{event.kind.value}")
    text = event.change.text
    return words.say("history.unclear", what=what, text=words.text(text)) if text else what


def _sentence(kind: EventKind, change: EventChange, words: _Words) -> str | None:
    """The sentence of one kind of event; None when the change lacks what it needs."""
    match kind:
        case EventKind.DELETED | EventKind.UNDELETED if change.groups:
            return words.say(f"history.{kind.value}_with_committee", group=change.groups[0])
        case EventKind.CLAIMED | EventKind.DELETED | EventKind.UNDELETED:
            return words.say(f"history.{kind.value}")
        case EventKind.APPROVED if change.groups:
            return words.say("history.approved_with_committee", group=change.groups[0])
        case EventKind.REOPENED if change.groups and change.number is not None:
            return words.say(
                "history.reopened_with_copy", group=change.groups[0], number=change.number
            )
        case EventKind.REOPENED if change.groups:
            return words.say("history.reopened_with_committee", group=change.groups[0])
        case (
            EventKind.PROGRESS
            | EventKind.DONE
            | EventKind.APPROVED
            | EventKind.REJECTED
            | EventKind.REOPENED
            | EventKind.ACKNOWLEDGED
        ):
            return _with_text(f"history.{kind.value}", change, words)
        case EventKind.CREATED:
            return _created(change, words)
        case EventKind.ASSIGNED:
            return _assigned(change, words)
        case EventKind.DEADLINE:
            return _deadline(change, words)
        case EventKind.EXTENSION_REQUESTED:
            return _extension_requested(change, words)
        case (
            EventKind.EXTENSION_APPROVED
            | EventKind.EXTENSION_REJECTED
            | EventKind.EXTENSION_WITHDRAWN
        ):
            return _extension_decided(f"history.{kind.value}", change, words)
        case EventKind.EDITED:
            return _edited(change, words)
        case EventKind.OWNER_LINKED:
            return _owner_linked(change, words)
        case EventKind.MEASURE_DONE:
            return _measure_done(change, words)
        case (
            EventKind.DISPATCHED
            | EventKind.JOINED_PARENT
            | EventKind.BRANCH_JOINED
            | EventKind.LEFT_PARENT
            | EventKind.BRANCH_LEFT
        ):
            return _with_groups(f"history.{kind.value}", change, words)
        case EventKind.BRANCHES_CLOSED:
            return words.say("history.branches_closed")
        case _:
            assert_never(kind)


def _with_text(key: str, change: EventChange, words: _Words) -> str:
    """An event told by its name, with the reason or note that came with it, if any."""
    if change.text:
        return words.say(f"{key}_text", text=words.text(change.text))
    return words.say(key)


def _created(change: EventChange, words: _Words) -> str | None:
    if change.text:
        return None
    if change.groups and change.number is not None:
        return words.say("history.created_dispatched", group=change.groups[0], number=change.number)
    return words.say("history.created_imported" if change.imported else "history.created")


def _with_groups(key: str, change: EventChange, words: _Words) -> str | None:
    """An event of the tree, naming the other groups involved."""
    if not change.groups:
        return None
    return words.say(key, groups=words.say("list.separator").join(change.groups))


def _assigned(change: EventChange, words: _Words) -> str | None:
    if not change.new_owners:
        return None
    new = words.names(change.new_owners)
    if not change.old_owners:
        return words.say("history.assigned_first", new=new)
    return words.say("history.assigned", old=words.names(change.old_owners), new=new)


def _deadline(change: EventChange, words: _Words) -> str | None:
    if change.old_due is None or change.new_due is None:
        return None
    old, new = words.due(change.old_due), words.due(change.new_due)
    if change.groups:  # the committee moved its deadline, and this copy with it
        return words.say(
            "history.deadline_with_committee", old=old, new=new, group=change.groups[0]
        )
    return words.say("history.deadline", old=old, new=new)


def _extension_requested(change: EventChange, words: _Words) -> str | None:
    if change.old_due is None or change.new_due is None:
        return None
    old, new = words.due(change.old_due), words.due(change.new_due)
    if change.text:
        text = words.text(change.text)
        return words.say("history.extension_requested_text", old=old, new=new, text=text)
    return words.say("history.extension_requested", old=old, new=new)


def _extension_decided(key: str, change: EventChange, words: _Words) -> str | None:
    """What became of a 延期申请 (approved, rejected, withdrawn), naming the date asked for."""
    if change.new_due is None:
        return None
    return words.say(key, new=words.due(change.new_due))


def _edited(change: EventChange, words: _Words) -> str | None:
    if change.field not in EDITABLE:
        return None
    key, committee = "history.edited", {}
    if change.groups:  # the committee edited its item, and this copy with it
        key, committee = "history.edited_with_committee", {"group": change.groups[0]}
    return words.say(
        key,
        field=words.say(f"field.{change.field}"),
        old=words.value(change.old_value),
        new=words.value(change.new_value),
        **committee,
    )


def _owner_linked(change: EventChange, words: _Words) -> str | None:
    if not change.username:
        return None
    return words.say("history.owner_linked", username=change.username)


def _measure_done(change: EventChange, words: _Words) -> str | None:
    if not change.measures:
        return None
    key = "history.measure_done" if len(change.measures) == 1 else "history.measure_done_many"
    positions = words.say("list.separator").join(str(n) for n in change.measures)
    return words.say(key, positions=positions)
