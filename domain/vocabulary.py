"""The words members type, defined once: field labels, Chinese numerals, placeholders.

Field labels are what ``/problem`` (labelled lines), ``/edit N 字段 值``, a pasted plan for
``/import`` and a spreadsheet's header row accept for an item's fields.  Every entry point
accepts every label of each field it can set (:data:`LABELS`), in Chinese or English whatever
the group's language, so a label one of them accepts, all of them accept.  The *display* names
(on cards, in messages) stay in the message catalogue.

Which fields each entry point sets:

* ``/problem`` — all of them (:data:`PROBLEM_FIELDS`);
* ``/edit`` — all but the owners and the deadline, which have their own commands
  (:data:`OWN_COMMAND`: ``/assign`` and ``/due``), see :func:`field_to_edit`;
* a pasted plan — the labelled ones (:data:`PLAN_FIELDS`); its problems come from the
  numbering and its categories from headings;
* a spreadsheet — the ledger's columns (:data:`SHEET_FIELDS`), see :mod:`domain.spreadsheet`.

Chinese numerals are read by :func:`read_cn_number` and written by :func:`cn_numeral`
(the plan's numbering, the deadline grammar); placeholders left in a template (``xx``, ``×××``,
``某``, ``__``) are found by :data:`PLACEHOLDER` (plan fields, deadline phrases).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from domain.errors import UserError

# --- fields and their labels -------------------------------------------------------------------


class Field(StrEnum):
    """An item's fields that members name when they type them."""

    PROBLEM = "problem"
    OWNERS = "owners"
    LEAD = "lead"  # 总负责人
    UNIT = "unit"  # 责任单位
    DUE = "due"
    CATEGORY = "category"
    MEASURES = "measures"
    SOURCE = "source"
    DETAIL = "detail"


@dataclass(frozen=True)
class Labels:
    """The labels of one field; the first of each language is the one messages name."""

    zh: tuple[str, ...]
    en: tuple[str, ...]

    def all(self) -> tuple[str, ...]:
        """Every label, Chinese first."""
        return (*self.zh, *self.en)


LABELS: Final[Mapping[Field, Labels]] = MappingProxyType(
    {
        Field.PROBLEM: Labels(
            ("问题", "存在问题", "问题描述", "主要问题", "整改问题", "问题清单"), ("problem",)
        ),
        Field.OWNERS: Labels(
            ("责任人", "负责人", "整改责任人", "具体责任人", "直接责任人"), ("owner", "owners")
        ),
        Field.LEAD: Labels(
            ("总负责人", "第一责任人", "牵头领导", "责任领导", "分管领导"), ("lead",)
        ),
        Field.UNIT: Labels(
            (
                "责任单位",
                "牵头单位",
                "整改责任单位",
                "主责单位",
                "责任部门",
                "整改责任部门",
                "牵头部门",
                "责任科室",
            ),
            ("unit",),
        ),
        Field.DUE: Labels(
            (
                "时限",
                "整改时限",
                "落实时限",
                "完成时限",
                "整改期限",
                "落实期限",
                "完成期限",
                "整改时间",
                "落实时间",
                "完成时间",
            ),
            ("due", "deadline"),
        ),
        Field.CATEGORY: Labels(("类别", "方面", "问题类别"), ("category",)),
        Field.MEASURES: Labels(
            ("措施", "整改措施", "整改举措", "具体措施", "主要措施", "整改办法"), ("measures",)
        ),
        Field.SOURCE: Labels(("来源",), ("source",)),
        Field.DETAIL: Labels(("说明",), ("detail",)),
    }
)

# What each entry point sets; problem.unknown_label and error.edit_field list the first two in
# this order (a test keeps the messages in step).
PROBLEM_FIELDS: Final = tuple(Field)
EDIT_FIELDS: Final = (
    Field.PROBLEM,
    Field.CATEGORY,
    Field.UNIT,
    Field.LEAD,
    Field.MEASURES,
    Field.SOURCE,
    Field.DETAIL,
)
# Fields that have their own command: /edit points there instead of refusing blankly.
OWN_COMMAND: Final[Mapping[Field, str]] = MappingProxyType(
    {Field.OWNERS: "assign", Field.DUE: "due"}
)
# A plan's problems are its numbered lines and its categories its headings: no labels for those.
PLAN_FIELDS: Final = (Field.OWNERS, Field.LEAD, Field.UNIT, Field.DUE, Field.MEASURES)
# The ledger sheet's columns (domain.spreadsheet.FIELD_COLUMNS); it has none for source, detail.
SHEET_FIELDS: Final = (
    Field.PROBLEM,
    Field.CATEGORY,
    Field.MEASURES,
    Field.LEAD,
    Field.OWNERS,
    Field.UNIT,
    Field.DUE,
)


def normalise_label(typed: str) -> str:
    """A typed label as looked up: NFKC (full-width as ASCII), no whitespace, lower case."""
    return "".join(unicodedata.normalize("NFKC", typed).split()).lower()


_BY_LABEL: Final[Mapping[str, Field]] = MappingProxyType(
    {normalise_label(label): field for field, labels in LABELS.items() for label in labels.all()}
)


def field_named(typed: str) -> Field | None:
    """The field a typed label names (``负责人``, ``Owner``, ``落实 时限``), if any."""
    return _BY_LABEL.get(normalise_label(typed))


def field_to_edit(typed: str, number: int) -> Field:
    """The field ``/edit N <typed> …`` changes; owners and deadline point to /assign and /due."""
    field = field_named(typed)
    if field is not None and field in OWN_COMMAND:
        raise UserError(f"error.edit_use_{OWN_COMMAND[field]}", number=number)
    if field not in EDIT_FIELDS:
        raise UserError("error.edit_field", field=typed)
    return field


def chinese_labels(fields: Iterable[Field]) -> tuple[str, ...]:
    """The Chinese labels of ``fields``, longest first (so a pattern prefers 整改措施 to 措施)."""
    return tuple(sorted((label for f in fields for label in LABELS[f].zh), key=len, reverse=True))


def english_labels(fields: Iterable[Field]) -> tuple[str, ...]:
    """The English labels of ``fields``, longest first."""
    return tuple(sorted((label for f in fields for label in LABELS[f].en), key=len, reverse=True))


def alternatives(labels: Iterable[str]) -> str:
    """Labels as a regular-expression alternation (escaped, in the order given)."""
    return "|".join(re.escape(label) for label in labels)


# --- Chinese numerals --------------------------------------------------------------------------

CN_DIGITS: Final = "一二三四五六七八九"  # 1 … 9, in order
_CN_VALUES: Final[Mapping[str, int]] = MappingProxyType(
    {"〇": 0, "零": 0, **{char: value for value, char in enumerate(CN_DIGITS, 1)}, "两": 2}
)
_CN_UNITS: Final[Mapping[str, int]] = MappingProxyType({"十": 10, "百": 100})
# Characters of a Chinese number (二十, 两百, 一百零五) and of a year written digit by digit.
CN_NUMBER_CHARS: Final = "〇零一二两三四五六七八九十百"
CN_YEAR_CHARS: Final = "〇零一二三四五六七八九"


def _place_value(text: str) -> int | None:
    """十二, 三十一, 一百零五: digits times 十/百, or None when malformed."""
    total, pending, last_unit = 0, None, 1000
    for char in text:
        if char in _CN_UNITS:
            unit = _CN_UNITS[char]
            if unit >= last_unit:
                return None
            total += (1 if pending is None else pending) * unit
            pending, last_unit = None, unit
        elif char in "〇零" and pending is None and total:
            continue
        elif pending is None:
            pending = _CN_VALUES[char]
        else:
            return None
    return total + (pending or 0)


def read_cn_number(text: str, *, digit_by_digit: bool = False) -> int | None:
    """A Chinese number (五, 十二, 三十一, 一百零五, 两), or None when it is not one.

    Without 十 or 百, several digits are no number (二三), unless ``digit_by_digit``: then they
    read as a year is written (二〇二六 is 2026).
    """
    if not text or not all(char in _CN_VALUES or char in _CN_UNITS for char in text):
        return None
    if digit_by_digit and not any(char in _CN_UNITS for char in text):
        return int("".join(str(_CN_VALUES[char]) for char in text))
    return _place_value(text)


def cn_numeral(number: int) -> str:
    """Write 1 … 99 in Chinese numerals (一, 十, 十二, 九十九); other numbers in digits."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return CN_DIGITS[ones - 1]
    head = "" if tens == 1 else CN_DIGITS[tens - 1]
    return head + "十" + (CN_DIGITS[ones - 1] if ones else "")


# --- placeholders ------------------------------------------------------------------------------

# Characters that stand for a digit in a template (20xx年, ××月, __日, 某月).
PLACEHOLDER_DIGITS: Final = "xX×*_某"
# A placeholder anywhere in a value (matched on text whose full-width forms are folded): x or xx
# standing alone, ×, *, _, 某, two or more ○ or □, question marks.
PLACEHOLDER: Final = re.compile(r"(?<![A-Za-z])[xX]+(?![A-Za-z])|[×*_]+|某|[○□]{2,}|\?+")


def has_placeholder(value: str) -> bool:
    """Whether a value as typed (full-width forms too: ｘｘ, ＊, ？) holds a placeholder."""
    return PLACEHOLDER.search(unicodedata.normalize("NFKC", value)) is not None
