"""What :func:`~domain.plan.parse_plan` returns: items, warnings and their codes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class PlanWarningCode(StrEnum):
    """What a plan warning is about; each has a ``plan.warning.<code>`` message."""

    # A preamble, 保障措施 block, intro or conclusion that was skipped (param: excerpt).
    NOT_AN_ITEM = "not_an_item"
    # A field holds xx / × / ** / 某 and was not stored (params: field, value).
    PLACEHOLDER = "placeholder"
    # A line among an item's fields that has no label (param: excerpt).
    UNLABELLED_FIELD = "unlabelled_field"
    # A deadline such as 底前 that lost its month or year; not stored (param: value).
    INCOMPLETE_DEADLINE = "incomplete_deadline"
    # A label without a value, e.g. 落实时限: (param: field).
    EMPTY_FIELD = "empty_field"
    # Numbering skips (1 → 3), repeats or is mistyped (2..) (params: expected, found).
    NUMBERING_GAP = "numbering_gap"
    NO_MEASURES = "no_measures"
    NO_OWNER = "no_owner"  # neither 责任人 nor 总负责人 given
    NO_DEADLINE = "no_deadline"
    # A year before reference_year in a deadline or a schedule phrase (param: value).
    PAST_DATE = "past_date"
    # A paired measure with no problem of its number (item None; params: label, excerpt), or a
    # problem of a paired group that got no measure (item set; param: label).
    UNPAIRED = "unpaired"
    # A second, different value for 总负责人/责任单位/落实时限; the first is kept
    # (params: field, value — the ignored one).
    DUPLICATE_FIELD = "duplicate_field"
    # Nothing in the text looks like a numbered problem; no items at all.
    NO_ITEMS = "no_items"
    # A part that is not problems (achievements, causes) was skipped as a whole
    # (params: part — a ``plan.part.<part>`` name, excerpt — how it begins, size — lines after).
    SKIPPED_SECTION = "skipped_section"
    # A measures part has more or fewer entries than the problems it answers; they were paired
    # by number (or order) (params: problems, measures — the counts).
    MEASURE_COUNT = "measure_count"


class PlanField(StrEnum):
    """The labelled fields of an item; each has a ``plan.field.<value>`` name."""

    OWNERS = "owners"
    LEAD = "lead"
    UNIT = "unit"
    DEADLINE = "deadline"
    MEASURES = "measures"


# Codes that occur both for an item and for the plan as a whole; the whole-plan message has
# its own key because it cannot name an item.
_DUAL_CODES: Final = frozenset({PlanWarningCode.PAST_DATE, PlanWarningCode.UNPAIRED})


@dataclass(frozen=True)
class PlanWarning:
    """One thing the preview should point out; ``item`` is 1-based, None for the whole plan."""

    code: PlanWarningCode
    item: int | None = None
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # A private read-only copy keeps the frozen dataclass honest.
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def message_key(self) -> str:
        """The i18n key of this warning's message (``{item}`` plus ``params`` fill it)."""
        if self.item is None and self.code in _DUAL_CODES:
            return f"plan.warning.{self.code}.general"
        return f"plan.warning.{self.code}"


@dataclass(frozen=True)
class PlanItem:
    """One problem of the plan with what the plan says about it."""

    label: str
    problem: str
    detail: str
    category: str | None
    measures: tuple[str, ...]
    owners: tuple[str, ...]
    lead: str | None
    unit: str | None
    deadline_phrase: str | None


@dataclass(frozen=True)
class ParsedPlan:
    """The items read from a plan and everything the preview should warn about."""

    items: tuple[PlanItem, ...]
    warnings: tuple[PlanWarning, ...]
