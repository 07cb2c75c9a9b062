"""Reading what a member typed after ``/problem``: the one-line and the labelled forms.

The caller (a handler) has already turned Telegram's entities into :class:`Mention` spans with
Python string offsets, so this module sees plain text and spans only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rectify_bot.domain.deadline import Deadline, DeadlineError, find_deadline, parse_deadline
from rectify_bot.domain.errors import UserError
from rectify_bot.domain.items import OwnerRef, check_field_text, check_problem_text


@dataclass(frozen=True)
class Mention:
    """A mention inside the text: ``@username`` or a text mention carrying a user id."""

    offset: int
    length: int
    username: str | None = None
    user_id: int | None = None
    name: str = ""

    def owner(self) -> OwnerRef:
        """The owner this mention names (a username still to be resolved, or a user)."""
        if self.user_id is not None:
            return OwnerRef(name=self.name, user_id=self.user_id, username=self.username)
        return OwnerRef(name=f"@{self.username}", username=self.username)


@dataclass(frozen=True)
class ProblemDraft:
    """A new item as typed, before owners are resolved against the member registry."""

    problem: str
    owners: tuple[OwnerRef, ...] = ()
    deadline: Deadline | None = None
    lead: str = ""
    unit: str = ""
    category: str = ""
    source: str = ""
    measures: tuple[str, ...] = ()
    detail: str = ""
    extra: dict[str, str] = field(default_factory=dict)


LABELS: dict[str, str] = {
    "问题": "problem",
    "存在问题": "problem",
    "problem": "problem",
    "责任人": "owners",
    "owner": "owners",
    "owners": "owners",
    "总负责人": "lead",
    "第一责任人": "lead",
    "lead": "lead",
    "责任单位": "unit",
    "unit": "unit",
    "时限": "due",
    "整改时限": "due",
    "落实时限": "due",
    "完成时限": "due",
    "due": "due",
    "deadline": "due",
    "类别": "category",
    "方面": "category",
    "category": "category",
    "措施": "measures",
    "整改措施": "measures",
    "measures": "measures",
    "来源": "source",
    "source": "source",
    "说明": "detail",
    "detail": "detail",
}

_LABEL_LINE = re.compile(r"^\s*([A-Za-z\u4e00-\u9fff]{1,8})\s*[:：]\s*(.*)$", re.DOTALL)
_MEASURE_SPLIT = re.compile(r"(?:^|\s|[;；])\s*(?:\d{1,2}\s*[.、．)）]|[①-⑳])\s*")
_NAME_SPLIT = re.compile(r"[\s,，、;；]+")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def split_measures(text: str) -> tuple[str, ...]:
    """Split ``1.建立台账 2.每月提醒`` (or ①②, or lines, or ；) into single measures."""
    pieces = [p.strip(" ;；") for p in _MEASURE_SPLIT.split(text)]
    found: list[str] = []
    for piece in pieces:
        found.extend(part.strip() for part in re.split(r"[\n;；]+", piece) if part.strip())
    return tuple(found)


def _deadline_or_error(phrase: str, today: date, soft_days: int) -> Deadline:
    result = parse_deadline(phrase, today, soft_days=soft_days)
    if isinstance(result, DeadlineError):
        raise UserError(f"deadline.error.{result.code.value}", phrase=result.phrase)
    return result


def read_deadline(phrase: str, today: date, soft_days: int) -> Deadline:
    """Parse a deadline typed on its own (``/due``, ``/extend``, a label); errors are UserErrors."""
    return _deadline_or_error(phrase, today, soft_days)


def _owners_from(text: str, start: int, mentions: Sequence[Mention]) -> list[OwnerRef]:
    """Owners named in ``text`` (which begins at ``start`` in the message)."""
    owners: list[OwnerRef] = []
    inside = [m for m in mentions if start <= m.offset < start + len(text)]
    cut = text
    for mention in sorted(inside, key=lambda m: m.offset, reverse=True):
        owners.insert(0, mention.owner())
        local = mention.offset - start
        cut = cut[:local] + " " + cut[local + mention.length :]
    for name in _NAME_SPLIT.split(cut):
        name = name.strip()
        if not name:
            continue
        if name.startswith("@") and len(name) > 1:
            owners.append(OwnerRef(name=name, username=name[1:]))
        else:
            owners.append(OwnerRef(name=check_field_text(name, "owners")))
    return _unique(owners)


def _unique(owners: Sequence[OwnerRef]) -> list[OwnerRef]:
    found: list[OwnerRef] = []
    for owner in owners:
        if not any(owner.same_person(other) for other in found):
            found.append(owner)
    return found


def parse_owner_list(text: str, mentions: Sequence[Mention], start: int = 0) -> list[OwnerRef]:
    """Owners typed for ``/assign``: mentions, @usernames and plain names."""
    return _owners_from(text, start, mentions)


def _is_labelled(lines: Sequence[str]) -> bool:
    return any(_LABEL_LINE.match(line) for line in lines[1:]) or bool(
        lines and (m := _LABEL_LINE.match(lines[0])) and m.group(1).lower() in LABELS
    )


def _read_one_line(
    text: str, mentions: Sequence[Mention], today: date, soft_days: int
) -> ProblemDraft:
    owners = [m.owner() for m in mentions]
    cut = text
    for mention in sorted(mentions, key=lambda m: m.offset, reverse=True):
        cut = cut[: mention.offset] + " " + cut[mention.offset + mention.length :]
    cut = re.sub(r"(?<!\S)@[A-Za-z0-9_]{3,32}\b", " ", cut)
    owners += [
        OwnerRef(name=f"@{u}", username=u)
        for u in re.findall(r"(?<!\S)@([A-Za-z0-9_]{3,32})\b", text)
    ]
    match = find_deadline(cut, today, soft_days=soft_days)
    deadline: Deadline | None = None
    if match is not None:
        if isinstance(match.result, DeadlineError):
            raise UserError(f"deadline.error.{match.result.code.value}", phrase=match.result.phrase)
        deadline = match.result
        cut = match.remainder
    problem = check_problem_text(" ".join(cut.split()))
    return ProblemDraft(problem=problem, owners=tuple(_unique(owners)), deadline=deadline)


def _label_blocks(text: str) -> tuple[str, list[tuple[str, str, int]]]:
    """The first line's text and (field, value, offset) for every labelled block."""
    blocks: list[tuple[str, str, int]] = []
    first = ""
    offset = 0
    for index, line in enumerate(text.split("\n")):
        match = _LABEL_LINE.match(_nfkc(line))
        label = match.group(1).lower() if match else ""
        if match and label in LABELS:
            value_offset = offset + (len(line) - len(match.group(2)))
            blocks.append((LABELS[label], line[len(line) - len(match.group(2)) :], value_offset))
        elif match and index > 0:
            raise UserError("problem.unknown_label", label=match.group(1))
        elif index == 0:
            first = line
        elif blocks:
            field_name, value, value_offset = blocks[-1]
            blocks[-1] = (field_name, value + "\n" + line, value_offset)
        else:
            first = f"{first}\n{line}"
        offset += len(line) + 1
    return first, blocks


def _read_labelled(
    text: str, mentions: Sequence[Mention], today: date, soft_days: int
) -> ProblemDraft:
    first, blocks = _label_blocks(text)
    values: dict[str, str] = {}
    owners: list[OwnerRef] = []
    for field_name, value, offset in blocks:
        if field_name == "owners":
            owners += _owners_from(value, offset, mentions)
        else:
            values[field_name] = (values.get(field_name, "") + "\n" + value).strip()
    problem = check_problem_text(" ".join((values.get("problem") or first).split()))
    due = values.get("due", "").strip()
    return ProblemDraft(
        problem=problem,
        owners=tuple(_unique(owners)),
        deadline=_deadline_or_error(due, today, soft_days) if due else None,
        lead=check_field_text(values.get("lead", ""), "lead"),
        unit=check_field_text(values.get("unit", ""), "unit"),
        category=check_field_text(values.get("category", ""), "category"),
        source=check_field_text(values.get("source", ""), "source"),
        measures=split_measures(values.get("measures", "")),
        detail=values.get("detail", ""),
    )


def read_problem(
    text: str, mentions: Sequence[Mention], today: date, *, soft_days: int = 7
) -> ProblemDraft:
    """Read the text after ``/problem`` in the one-line or the labelled form."""
    if not text.strip():
        raise UserError("error.problem_empty")
    lines = text.split("\n")
    if _is_labelled(lines):
        return _read_labelled(text, mentions, today, soft_days)
    return _read_one_line(text, mentions, today, soft_days)
