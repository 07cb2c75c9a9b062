"""Text helpers: escaping, clipping, and fitting HTML into Telegram's limits.

Telegram measures a message after parsing its HTML into plain text plus entities, in UTF-16
code units: a Chinese character counts 1, an emoji or any other character outside the Basic
Multilingual Plane counts 2, a tag counts nothing and ``&amp;`` counts as the one character
it stands for. :func:`visible_length` measures exactly that, so what :func:`split_html`,
:func:`fit_message` and :func:`paginate` produce is what Telegram accepts (README: Message
limits).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

TELEGRAM_LIMIT: Final = 4096  # a message's text, in UTF-16 code units after entity parsing
CAPTION_LIMIT: Final = 1024  # a photo's or a document's caption, measured the same way
MAX_BUTTONS: Final = 100  # inline buttons in one keyboard
_TOKEN = re.compile(r"<[^>]*>|&[#\w]+;|.", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z-]+)")


def esc(text: object) -> str:
    """Escape user text for Telegram's HTML parse mode."""
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class Button:
    """An inline button: a label and its callback data (≤ 64 bytes)."""

    label: str
    data: str


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Rendered:
    """A message ready to send: HTML text, optional buttons, and what to say if it is cut.

    ``overflow`` is the line that replaces whatever does not fit when the text must go out as
    one message (a message edited in place cannot become two): it says how to see the rest.
    A keyboard of more than :data:`MAX_BUTTONS` buttons is a programming error.
    """

    text: str
    keyboard: Keyboard = ()
    overflow: str = ""

    def __post_init__(self) -> None:
        buttons = sum(len(row) for row in self.keyboard)
        if buttons > MAX_BUTTONS:
            raise ValueError(f"{buttons} buttons in one keyboard (Telegram allows {MAX_BUTTONS})")


def clip(text: str, limit: int) -> str:
    """``text`` on one line of at most ``limit`` characters: whitespace folded, "…" when cut."""
    folded = " ".join(text.split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


def utf16_length(text: str) -> int:
    """Length of plain ``text`` in UTF-16 code units, Telegram's unit."""
    return len(text.encode("utf-16-le")) // 2


def _weight(token: str) -> int:
    """What one token of :data:`_TOKEN` adds to the length Telegram measures."""
    if token.startswith("<"):
        return 0
    if token.startswith("&"):
        return utf16_length(html.unescape(token))
    return 2 if ord(token) > 0xFFFF else 1


def visible_length(fragment: str) -> int:
    """The length Telegram measures: tags removed, entities decoded, in UTF-16 code units."""
    return sum(_weight(token) for token in _TOKEN.findall(fragment))


def _open_tags_after(tokens: list[str]) -> list[tuple[str, str]]:
    """The tags still open at the end of ``tokens``, as (name, opening tag), outermost first."""
    stack: list[tuple[str, str]] = []
    for token in tokens:
        match = _TAG_NAME.match(token) if token.startswith("<") else None
        if match is None:
            continue
        name = match.group(1).lower()
        if not token.startswith("</"):
            stack.append((name, token))
            continue
        while stack:
            if stack.pop()[0] == name:
                break
    return stack


def _closing(tags: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(tags))


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split HTML into messages of at most ``limit`` visible characters, at line ends if possible.

    Tags open at a split are closed and reopened, and no tag or entity is ever cut.
    """
    if visible_length(text) <= limit:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    count = 0
    last_newline = -1
    for token in _TOKEN.findall(text):
        weight = _weight(token)
        while weight and count and count + weight > limit:
            cut = last_newline if last_newline > 0 else len(current)
            head, tail = current[:cut], current[cut:]
            open_tags = _open_tags_after(head)
            parts.append("".join(head).rstrip("\n") + _closing(open_tags))
            current = [opening for _, opening in open_tags] + tail
            count = sum(_weight(t) for t in current)
            last_newline = -1
        current.append(token)
        count += weight
        if token == "\n":
            last_newline = len(current)
    if current:
        parts.append("".join(current))
    return [p for p in parts if _has_visible_text(p)]


def _has_visible_text(fragment: str) -> bool:
    """True unless the fragment shows nothing but white space (Telegram refuses that)."""
    return any(
        not token.startswith("<") and html.unescape(token).strip()
        for token in _TOKEN.findall(fragment)
    )


def join_messages(parts: list[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Put consecutive messages together, a blank line apart, as long as each still fits.

    Used where two scheduled messages fall together (a Monday's digest and weekly summary):
    one message instead of two, and no split that ``split_html`` would not make.
    """
    joined: list[str] = []
    for part in parts:
        if joined and len(split_html(f"{joined[-1]}\n\n{part}", limit)) == 1:
            joined[-1] = f"{joined[-1]}\n\n{part}"
        else:
            joined.append(part)
    return joined


def fit_message(text: str, overflow: str, limit: int = TELEGRAM_LIMIT) -> str:
    """``text`` as one message of at most ``limit``: when too long, its head and ``overflow``.

    For a message that cannot become several (an edit in place, a caption): the cut is at a
    line end where possible, and ``overflow`` (one line saying how to see the rest) ends it,
    so nothing is cut silently.
    """
    if visible_length(text) <= limit:
        return text
    room = limit - visible_length(overflow) - 1
    head = split_html(text, room)
    return (head[0] + "\n" + overflow) if head else overflow


def paginate(blocks: Sequence[str], budget: int, most: int | None = None) -> list[list[str]]:
    """Blocks (lines of HTML) packed into pages of at most ``budget`` visible characters.

    Each page holds whole blocks in order, joined by newlines, and at most ``most`` of them;
    a block longer than ``budget`` is split (:func:`split_html`) over several pages, never
    cut. The same blocks always give the same pages, so a page can be drawn again by number.
    """
    pages: list[list[str]] = []
    page: list[str] = []
    used = 0
    for block in blocks:
        for piece in split_html(block, budget):
            size = visible_length(piece)
            full = most is not None and len(page) >= most
            if page and (full or used + 1 + size > budget):
                pages.append(page)
                page, used = [], 0
            used += size + (1 if page else 0)
            page.append(piece)
    if page:
        pages.append(page)
    return pages
