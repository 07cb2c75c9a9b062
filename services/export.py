"""``/export``: the ledger as ``整改台账-<group>-<YYYYMMDD>.xlsx`` (README: Import and export).

Three sheets: 整改台账 (one row per item, the columns of
:data:`~domain.spreadsheet.COLUMNS`), 推进记录 (every progress entry and every
event but the ``progress`` events, which only repeat an entry's text; an event's 内容 is the
sentence ``/show`` gives it, in the group's language, like its 类型) and 统计 (computed by
:func:`~domain.figures.ledger_figures`, like ``/stats``).  Deleted items are left
out, as in ``/stats``.  Dates are date cells; times are the group's wall-clock time.

A committee's export (a group with branches linked below it) covers its whole subtree: one
row per item of every group, a :data:`~domain.spreadsheet.BRANCH_COLUMN` after 编号 naming the
item's group, and 统计 by branch too.
"""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from domain.clock import Clock, local_today
from domain.figures import ledger_figures
from domain.groups import GroupContext
from domain.items import EventKind, ItemSnapshot, ProgressKind
from domain.settings import GroupSettings
from domain.spreadsheet import (
    ATTACHMENT_WORD,
    BREAKDOWN_COLUMNS,
    BREAKDOWNS,
    LEDGER_SHEET,
    PROGRESS_SHEET,
    STATS_COLUMNS,
    STATS_SHEET,
    CellValue,
    breakdown_row,
    ledger_columns,
    ledger_row,
    local_naive,
    progress_columns,
    stats_rows,
)
from i18n import t
from services.tree import subtree_in
from storage import items as repo
from storage.database import Database
from views.history import event_sentence

DATE_FORMAT: Final = "yyyy-mm-dd"
TIME_FORMAT: Final = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT: Final = "0%"
WIDTHS: Final = {
    "序号": 6, "编号": 7, "类别": 12, "问题": 48, "整改措施": 56, "总负责人": 10, "责任人": 18,
    "责任单位": 18, "整改时限": 12, "时限原文": 14, "最新进展": 36, "状态": 9, "销号时间": 17,
    "延期次数": 9, "退回次数": 9, "登记时间": 17, "时间": 17, "人员": 12, "类型": 12,
    "内容": 60, "附件": 6, "指标": 18, "数值": 12,
}  # fmt: skip
WRAPPED: Final = frozenset({"问题", "整改措施", "最新进展", "责任单位", "内容"})
_HEADER_FONT: Final = Font(bold=True)
_HEADER_FILL: Final = PatternFill("solid", fgColor="DDEBF7")
_UNSAFE_IN_FILENAME: Final = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def export_filename(title: str, today: date) -> str:
    """``整改台账-第一党支部-20261126.xlsx`` (characters no file system accepts replaced)."""
    name = _UNSAFE_IN_FILENAME.sub("_", title).strip("_.")[:60] or "group"
    return f"{LEDGER_SHEET}-{name}-{today:%Y%m%d}.xlsx"


class ExportService:
    """Builds the .xlsx of one group's ledger (for ``/export`` and ``rectify-bot export``)."""

    def __init__(self, db: Database, clock: Clock, defaults: GroupSettings) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults

    async def export(self, chat_id: int) -> tuple[str, bytes]:
        """The file name and the bytes of the group's workbook."""
        async with self._db.transaction() as session:
            scope = await subtree_in(session, chat_id, self._defaults)
            group = scope.group
            rows = await repo.items_of_groups(session, scope.ids)
            items = await repo.full_snapshots(session, rows)
            if scope.has_branches:
                items = [replace(item, group_title=scope.titles[item.group_id]) for item in items]
        today = local_today(self._clock, group.settings.zone)
        # openpyxl is CPU-bound: build a big ledger's workbook off the event loop.
        data = await asyncio.to_thread(build_workbook, group, items, today)
        return export_filename(group.title, today), data

    async def export_to_file(self, chat_id: int, path: Path) -> Path:
        """Write the workbook to ``path`` (a directory gets the usual file name); returns it."""
        filename, data = await self.export(chat_id)
        return await asyncio.to_thread(_write, path, filename, data)


def _write(path: Path, filename: str, data: bytes) -> Path:
    """Write the file (into ``path`` if it is a folder); returns where."""
    target = path / filename if path.is_dir() else path
    target.write_bytes(data)
    return target


def build_workbook(group: GroupContext, items: Sequence[ItemSnapshot], today: date) -> bytes:
    """The three sheets as .xlsx bytes."""
    workbook = Workbook()
    zone = group.settings.zone
    ledger = workbook.active
    assert isinstance(ledger, Worksheet)
    with_branch = any(item.group_title for item in items)
    _ledger_sheet(ledger, items, zone, ledger_columns(with_branch=with_branch))
    _progress_sheet(
        workbook.create_sheet(PROGRESS_SHEET), items, zone, group.lang, with_branch=with_branch
    )
    _stats_sheet(workbook.create_sheet(STATS_SHEET), items, today, group.lang)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_row(sheet: Worksheet, values: Sequence[CellValue]) -> None:
    """Append a row whose text stays text: a typed "=SUM(…)" is not made a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":  # openpyxl takes any string starting with "=" as a formula
            cell.data_type = "s"


def _header(sheet: Worksheet, columns: Sequence[str]) -> None:
    """Bold, shaded, frozen header row and column widths."""
    _add_row(sheet, columns)
    for index, name in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, 12)
    sheet.freeze_panes = "A2"


def _append(sheet: Worksheet, columns: Sequence[str], values: Sequence[CellValue]) -> None:
    """One data row, with date, time and wrapping formats by column."""
    _add_row(sheet, values)
    row = sheet.max_row
    for index, (name, value) in enumerate(zip(columns, values, strict=True), 1):
        cell = sheet.cell(row=row, column=index)
        if isinstance(value, datetime):
            cell.number_format = TIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
        if name in WRAPPED:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _ledger_sheet(
    sheet: Worksheet, items: Sequence[ItemSnapshot], zone: tzinfo, columns: Sequence[str]
) -> None:
    """整改台账: one row per item."""
    sheet.title = LEDGER_SHEET
    _header(sheet, columns)
    for index, item in enumerate(items, 1):
        cells = ledger_row(item, index, zone)
        _append(sheet, columns, [cells.get(name) for name in columns])


def _progress_lines(
    item: ItemSnapshot, zone: tzinfo, lang: str, *, with_branch: bool
) -> Iterable[tuple[datetime, list[CellValue]]]:
    """Progress entries and events of one item, as (instant, row); 支部 second if wanted."""
    branch: list[CellValue] = [item.group_title] if with_branch else []
    for entry in item.progress:
        kind = t(
            lang, "export.kind.done" if entry.kind == ProgressKind.DONE else "export.kind.progress"
        )
        attachment = ATTACHMENT_WORD if entry.file_id else ""
        at = local_naive(entry.at, zone)
        yield entry.at, [item.number, *branch, at, entry.author, kind, entry.text, attachment]
    for event in item.events:
        if event.kind is EventKind.PROGRESS:
            continue
        at = local_naive(event.at, zone)
        name = t(lang, f"event.{event.kind.value}")
        sentence = event_sentence(event, lang)
        yield event.at, [item.number, *branch, at, event.actor, name, sentence, ""]


def _progress_sheet(
    sheet: Worksheet,
    items: Sequence[ItemSnapshot],
    zone: tzinfo,
    lang: str,
    *,
    with_branch: bool,
) -> None:
    """推进记录: every progress entry and event, by item and time (支部 in a committee's)."""
    columns = progress_columns(with_branch=with_branch)
    _header(sheet, columns)
    for item in items:
        lines = _progress_lines(item, zone, lang, with_branch=with_branch)
        for _, values in sorted(lines, key=lambda line: line[0]):
            _append(sheet, columns, values)


def _stats_sheet(sheet: Worksheet, items: Sequence[ItemSnapshot], today: date, lang: str) -> None:
    """统计: totals and 整改率, then by category, unit and owner."""
    figures = ledger_figures(
        items, today, unnamed=t(lang, "stats.unnamed"), unassigned=t(lang, "stats.unassigned")
    )
    _header(sheet, STATS_COLUMNS)
    for label, value in stats_rows(figures):
        _append(sheet, STATS_COLUMNS, [label, value])
    _percent(sheet, column=2)
    for attribute, title in BREAKDOWNS:
        if not getattr(figures, attribute) and attribute == "by_group":
            continue  # not a committee's export
        sheet.append([])
        start = sheet.max_row + 1
        _add_row(sheet, [title, *BREAKDOWN_COLUMNS])
        for cell in sheet[start]:
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
        for breakdown in getattr(figures, attribute):
            _add_row(sheet, list(breakdown_row(breakdown)))
        _percent(sheet, column=4, first_row=start + 1)


def _percent(sheet: Worksheet, column: int, first_row: int = 2) -> None:
    """Show the fractions of ``column`` as percentages (from ``first_row`` down)."""
    for row in range(first_row, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(cell.value, float):
            cell.number_format = PERCENT_FORMAT
