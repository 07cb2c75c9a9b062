"""Correcting an import preview before confirming it (README: Import and export).

An admin replies to the preview; each line of the reply is one correction:

* ``去掉 3 5`` / ``删除 3、5`` / ``drop 3 5`` — leave items out (``3-5`` is a range);
* ``只导入 1-4`` / ``只保留 1 2`` / ``only 1-4`` — keep only those;
* ``统一时限 月底前``, ``统一责任单位 第一党支部``, ``统一责任人 @zhang 李四`` / ``all due …`` —
  one field for every item;
* ``3 时限 12月31日前``, ``第3项 责任人:@li``, ``3 due Dec 31`` — one item's field.

Fields are named by any of their labels (:mod:`domain.vocabulary`), Chinese or English, with or
without a colon.  Numbers are the items' places in the preview as it stands (第N项); within one
reply they all refer to that preview, fields are set before items are dropped.  A reply that
cannot be read changes nothing: the :class:`UserError` quotes the line and shows examples.

:func:`apply_corrections` returns the new drafts and the preview's warnings brought up to date:
a dropped item's warnings go, the others are renumbered, and the warnings about a field an admin
has just set are gone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from domain.deadline import Deadline
from domain.errors import UserError
from domain.import_drafts import DraftItem, Notice
from domain.items import (
    MeasureView,
    OwnerRef,
    check_field_text,
    check_problem_text,
    due_kind_of,
)
from domain.problem_form import Mention, parse_owner_list, split_measures
from domain.vocabulary import Field, alternatives, chinese_labels, english_labels, field_named

# What a preview's items can be given: everything an item has but its 来源 (that is the import).
CORRECTABLE: Final = (
    Field.PROBLEM,
    Field.OWNERS,
    Field.LEAD,
    Field.UNIT,
    Field.DUE,
    Field.CATEGORY,
    Field.MEASURES,
    Field.DETAIL,
)
# A problem or its explanation is one item's own: no 统一问题.
_PER_ITEM_ONLY: Final = frozenset({Field.PROBLEM, Field.DETAIL})

_FOLD: Final = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "})
_LABELS: Final = alternatives(
    sorted((*chinese_labels(CORRECTABLE), *english_labels(CORRECTABLE)), key=len, reverse=True)
)
_NUMBER: Final = r"(?:第\s*)?#?\s*\d{1,4}\s*(?:项)?"
_RANGE: Final = rf"{_NUMBER}(?:\s*(?:-|–|—|~|～|至|到)\s*{_NUMBER})?"
_NUMBERS: Final = rf"{_RANGE}(?:\s*(?:[,、;\s]|和|及)\s*{_RANGE})*"
_DROP: Final = re.compile(
    rf"(?i)^(?:去掉|去除|删掉|删去|删除|不要|不导入|drop|remove|delete|skip)\s*:?\s*(?P<n>{_NUMBERS})$"
)
_KEEP: Final = re.compile(
    rf"(?i)^(?:只导入|仅导入|只要|只保留|保留|only|keep)\s*:?\s*(?P<n>{_NUMBERS})$"
)
_SET_ALL: Final = re.compile(
    rf"(?i)^(?:统一|全部|一律|all)\s*(?P<label>{_LABELS})\s*(?:[:=]|为|改为|设为)?\s*(?P<value>.+)$"
)
_SET_ONE: Final = re.compile(
    rf"(?i)^(?P<n>{_NUMBER})\s*(?P<label>{_LABELS})\s*(?:[:=]|为|改为|设为)?\s*(?P<value>.+)$"
)
_DIGITS: Final = re.compile(r"\d+")
_DASH: Final = re.compile(r"\s*(?:-|–|—|~|～|至|到)\s*")


@dataclass(frozen=True)
class Drop:
    """Leave these items (1-based places in the preview) out."""

    items: frozenset[int]


@dataclass(frozen=True)
class Keep:
    """Import only these items."""

    items: frozenset[int]


@dataclass(frozen=True)
class SetField:
    """Give one field a value: on the items listed, or on every item (``items`` None)."""

    field: Field
    value: str
    items: frozenset[int] | None
    owners: tuple[OwnerRef, ...] = ()  # for Field.OWNERS: the owners read from the value


Correction = Drop | Keep | SetField


def _fold(text: str) -> str:
    """Full-width forms as ASCII, one character for one (so positions still match)."""
    return text.translate(_FOLD)


def _numbers(text: str) -> frozenset[int]:
    """``3 5``, ``第3、5项``, ``1-4`` as a set of numbers."""
    found: set[int] = set()
    for piece in re.split(r"[,、;\s]+|和|及", _DASH.sub("-", text)):
        values = [int(digits) for digits in _DIGITS.findall(piece)]
        if "-" in piece and len(values) == 2 and values[0] <= values[1]:
            found.update(range(values[0], values[1] + 1))
        else:
            found.update(values)
    return frozenset(found)


def _field(label: str) -> Field:
    """The field a label names (the pattern only lets known labels through)."""
    field = field_named(label)
    assert field is not None
    return field


def _set_field(
    field: Field, value: str, items: frozenset[int] | None, owners: Sequence[OwnerRef]
) -> SetField:
    """A field correction; owners come from the value as typed."""
    if items is None and field in _PER_ITEM_ONLY:
        raise UserError("import.correct.error.per_item", field=_label_of(field))
    return SetField(field, value.strip(), items, tuple(owners))


def _label_of(field: Field) -> str:
    """The label messages name a field by."""
    return chinese_labels([field])[-1]


def _read_line(line: str, offset: int, mentions: Sequence[Mention]) -> Correction:
    """One line of a correction reply (``offset``: where it starts in the message)."""
    folded = _fold(line).strip()
    lead = len(_fold(line)) - len(_fold(line).lstrip())
    if (match := _DROP.match(folded)) is not None:
        return Drop(_numbers(match["n"]))
    if (match := _KEEP.match(folded)) is not None:
        return Keep(_numbers(match["n"]))
    for pattern in (_SET_ALL, _SET_ONE):
        match = pattern.match(folded)
        if match is None:
            continue
        field = _field(match["label"])
        start = match.start("value")
        value = line.strip()[start:]
        owners = (
            parse_owner_list(value, mentions, offset + lead + start)
            if field is Field.OWNERS
            else []
        )
        items = _numbers(match["n"]) if pattern is _SET_ONE else None
        return _set_field(field, value, items, owners)
    raise UserError("import.correct.error.unknown", line=line.strip())


def read_corrections(text: str, mentions: Sequence[Mention] = ()) -> tuple[Correction, ...]:
    """Every correction in a reply, a line each; UserError for the first line not understood."""
    corrections: list[Correction] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            corrections.append(_read_line(line.rstrip("\r\n"), offset, mentions))
        offset += len(line)
    if not corrections:
        raise UserError("import.correct.error.unknown", line=text.strip())
    return tuple(corrections)


# --- applying ------------------------------------------------------------------------------

DeadlineReader = Callable[[str], Deadline]


def _check_items(items: Iterable[int], count: int) -> None:
    """Refuse a number that is not an item of the preview."""
    for number in sorted(items):
        if not 1 <= number <= count:
            raise UserError("import.correct.error.no_such_item", number=number, count=count)


def _with_field(draft: DraftItem, change: SetField, read_deadline: DeadlineReader) -> DraftItem:
    """A draft with one field set."""
    value = change.value
    if change.field is Field.DUE:
        deadline = read_deadline(value)
        return replace(
            draft,
            due_kind=due_kind_of(deadline),
            due=deadline.due,
            due_phrase=deadline.phrase,
            due_notes=deadline.notes,
        )
    if change.field is Field.OWNERS:
        if not change.owners:
            raise UserError("import.correct.error.empty", field=_label_of(Field.OWNERS))
        return replace(draft, owners=change.owners)
    if change.field is Field.MEASURES:
        return replace(draft, measures=tuple(MeasureView(text) for text in split_measures(value)))
    if change.field is Field.PROBLEM:
        return replace(draft, problem=check_problem_text(value))
    text = check_field_text(value, _label_of(change.field))
    if change.field is Field.LEAD:
        return replace(draft, lead=text)
    if change.field is Field.UNIT:
        return replace(draft, unit=text)
    if change.field is Field.CATEGORY:
        return replace(draft, category=text)
    return replace(draft, detail=text)


# Which warnings a field's new value answers (by catalogue key, or by the field they name).
_ANSWERED_KEYS: Final = {
    Field.DUE: ("plan.warning.no_deadline", "plan.warning.incomplete_deadline", "import.deadline."),
    Field.OWNERS: ("plan.warning.no_owner",),
    Field.LEAD: ("plan.warning.no_owner",),
    Field.MEASURES: ("plan.warning.no_measures", "plan.warning.unpaired"),
}
_FIELD_PARAM: Final = {
    Field.DUE: ("deadline",),
    Field.OWNERS: ("owners",),
    Field.LEAD: ("lead",),
    Field.UNIT: ("unit",),
    Field.MEASURES: ("measures",),
}
_CLIPPED: Final = {
    Field.PROBLEM: "problem",
    Field.CATEGORY: "category",
    Field.LEAD: "lead",
    Field.UNIT: "unit",
}


def _answers(notice: Notice, field: Field) -> bool:
    """Whether setting ``field`` settles what ``notice`` warned about."""
    if notice.key.startswith(_ANSWERED_KEYS.get(field, ())):
        return True
    if notice.params.get("field") in _FIELD_PARAM.get(field, ()):
        return True
    if notice.key == "plan.warning.past_date" and field is Field.DUE:
        return True
    return notice.key == "import.notice.clipped" and notice.params.get("what") == _CLIPPED.get(
        field
    )


def apply_corrections(
    drafts: Sequence[DraftItem],
    notices: Sequence[Notice],
    corrections: Sequence[Correction],
    read_deadline: DeadlineReader,
) -> tuple[tuple[DraftItem, ...], tuple[Notice, ...]]:
    """The drafts and warnings after the corrections (fields first, then drops and keeps)."""
    count = len(drafts)
    current = list(drafts)
    remaining = list(notices)
    kept = set(range(1, count + 1))
    for correction in corrections:
        targets = correction.items
        if targets is not None:
            _check_items(targets, count)
        if isinstance(correction, SetField):
            chosen = targets if targets is not None else frozenset(kept)
            for number in chosen:
                current[number - 1] = _with_field(current[number - 1], correction, read_deadline)
            remaining = [
                n for n in remaining if not (n.item in chosen and _answers(n, correction.field))
            ]
        elif isinstance(correction, Drop):
            kept -= correction.items
        else:
            kept &= correction.items
    if not kept:
        raise UserError("import.correct.error.nothing_left")
    places = {old: new for new, old in enumerate(sorted(kept), 1)}
    new_drafts = tuple(current[number - 1] for number in sorted(kept))
    new_notices = tuple(
        replace(notice, item=places[notice.item]) if notice.item is not None else notice
        for notice in remaining
        if notice.item is None or notice.item in places
    )
    return new_drafts, new_notices
