"""Reading an uploaded plan: .txt, .docx or .xlsx bytes → text, or spreadsheet rows.

* ``.txt``: UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (what Chinese Windows
  saves as "ANSI").
* ``.docx``: paragraphs and table rows in document order, a table row's cells joined by two
  spaces (merged cells once).
* ``.xlsx``: the 整改台账 sheet if there is one, else the first; when a row among the first
  ten is a ledger header (:func:`domain.spreadsheet.header_columns`) the rows below
  it are returned as :class:`SheetRow` (a round trip), otherwise every row becomes a line of
  text.

Expected failures are :class:`UserError` with ``import.error.*`` keys: too big, another type,
or a file its parser cannot read.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import PurePath
from typing import Final, TypeAlias

import docx
from openpyxl import load_workbook

from domain.errors import UserError
from domain.spreadsheet import (
    LEDGER_SHEET,
    CellValue,
    SheetRow,
    cell_text,
    rows_below_header,
)

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES: Final = 5 * 1024 * 1024
SUPPORTED_SUFFIXES: Final = (".txt", ".docx", ".xlsx")
MAX_SHEET_ROWS: Final = 5000

Content: TypeAlias = str | tuple[SheetRow, ...]


def check_upload(filename: str | None, size: int | None) -> str:
    """Refuse another type or a file over 5 MB before downloading it; returns the suffix."""
    name = filename or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UserError("import.error.file_type", name=name or "?")
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise UserError(
            "import.error.too_big",
            name=name,
            size=f"{size / 1024 / 1024:.1f}",
            limit=MAX_UPLOAD_BYTES // 1024 // 1024,
        )
    return suffix


def read_upload(filename: str | None, data: bytes) -> Content:
    """The text (or rows) of an uploaded file."""
    suffix = check_upload(filename, len(data))
    readers: dict[str, Callable[[bytes], Content]] = {
        ".txt": decode_text,
        ".docx": read_docx,
        ".xlsx": read_sheet,
    }
    try:
        return readers[suffix](data)
    except UserError:
        raise
    except Exception as error:  # parsers of untrusted bytes fail in many ways (zip, XML, …)
        log.info("could not read %s (%s): %s", suffix, type(error).__name__, error)
        raise UserError("import.error.broken", name=filename or "?") from error


def decode_text(data: bytes) -> str:
    """Decode a .txt file: UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030."""
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ()
    for encoding in (*encodings, "utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # binary content that happens to decode
        return text
    raise ValueError("not a text file")


def _table_lines(table: docx.table.Table) -> Iterator[str]:
    """A table's rows as lines, each merged cell once."""
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a merged cell repeats
                continue
            previous = cell._tc
            text = " ".join(cell.text.split())
            if text:
                cells.append(text)
        if cells:
            yield "  ".join(cells)


def _document_text(document: docx.document.Document) -> str:
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _table_values(table: docx.table.Table) -> list[tuple[CellValue, ...]]:
    """Cell texts row by row; a cell merged down from the row above is blank (not repeated)."""
    values: list[tuple[CellValue, ...]] = []
    above: list[object] = []
    for row in table.rows:
        cells = row.cells
        values.append(
            tuple(
                None
                if index < len(above) and cell._tc is above[index]
                else " ".join(cell.text.split()) or None
                for index, cell in enumerate(cells)
            )
        )
        above = [cell._tc for cell in cells]
    return values


def _ledger_table(document: docx.document.Document) -> tuple[SheetRow, ...] | None:
    """The rows of the first table whose header row has the ledger's columns, if any."""
    for table in document.tables:
        rows = rows_below_header(_table_values(table))
        if rows is not None:
            return rows
    return None


def read_docx(data: bytes) -> Content:
    """A .docx: the rows of a ledger table (序号 问题 整改措施 …), else the text in order."""
    document = docx.Document(io.BytesIO(data))
    rows = _ledger_table(document)
    return rows if rows is not None else _document_text(document)


def _plain(value: object) -> CellValue:
    """A cell value as text, number, date or None (formulas, rich text … as their text)."""
    if value is None or isinstance(value, str | int | float | date):
        return value
    return str(value)


def _sheet_values(data: bytes) -> list[tuple[CellValue, ...]]:
    """The rows of the ledger sheet (or the first sheet), at most MAX_SHEET_ROWS."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        names = workbook.sheetnames
        sheet = workbook[LEDGER_SHEET if LEDGER_SHEET in names else names[0]]
        rows: list[tuple[CellValue, ...]] = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(tuple(_plain(value) for value in values))
            if len(rows) >= MAX_SHEET_ROWS:
                break
        return rows
    finally:
        workbook.close()


def read_sheet(data: bytes) -> Content:
    """A ledger sheet's rows, or the sheet as text when it has no ledger header."""
    values = _sheet_values(data)
    rows = rows_below_header(values)
    if rows is not None:
        return rows
    lines = ("  ".join(cell_text(v) for v in row if cell_text(v)) for row in values)
    return "\n".join(line for line in lines if line)
