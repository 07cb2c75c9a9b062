"""Reading what a member typed after ``/problem``: the one-line and the labelled forms.

The caller (a handler) has already turned Telegram's entities into :class:`Mention` spans with
Python string offsets, so this module sees plain text and spans only.  The labels of the
labelled form are the shared vocabulary's (:mod:`domain.vocabulary`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from domain.deadline import Deadline, DeadlineError, find_deadline, parse_deadline
from domain.errors import UserError
from domain.items import OwnerRef, check_field_text, check_problem_text
from domain.members import AT_SIGNS, typed_username
from domain.typed import has_visible_text
from domain.vocabulary import (
    CN_DIGITS,
    PROBLEM_FIELDS,
    Field,
    alternatives,
    chinese_labels,
    field_named,
)
from domain.workdays import PACKAGE_CALENDAR, HolidayCalendar


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
    # Two or more deadlines in one line: none is taken, the member chooses (see choose_deadline).
    deadline_choices: tuple[Deadline, ...] = ()
    # Words of the one-line form taken as owners because a member of the group is called so.
    named_owners: tuple[str, ...] = ()
    lead: str = ""
    unit: str = ""
    category: str = ""
    source: str = ""
    measures: tuple[str, ...] = ()
    detail: str = ""


_LABEL_LINE = re.compile(r"^\s*([A-Za-z\u4e00-\u9fff]{1,8})\s*[:：]\s*(.*)$", re.DOTALL)
# An unknown label is refused only when it looks like a field name (责任部门:), not for a
# line that merely contains a colon (注: …, http://…, Note: …).
_FIELD_LIKE = re.compile(r"^(?:[\u4e00-\u9fff]{2,6}|(?!https?$|ftp$|note$|ps$)[a-z]{2,12})$")
_MEASURE_SPLIT = re.compile(
    r"(?:(?:^|\s|[;；。])\s*\d{1,2}\s*(?:[.．](?!\d)|[、)）])"
    r"|(?<!第)[(（]\d{1,2}[)）]"  # (1) （2）, but not 第（3）条
    rf"|[①-⑳]|(?:^|[,，;；。\s])[{CN_DIGITS}十]是)\s*"
)
_NAME_SPLIT = re.compile(r"[\s,，、;；]+")
_LIST_SPLIT = re.compile(r"\s*[,，、;；]+\s*")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def split_measures(text: str) -> tuple[str, ...]:
    """Split ``1.建立台账 2.每月提醒`` (or ①②, （1）（2）, 一是…二是…, lines, ；) into measures."""
    pieces = [p.strip(" ;；,，。") for p in _MEASURE_SPLIT.split(text)]
    found: list[str] = []
    for piece in pieces:
        found.extend(part.strip() for part in re.split(r"[\n;；]+", piece) if part.strip())
    return tuple(found)


def _deadline_or_error(
    phrase: str, today: date, soft_days: int, calendar: HolidayCalendar = PACKAGE_CALENDAR
) -> Deadline:
    result = parse_deadline(phrase, today, soft_days=soft_days, calendar=calendar)
    if isinstance(result, DeadlineError):
        raise UserError(f"deadline.error.{result.code.value}", phrase=result.phrase)
    return result


def read_deadline(
    phrase: str, today: date, soft_days: int, calendar: HolidayCalendar = PACKAGE_CALENDAR
) -> Deadline:
    """Parse a deadline typed on its own (``/due``, ``/extend``, a label); errors are UserErrors."""
    return _deadline_or_error(phrase, today, soft_days, calendar)


def _owners_from(text: str, start: int, mentions: Sequence[Mention]) -> list[OwnerRef]:
    """Owners named in ``text`` (which begins at ``start`` in the message)."""
    owners: list[OwnerRef] = []
    inside = [m for m in mentions if start <= m.offset < start + len(text)]
    cut = text
    for mention in sorted(inside, key=lambda m: m.offset, reverse=True):
        owners.insert(0, mention.owner())
        local = mention.offset - start
        cut = cut[:local] + " " + cut[local + mention.length :]
    # Names are split at commas and 、 when there are any (so "Li Si, Wang Wu" is two people),
    # else at spaces (张三 李四).
    splitter = _LIST_SPLIT if _LIST_SPLIT.search(cut) else _NAME_SPLIT
    for name in splitter.split(cut):
        name = name.strip()
        if name:
            owners.append(_owner_written(name))
    return _unique(owners)


def _owner_written(word: str) -> OwnerRef:
    """An owner typed as text: an @username (or ＠), or a name (with letters); else a UserError."""
    username = typed_username(word)
    if username is not None:
        return OwnerRef(name=f"@{username}", username=username)
    if word.startswith(tuple(AT_SIGNS)) or not any(char.isalpha() for char in word):
        raise UserError("error.owner_invalid", given=word)
    return OwnerRef(name=check_field_text(word, "owners"))


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
        lines and (m := _LABEL_LINE.match(lines[0])) and field_named(m.group(1)) is not None
    )


_FILLER_AFTER = re.compile(
    r"^\s*(?:整改完毕|整改到位|整改完成|完成整改|前完成|完成|到位|整改)(?=\s|$|[,，。;；])"
)
# Words that frame a deadline written before it on the first line (时限: 月底前).
_LABEL_BEFORE = re.compile(
    rf"(?:{alternatives(chinese_labels([Field.DUE]))}|期限|截止"
    r"|(?<![A-Za-z])(?i:due date|deadline|due))\s*[:：]?\s*$"
)
_AT_USERNAME = re.compile(rf"(?<!\S)[{AT_SIGNS}]([A-Za-z0-9_]{{2,32}})\b")


@dataclass(frozen=True)
class LineScan:
    """What one line of free text holds: owners, a deadline, and the words that are left.

    ``choices``: the line named two or more deadlines and the caller asked to choose; then
    ``deadline`` is None and ``rest`` keeps the phrases.
    """

    owners: tuple[OwnerRef, ...]
    deadline: Deadline | None
    rest: str
    choices: tuple[Deadline, ...] = ()
    named: tuple[str, ...] = ()  # members' names taken as owners


def _without_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def scan_line(
    text: str,
    mentions: Sequence[Mention],
    today: date,
    soft_days: int,
    offset: int = 0,
    *,
    with_deadline: bool = True,
    offer_choices: bool = False,
    members: Mapping[str, OwnerRef] | None = None,
    calendar: HolidayCalendar = PACKAGE_CALENDAR,
) -> LineScan:
    """Take owners (mentions, @usernames) and a deadline phrase out of free text.

    ``offset`` is where ``text`` starts in the message (mention offsets are message-wide).
    Words that only frame the deadline (``时限:`` before it, ``整改完毕`` after it) go too.
    When several dates appear, the last is the deadline (原定6月30日前…未完成 @li 月底前):
    a deadline is written after the problem, and earlier dates belong to its story. With
    ``offer_choices``, a line that names two deadlines on their own (下周五前 另外还要月底前)
    takes neither: they become :attr:`LineScan.choices`. A word that is the name of one of the
    group's ``members`` (by display name) is taken as that member.
    """
    inside = [m for m in mentions if offset <= m.offset < offset + len(text)]
    owners = [m.owner() for m in inside]
    cut = _without_spans(text, [(m.offset - offset, m.offset - offset + m.length) for m in inside])
    owners += [OwnerRef(name=f"@{u}", username=u) for u in _AT_USERNAME.findall(cut)]
    cut = _AT_USERNAME.sub(" ", cut)
    named, cut = _members_named(cut, members or {})
    owners += [(members or {})[name] for name in named]
    found = _deadlines(cut, today, soft_days, calendar) if with_deadline else []
    candidates = _candidates(cut, found)
    people = tuple(_unique(owners))
    if offer_choices and len(candidates) > 1:
        choices = tuple(deadline for _, _, deadline in candidates[:MAX_DEADLINE_CHOICES])
        return LineScan(people, None, " ".join(cut.split()), choices, named)
    if not found:
        return LineScan(people, None, " ".join(cut.split()), named=named)
    start, end, deadline = found[-1]
    return LineScan(people, deadline, _without_deadlines(cut, [(start, end)]), named=named)


def _members_named(text: str, members: Mapping[str, OwnerRef]) -> tuple[tuple[str, ...], str]:
    """Members' names standing as words in ``text`` (longest first), and the text without them."""
    named: list[str] = []
    for name in sorted(members, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\S){re.escape(name)}(?!\S)")
        if pattern.search(text):
            named.append(name)
            text = pattern.sub(" ", text)
    return tuple(named), text


def _without_deadlines(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` without these deadline phrases and the words that frame them."""
    for start, end in sorted(spans, reverse=True):
        before = _LABEL_BEFORE.sub("", text[:start])
        after = _FILLER_AFTER.sub("", text[end:]).lstrip(_EDGE_PUNCTUATION)
        text = f"{before} {after}"
    return " ".join(text.split()).strip(_EDGE_PUNCTUATION)


def _deadlines(
    text: str, today: date, soft_days: int, calendar: HolidayCalendar
) -> list[tuple[int, int, Deadline]]:
    """The span and value of every deadline phrase in order; a bad first one is a UserError."""
    match = find_deadline(text, today, soft_days=soft_days, calendar=calendar)
    if match is None:
        return []
    if isinstance(match.result, DeadlineError):
        raise UserError(f"deadline.error.{match.result.code.value}", phrase=match.result.phrase)
    found = [(match.start, match.end, match.result)]
    while True:
        end = found[-1][1]
        later = find_deadline(text[end:], today, soft_days=soft_days, calendar=calendar)
        if later is None or isinstance(later.result, DeadlineError):
            return found
        found.append((end + later.start, end + later.end, later.result))


MAX_DEADLINE_CHOICES = 3
# Words before a date that make it part of the problem's story (原定6月30日前…).
_STORY_BEFORE = re.compile(r"(?:原定|原计划|原要求|计划|曾|已于|早在|自|从|截至)\s*$")
_STANDS_ALONE = re.compile(r"^(?:\s|$|[,，。;；!！?？])")


def _candidates(
    text: str, found: Sequence[tuple[int, int, Deadline]]
) -> list[tuple[int, int, Deadline]]:
    """The phrases that may be meant as the deadline: the last, and earlier ones on their own.

    An earlier date that opens the line (2026年度 …), runs into the next words (3个月内未召开,
    6月30日前完成的) or follows 原定 … tells the problem's story; one set apart by spaces or
    punctuation (下周五前 另外…) may be the deadline as much as the last one.
    """
    alone = [
        (start, end, deadline)
        for start, end, deadline in found[:-1]
        if _STANDS_ALONE.match(_FILLER_AFTER.sub("", text[end:]))
        and text[:start].strip()  # a line opening with a date (2026年度 …) names the problem
        and not _STORY_BEFORE.search(text[:start])
    ]
    return [*alone, *found[-1:]]


def choose_deadline(
    text: str,
    index: int,
    today: date,
    soft_days: int,
    calendar: HolidayCalendar = PACKAGE_CALENDAR,
) -> tuple[Deadline, str]:
    """The deadline chosen among a problem's :attr:`LineScan.choices`, and the problem without them.

    The choices are read again from the problem's text (as registered), so nothing had to be
    kept meanwhile; every offered phrase leaves the text, the chosen one as the deadline.
    """
    found = _deadlines(text, today, soft_days, calendar)
    candidates = _candidates(text, found)[:MAX_DEADLINE_CHOICES]
    if len(candidates) < 2 or not 0 <= index < len(candidates):
        raise UserError("error.deadline_choice_gone")
    problem = _without_deadlines(text, [(start, end) for start, end, _ in candidates])
    return candidates[index][2], check_problem_text(problem)


# A Chinese label written on the same line as the problem (问题 责任人:张三 时限:月底前) starts a
# new line.  Not the problem's or the detail's own labels: those are prose, and a problem may
# well say 存在问题: or 说明: in passing; nor English ones (amount due: 300).
_INLINE_FIELDS = tuple(
    field for field in PROBLEM_FIELDS if field not in (Field.PROBLEM, Field.DETAIL)
)
_INLINE_LABEL = re.compile(
    rf"[ \t,，;；]+(?=(?:{alternatives(chinese_labels(_INLINE_FIELDS))})\s*[:：])"
)
_EXTENSION_WORDS = re.compile(
    r"(?:申请)?(?:延期|延长|推迟|顺延)(?:至|到)|(?:^|(?<=[\s,，;；]))延(?:至|到)|(?:延期|推迟)(?=\s)"
)
_EDGE_PUNCTUATION = " ,，;；。.:："
_PHRASE_AFTER = re.compile(r"\s*[^\s,，;；。]+")


def read_extension(
    text: str, today: date, soft_days: int, calendar: HolidayCalendar = PACKAGE_CALENDAR
) -> tuple[Deadline | None, str]:
    """``/extend`` text: the new deadline, and the rest as the reason.

    The date right after 延期至/延到 … is the new deadline (other dates belong to the reason);
    without such words, a date written first (``12-31 等待批复``) is, else the last date. The
    words that say "extend to" belong to neither.
    """
    first, after = [*text.split(maxsplit=1), "", ""][:2]
    if first:
        parsed = parse_deadline(first, today, soft_days=soft_days, calendar=calendar)
        if isinstance(parsed, Deadline) and not _EXTENSION_WORDS.search(after):
            return parsed, after.strip().strip(_EDGE_PUNCTUATION)
    marker = _EXTENSION_WORDS.search(text)
    if marker is not None:
        window = _PHRASE_AFTER.match(text, marker.end())
        if window is not None:
            parsed = parse_deadline(window.group(), today, soft_days=soft_days, calendar=calendar)
            if isinstance(parsed, Deadline):
                reason = text[: marker.start()] + " " + text[window.end() :]
                return parsed, " ".join(reason.split()).strip(_EDGE_PUNCTUATION)
    scan = scan_line(_EXTENSION_WORDS.sub(" ", text), (), today, soft_days, calendar=calendar)
    return scan.deadline, scan.rest


def _read_one_line(
    text: str,
    mentions: Sequence[Mention],
    today: date,
    soft_days: int,
    members: Mapping[str, OwnerRef],
    calendar: HolidayCalendar,
) -> ProblemDraft:
    scan = scan_line(
        text, mentions, today, soft_days, offer_choices=True, members=members, calendar=calendar
    )
    if scan.named and not has_visible_text(scan.rest):  # the name was all there was: the problem
        scan = scan_line(text, mentions, today, soft_days, offer_choices=True, calendar=calendar)
    return ProblemDraft(
        problem=check_problem_text(scan.rest),
        owners=scan.owners,
        deadline=scan.deadline,
        deadline_choices=scan.choices,
        named_owners=scan.named,
    )


def read_reply(
    replied: str,
    author: OwnerRef | None,
    args: str,
    mentions: Sequence[Mention],
    today: date,
    *,
    soft_days: int = 7,
    calendar: HolidayCalendar = PACKAGE_CALENDAR,
) -> ProblemDraft:
    """``/problem [owners] [时限] [说明]`` as a reply: the replied text becomes the problem.

    Owners named in the command win over the replied message's author; other words typed
    with the command are kept as the item's detail.
    """
    scan = scan_line(args, mentions, today, soft_days, calendar=calendar)
    owners = scan.owners or ((author,) if author is not None else ())
    return ProblemDraft(
        problem=check_problem_text(" ".join(replied.split())),
        owners=owners,
        deadline=scan.deadline,
        detail=scan.rest,
    )


def _label_blocks(text: str) -> tuple[str, list[tuple[Field, str, int]]]:
    """The first line's text and (field, value, offset) for every labelled block."""
    blocks: list[tuple[Field, str, int]] = []
    first = ""
    offset = 0
    for index, line in enumerate(text.split("\n")):
        # Matched on the line as typed (NFKC could change its length and shift the slices).
        match = _LABEL_LINE.match(line)
        named = field_named(match.group(1)) if match else None
        if match and named is not None:
            value_offset = offset + match.start(2)
            blocks.append((named, match.group(2), value_offset))
        elif match and index > 0 and _FIELD_LIKE.match(_nfkc(match.group(1)).lower()):
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
    text: str, mentions: Sequence[Mention], today: date, soft_days: int, calendar: HolidayCalendar
) -> ProblemDraft:
    first, blocks = _label_blocks(text)
    labelled_due = any(field_name is Field.DUE for field_name, _, _ in blocks)
    head = scan_line(
        first, mentions, today, soft_days, with_deadline=not labelled_due, calendar=calendar
    )
    values: dict[Field, str] = {}
    owners: list[OwnerRef] = list(head.owners)
    for field_name, value, offset in blocks:
        if field_name is Field.OWNERS:
            owners += _owners_from(value, offset, mentions)
        else:
            values[field_name] = (values.get(field_name, "") + "\n" + value).strip()

    labelled_problem = " ".join(values.get(Field.PROBLEM, "").split())
    problem = check_problem_text(head.rest or labelled_problem)
    # Both a first line and a 问题 label: the first line is the title, the label its detail.
    detail_parts = [labelled_problem if head.rest else "", values.get(Field.DETAIL, "")]
    due = values.get(Field.DUE, "").strip()
    return ProblemDraft(
        problem=problem,
        owners=tuple(_unique(owners)),
        deadline=_deadline_or_error(due, today, soft_days, calendar) if due else head.deadline,
        lead=check_field_text(values.get(Field.LEAD, ""), "lead"),
        unit=check_field_text(values.get(Field.UNIT, ""), "unit"),
        category=check_field_text(values.get(Field.CATEGORY, ""), "category"),
        source=check_field_text(values.get(Field.SOURCE, ""), "source"),
        measures=split_measures(values.get(Field.MEASURES, "")),
        detail="\n".join(part for part in detail_parts if part),
    )


def read_problem(
    text: str,
    mentions: Sequence[Mention],
    today: date,
    *,
    soft_days: int = 7,
    members: Mapping[str, OwnerRef] | None = None,
    calendar: HolidayCalendar = PACKAGE_CALENDAR,
) -> ProblemDraft:
    """Read the text after ``/problem`` in the one-line or the labelled form.

    ``members``: the group's members by display name (李四 → the user), whose names written in
    the one-line form make them owners.
    """
    if not text.strip():
        raise UserError("error.problem_empty")
    # Same length, so the mentions' offsets still point at the right characters.
    text = _INLINE_LABEL.sub(lambda m: "\n" + " " * (len(m.group()) - 1), text)
    lines = text.split("\n")
    if _is_labelled(lines):
        return _read_labelled(text, mentions, today, soft_days, calendar)
    return _read_one_line(text, mentions, today, soft_days, members or {}, calendar)
