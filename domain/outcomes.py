"""What a use case hands back to be shown: the item after a change, or a list of items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.deadline import Deadline
from domain.figures import Figures
from domain.groups import GroupContext
from domain.items import ItemSnapshot
from domain.settings import GroupSettings
from domain.tree import NameMatch


@dataclass(frozen=True)
class MessageRef:
    """A message the bot sent, in some chat (its buttons may have to be taken away)."""

    chat_id: int
    message_id: int


class CopyFollowed(StrEnum):
    """What a branch's copy did because the item above it changed."""

    CLOSED = "closed"
    DELETED = "deleted"
    RESTORED = "restored"
    REOPENED = "reopened"
    EDITED = "edited"  # its 问题, 整改措施 or 时限


@dataclass(frozen=True)
class FollowedCopy:
    """A branch's copy that followed a change of the item above it: the branch is told."""

    branch: GroupContext
    number: int
    committee: str  # the group whose item changed
    committee_number: int
    how: CopyFollowed


@dataclass(frozen=True)
class Outcome:
    """The result of one change: the group, the item after it, and what to tell the user."""

    group: GroupContext
    item: ItemSnapshot
    today: date
    pending_owners: tuple[str, ...] = ()
    extension_id: int | None = None
    deadline: Deadline | None = None
    # A new item whose line named two deadlines: the member is asked which one.
    deadline_choices: tuple[Deadline, ...] = ()
    # Words of a new item's line taken as owners because members are called so.
    named_owners: tuple[str, ...] = ()
    # Waiting 延期申请 the change withdrew, and the messages whose buttons no longer apply
    # (in this group, and in the groups whose items followed the change).
    withdrawn_extensions: int = 0
    stale_messages: tuple[MessageRef, ...] = ()
    # Copies below that closed, were deleted, restored or edited with the item: each branch is told.
    followed_copies: tuple[FollowedCopy, ...] = ()
    # A new item whose 问题 an open item of the group already has (registered twice?).
    same_problem: int | None = None
    # 责任单位 edited on an item already handed down: the copies stay; say how to hand it on.
    redispatch_hint: bool = False
    # A new item a committee handed down by its 责任单位, in the same transaction.
    dispatch: Dispatch | None = None


@dataclass(frozen=True)
class Listing:
    """A list of items for ``/list`` or ``/mine``."""

    items: tuple[ItemSnapshot, ...]
    today: date
    settings: GroupSettings
    title: str = ""


@dataclass(frozen=True)
class DispatchedCopy:
    """One branch's copy of a dispatched item."""

    branch: GroupContext
    item: ItemSnapshot


@dataclass(frozen=True)
class Dispatch:
    """What ``/dispatch`` (or a 责任单位 naming branches) did, and what it could not do."""

    outcome: Outcome
    copies: tuple[DispatchedCopy, ...] = ()
    already: tuple[str, ...] = ()  # branches that hold a copy already
    unreachable: tuple[str, ...] = ()  # branches the bot was removed from
    unmatched: tuple[str, ...] = ()  # names that match no branch
    ambiguous: tuple[NameMatch, ...] = ()  # names that fit several branches: the user is asked
    admin_needed: bool = False  # a member named branches; only an admin can dispatch


@dataclass(frozen=True)
class BranchFigures:
    """One branch in ``/branches``: its own figures and its own branches' totals."""

    group: GroupContext
    own: Figures
    below: Figures | None  # the totals of the groups below it, when it has any
    below_count: int


@dataclass(frozen=True)
class BranchesReport:
    """What ``/branches`` shows: the branches of a group, in the order they were linked."""

    group: GroupContext
    branches: tuple[BranchFigures, ...]
    today: date


@dataclass(frozen=True)
class Imported:
    """What [确认导入] created: the items and, in a committee, their branches' copies."""

    items: tuple[ItemSnapshot, ...]
    copies: tuple[DispatchedCopy, ...] = ()
