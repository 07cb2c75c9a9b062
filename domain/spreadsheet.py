"""The ledger as a spreadsheet (README: Import and export): columns, and rows read back as drafts.

The workbook is a Chinese document whatever the group's language: sheet names, column headers
and status words are part of the file format (an exported file must import back), so they live
here as constants, not in the message catalogue.

* :data:`COLUMNS` is the 整改台账 sheet's header row.  A committee's export adds
  :data:`BRANCH_COLUMN` right after 编号 (:func:`ledger_columns`); the import ignores it, so
  such a file imports as well.
* Measures are one cell, a line each (``1. 建立台账``), a done one marked `` ✅``; owners are
  one cell separated by ``、``, a Telegram user written ``张三(@zhang)`` (resolved among the
  group's members on import, like ``/problem``), one without username ``王五(id:7)``.
* An owner, 总负责人 or 责任单位 cell holding a placeholder (``xx``, ``某某``) is left empty with
  the warning a plan gets (``plan.warning.placeholder``): a template's blank is no person.
* 整改时限 is a date cell (long-term: the word 长期坚持, none: empty); 时限原文 keeps the phrase.
  A row read back takes the date as it is (never moved to next year) and the phrase as typed;
  a date in the past is flagged as a plan's is (``plan.warning.past_date``), but a closed item's.
* A header row is recognised when it has 问题 and at least two more known columns (any label
  of the field in :mod:`domain.vocabulary`, such as 存在问题, 落实时限, 第一责任人, counts), so a
  hand-made list imports too; it is looked for among the first ten rows.
* A table copied from Excel or WPS and pasted as text arrives tab-separated, a cell holding line
  breaks or tabs in double quotes (:func:`pasted_table`); with such a header row it is read row
  by row like the sheet itself.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from typing import Final, TypeAlias

from domain.deadline import Deadline, DeadlineKind, NoteCode, parse_deadline
from domain.figures import Breakdown, Figures, rate_percent
from domain.import_drafts import (
    DraftItem,
    Notice,
    clip,
    resolve_phrase,
)
from domain.items import (
    MAX_FIELD_LENGTH,
    MAX_PROBLEM_LENGTH,
    DueKind,
    ItemSnapshot,
    MeasureView,
    OwnerRef,
    Status,
    due_kind_of,
)
from domain.members import owner_of, placeholder_owner
from domain.plan import PlanField
from domain.plan.dates import is_past_deadline
from domain.vocabulary import Field, field_named, has_placeholder
from domain.workdays import PACKAGE_CALENDAR, HolidayCalendar

CellValue: TypeAlias = str | int | float | bool | datetime | date | None

LEDGER_SHEET: Final = "整改台账"
PROGRESS_SHEET: Final = "推进记录"
STATS_SHEET: Final = "统计"
BRANCH_COLUMN: Final = "支部"
COLUMNS: Final = (
    "序号", "编号", "类别", "问题", "整改措施", "总负责人", "责任人", "责任单位",
    "整改时限", "时限原文", "最新进展", "状态", "销号时间", "延期次数", "退回次数", "登记时间",
)  # fmt: skip
PROGRESS_COLUMNS: Final = ("编号", "时间", "人员", "类型", "内容", "附件")
ATTACHMENT_WORD: Final = "有"
STATS_COLUMNS: Final = ("指标", "数值")
BREAKDOWN_COLUMNS: Final = ("总数", "已销号", "整改率")
BREAKDOWNS: Final = (
    ("by_group", BRANCH_COLUMN),
    ("by_category", "类别"),
    ("by_unit", "责任单位"),
    ("by_owner", "责任人"),
)
STATUS_WORDS: Final = {Status.OPEN: "整改中", Status.PENDING: "待验收", Status.CLOSED: "已销号"}
LONG_TERM_WORD: Final = "长期坚持"
DONE_MARK: Final = " ✅"
OWNER_SEPARATOR: Final = "、"

# The column of each field the sheet holds; a header cell may name it by any of the field's
# labels in the shared vocabulary (存在问题, 落实时限, 第一责任人, owner …).
FIELD_COLUMNS: Final[Mapping[Field, str]] = MappingProxyType(
    {
        Field.CATEGORY: "类别",
        Field.PROBLEM: "问题",
        Field.MEASURES: "整改措施",
        Field.LEAD: "总负责人",
        Field.OWNERS: "责任人",
        Field.UNIT: "责任单位",
        Field.DUE: "整改时限",
    }
)
# Variants of the columns that are not an item's typed fields.
_HEADER_ALIASES: Final = {
    "推进情况": "最新进展",
    "整改进展": "最新进展",
    "进展情况": "最新进展",
    "整改状态": "状态",
    "完成情况": "状态",
}
_STATUS_ALIASES: Final = {
    **{word: status for status, word in STATUS_WORDS.items()},
    **{status.value: status for status in Status},
    "": Status.OPEN,
    "未完成": Status.OPEN,
    "进行中": Status.OPEN,
    "在办": Status.OPEN,
    "整改中": Status.OPEN,
    "验收中": Status.PENDING,
    "销号": Status.CLOSED,
    "已完成": Status.CLOSED,
    "完成": Status.CLOSED,
}
_MIN_KNOWN_COLUMNS: Final = 3
HEADER_SEARCH_ROWS: Final = 10
_MEASURE_NUMBER: Final = re.compile(r"^\s*(?:\d{1,3}\s*[.、．)）]|[①-⑳]|[(（]\d{1,3}[)）])\s*")
_OWNER_SPLIT: Final = re.compile(r"[、,，;；\n]+")
_USER_WITH_ID: Final = re.compile(
    r"^(.*?)\s*[(（]\s*id\s*[:：]\s*(\d{1,15})\s*[)）]$", re.IGNORECASE
)


@dataclass(frozen=True)
class SheetRow:
    """One spreadsheet row under a recognised header: its row number and cells by column."""

    line: int
    cells: Mapping[str, CellValue]


# --- header ------------------------------------------------------------------------------------


def canonical_column(value: CellValue) -> str | None:
    """The export column a header cell names, if any."""
    if not isinstance(value, str):
        return None
    name = re.sub(r"\s+", "", value)
    if name in COLUMNS or name == BRANCH_COLUMN:
        return name
    if name in _HEADER_ALIASES:
        return _HEADER_ALIASES[name]
    field = field_named(name)
    return FIELD_COLUMNS.get(field) if field is not None else None


def header_columns(cells: Sequence[CellValue]) -> list[str | None] | None:
    """The column of each cell when this row is a ledger header (问题 and two more), else None.

    A column named twice counts once, where it is first named: a ledger with 整改时限 and then
    完成时间 (often the day the work was done) keeps 整改时限 as the deadline.
    """
    columns: list[str | None] = []
    for cell in cells:
        column = canonical_column(cell)
        columns.append(column if column not in columns else None)
    known = {column for column in columns if column}
    if "问题" not in known or len(known) < _MIN_KNOWN_COLUMNS:
        return None
    return columns


def _rows_under(
    header: Sequence[str | None], rows: Iterable[Sequence[CellValue]], first_line: int
) -> tuple[SheetRow, ...]:
    """The non-empty rows below a header, keyed by column."""
    found: list[SheetRow] = []
    for line, values in enumerate(rows, first_line):
        cells = {
            column: value
            for column, value in zip(header, values, strict=False)
            if column is not None and cell_text(value)
        }
        if cells:
            found.append(SheetRow(line, cells))
    return tuple(found)


def rows_below_header(values: Sequence[Sequence[CellValue]]) -> tuple[SheetRow, ...] | None:
    """The rows under a ledger header found near the top, or None when there is none."""
    for index, row in enumerate(values[:HEADER_SEARCH_ROWS]):
        header = header_columns(row)
        if header is not None:
            return _rows_under(header, values[index + 1 :], index + 2)
    return None


def pasted_table(text: str) -> tuple[SheetRow, ...] | None:
    """A table pasted from Excel/WPS (tab-separated, with a ledger header row), else None."""
    if "\t" not in text:
        return None
    reader = csv.reader(io.StringIO(text.strip("\n")), delimiter="\t")
    values = [tuple(cell.strip() or None for cell in row) for row in reader]
    return rows_below_header(values)


# --- cells -------------------------------------------------------------------------------------


def cell_text(value: CellValue) -> str:
    """A cell as text: numbers without a trailing ``.0``, dates in ISO form."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def measures_cell(measures: Sequence[MeasureView]) -> str:
    """``1. 建立台账`` a line each, done ones marked."""
    return "\n".join(
        f"{index}. {m.text}" + (DONE_MARK if m.done else "") for index, m in enumerate(measures, 1)
    )


def parse_measures_cell(text: str) -> tuple[MeasureView, ...]:
    """Read :func:`measures_cell` (or any list of lines, numbered or not) back."""
    measures: list[MeasureView] = []
    for line in text.splitlines():
        line = _MEASURE_NUMBER.sub("", line).strip()
        done = line.endswith(DONE_MARK.strip())
        line = line.removesuffix(DONE_MARK.strip()).strip()
        if line:
            measures.append(MeasureView(line, done))
    return tuple(measures)


def owner_cell(owner: OwnerRef) -> str:
    """One owner: ``张三(@zhang)``, ``王五(id:7)`` for a user without username, else the name."""
    if owner.username and not owner.name.startswith("@"):
        return f"{owner.name}(@{owner.username})"
    if owner.user_id is not None and not owner.username:
        return f"{owner.name}(id:{owner.user_id})"
    return owner.name


def owners_cell(owners: Sequence[OwnerRef]) -> str:
    """Owners separated by ``、``."""
    return OWNER_SEPARATOR.join(owner_cell(owner) for owner in owners)


def parse_owners_cell(text: str) -> tuple[OwnerRef, ...]:
    """Read :func:`owners_cell` (or names separated by 、 , ; or spaces) back."""
    owners: list[OwnerRef] = []
    for piece in _OWNER_SPLIT.split(text):
        piece = piece.strip()
        by_id = _USER_WITH_ID.match(piece)
        if (owner := owner_of(piece)).username is not None:  # @zhang, 张三(@zhang)
            owners.append(owner)
        elif by_id is not None:
            user_id = int(by_id.group(2))
            owners.append(OwnerRef(name=by_id.group(1).strip() or str(user_id), user_id=user_id))
        else:
            owners += [owner_of(part) for part in piece.split()]
    unique: list[OwnerRef] = []
    for owner in owners:
        if not any(owner.same_person(other) for other in unique):
            unique.append(owner)
    return tuple(unique)


def local_naive(at: datetime, zone: tzinfo) -> datetime:
    """An aware instant as the wall-clock time of ``zone`` (spreadsheets know no zones)."""
    return at.astimezone(zone).replace(tzinfo=None, microsecond=0)


def deadline_cell(item: ItemSnapshot) -> CellValue:
    """整改时限: the date, 长期坚持, or nothing."""
    if item.due_kind is DueKind.LONG_TERM:
        return LONG_TERM_WORD
    return item.due


# --- export ------------------------------------------------------------------------------------


def ledger_columns(*, with_branch: bool) -> tuple[str, ...]:
    """The 整改台账 header: a committee's adds 支部 right after 编号."""
    if not with_branch:
        return COLUMNS
    at = COLUMNS.index("编号") + 1
    return (*COLUMNS[:at], BRANCH_COLUMN, *COLUMNS[at:])


def progress_columns(*, with_branch: bool) -> tuple[str, ...]:
    """The 推进记录 header: a committee's adds 支部 after 编号, as its 整改台账 does."""
    if not with_branch:
        return PROGRESS_COLUMNS
    return (PROGRESS_COLUMNS[0], BRANCH_COLUMN, *PROGRESS_COLUMNS[1:])


def ledger_row(item: ItemSnapshot, index: int, zone: tzinfo) -> dict[str, CellValue]:
    """One row of the 整改台账 sheet (支部: the item's group, in a committee's export)."""
    latest = item.progress[-1].text if item.progress else ""
    return {
        "序号": index,
        "编号": item.number,
        BRANCH_COLUMN: item.group_title,
        "类别": item.category,
        "问题": item.problem,
        "整改措施": measures_cell(item.measures),
        "总负责人": item.lead,
        "责任人": owners_cell(item.owners),
        "责任单位": item.unit,
        "整改时限": deadline_cell(item),
        "时限原文": item.due_phrase,
        "最新进展": latest,
        "状态": STATUS_WORDS[item.status],
        "销号时间": local_naive(item.closed_at, zone) if item.closed_at else None,
        "延期次数": item.extension_count,
        "退回次数": item.return_count,
        "登记时间": local_naive(item.created_at, zone),
    }


_EXCEL_EPOCH: Final = date(1899, 12, 30)
_SERIAL_DATES: Final = range(36526, 73051)  # 2000-01-01 … 2099-12-31 as Excel day numbers


def excel_serial_date(value: CellValue) -> CellValue:
    """A number that Excel shows as a date (46022 = 2025-12-31) read as that date."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    days = int(value)
    if days != value or days not in _SERIAL_DATES:
        return value
    return _EXCEL_EPOCH + timedelta(days=days)


def rate_cell(closed: int, total: int) -> float:
    """整改率 as the fraction of the percentage ``/stats`` shows (format the cell ``0%``)."""
    return rate_percent(closed, total) / 100


def stats_rows(figures: Figures) -> list[tuple[str, CellValue]]:
    """The totals block of the 统计 sheet (figures from ``ledger_figures``, as ``/stats``)."""
    return [
        ("总数", figures.total),
        ("已销号", figures.closed),
        ("在办", figures.active),
        ("待验收", figures.pending),
        ("逾期", figures.overdue),
        ("7天内到期", figures.due_within_7),
        ("长期坚持", figures.long_term),
        ("未设时限", figures.no_deadline),
        ("整改率", rate_cell(figures.closed, figures.total)),
    ]


def breakdown_row(row: Breakdown) -> tuple[str, int, int, float]:
    """One line of a by-category/unit/owner table."""
    return (row.name, row.total, row.closed, rate_cell(row.closed, row.total))


# --- import ------------------------------------------------------------------------------------


@dataclass
class _RowReader:
    """Reads the cells of one row into draft fields, collecting notices."""

    row: SheetRow
    item: int
    today: date
    zone: tzinfo
    soft_days: int
    calendar: HolidayCalendar = PACKAGE_CALENDAR

    def __post_init__(self) -> None:
        self.notices: list[Notice] = []

    def text(self, column: str) -> str:
        return cell_text(self.row.cells.get(column))

    def bad(self, column: str) -> None:
        params = {"column": column, "value": self.text(column)}
        self.notices.append(Notice("import.row.bad_value", self.item, params))

    def placeholder(self, field: PlanField, value: str) -> None:
        params = {"field": field.value, "value": value}
        self.notices.append(Notice("plan.warning.placeholder", self.item, params))

    def field(self, column: str, what: str, field: PlanField | None = None) -> str:
        """A text cell; a placeholder in a plan's field (总负责人 xx) is left out, as in a plan."""
        value = self.text(column)
        if field is not None and value and has_placeholder(value):
            self.placeholder(field, value)
            return ""
        return clip(value, MAX_FIELD_LENGTH, what, self.item, self.notices)

    def owners(self) -> tuple[OwnerRef, ...]:
        """责任人: the people named; placeholders (xx, 某某) are left out, as in a plan."""
        owners: list[OwnerRef] = []
        for owner in parse_owners_cell(self.text("责任人")):
            if owner.user_id is None and placeholder_owner(owner_cell(owner)):
                self.placeholder(PlanField.OWNERS, owner.name)
            else:
                owners.append(owner)
        return tuple(owners)

    def status(self) -> Status:
        status = _STATUS_ALIASES.get(self.text("状态").replace(" ", ""))
        if status is None:
            self.bad("状态")
            return Status.OPEN
        return status

    def count(self, column: str) -> int:
        text = self.text(column)
        if not text:
            return 0
        if text.isdigit():
            return int(text)
        self.bad(column)
        return 0

    def closed_at(self) -> datetime | None:
        value = self.row.cells.get("销号时间")
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime.combine(value, time(), tzinfo=self.zone)
        elif not isinstance(value, datetime) and self.text("销号时间"):
            try:
                value = datetime.fromisoformat(self.text("销号时间"))
            except ValueError:
                self.bad("销号时间")
                return None
        if not isinstance(value, datetime):
            return None
        if value.tzinfo is None:  # a spreadsheet's wall-clock time in the group's zone
            value = value.replace(tzinfo=self.zone)
        return value.astimezone(UTC)

    def deadline(self, status: Status) -> tuple[DueKind, date | None, str, tuple[NoteCode, ...]]:
        """(kind, due, phrase, notes) from 整改时限 and 时限原文.

        A date in the past is flagged as a plan's is (all but a closed item's): noted on the
        item, and warned about when its year is over (a copied old ledger).
        """
        value = excel_serial_date(self.row.cells.get("整改时限"))
        phrase = self.text("时限原文")
        if isinstance(value, date):
            due = value.date() if isinstance(value, datetime) else value
            notes = self._past(due, due.isoformat(), status)
            return self._kept_date(due, phrase), due, phrase, notes
        typed = self.text("整改时限") or phrase
        if not typed:
            return DueKind.NONE, None, "", ()
        parsed, notice = resolve_phrase(typed, self.item, self.today, self.soft_days, self.calendar)
        if parsed is None:
            self.notices += [notice] if notice else []
            return DueKind.NONE, None, "", ()
        notes = parsed.notes
        if parsed.due is not None:
            past = self._past(parsed.due, typed, status)
            notes += tuple(note for note in past if note not in notes)
        return due_kind_of(parsed), parsed.due, phrase or parsed.phrase, notes

    def _past(self, due: date, typed: str, status: Status) -> tuple[NoteCode, ...]:
        """The past-date note for ``due`` (warning when its year is over), unless closed."""
        if status is Status.CLOSED or due >= self.today:
            return ()
        if due.year < self.today.year or is_past_deadline(typed, self.today.year):
            self.notices.append(Notice("plan.warning.past_date", self.item, {"value": typed}))
        return (NoteCode.PAST_YEAR,)

    def _kept_date(self, due: date, phrase: str) -> DueKind:
        """A date cell stays as it is; a soft phrase (尽快) keeps it marked soft."""
        parsed = parse_deadline(phrase, self.today, soft_days=self.soft_days) if phrase else None
        if isinstance(parsed, Deadline) and parsed.kind is DeadlineKind.SOFT:
            return DueKind.SOFT
        return DueKind.DATE

    def draft(self) -> DraftItem:
        status = self.status()
        kind, due, phrase, notes = self.deadline(status)
        problem = clip(self.text("问题"), MAX_PROBLEM_LENGTH, "problem", self.item, self.notices)
        return DraftItem(
            problem=problem,
            category=self.field("类别", "category"),
            measures=parse_measures_cell(self.text("整改措施")),
            owners=self.owners(),
            lead=self.field("总负责人", "lead", PlanField.LEAD),
            unit=self.field("责任单位", "unit", PlanField.UNIT),
            due_kind=kind,
            due=due,
            due_phrase=phrase,
            due_notes=notes,
            status=status,
            closed_at=self.closed_at() if status is Status.CLOSED else None,
            progress=self.text("最新进展"),
            return_count=self.count("退回次数"),
            extension_count=self.count("延期次数"),
        )


def fold_continuation_rows(rows: Sequence[SheetRow]) -> list[SheetRow]:
    """Rows that only continue the item above (its 问题 cell merged over them) join that item.

    A merged 问题 cell leaves the rows below it without a 问题; their measures (and any other
    text) belong to the item above, not to a new one.  A row with a 序号 or 编号 of its own is
    an item of its own, even with its 问题 left empty (it is then reported, not imported).
    """
    folded: list[SheetRow] = []
    for row in rows:
        numbered = any(cell_text(row.cells.get(column)) for column in ("序号", "编号"))
        continues = bool(folded) and not numbered and not cell_text(row.cells.get("问题"))
        if not continues or "整改措施" not in row.cells:
            folded.append(row)
            continue
        above = folded[-1]
        cells = dict(above.cells)
        for column, value in row.cells.items():
            if column in ("序号", "编号"):
                continue
            previous = cell_text(cells.get(column))
            cells[column] = f"{previous}\n{cell_text(value)}" if previous else value
        folded[-1] = SheetRow(above.line, cells)
    return folded


def drafts_from_rows(
    rows: Sequence[SheetRow],
    today: date,
    zone: tzinfo,
    soft_days: int,
    calendar: HolidayCalendar = PACKAGE_CALENDAR,
) -> tuple[tuple[DraftItem, ...], tuple[Notice, ...]]:
    """Each row with a 问题 as a draft; rows without one are reported, not imported."""
    drafts: list[DraftItem] = []
    notices: list[Notice] = []
    for row in fold_continuation_rows(rows):
        if not cell_text(row.cells.get("问题")):
            notices.append(Notice("import.row.no_problem", None, {"row": str(row.line)}))
            continue
        reader = _RowReader(row, len(drafts) + 1, today, zone, soft_days, calendar)
        drafts.append(reader.draft())
        notices += reader.notices
    with_progress = sum(1 for draft in drafts if draft.progress)
    if with_progress:
        notices.append(Notice("import.notice.progress", None, {"count": str(with_progress)}))
    return tuple(drafts), tuple(notices)
