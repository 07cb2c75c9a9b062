"""What a use case hands back to be shown: the item after a change, or a list of items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.deadline import Deadline
from domain.groups import GroupContext
from domain.items import ItemSnapshot
from domain.settings import GroupSettings


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
    # Waiting 延期申请 the change withdrew, and the messages whose buttons no longer apply.
    withdrawn_extensions: int = 0
    stale_messages: tuple[int, ...] = ()


@dataclass(frozen=True)
class Listing:
    """A list of items for ``/list`` or ``/mine``."""

    items: tuple[ItemSnapshot, ...]
    today: date
    settings: GroupSettings
    title: str = ""
