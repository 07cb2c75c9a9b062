"""Bulk import (README: Import and export): the drafts a preview shows and a confirmation creates.

A pasted plan goes through :func:`domain.plan.parse_plan` and then
:func:`drafts_from_plan`, which resolves every deadline phrase against ``today``; a spreadsheet
row goes through :mod:`domain.spreadsheet`.  Either way the result is a tuple of
:class:`DraftItem` plus :class:`Notice` warnings, stored as JSON (:func:`encode_drafts`) until an
admin confirms, so the items created are exactly the ones the preview showed.

Choices the issue left open:

* Numbers are the group's next numbers at preview time; the confirmation reports the numbers
  actually given (someone may register an item in between).
* A problem, category, unit or lead longer than the item limits is cut to the limit, with a
  notice, rather than refusing the whole import.
* Owners are linked to the group's members when the preview is made (and after each
  correction, :func:`link_owners`): an ``@username`` to the member seen with it, a plain name to
  the one member whose display name it is.  The preview lists the owners that matched nobody
  (``import.notice.unlinked``); an ``@username`` among them is still linked when that user
  first writes in the group, like ``/problem``'s.
* The preview's warnings are stored with its drafts, so a corrected preview shows them brought
  up to date (:mod:`domain.import_corrections`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final

from domain.deadline import (
    Deadline,
    DeadlineError,
    NoteCode,
    parse_deadline,
)
from domain.items import (
    MAX_FIELD_LENGTH,
    MAX_PROBLEM_LENGTH,
    DueKind,
    MeasureView,
    OwnerRef,
    Status,
    due_kind_of,
)
from domain.members import Members, link_all, owner_of
from domain.plan import ParsedPlan, PlanItem, PlanWarning
from domain.problem_form import ProblemDraft
from domain.tree import DISPATCH_NOTICE_PREFIX, NameMatch, chosen_branches
from domain.workdays import PACKAGE_CALENDAR, HolidayCalendar

PREVIEW_TTL: Final = timedelta(minutes=30)
MAX_IMPORT_ITEMS: Final = 300

UNLINKED: Final = "import.notice.unlinked"
NAME_SEPARATOR: Final = "、"


@dataclass(frozen=True)
class DraftItem:
    """One item as it will be created: every field resolved, nothing stored yet."""

    problem: str
    label: str = ""
    detail: str = ""
    category: str = ""
    measures: tuple[MeasureView, ...] = ()
    owners: tuple[OwnerRef, ...] = ()
    lead: str = ""
    unit: str = ""
    due_kind: DueKind = DueKind.NONE
    due: date | None = None
    due_phrase: str = ""
    due_notes: tuple[NoteCode, ...] = ()
    status: Status = Status.OPEN
    closed_at: datetime | None = None
    progress: str = ""
    return_count: int = 0
    extension_count: int = 0


def draft_from_problem(draft: ProblemDraft) -> DraftItem:
    """What a member typed after ``/problem``, as an item to create (like an imported one)."""
    deadline = draft.deadline
    return DraftItem(
        problem=draft.problem,
        detail=draft.detail,
        category=draft.category,
        measures=tuple(MeasureView(text) for text in draft.measures),
        owners=draft.owners,
        lead=draft.lead,
        unit=draft.unit,
        due_kind=due_kind_of(deadline) if deadline else DueKind.NONE,
        due=deadline.due if deadline else None,
        due_phrase=deadline.phrase if deadline else "",
        due_notes=deadline.notes if deadline else (),
    )


@dataclass(frozen=True)
class Notice:
    """A warning of the preview: a catalogue key, the 1-based item (None: the whole input).

    A ``field`` parameter holds a :class:`~domain.plan.PlanField` value and a
    ``what`` parameter an ``import.field.*`` name; the view translates both.
    """

    key: str
    item: int | None = None
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))


@dataclass(frozen=True)
class ImportPreview:
    """What ``/import`` shows before [确认导入]: the drafts, the warnings and the numbers."""

    id: int
    items: tuple[DraftItem, ...]
    notices: tuple[Notice, ...]
    first_number: int
    expires_at: datetime
    from_sheet: bool = False
    # Earlier previews this one replaced: the messages whose buttons no longer apply.
    superseded_messages: tuple[int, ...] = ()


def resolve_phrase(
    phrase: str,
    item: int,
    today: date,
    soft_days: int,
    calendar: HolidayCalendar = PACKAGE_CALENDAR,
) -> tuple[Deadline | None, Notice | None]:
    """Resolve a deadline phrase; a bad one gives a notice instead (the item gets no deadline)."""
    result = parse_deadline(phrase, today, soft_days=soft_days, calendar=calendar)
    if isinstance(result, DeadlineError):
        return None, Notice(f"import.deadline.{result.code.value}", item, {"phrase": phrase})
    return result, None


def clip(value: str, limit: int, what: str, item: int, notices: list[Notice]) -> str:
    """Cut ``value`` to ``limit`` characters, noting it when something was cut."""
    value = value.strip()
    if len(value) <= limit:
        return value
    notices.append(Notice("import.notice.clipped", item, {"what": what, "limit": str(limit)}))
    return value[:limit]


def _draft_from_plan_item(
    plan_item: PlanItem, index: int, today: date, soft_days: int, calendar: HolidayCalendar
) -> tuple[DraftItem, list[Notice]]:
    """Turn one parsed plan item into a draft, resolving its deadline phrase."""
    notices: list[Notice] = []
    deadline: Deadline | None = None
    if plan_item.deadline_phrase:
        deadline, notice = resolve_phrase(
            plan_item.deadline_phrase, index, today, soft_days, calendar
        )
        notices += [notice] if notice else []
    problem = plan_item.problem or plan_item.detail or plan_item.label
    draft = DraftItem(
        problem=clip(problem, MAX_PROBLEM_LENGTH, "problem", index, notices),
        label=plan_item.label,
        detail=plan_item.detail,
        category=clip(plan_item.category or "", MAX_FIELD_LENGTH, "category", index, notices),
        measures=tuple(MeasureView(text) for text in plan_item.measures),
        owners=tuple(owner_of(name) for name in plan_item.owners),
        lead=clip(plan_item.lead or "", MAX_FIELD_LENGTH, "lead", index, notices),
        unit=clip(plan_item.unit or "", MAX_FIELD_LENGTH, "unit", index, notices),
        due_kind=due_kind_of(deadline) if deadline else DueKind.NONE,
        due=deadline.due if deadline else None,
        due_phrase=deadline.phrase if deadline else "",
        due_notes=deadline.notes if deadline else (),
    )
    return draft, notices


def notice_of(warning: PlanWarning) -> Notice:
    """A plan parser warning as a preview notice."""
    return Notice(warning.message_key, warning.item, dict(warning.params))


def drafts_from_plan(
    plan: ParsedPlan, today: date, soft_days: int, calendar: HolidayCalendar = PACKAGE_CALENDAR
) -> tuple[tuple[DraftItem, ...], tuple[Notice, ...]]:
    """Every item of a parsed plan as a draft, with all warnings in the order of the items."""
    drafts: list[DraftItem] = []
    own: dict[int, list[Notice]] = {}
    for index, plan_item in enumerate(plan.items, 1):
        draft, own[index] = _draft_from_plan_item(plan_item, index, today, soft_days, calendar)
        drafts.append(draft)
    return tuple(drafts), tuple(_merge(plan.warnings, own))


def _merge(warnings: Sequence[PlanWarning], own: Mapping[int, list[Notice]]) -> list[Notice]:
    """The parser's warnings (in text order) with each item's own notices after its last one."""
    merged: list[Notice] = []
    flushed = 0

    def flush(upto: int) -> None:
        nonlocal flushed
        for item in range(flushed + 1, upto + 1):
            merged.extend(own.get(item, []))
        flushed = max(flushed, upto)

    for warning in warnings:
        if warning.item is not None and warning.item > flushed + 1:
            flush(warning.item - 1)
        merged.append(notice_of(warning))
    flush(max(own, default=0))
    return merged


# --- owners and members ---------------------------------------------------------------------


def link_owners(
    drafts: Sequence[DraftItem], members: Members
) -> tuple[tuple[DraftItem, ...], tuple[str, ...]]:
    """Owners linked to members where they match; and the owners that matched nobody."""
    linked: list[DraftItem] = []
    unmatched: list[str] = []
    for draft in drafts:
        owners = link_all(draft.owners, members)
        for owner in owners:
            if owner.user_id is None and owner.name not in unmatched:
                unmatched.append(owner.name)
        linked.append(replace(draft, owners=tuple(owners)))
    return tuple(linked), tuple(unmatched)


def with_unlinked(notices: Sequence[Notice], unmatched: Sequence[str]) -> tuple[Notice, ...]:
    """The warnings with the list of unmatched owners brought up to date."""
    kept = [notice for notice in notices if notice.key != UNLINKED]
    if unmatched:
        kept.append(Notice(UNLINKED, None, {"names": NAME_SEPARATOR.join(unmatched)}))
    return tuple(kept)


def with_dispatch_notices(
    notices: Sequence[Notice], plan: Sequence[Sequence[NameMatch]], separator: str = "、"
) -> tuple[Notice, ...]:
    """The warnings with what a committee's import hands to which branch brought up to date.

    For each item: the branches it goes to, the units that are no branch of the committee, and
    a unit that fits several branches (asked about: correct it, or /dispatch after importing).
    """
    kept = [n for n in notices if not n.key.startswith(DISPATCH_NOTICE_PREFIX)]
    for index, matches in enumerate(plan, 1):
        chosen = chosen_branches(matches)
        if chosen:
            names = separator.join(b.title for b in chosen)
            kept.append(Notice(f"{DISPATCH_NOTICE_PREFIX}to", index, {"branches": names}))
        unmatched = [m.typed for m in matches if not m.branches]
        if unmatched:
            names = separator.join(unmatched)
            kept.append(Notice(f"{DISPATCH_NOTICE_PREFIX}unmatched", index, {"names": names}))
        for match in matches:
            if match.ambiguous:
                fits = separator.join(b.title for b in match.branches)
                example = match.branches[0].title  # a full name, never the ambiguous one
                params = {"name": match.typed, "branches": fits, "example": example}
                kept.append(Notice(f"{DISPATCH_NOTICE_PREFIX}ambiguous", index, params))
    return tuple(kept)


# --- JSON --------------------------------------------------------------------------------------


def _draft_json(draft: DraftItem) -> dict[str, Any]:
    return {
        "problem": draft.problem,
        "label": draft.label,
        "detail": draft.detail,
        "category": draft.category,
        "measures": [[m.text, m.done] for m in draft.measures],
        "owners": [[o.name, o.username, o.user_id] for o in draft.owners],
        "lead": draft.lead,
        "unit": draft.unit,
        "due_kind": draft.due_kind.value,
        "due": draft.due.isoformat() if draft.due else None,
        "due_phrase": draft.due_phrase,
        "due_notes": [note.value for note in draft.due_notes],
        "status": draft.status.value,
        "closed_at": draft.closed_at.isoformat() if draft.closed_at else None,
        "progress": draft.progress,
        "return_count": draft.return_count,
        "extension_count": draft.extension_count,
    }


def _draft_from_json(data: Mapping[str, Any]) -> DraftItem:
    return DraftItem(
        problem=data["problem"],
        label=data["label"],
        detail=data["detail"],
        category=data["category"],
        measures=tuple(MeasureView(text, bool(done)) for text, done in data["measures"]),
        owners=tuple(
            OwnerRef(name, user_id, username) for name, username, user_id in data["owners"]
        ),
        lead=data["lead"],
        unit=data["unit"],
        due_kind=DueKind(data["due_kind"]),
        due=date.fromisoformat(data["due"]) if data["due"] else None,
        due_phrase=data["due_phrase"],
        due_notes=tuple(NoteCode(note) for note in data["due_notes"]),
        status=Status(data["status"]),
        closed_at=datetime.fromisoformat(data["closed_at"]) if data["closed_at"] else None,
        progress=data["progress"],
        return_count=int(data["return_count"]),
        extension_count=int(data["extension_count"]),
    )


def encode_drafts(
    drafts: Sequence[DraftItem], *, from_sheet: bool, notices: Sequence[Notice] = ()
) -> str:
    """The JSON stored with a preview (its notices too, to draw any page of it again)."""
    payload = {
        "from_sheet": from_sheet,
        "items": [_draft_json(d) for d in drafts],
        "notices": [[n.key, n.item, dict(n.params)] for n in notices],
    }
    return json.dumps(payload, ensure_ascii=False)


def decode_drafts(payload: str) -> tuple[tuple[DraftItem, ...], bool]:
    """Read back :func:`encode_drafts`: the drafts, and whether they came from a sheet."""
    data = json.loads(payload)
    return tuple(_draft_from_json(item) for item in data["items"]), bool(data["from_sheet"])


def decode_notices(payload: str) -> tuple[Notice, ...]:
    """The notices stored by :func:`encode_drafts` (none for a preview stored without them)."""
    data = json.loads(payload)
    return tuple(Notice(key, item, params) for key, item, params in data.get("notices", ()))
