"""What /import reads, the same way from a pasted plan, a pasted table, an .xlsx and a .docx.

Owners are linked to the members the bot has seen (``@li`` too), placeholders are refused,
``名字(@用户名)`` reads back as one person, a date in the past is flagged, and no row or line
is lost or merged into another.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import docx
import pytest
from openpyxl import Workbook, load_workbook

from domain.items import OwnerRef
from playground.standin import SentMessage
from tests.e2e.conftest import ADMIN, ADMIN_B, BYSTANDER, GROUP_A, GROUP_B, OWNER, Chat
from tests.e2e.test_import_export import confirm, import_file, import_text, items_of, shown

HEADER = ("序号", "问题", "整改措施", "责任人", "整改时限")
Cell = str | int | date | None
# Every way a table reaches /import: pasted from Excel (tab-separated), an .xlsx, a .docx table.
TABLES = ("pasted", "xlsx", "docx")


def xlsx_of(rows: Sequence[Sequence[Cell]]) -> bytes:
    """A workbook whose first sheet holds the header and ``rows``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (HEADER, *rows):
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_table_of(rows: Sequence[Sequence[Cell]]) -> bytes:
    """A Word document holding one table: the header and ``rows``."""
    document = docx.Document()
    document.add_paragraph("整改台账")
    table = document.add_table(rows=0, cols=len(HEADER))
    for row in (HEADER, *rows):
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def tsv_of(rows: Sequence[Sequence[Cell]]) -> str:
    """The table as Excel puts it on the clipboard."""
    return "\n".join("\t".join("" if v is None else str(v) for v in row) for row in (HEADER, *rows))


async def import_table(chat: Chat, how: str, rows: Sequence[Sequence[Cell]]) -> list[SentMessage]:
    """Send the table to group A with /import, pasted or as a file; the preview."""
    if how == "pasted":
        return await import_text(chat, tsv_of(rows))
    if how == "xlsx":
        return await import_file(chat, "台账.xlsx", xlsx_of(rows))
    return await import_file(chat, "台账.docx", docx_table_of(rows))


async def test_a_long_numbered_plan_imports_every_line(chat: Chat) -> None:
    """150 one-line items ``N.第N个问题:…`` preview as 150 (item 99 was lost) and import so."""
    lines = [
        f"{n}.第{n}个问题:党员学习记录不全,需要补齐第{n}项内容 责任人:张三 时限:月底前"
        for n in range(1, 151)
    ]
    messages = await import_text(chat, "\n".join(lines))
    preview = shown(messages)
    assert "共150项,确认后登记为 #1–#150" in preview
    assert "未作为整改事项导入" not in preview
    assert "已导入150项" in await confirm(chat, messages[-1])
    items = await items_of(chat)
    assert [item.problem for item in items] == [
        f"第{n}个问题:党员学习记录不全,需要补齐第{n}项内容" for n in range(1, 151)
    ]


PLAN_BY_USERNAME = (
    "(一)三会一课记录不规范\n责任人:@li\n落实时限:月底前\n(二)党费\n责任人:@zhao\n落实时限:月底前"
)


async def test_an_at_username_in_a_plan_is_linked_to_the_member_seen(chat: Chat) -> None:
    """李四 (@li) wrote in the group: 责任人:@li is he, at once; only the unseen @zhao is listed."""
    await chat.say(GROUP_A, BYSTANDER, "/list")
    messages = await import_text(chat, PLAN_BY_USERNAME)
    preview = shown(messages)
    assert "未关联到群成员的责任人:@zhao(" in preview
    assert "1. (一) 三会一课记录不规范\n   措施0条 · 责任人:李四 ·" in preview
    await confirm(chat, messages[-1])
    first, second = await items_of(chat)
    assert first.owners == (OwnerRef("李四", BYSTANDER, "li"),)
    assert second.owners == (OwnerRef("@zhao", None, "zhao"),)
    reply = await chat.say(GROUP_A, BYSTANDER, "/progress 1 已经开始整改")
    assert "只有" not in (reply.plain_text or "")
    assert "已经开始整改" in (reply.plain_text or "")


@pytest.mark.parametrize("how", TABLES)
async def test_an_at_username_in_a_table_is_linked_to_the_member_seen(chat: Chat, how: str) -> None:
    """The same from a table's 责任人 cell, however the table is sent."""
    await chat.say(GROUP_A, BYSTANDER, "/list")
    messages = await import_table(
        chat, how, [(1, "三会一课记录不规范", "建立台账", "@li", "月底前")]
    )
    assert "未关联" not in shown(messages)
    await confirm(chat, messages[-1])
    (item,) = await items_of(chat)
    assert item.owners == (OwnerRef("李四", BYSTANDER, "li"),)


async def test_exported_owners_import_back_as_the_same_people(chat: Chat) -> None:
    """张三(@zhang)、李四(@li) from /export: two people, by username, pending until they write."""
    await chat.say(GROUP_A, BYSTANDER, "/list")
    await chat.say(GROUP_A, OWNER, "/list")
    await chat.say(GROUP_A, ADMIN, "/problem 三会一课记录不规范 @zhang @li 月底前")
    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, ADMIN, "/export")
    await chat.settle()
    exported = next(d for d in chat.fake.documents(GROUP_A) if d.call_index >= start).document
    assert exported is not None
    assert "张三(@zhang)、李四(@li)" in str(
        load_workbook(io.BytesIO(exported.content))["整改台账"]["G2"].value
    )
    messages = await import_file(chat, exported.filename, exported.content, GROUP_B, ADMIN_B)
    preview = shown(messages)
    assert "责任人:张三 李四 ·" in preview
    assert "未关联到群成员的责任人:张三、李四(" in preview
    await confirm(chat, messages[-1], GROUP_B)
    (item,) = await items_of(chat, GROUP_B)
    assert item.owners == (OwnerRef("张三", None, "zhang"), OwnerRef("李四", None, "li"))
    await chat.say(GROUP_B, BYSTANDER, "/list")
    await chat.say(GROUP_B, OWNER, "/list")
    (item,) = await items_of(chat, GROUP_B)
    assert item.owners == (OwnerRef("张三", OWNER, "zhang"), OwnerRef("李四", BYSTANDER, "li"))


@pytest.mark.parametrize("how", TABLES)
async def test_placeholder_owners_in_a_table_are_not_stored(chat: Chat, how: str) -> None:
    """An owner cell xx or 某某 is refused as a plan's 责任人:xx is, however the table is sent."""
    rows = [
        (1, "三会一课记录不规范", "建立台账", "xx", "月底前"),
        (2, "党费收缴不及时", "建立党费台账", "张三、某某", "月底前"),
    ]
    messages = await import_table(chat, how, rows)
    preview = shown(messages)
    assert '第1项:责任人为占位符"xx",未导入,请补填' in preview
    assert '第2项:责任人为占位符"某某",未导入,请补填' in preview
    await confirm(chat, messages[-1])
    first, second = await items_of(chat)
    assert first.owners == ()
    assert [owner.name for owner in second.owners] == ["张三"]


@pytest.mark.parametrize("how", TABLES)
async def test_a_numbered_row_with_no_problem_is_not_merged_into_the_row_above(
    chat: Chat, how: str
) -> None:
    """Row 2 has its own 序号 but no 问题: reported, and item 1 keeps its owner and deadline."""
    rows: list[tuple[Cell, ...]] = [
        (1, "三会一课记录不规范", "1.建立台账", "张三", "月底前"),
        (2, None, "措施B", "李四", date(2026, 12, 31) if how == "xlsx" else "2026-12-31"),
    ]
    messages = await import_table(chat, how, rows)
    preview = shown(messages)
    assert "共1项" in preview
    assert "表格第3行没有填写问题,未导入" in preview
    assert "责任人:张三 · 时限:2026-11-30(周一)〔月底前〕" in preview
    await confirm(chat, messages[-1])
    (item,) = await items_of(chat)
    assert ([o.name for o in item.owners], item.due) == (["张三"], date(2026, 11, 30))


@pytest.mark.parametrize("how", TABLES)
async def test_a_past_deadline_in_a_table_is_flagged(chat: Chat, how: str) -> None:
    """2025-12-31 (a date cell in the .xlsx) gets the warning a plan's past date gets."""
    due: Cell = date(2025, 12, 31) if how == "xlsx" else "2025-12-31"
    messages = await import_table(chat, how, [(1, "三会一课记录不规范", "建立台账", "张三", due)])
    preview = shown(messages)
    assert '第1项:"2025-12-31"已是过去的时间,请核对' in preview
    assert "所写日期已经过去,请核对" in preview


async def test_a_past_deadline_in_a_plan_is_flagged_the_same_way(chat: Chat) -> None:
    """The plan's warning the tables now match."""
    messages = await import_text(chat, "(一)三会一课记录不规范\n责任人:张三\n落实时限:2025-12-31")
    assert '第1项:"2025-12-31"已是过去的时间,请核对' in shown(messages)
