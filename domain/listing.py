"""Words users type to choose what to see: list filters and the files of an item."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import StrEnum

from domain.errors import UserError
from domain.items import DueKind, ItemSnapshot, OwnerRef, Status, days_left


class ListFilter(StrEnum):
    """What ``/list`` shows."""

    OPEN = "open"
    OVERDUE = "overdue"
    PENDING = "pending"
    DONE = "done"
    ALL = "all"
    MINE = "mine"
    USER = "user"


_ALIASES = {
    "在办": ListFilter.OPEN,
    "整改中": ListFilter.OPEN,
    "逾期": ListFilter.OVERDUE,
    "待验收": ListFilter.PENDING,
    "已销号": ListFilter.DONE,
    "销号": ListFilter.DONE,
    "closed": ListFilter.DONE,
    "全部": ListFilter.ALL,
    "我的": ListFilter.MINE,
}
_FILES_WORDS = frozenset({"附件", "文件", "照片", "files", "file", "attachments"})


def read_list_filter(word: str) -> ListFilter:
    """``/list`` filter from a word (English or Chinese); empty means open items."""
    text = word.strip()
    if not text:
        return ListFilter.OPEN
    if text in _ALIASES:
        return _ALIASES[text]
    try:
        return ListFilter(text.lower())
    except ValueError:
        raise UserError("error.list_filter", given=text) from None


def wants_files(word: str) -> bool:
    """True for ``/show N 附件`` (the item's evidence files, not its card)."""
    return word.strip().lower() in _FILES_WORDS


def matches(
    item: ItemSnapshot, which: ListFilter, user_id: int, who: OwnerRef | None, today: date
) -> bool:
    """True when ``item`` belongs in ``/list which`` for the reader ``user_id``."""
    left = days_left(item, today)
    checks: dict[ListFilter, Callable[[], bool]] = {
        ListFilter.OPEN: lambda: item.is_active,
        ListFilter.OVERDUE: lambda: item.is_active and left is not None and left < 0,
        ListFilter.PENDING: lambda: item.status is Status.PENDING,
        ListFilter.DONE: lambda: item.status is Status.CLOSED,
        ListFilter.ALL: lambda: True,
        ListFilter.MINE: lambda: item.is_active and item.is_owner(user_id),
        ListFilter.USER: lambda: (
            item.is_active
            and who is not None
            and any(o.same_person(who) or o.named(who.name) for o in item.owners)
        ),
    }
    return checks[which]()


def sort_by_deadline(items: Sequence[ItemSnapshot]) -> list[ItemSnapshot]:
    """Dated items first by date, then items without a deadline, then long-term; ties by number."""

    def key(item: ItemSnapshot) -> tuple[int, date, int]:
        if item.due is not None:
            return (0, item.due, item.number)
        rank = 1 if item.due_kind is DueKind.NONE else 2
        return (rank, date.max, item.number)

    return sorted(items, key=key)


def sort_by_closing(items: Sequence[ItemSnapshot]) -> list[ItemSnapshot]:
    """Closed items, the most recently closed (销号) first."""
    return sorted(items, key=lambda i: (i.closed_at or i.created_at, i.number), reverse=True)
