"""Labelled fields: 责任人, 总负责人, 责任单位, 落实时限 for the problem (or group) they follow.

A block of fields belongs to the current problem, or to the problems of a paired measures
block; an inline field (``(责任人:张三)`` after a measure) to the problem that measure is for.
Placeholders, empty values and incomplete deadlines are flagged, never stored.
"""

from __future__ import annotations

from domain.members import placeholder_owner
from domain.plan.blocks import Block, owner_names
from domain.plan.dates import INCOMPLETE_DEADLINE
from domain.plan.results import PlanField, PlanWarningCode
from domain.plan.sections import CONCLUSION
from domain.plan.state import FIELD_LINE_MAX, Mode, State
from domain.plan.text import Text, trim
from domain.plan.tokens import Kind, Token
from domain.vocabulary import PLACEHOLDER


def on_field(state: State, index: int, token: Token) -> None:
    """Apply a labelled field to the problem (or paired group) it belongs to."""
    cursor = state.cursor
    if cursor.mode is Mode.SKIP:
        return
    if token.inline and cursor.mode in (Mode.PROBLEM, Mode.MEASURES):
        block = state.measures.block if cursor.mode is Mode.MEASURES else cursor.current
        if block is not None:
            _apply_field(state, block, token, _value_of(state, index, token))
            return
    targets = _targets_for_fields(state)
    if not targets:
        state.out.skip(token.text, token.line)
        return
    value = _value_of(state, index, token)
    state.fields.blocks = targets
    cursor.mode = Mode.FIELDS
    for block in targets:
        _apply_field(state, block, token, value)


def _targets_for_fields(state: State) -> list[Block]:
    """Who a field block belongs to in the current state."""
    cursor, measures = state.cursor, state.measures
    if cursor.mode is Mode.FIELDS:
        return state.fields.blocks
    if cursor.mode is Mode.MEASURES and measures.targets:
        return list(measures.targets) if measures.paired else [measures.targets[-1]]
    return [cursor.current] if cursor.current is not None else []


def _value_of(state: State, index: int, token: Token) -> Text:
    """A field's value; a bare label takes a short plain line right below it."""
    tokens = state.layout.tokens
    value = trim(token.body)
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if (
        not value.norm
        and not token.inline
        and following is not None
        and following.kind is Kind.TEXT
        and len(following.text.norm) <= FIELD_LINE_MAX
        and not CONCLUSION.match(following.text.norm)
    ):
        state.fields.consumed.add(index + 1)
        value = trim(following.text)
    return value


def _apply_field(state: State, block: Block, token: Token, value: Text) -> None:
    """Store one field value, or flag it."""
    out = state.out
    kind = token.field_name
    assert kind is not None
    block.has_fields = True
    block.last_line = max(block.last_line, token.line)
    line = token.line
    if not value.norm:
        out.flag(block, kind, PlanWarningCode.EMPTY_FIELD, line, field=kind.value)
    elif kind is PlanField.OWNERS:
        _apply_owners(state, block, value, line)
    elif PLACEHOLDER.search(value.norm):
        out.flag(block, kind, PlanWarningCode.PLACEHOLDER, line, field=kind.value, value=value.orig)
    elif kind is PlanField.DEADLINE and INCOMPLETE_DEADLINE.fullmatch(value.norm):
        out.flag(block, kind, PlanWarningCode.INCOMPLETE_DEADLINE, line, value=value.orig)
    elif kind not in block.values:
        block.values[kind] = value.orig
    elif block.values[kind] != value.orig:
        out.note(PlanWarningCode.DUPLICATE_FIELD, block, line, field=kind.value, value=value.orig)


def _apply_owners(state: State, block: Block, value: Text, line: int) -> None:
    """Add the names of a 责任人 value; placeholders are flagged, not stored."""
    for name in owner_names(value):
        if placeholder_owner(name.norm):
            state.out.flag(
                block,
                PlanField.OWNERS,
                PlanWarningCode.PLACEHOLDER,
                line,
                field=PlanField.OWNERS.value,
                value=name.orig,
            )
        elif name.orig not in block.owners:
            block.owners.append(name.orig)
