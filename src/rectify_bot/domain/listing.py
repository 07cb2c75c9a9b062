"""Words users type to choose what to see: list filters and the files of an item."""

from __future__ import annotations

from enum import StrEnum

from rectify_bot.domain.errors import UserError


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
