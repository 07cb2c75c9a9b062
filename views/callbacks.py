"""Every inline button's callback data: packed and unpacked here, and nowhere else.

Telegram gives a button at most 64 bytes of data and hands them back when it is pressed. Each
kind of button has a prefix (:class:`Prefix`); the composition root registers one
``CallbackQueryHandler`` per prefix (:func:`pattern`), and that handler reads the rest with
:func:`unpack`. The formats are those of the buttons already posted in groups (``claim:12``,
``setdue:12:month``, ``pickdue:12:0``, ``ext:5:y``, ``page:open:1``, ``import:7:ok``), so old
messages keep working after an upgrade. Newer kinds: ``import:7:p2`` turns an import preview
to page 2, ``plog:12:1`` turns ``/show 12``'s progress one page back in time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

MAX_DATA_BYTES: Final = 64


class Prefix(StrEnum):
    """The first field of a button's data: which handler answers the press."""

    CLAIM = "claim"
    PROGRESS = "progress"
    DONE = "done"
    APPROVE = "approve"
    REJECT = "reject"
    DEADLINE = "setdue"
    PICK_DEADLINE = "pickdue"
    EXTENSION = "ext"
    PAGE = "page"
    IMPORT = "import"
    DISPATCH = "dispatch"
    PROGRESS_PAGE = "plog"


CARD_ACTIONS: Final = (Prefix.CLAIM, Prefix.PROGRESS, Prefix.DONE, Prefix.APPROVE, Prefix.REJECT)


class DeadlineChoice(StrEnum):
    """The deadline buttons under a card that has none: 本周内 … 暂不设定."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    LONG_TERM = "long"
    NONE = "none"


@dataclass(frozen=True)
class CardButton:
    """A card's action on item ``number``: claim, progress, done, approve or reject."""

    action: Prefix
    number: int


@dataclass(frozen=True)
class DeadlineButton:
    """One of the deadline choices offered for item ``number``."""

    number: int
    choice: DeadlineChoice


@dataclass(frozen=True)
class DeadlinePickButton:
    """One of the deadlines a line named for item ``number``: the ``index``-th of them."""

    number: int
    index: int


@dataclass(frozen=True)
class ExtensionButton:
    """An admin's decision on extension request ``extension_id``."""

    extension_id: int
    approve: bool


@dataclass(frozen=True)
class PageButton:
    """◀ ▶ of a list: which listing (a list filter, ``mine`` or ``u=<owner>``) and the page."""

    listing: str
    page: int


@dataclass(frozen=True)
class ImportButton:
    """[确认导入] or [取消] of import preview ``preview_id``."""

    preview_id: int
    confirm: bool


@dataclass(frozen=True)
class DispatchButton:
    """The branch chosen for item ``number`` after a name that fit several branches.

    ``name`` is the name typed (clipped to fit the data): the other names' buttons of the same
    message say which questions are still open when one is answered.
    """

    number: int
    group_id: int
    name: str = ""


@dataclass(frozen=True)
class ImportPageButton:
    """◀ ▶ of import preview ``preview_id``: which page of the preview to show."""

    preview_id: int
    page: int


@dataclass(frozen=True)
class ProgressPageButton:
    """◀ 更早 / 更近 ▶ under ``/show``: which page of item ``number``'s progress (0 = latest)."""

    number: int
    page: int


ButtonData = (
    CardButton
    | DeadlineButton
    | DeadlinePickButton
    | ExtensionButton
    | PageButton
    | ImportButton
    | DispatchButton
    | ImportPageButton
    | ProgressPageButton
)

_YES, _NO = "y", "n"
_OK, _CANCEL = "ok", "no"
_PAGE_MARK = "p"  # import:<id>:p<page>


def pack(data: ButtonData) -> str:
    """The callback data of a button (at most 64 bytes; a longer one is a programming error)."""
    packed = _pack(data)
    if len(packed.encode()) > MAX_DATA_BYTES:
        raise ValueError(f"callback data over {MAX_DATA_BYTES} bytes: {packed!r}")
    return packed


def _pack(data: ButtonData) -> str:
    if isinstance(data, CardButton):
        return f"{data.action}:{data.number}"
    if isinstance(data, DeadlineButton):
        return f"{Prefix.DEADLINE}:{data.number}:{data.choice}"
    if isinstance(data, DeadlinePickButton):
        return f"{Prefix.PICK_DEADLINE}:{data.number}:{data.index}"
    if isinstance(data, ExtensionButton):
        return f"{Prefix.EXTENSION}:{data.extension_id}:{_YES if data.approve else _NO}"
    if isinstance(data, PageButton):
        return f"{Prefix.PAGE}:{data.listing}:{data.page}"
    if isinstance(data, DispatchButton):
        head = f"{Prefix.DISPATCH}:{data.number}:{data.group_id}"
        room = MAX_DATA_BYTES - len(head.encode()) - 1
        name = _clip_bytes(data.name, room)
        return f"{head}:{name}" if name else head
    if isinstance(data, ImportPageButton):
        return f"{Prefix.IMPORT}:{data.preview_id}:{_PAGE_MARK}{data.page}"
    if isinstance(data, ProgressPageButton):
        return f"{Prefix.PROGRESS_PAGE}:{data.number}:{data.page}"
    return f"{Prefix.IMPORT}:{data.preview_id}:{_OK if data.confirm else _CANCEL}"


def _clip_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, at a character boundary."""
    return text.encode()[: max(limit, 0)].decode(errors="ignore")


def pattern(prefix: Prefix) -> str:
    """The regular expression that routes the presses of one prefix to its handler."""
    return rf"^{re.escape(prefix.value)}:"


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def unpack(raw: str | None) -> ButtonData | None:
    """Read a button's data back; None for anything malformed (foreign, truncated or forged)."""
    prefix, _, rest = (raw or "").partition(":")
    try:
        kind = Prefix(prefix)
    except ValueError:
        return None
    if kind in CARD_ACTIONS:
        number = _number(rest)
        return CardButton(kind, number) if number else None
    if kind is Prefix.PAGE:
        listing, _, page = rest.rpartition(":")
        index = _number(page)
        return PageButton(listing, index) if listing and index is not None else None
    first, _, second = rest.partition(":")
    ident = _number(first)
    if not ident:
        return None
    return _unpack_choice(kind, ident, second)


def _unpack_choice(kind: Prefix, ident: int, choice: str) -> ButtonData | None:
    """The buttons whose data is ``<prefix>:<id>:<choice>``."""
    if kind is Prefix.DEADLINE:
        try:
            return DeadlineButton(ident, DeadlineChoice(choice))
        except ValueError:
            return None
    if kind is Prefix.PICK_DEADLINE:
        index = _number(choice)
        return DeadlinePickButton(ident, index) if index is not None else None
    if kind is Prefix.EXTENSION and choice in (_YES, _NO):
        return ExtensionButton(ident, choice == _YES)
    if kind is Prefix.IMPORT and choice in (_OK, _CANCEL):
        return ImportButton(ident, choice == _OK)
    if kind is Prefix.DISPATCH:
        target, _, name = choice.partition(":")
        group_id = _number(target)
        return DispatchButton(ident, group_id, name) if group_id else None
    page = _number(choice.removeprefix(_PAGE_MARK)) if choice.startswith(_PAGE_MARK) else None
    if kind is Prefix.IMPORT and page is not None:
        return ImportPageButton(ident, page)
    page = _number(choice)
    if kind is Prefix.PROGRESS_PAGE and page is not None:
        return ProgressPageButton(ident, page)
    return None
