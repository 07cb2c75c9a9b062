"""Cutting the pasted text into tokens: numbered lines, labelled fields and plain text.

A line becomes one token, or several when labels sit inside it (``1.建立台账(责任人:张三)``
is a numbered line and a field).  Blank lines disappear; every token knows its line number.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from domain.plan.labels import INLINE_LABEL, LABEL_AT_START, label_field
from domain.plan.numbering import Style, enumeration_markers, numbering
from domain.plan.results import PlanField
from domain.plan.text import EMPTY, Text, strip_open_bracket


class Kind(Enum):
    """What a piece of a line is."""

    TEXT = "text"
    NUMBERED = "numbered"
    FIELD = "field"
    MEASURES_LABEL = "measures_label"


@dataclass(frozen=True)
class Token:
    """A line, or a labelled part of one."""

    kind: Kind
    text: Text  # the whole piece as typed
    line: int
    body: Text = EMPTY  # after the numbering or the label
    style: Style | None = None
    number: int = 0
    label: str = ""  # the numbering as typed
    typo: bool = False
    field_name: PlanField | None = None
    inline: bool = False  # a field that shares its line with other content


def content_token(text: Text, line: int) -> Token:
    """A numbered line or plain text."""
    found = numbering(text.norm)
    if found is None:
        return Token(Kind.TEXT, text, line, body=text)
    return Token(
        Kind.NUMBERED,
        text,
        line,
        body=text.cut(found.end).strip(),
        style=found.style,
        number=found.number,
        label=text.orig[: found.end].strip(),
        typo=found.typo,
    )


def _line_tokens(line: Text, line_no: int) -> list[Token]:
    """Split one line into content and labelled fields."""
    cuts = sorted(
        {m.start() for m in INLINE_LABEL.finditer(line.norm)}
        | ({0} if LABEL_AT_START.match(line.norm) else set())
    )
    tokens: list[Token] = []
    head = line.cut(0, cuts[0]) if cuts else line
    if cuts:
        head = strip_open_bracket(head)
    if head.norm:
        tokens.append(content_token(head, line_no))
    ends = [*cuts[1:], len(line.norm)] if cuts else []
    for start, end in zip(cuts, ends, strict=True):
        piece = line.cut(start, end).strip()
        match = LABEL_AT_START.match(piece.norm)
        if match is None:  # cannot happen: every cut is where a label matched
            continue
        value = piece.cut(match.end()).strip()
        kind = label_field(match)
        if kind is PlanField.MEASURES:
            tokens.append(Token(Kind.MEASURES_LABEL, piece, line_no, body=value))
            value = strip_open_bracket(value) if end < len(line.norm) else value
            if value.norm:
                tokens.append(content_token(value, line_no))
            continue
        inline = any(token.kind is not Kind.FIELD for token in tokens)
        tokens.append(Token(Kind.FIELD, piece, line_no, body=value, field_name=kind, inline=inline))
    return tokens


def tokenize(text: str) -> list[Token]:
    """Turn the pasted text into tokens, skipping blank lines."""
    tokens: list[Token] = []
    for line_no, raw in enumerate(text.splitlines()):
        line = Text.of(raw).strip()
        if line.norm:
            tokens.extend(_line_tokens(line, line_no))
    return tokens


def enumeration(text: Text, line: int) -> tuple[Text, list[Token]]:
    """Split ``一是…二是…`` / ``①…②…`` / ``1.…2.…`` in one paragraph; (text, []) if none.

    Returns the text before the first marker and one numbered token per part.
    """
    found = enumeration_markers(text.norm)
    if found is None:
        return text, []
    style, spans = found
    parts: list[Token] = []
    ends = [start for start, _ in spans[1:]] + [len(text.norm)]
    for number, ((start, label_end), end) in enumerate(zip(spans, ends, strict=True), 1):
        body = strip_open_bracket(text.cut(label_end, end))
        piece = text.cut(start, end).strip()
        label = text.orig[start:label_end].strip()
        parts.append(
            Token(Kind.NUMBERED, piece, line, body=body, style=style, number=number, label=label)
        )
    return text.cut(0, spans[0][0]).strip(), parts
