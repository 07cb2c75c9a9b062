"""Text rules of the Bot API: HTML parse mode, UTF-16 entity offsets and automatic entities.

Telegram measures entity offsets and lengths in UTF-16 code units, parses ``parse_mode=HTML``
into plain text plus entities (refusing malformed markup with ``can't parse entities: ...``),
and trims leading and trailing whitespace from what it stores. The error wording follows
tdlib's HTML parser, which is what the Bot API server runs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "EntityParseError",
    "auto_entities",
    "parse_html",
    "strip_with_entities",
    "utf16_len",
]

Entity = dict[str, Any]

SUPPORTED_TAGS = frozenset(
    [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    ]
)

_SIMPLE_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}

# The Bot API documents exactly these named entities plus all numeric ones.
_HTML_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
_ATTR_NAME_CHARS = _TAG_NAME_CHARS | frozenset("_:")

_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
# ASCII-only look-behind, so "请@zhangsan" is a mention as a Chinese user would expect.
_MENTION_RE = re.compile(r"(?<![A-Za-z0-9_@/])@[A-Za-z0-9_]{5,32}(?![A-Za-z0-9_])")


class EntityParseError(ValueError):
    """Markup that Telegram refuses; the message follows tdlib's wording."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the output
    language: str | None = None


def _decode_entity(match: re.Match[str], text: str, index: int) -> str:
    named, decimal, hexadecimal = match.groups()
    if named is not None:
        return _NAMED[named]
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise EntityParseError(
            f"Invalid numeric HTML entity at byte offset {_byte_offset(text, index)}"
        )
    return chr(code)


def _entity_for(tag: _OpenTag, length: int) -> Entity | None:
    if length <= 0:
        return None
    entity: Entity = {"offset": tag.start, "length": length}
    if tag.name in _SIMPLE_ENTITY_TYPES:
        entity["type"] = _SIMPLE_ENTITY_TYPES[tag.name]
        if tag.name == "pre" and tag.language:
            entity["language"] = tag.language
    elif tag.name == "a":
        href = tag.attrs.get("href", "")
        if not href:
            return None
        user_match = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if user_match:
            entity["type"] = "text_mention"
            entity["user"] = {"id": int(user_match.group(1)), "is_bot": False, "first_name": ""}
        else:
            entity["type"] = "text_link"
            entity["url"] = href
    elif tag.name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
    elif tag.name == "tg-emoji":
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    return entity


def _read_attribute_value(text: str, j: int, tag_start: int) -> tuple[str, int]:
    n = len(text)
    quote = text[j]
    if quote in "\"'":
        end = text.find(quote, j + 1)
        if end < 0:
            raise EntityParseError(
                f"Unclosed start tag at byte offset {_byte_offset(text, tag_start)}"
            )
        return html.unescape(text[j + 1 : end]), end + 1
    k = j
    while j < n and not text[j].isspace() and text[j] != ">":
        j += 1
    return html.unescape(text[k:j]), j


def _read_start_tag(text: str, i: int) -> tuple[str, dict[str, str], int]:
    """Read ``<name attr=value ...>`` at ``i``; return name, attributes and the index after."""
    n = len(text)
    j = i + 1
    while j < n and text[j] in _TAG_NAME_CHARS:
        j += 1
    name = text[i + 1 : j].lower()
    if name not in SUPPORTED_TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, i)}'
        )
    attrs: dict[str, str] = {}
    while True:
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, i)}")
        if text[j] == ">":
            return name, attrs, j + 1
        k = j
        while j < n and text[j] in _ATTR_NAME_CHARS:
            j += 1
        if k == j:
            raise EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset {_byte_offset(text, i)}'
            )
        attr_name = text[k:j].lower()
        while j < n and text[j].isspace():
            j += 1
        value = ""
        if j < n and text[j] == "=":
            j += 1
            while j < n and text[j].isspace():
                j += 1
            if j >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, i)}")
            value, j = _read_attribute_value(text, j, i)
        attrs[attr_name] = value


def _check_start_tag(text: str, i: int, name: str, attrs: dict[str, str]) -> None:
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError(
            f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, i)}'
        )
    if name == "tg-emoji" and not attrs.get("emoji-id"):
        raise EntityParseError(
            f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {_byte_offset(text, i)}'
        )


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML into ``(plain_text, entities)`` or raise :class:`EntityParseError`.

    With ``strict_ampersand`` (the default) a ``&`` that does not start ``&lt;``, ``&gt;``,
    ``&amp;``, ``&quot;`` or a numeric entity is refused. Telegram itself keeps such an ``&``
    literally, but it always means user text went out without ``html.escape``, and the next
    ``<`` in that text would make Telegram refuse the message, so the fake fails early.
    """
    out: list[str] = []
    position = 0  # UTF-16 offset of the end of ``out``
    stack: list[_OpenTag] = []
    entities: list[Entity] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "&":
            match = _HTML_ENTITY_RE.match(text, i)
            if match is None:
                if strict_ampersand:
                    raise EntityParseError(
                        f"Unsupported HTML entity at byte offset {_byte_offset(text, i)}; "
                        'escape "&" as "&amp;"'
                    )
                decoded, i = "&", i + 1
            else:
                decoded, i = _decode_entity(match, text, i), match.end()
            out.append(decoded)
            position += utf16_len(decoded)
            continue
        if char != "<":
            out.append(char)
            position += utf16_len(char)
            i += 1
            continue
        if i + 1 < n and text[i + 1] == "/":
            i = _close_tag(text, i, stack, entities, position)
            continue
        name, attrs, after = _read_start_tag(text, i)
        _check_start_tag(text, i, name, attrs)
        stack.append(_OpenTag(name=name, attrs=attrs, start=position))
        i = after
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close_tag(
    text: str, i: int, stack: list[_OpenTag], entities: list[Entity], position: int
) -> int:
    n = len(text)
    j = i + 2
    while j < n and text[j] in _TAG_NAME_CHARS:
        j += 1
    name = text[i + 2 : j].lower()
    while j < n and text[j].isspace():
        j += 1
    if j >= n or text[j] != ">":
        raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(text, i)}")
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(text, i)}")
    top = stack.pop()
    if top.name != name:
        raise EntityParseError(
            f"Unmatched end tag at byte offset {_byte_offset(text, i)}, "
            f'expected "</{top.name}>", found "</{name}>"'
        )
    language = top.attrs.get("class", "")
    if (
        top.name == "code"
        and stack
        and stack[-1].name == "pre"
        and language.startswith("language-")
    ):
        # <pre><code class="language-x"> sets the language of the pre entity instead.
        stack[-1].language = language.removeprefix("language-")
    else:
        entity = _entity_for(top, position - top.start)
        if entity is not None:
            entities.append(entity)
    return j + 1


def strip_with_entities(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Trim surrounding whitespace as Telegram does, moving and clipping the entities."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    result: list[Entity] = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        end = min(size, entity["offset"] + entity["length"] - lead)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


def auto_entities(text: str) -> list[Entity]:
    """Entities Telegram adds to a user's text: ``/commands`` (also ``/cmd@bot``), ``@mentions``."""
    found: list[Entity] = []
    for regex, kind in ((_COMMAND_RE, "bot_command"), (_MENTION_RE, "mention")):
        for match in regex.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group()),
                }
            )
    found.sort(key=lambda e: e["offset"])
    return found
