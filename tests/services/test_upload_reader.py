"""Reading uploaded plans: .txt encodings, .docx paragraphs and tables, .xlsx rows or text."""

from __future__ import annotations

import io
import os
from datetime import date
from zoneinfo import ZoneInfo

import docx
import pytest
from openpyxl import Workbook

from domain.errors import UserError
from domain.spreadsheet import SheetRow, drafts_from_rows
from services.upload_reader import MAX_UPLOAD_BYTES, check_upload, read_upload

PLAN = "(一)三会一课记录不规范\n整改措施:\n1.建立会议记录台账\n责任人:张三"


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A .docx with paragraphs, then an optional table, then a closing paragraph."""
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    document.add_paragraph("以上")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """A one-sheet workbook holding ``rows``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_files_in_common_encodings(encoding: str) -> None:
    """UTF-8 with or without BOM, GB18030 ("ANSI" on Chinese Windows) and UTF-16 all read."""
    assert read_upload("方案.txt", PLAN.encode(encoding)) == PLAN


def test_docx_paragraphs_and_table_rows_in_order() -> None:
    """A .docx gives its paragraphs and its table rows in document order."""
    data = docx_bytes(PLAN.split("\n"), [["责任单位:", "第一党支部"], ["落实时限:", "月底前"]])
    assert read_upload("方案.DOCX", data) == (
        PLAN + "\n责任单位:  第一党支部\n落实时限:  月底前\n以上"
    )


def test_docx_ledger_table_gives_rows_like_a_spreadsheet() -> None:
    """A .docx table headed 序号|存在问题|整改措施|责任人|整改时限 is read row by row."""
    table = [
        ["序号", "存在问题", "整改措施", "责任人", "整改时限"],
        ["1", "三会一课记录不规范", "1.建立台账 2.每月检查", "张三", "2026年12月31日前"],
    ]
    rows = read_upload("台账.docx", docx_bytes(["整改台账"], table))
    assert rows == (
        SheetRow(
            2,
            {
                "序号": "1",
                "问题": "三会一课记录不规范",
                "整改措施": "1.建立台账 2.每月检查",
                "责任人": "张三",
                "整改时限": "2026年12月31日前",
            },
        ),
    )


def test_xlsx_with_a_ledger_header_gives_rows() -> None:
    """A header with 问题 and known columns (aliases too) gives keyed rows; blank rows vanish."""
    data = xlsx_bytes(
        [
            ["某某支部整改清单"],
            ["序号", "存在问题", "落实时限", "责任人", "备注"],
            [1, "台账不全", "月底前", "张三", "x"],
            [None, None, None, None, None],
            [2, "学习不深入", None, "李四", None],
        ]
    )
    rows = read_upload("清单.xlsx", data)
    assert rows == (
        SheetRow(3, {"序号": 1, "问题": "台账不全", "整改时限": "月底前", "责任人": "张三"}),
        SheetRow(5, {"序号": 2, "问题": "学习不深入", "责任人": "李四"}),
    )


def test_xlsx_without_a_ledger_header_is_text() -> None:
    """Any other sheet is read as lines of text, its cells joined by two spaces."""
    data = xlsx_bytes([["(一)三会一课记录不规范"], ["整改措施:", "1.建立台账"], [None]])
    assert read_upload("plan.xlsx", data) == "(一)三会一课记录不规范\n整改措施:  1.建立台账"


@pytest.mark.parametrize(
    ("name", "size", "key"),
    [
        ("plan.pdf", 10, "import.error.file_type"),
        (None, 10, "import.error.file_type"),
        ("plan.doc", 10, "import.error.file_type"),
        ("plan.txt", MAX_UPLOAD_BYTES + 1, "import.error.too_big"),
    ],
)
def test_files_are_checked_before_downloading(name: str | None, size: int, key: str) -> None:
    """Another type or more than 5 MB is refused from the name and size alone."""
    with pytest.raises(UserError) as refused:
        check_upload(name, size)
    assert refused.value.key == key


@pytest.mark.parametrize("name", ["plan.docx", "plan.xlsx"])
def test_random_bytes_are_a_broken_file(name: str) -> None:
    """A file its parser cannot open is reported as broken, naming the file."""
    with pytest.raises(UserError) as refused:
        read_upload(name, os.urandom(2048))
    assert (refused.value.key, refused.value.params["name"]) == ("import.error.broken", name)


def test_binary_text_is_a_broken_file() -> None:
    """A .txt holding binary data is not read as text."""
    with pytest.raises(UserError) as refused:
        read_upload("plan.txt", b"\x00\x01\x02PK\x00")
    assert refused.value.key == "import.error.broken"


def test_docx_cells_merged_down_are_read_once() -> None:
    """A 问题 cell merged over two rows is not repeated: the second row continues the item."""
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for column, text in enumerate(["存在问题", "整改措施", "责任人"]):
        table.cell(0, column).text = text
    table.cell(1, 0).text = "三会一课记录不规范"
    table.cell(1, 1).text = "1.建立台账"
    table.cell(2, 1).text = "2.每月检查"
    table.cell(1, 2).text = "张三"
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 2).merge(table.cell(2, 2))
    buffer = io.BytesIO()
    document.save(buffer)
    rows = read_upload("台账.docx", buffer.getvalue())
    assert isinstance(rows, tuple)
    assert [row.cells.get("问题") for row in rows] == ["三会一课记录不规范", None]
    drafts, _ = drafts_from_rows(rows, date(2026, 11, 26), ZoneInfo("Asia/Shanghai"), 7)
    assert len(drafts) == 1
    assert [m.text for m in drafts[0].measures] == ["建立台账", "每月检查"]
