"""Text helpers: escaping, clipping and splitting HTML at Telegram's 4096-character limit."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

TELEGRAM_LIMIT = 4096
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
    """A message ready to send: HTML text and optional buttons."""

    text: str
    keyboard: Keyboard = ()


def clip(text: str, limit: int) -> str:
    """``text`` on one line of at most ``limit`` characters: whitespace folded, "…" when cut."""
    folded = " ".join(text.split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


def visible_length(fragment: str) -> int:
    """Characters Telegram counts: tags removed, entities as one character."""
    return sum(1 for token in _TOKEN.findall(fragment) if not token.startswith("<"))


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
    margin = limit
    parts: list[str] = []
    current: list[str] = []
    count = 0
    last_newline = -1
    for token in _TOKEN.findall(text):
        current.append(token)
        if not token.startswith("<"):
            count += 1
        if token == "\n":
            last_newline = len(current)
        if count >= margin:
            cut = last_newline if last_newline > 0 else len(current)
            head, tail = current[:cut], current[cut:]
            open_tags = _open_tags_after(head)
            parts.append("".join(head).rstrip("\n") + _closing(open_tags))
            current = [opening for _, opening in open_tags] + tail
            count = sum(1 for t in current if not t.startswith("<"))
            last_newline = -1
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
