"""Rectification items: statuses, display states, owners and the rules of who may do what."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from domain.deadline import Deadline, DeadlineKind
from domain.errors import UserError
from domain.typed import has_visible_text

MAX_PROBLEM_LENGTH = 4000
MAX_FIELD_LENGTH = 500


class Status(StrEnum):
    """Life cycle of an item: 整改中 → 待验收 → 已销号."""

    OPEN = "open"
    PENDING = "pending"
    CLOSED = "closed"


class DueKind(StrEnum):
    """How an item's deadline is expressed."""

    NONE = "none"
    DATE = "date"
    SOFT = "soft"
    LONG_TERM = "long_term"


_DUE_KINDS = {
    DeadlineKind.DATE: DueKind.DATE,
    DeadlineKind.SOFT: DueKind.SOFT,
    DeadlineKind.LONG_TERM: DueKind.LONG_TERM,
}


def due_kind_of(deadline: Deadline) -> DueKind:
    """The stored kind of a parsed deadline."""
    return _DUE_KINDS[deadline.kind]


class ExtensionStatus(StrEnum):
    """Where a 延期申请 stands."""

    WAITING = "waiting"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # the item was closed or deleted before anyone decided


class ProgressKind(StrEnum):
    """A progress entry, or the note and evidence that came with a 销号 request."""

    PROGRESS = "progress"
    DONE = "done"


class Display(StrEnum):
    """What a reader sees at a glance (icons in the catalogue)."""

    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PENDING = "pending"
    CLOSED = "closed"
    LONG_TERM = "long_term"
    DELETED = "deleted"


class EventKind(StrEnum):
    """Every kind of change the event log records."""

    CREATED = "created"
    CLAIMED = "claimed"
    ASSIGNED = "assigned"
    PROGRESS = "progress"
    DONE = "done"
    APPROVED = "approved"
    REJECTED = "rejected"
    REOPENED = "reopened"
    DEADLINE = "deadline"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_APPROVED = "extension_approved"
    EXTENSION_REJECTED = "extension_rejected"
    EXTENSION_WITHDRAWN = "extension_withdrawn"
    EDITED = "edited"
    DELETED = "deleted"
    UNDELETED = "undeleted"
    OWNER_LINKED = "owner_linked"
    MEASURE_DONE = "measure_done"
    # The committee tree: an item handed down to branches, and what follows from its copies.
    DISPATCHED = "dispatched"
    BRANCHES_CLOSED = "branches_closed"
    # Events of a group itself (no item): linked under a parent, a branch linked below …
    JOINED_PARENT = "joined_parent"
    BRANCH_JOINED = "branch_joined"
    LEFT_PARENT = "left_parent"
    BRANCH_LEFT = "branch_left"
    ACKNOWLEDGED = "acknowledged"  # 已签收: a reply that only acknowledges, not progress


@dataclass(frozen=True)
class Actor:
    """Who is acting: a Telegram user, and whether they are an admin of the group.

    An administrator posting anonymously is ``anonymous``: an admin whose ``user_id`` is the
    group's own (negative) chat id, never a person's, so never an owner.
    """

    user_id: int
    name: str
    username: str | None = None
    is_admin: bool = False
    anonymous: bool = False


@dataclass(frozen=True)
class OwnerRef:
    """An owner: a linked user, a pending @username, or a plain name."""

    name: str
    user_id: int | None = None
    username: str | None = None

    @property
    def is_pending(self) -> bool:
        """True for an @username not yet linked to a user id."""
        return self.user_id is None and self.username is not None

    @property
    def is_plain_name(self) -> bool:
        """True for a name typed as text (e.g. 李四) with no account."""
        return self.user_id is None and self.username is None

    def named(self, name: str) -> bool:
        """True for a plain-name owner whose name is ``name`` (spaces ignored)."""
        return self.is_plain_name and self.name.replace(" ", "") == name.replace(" ", "")

    def same_person(self, other: OwnerRef) -> bool:
        """True when both refer to the same user, username or name."""
        if self.user_id is not None and other.user_id is not None:
            return self.user_id == other.user_id
        if self.username and other.username:
            return self.username.lower() == other.username.lower()
        return self.user_id is None and other.user_id is None and self.name == other.name


@dataclass(frozen=True)
class MeasureView:
    """One 整改措施 with its tick."""

    text: str
    done: bool = False


@dataclass(frozen=True)
class ProgressView:
    """One 推进情况 entry."""

    author: str
    text: str
    at: datetime
    file_id: str | None = None
    file_kind: str | None = None
    kind: str = "progress"


@dataclass(frozen=True)
class ExtensionView:
    """One 延期申请 and its outcome."""

    id: int
    requested_by: str
    old_due: date | None
    new_due: date
    new_phrase: str
    reason: str
    status: str
    after_deadline: bool
    at: datetime


@dataclass(frozen=True)
class DueValue:
    """A deadline as the event log keeps it: its kind, and the day unless none or long-term."""

    kind: DueKind
    day: date | None = None


@dataclass(frozen=True)
class EventChange:
    """What one event changed, as data: each kind of event fills the fields it needs.

    ``text`` is the free text that came with it (a reason, a comment, a progress note);
    deadlines are ``old_due``/``new_due``; an edit names its ``field`` with the old and new
    value; an assignment lists the owners' names before and after; a tick lists the measures
    (counted from 1); a linked owner gives the ``username`` they were named by. In the
    committee tree, ``groups`` names the other groups involved (the branches an item was
    dispatched to, the committee a copy came from, the parent or branch of a link) and
    ``number`` the other item (the committee's item of a copy, or a branch's copy).
    """

    text: str = ""
    old_due: DueValue | None = None
    new_due: DueValue | None = None
    field: str = ""
    old_value: str = ""
    new_value: str = ""
    old_owners: tuple[str, ...] = ()
    new_owners: tuple[str, ...] = ()
    measures: tuple[int, ...] = ()
    username: str = ""
    imported: bool = False
    groups: tuple[str, ...] = ()
    number: int | None = None


NO_CHANGE = EventChange()  # an event that is its own news: claimed, deleted, restored


@dataclass(frozen=True)
class EventView:
    """One line of the event log: what happened, who did it, when, and what changed."""

    kind: EventKind
    actor: str
    at: datetime
    change: EventChange = NO_CHANGE


@dataclass(frozen=True)
class ItemRef:
    """Another group's item, as a card names it: 机关党委 #12."""

    group_title: str
    number: int


@dataclass(frozen=True)
class CopyState:
    """Where a branch's copy of a dispatched item stands (shown on the committee's card)."""

    group_id: int
    group_title: str
    number: int
    status: Status
    deleted: bool = False


@dataclass(frozen=True)
class ItemSnapshot:
    """Everything shown about one item, read in one go from storage."""

    id: int
    group_id: int
    number: int
    problem: str
    status: Status
    due_kind: DueKind
    due: date | None
    due_phrase: str
    created_at: datetime
    created_by: int
    created_by_name: str
    category: str = ""
    unit: str = ""
    lead: str = ""
    source: str = ""
    detail: str = ""
    original_due: date | None = None
    deleted: bool = False
    return_count: int = 0
    extension_count: int = 0
    closed_at: datetime | None = None
    closed_by_name: str = ""
    pending_since: datetime | None = None
    owners: tuple[OwnerRef, ...] = ()
    measures: tuple[MeasureView, ...] = ()
    progress: tuple[ProgressView, ...] = ()
    extensions: tuple[ExtensionView, ...] = ()
    events: tuple[EventView, ...] = field(default=(), compare=False)
    group_title: str = ""
    parent_item_id: int | None = None
    origin: ItemRef | None = None  # the committee's item this copy was dispatched from
    copies: tuple[CopyState, ...] = ()  # the branches' copies of this item, if dispatched

    def is_owner(self, user_id: int) -> bool:
        """True when ``user_id`` is one of the owners."""
        return any(owner.user_id == user_id for owner in self.owners)

    @property
    def is_active(self) -> bool:
        """True for open or pending items that are not deleted."""
        return not self.deleted and self.status is not Status.CLOSED


def open_copies(item: ItemSnapshot) -> tuple[CopyState, ...]:
    """The branches' copies of a dispatched item not closed yet (none if not dispatched)."""
    return tuple(c for c in item.copies if not c.deleted and c.status is not Status.CLOSED)


def is_dispatched(item: ItemSnapshot) -> bool:
    """True when the item was handed down to branches (it has a copy that was not deleted)."""
    return any(not copy.deleted for copy in item.copies)


def days_left(item: ItemSnapshot, today: date) -> int | None:
    """Days until the deadline (negative when overdue), None without a date."""
    if item.due is None or item.due_kind in (DueKind.NONE, DueKind.LONG_TERM):
        return None
    return (item.due - today).days


def display_state(item: ItemSnapshot, today: date, warn_days: int = 7) -> Display:
    """The derived state a reader sees: overdue, due soon, pending, closed, long-term, open."""
    if item.deleted:
        return Display.DELETED
    if item.status is Status.CLOSED:
        return Display.CLOSED
    left = days_left(item, today)
    if left is not None and left < 0:
        return Display.OVERDUE
    if item.status is Status.PENDING:
        return Display.PENDING
    if item.due_kind is DueKind.LONG_TERM:
        return Display.LONG_TERM
    if left is not None and left <= warn_days:
        return Display.DUE_SOON
    return Display.OPEN


_ITEM_REF = re.compile(r"^#?(\d{1,9})$")
# 第一党支部#3 (or 第一党支部 #3): an item of a group below, as a committee writes it.
_GROUP_ITEM_REF = re.compile(
    r"^(?P<group>\S.*?)\s*#\s*(?P<number>\d{1,9})(?:\s+(?P<rest>.*))?$", re.DOTALL
)


def parse_item_number(text: str) -> int:
    """Read an item reference such as ``3``, ``#3`` or ``＃3``."""
    normalised = unicodedata.normalize("NFKC", text.strip())
    match = _ITEM_REF.match(normalised)
    if match is None or int(match.group(1)) == 0:
        raise UserError("error.item_number", given=text.strip())
    return int(match.group(1))


# A number run into Chinese words (2已补齐); 1e3, #2.5 or an 11-digit number are no such thing.
_NUMBER_THEN_WORDS = re.compile(r"^#?(\d{1,9})([\u3400-\u9fff].*)$", re.DOTALL)


def item_number_error(command: str, given: str) -> UserError:
    """``error.item_number`` for ``/command``, its example that command as it was meant.

    ``2已补齐`` (no space after the number) gets ``/done 2 已补齐``; anything else ``/done 12``.
    """
    match = _NUMBER_THEN_WORDS.match(unicodedata.normalize("NFKC", given.strip()))
    if match is not None and int(match.group(1)) > 0:
        example = f"/{command} {match.group(1)} {match.group(2).strip()}"
        return UserError("error.item_number_space", given=given, example=example)
    return UserError("error.item_number_for", given=given, example=f"/{command} 12")


_REPLY_ABOUT_ITEM = re.compile(
    r"^(?:#(\d{1,9})\s*|第(\d{1,9})[项条号]\s*|(\d{1,9})\s+)(\S.*)$", re.DOTALL
)


def reply_about_item(text: str) -> tuple[int, str] | None:
    """``#3 已完成``, ``第3项已完成`` or ``3 已完成`` (naming an item first): (3, ``已完成``).

    ``3月底前完成`` names no item: a bare number must be followed by a space.
    """
    match = _REPLY_ABOUT_ITEM.match(unicodedata.normalize("NFKC", text.strip()))
    if match is None:
        return None
    number = int(match.group(1) or match.group(2) or match.group(3))
    return (number, " ".join(match.group(4).split())) if number > 0 else None


def split_item_ref(text: str) -> tuple[str, int, str]:
    """``第一党支部#3 附件`` → (``第一党支部``, 3, ``附件``); ``3 附件`` → ("", 3, ``附件``)."""
    stripped = text.strip()
    match = _GROUP_ITEM_REF.match(unicodedata.normalize("NFKC", stripped))
    if match is not None and int(match.group("number")) > 0:
        return match.group("group").strip(), int(match.group("number")), match.group("rest") or ""
    parts = stripped.split(maxsplit=1)
    if not parts:
        raise UserError("error.item_number", given="")
    return "", parse_item_number(parts[0]), parts[1].strip() if len(parts) > 1 else ""


MAX_ITEMS_AT_ONCE = 30  # one answer listing each stays within a Telegram message
_ITEM_RANGE = re.compile(r"^#?(\d{1,9})[-~～至到]#?(\d{1,9})$")
_ITEM_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _item_refs(word: str) -> list[int] | None:
    """The items one word names (``3``, ``#3``, ``3-5``), None if it names none."""
    normalised = unicodedata.normalize("NFKC", word)
    span = _ITEM_RANGE.match(normalised)
    if span is None:
        single = _ITEM_REF.match(normalised)
        return None if single is None else [parse_item_number(word)]
    first, last = int(span[1]), int(span[2])
    if first == 0 or last < first:
        raise UserError("error.item_range", given=word)
    if last - first >= MAX_ITEMS_AT_ONCE:
        raise UserError("error.too_many_items", limit=MAX_ITEMS_AT_ONCE)
    return list(range(first, last + 1))


def parse_item_numbers(text: str) -> tuple[tuple[int, ...], str]:
    """The items named first (``1 2 3``, ``3-5``, ``#1,#4``) and the rest of the text.

    The first word must name an item; each number is taken once, in the order typed.
    """
    words = _ITEM_SEPARATORS.split(text.strip(), maxsplit=MAX_ITEMS_AT_ONCE + 1)
    numbers: list[int] = []
    rest = text.strip()
    for word in words:
        found = _item_refs(word) if word else None
        if found is None:
            break
        numbers += [n for n in found if n not in numbers]
        rest = rest[rest.index(word) + len(word) :].lstrip(" \t,，、;；")
    if not numbers:
        return (parse_item_number(words[0]),), ""  # refused, naming what was typed
    if len(numbers) > MAX_ITEMS_AT_ONCE:
        raise UserError("error.too_many_items", limit=MAX_ITEMS_AT_ONCE)
    return tuple(numbers), rest.lstrip("\n")


def names_items(text: str) -> bool:
    """True when ``text`` is nothing but item numbers (``2``, ``2 3``, ``#4-6``)."""
    words = [word for word in _ITEM_SEPARATORS.split(text.strip()) if word]
    try:
        return bool(words) and all(_item_refs(word) is not None for word in words)
    except UserError:
        return True  # a malformed range (5-3) still names items


# --- permissions ---------------------------------------------------------------------------


def require_admin(actor: Actor, action: str) -> None:
    """Refuse unless the actor is an admin."""
    if not actor.is_admin:
        raise UserError("error.admin_only", action=action)


def require_owner_or_admin(item: ItemSnapshot, actor: Actor, action: str) -> None:
    """Refuse unless the actor owns the item or is an admin."""
    if not (actor.is_admin or item.is_owner(actor.user_id)):
        raise UserError("error.owner_only", number=item.number, action=action)


def require_creator_or_admin(item: ItemSnapshot, actor: Actor, action: str) -> None:
    """Refuse unless the actor registered the item or is an admin."""
    if not (actor.is_admin or item.created_by == actor.user_id):
        raise UserError("error.creator_only", number=item.number, action=action)


_ALL_MEASURES = frozenset({"全部", "所有", "all"})
_RANGE = re.compile(r"^(\d+)[-~～至到](\d+)$")


def measure_positions(item: ItemSnapshot, typed: str) -> list[int]:
    """Measures typed for ``/tick`` (``2``, ``1 3``, ``1-3``, ``全部``) as 0-based positions."""
    if not item.measures:
        raise UserError("error.no_measures_yet", number=item.number)
    count = len(item.measures)
    positions: list[int] = []
    for word in re.split(r"[\s,，、]+", unicodedata.normalize("NFKC", typed).strip()):
        if word.lower() in _ALL_MEASURES:
            return list(range(count))
        span = _RANGE.match(word)
        first, last = (int(span[1]), int(span[2])) if span else (_digits(word), _digits(word))
        if not 1 <= first <= last <= count:
            raise UserError("error.no_measure", number=item.number, given=word, count=count)
        positions.extend(range(first - 1, last))
    return positions


def measures_to_tick(item: ItemSnapshot, typed: str) -> list[int]:
    """The measures ``/tick`` marks done now; all of them already done is a UserError."""
    positions = measure_positions(item, typed)
    if all(item.measures[position].done for position in positions):
        numbers = "、".join(str(position + 1) for position in sorted(set(positions)))
        raise UserError("error.measures_already_done", number=item.number, measures=numbers)
    return positions


def _digits(word: str) -> int:
    return int(word) if word.isdigit() else 0


def check_problem_text(text: str) -> str:
    """Validate the problem text of a new or edited item."""
    cleaned = text.strip()
    if not has_visible_text(cleaned):
        raise UserError("error.problem_empty")
    if len(cleaned) > MAX_PROBLEM_LENGTH:
        raise UserError("error.problem_too_long", length=len(cleaned), limit=MAX_PROBLEM_LENGTH)
    return cleaned


def check_field_text(text: str, label: str) -> str:
    """Validate a short field (unit, lead, category)."""
    cleaned = text.strip()
    if len(cleaned) > MAX_FIELD_LENGTH:
        raise UserError("error.field_too_long", field=label, limit=MAX_FIELD_LENGTH)
    return cleaned
