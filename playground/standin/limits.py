"""Telegram's limits on what a bot sends, and the refusals when it oversteps them.

Text is measured as Telegram measures it: after ``parse_mode`` markup is parsed into entities
and surrounding whitespace is trimmed, in UTF-16 code units (so an emoji outside the Basic
Multilingual Plane counts twice, a Chinese character once). Flood limits, which depend on
time rather than content, are in :mod:`playground.standin.flood`.
"""

from __future__ import annotations

from typing import Any

from playground.standin.formatting import (
    EntityParseError,
    parse_html,
    strip_with_entities,
    utf16_len,
)
from playground.standin.protocol import ApiError

__all__ = [
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_DOWNLOAD_BYTES",
    "MAX_INLINE_BUTTONS",
    "MAX_TEXT_LENGTH",
    "MAX_UPLOAD_BYTES",
    "checked_caption",
    "checked_markup",
    "checked_text",
]

JSONDict = dict[str, Any]

MAX_TEXT_LENGTH = 4096  # UTF-16 code units after entity parsing
MAX_CAPTION_LENGTH = 1024  # likewise
MAX_CALLBACK_DATA_BYTES = 64  # UTF-8 bytes
MAX_INLINE_BUTTONS = 100  # in one inline keyboard
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_BUTTON_PREFIX = "Bad Request: can't parse inline keyboard button: "


def parse_text(
    text: str, parse_mode: str | None, entities: Any, *, strict_ampersand: bool
) -> tuple[str, list[JSONDict]]:
    """The plain text and entities Telegram makes of ``text``; 400 for markup it refuses."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            plain, found = parse_html(text, strict_ampersand=strict_ampersand)
        except EntityParseError as error:
            raise ApiError(400, f"Bad Request: can't parse entities: {error}") from None
    elif mode in ("", "markdown", "markdownv2"):
        # Markdown is passed through unparsed: this project sends HTML.
        plain = text
        found = [dict(e) for e in entities] if isinstance(entities, list) else []
    else:
        raise ApiError(400, "Bad Request: unsupported parse_mode")
    return strip_with_entities(plain, found)


def checked_text(
    text: Any, parse_mode: str | None, entities: Any, *, strict_ampersand: bool
) -> tuple[str, list[JSONDict]]:
    """A message text parsed as :func:`parse_text`; 400 if empty or over 4096 UTF-16 units."""
    if not isinstance(text, str) or not text:
        raise ApiError(400, "Bad Request: message text is empty")
    plain, found = parse_text(text, parse_mode, entities, strict_ampersand=strict_ampersand)
    if not plain:
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(plain) > MAX_TEXT_LENGTH:
        raise ApiError(400, "Bad Request: message is too long")
    return plain, found


def checked_caption(
    caption: str, parse_mode: str | None, entities: Any, *, strict_ampersand: bool
) -> tuple[str, list[JSONDict]]:
    """A media caption parsed as :func:`parse_text`; 400 if over 1024 UTF-16 units."""
    plain, found = parse_text(caption, parse_mode, entities, strict_ampersand=strict_ampersand)
    if utf16_len(plain) > MAX_CAPTION_LENGTH:
        raise ApiError(400, "Bad Request: message caption is too long")
    return plain, found


def checked_markup(markup: Any, *, inline_only: bool) -> JSONDict | None:
    """A ``reply_markup`` Telegram accepts (only inline keyboards with ``inline_only``)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ApiError(
                400,
                'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup '
                "must be an Array of Arrays",
            )
        buttons = [button for row in rows for button in row]
        for button in buttons:
            _check_button(button)
        if len(buttons) > MAX_INLINE_BUTTONS:
            raise ApiError(400, "Bad Request: reply markup is too long")
        return markup
    if not inline_only and any(
        key in markup for key in ("keyboard", "remove_keyboard", "force_reply")
    ):
        return markup
    raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")


def _check_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise ApiError(400, _BUTTON_PREFIX + "InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise ApiError(400, _BUTTON_PREFIX + 'Field "text" must be of type String')
    if not text.strip():
        raise ApiError(400, _BUTTON_PREFIX + "Text must be non-empty")
    if not any(key in button for key in _BUTTON_ACTIONS):
        raise ApiError(400, _BUTTON_PREFIX + "Text buttons are unallowed in the inline keyboard")
    if "url" in button and not isinstance(button["url"], str):
        raise ApiError(400, _BUTTON_PREFIX + 'Field "url" must be of type String')
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str):
            raise ApiError(400, _BUTTON_PREFIX + 'Field "callback_data" must be of type String')
        if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
