"""The .xlsx export over a real SQLite database: sheets, cells, figures, round trip, CLI."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot import cli
from domain.clock import FixedClock
from domain.figures import ledger_figures, rate_percent
from domain.items import ItemSnapshot
from domain.people import SeenUser
from domain.problem_form import read_problem
from domain.settings import GroupSettings
from domain.spreadsheet import COLUMNS, PROGRESS_COLUMNS, SheetRow
from services.container import Services, build_services
from services.export import export_filename
from services.upload_reader import read_upload
from storage.database import Database
from tests.services.conftest import ADMIN, GROUP_A, GROUP_B, OWNER, START

TODAY = date(2026, 11, 26)
FIELDS = (
    "problem", "category", "unit", "lead", "owners", "measures", "status", "due_kind", "due",
    "due_phrase", "return_count", "extension_count",
)  # fmt: skip


def wall(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A naive wall-clock time, as spreadsheet cells hold them."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC).replace(tzinfo=None)


async def fill_ledger(services: Services, clock: FixedClock) -> None:
    """Group A: #1 closed with progress, #2 pending long-term, #3 soft, #4 deleted.

    Each step is a minute after the one before (10:00, 10:01 … Shanghai time).
    """
    for chat_id in (GROUP_A, GROUP_B):
        await services.groups.seen(chat_id, "supergroup", "", SeenUser(2, "张三", "", "zhang"))
    ledger = services.ledger
    first = read_problem(
        "党费收缴不及时\n责任人: @zhang 李四\n总负责人: 王书记\n责任单位: 第一党支部\n"
        "时限: 月底前\n类别: 组织建设\n措施: 1.建立党费台账 2.每月10号前提醒缴纳",
        (),
        TODAY,
    )
    await ledger.register(GROUP_A, ADMIN, first)
    clock.set(START + timedelta(minutes=1))
    await ledger.progress(GROUP_A, OWNER, 1, "已完成10月台账补录", None)
    clock.set(START + timedelta(minutes=2))
    await ledger.done(GROUP_A, OWNER, 1, "已整改", None)
    clock.set(START + timedelta(minutes=3))
    await ledger.approve(GROUP_A, ADMIN, 1, "同意")
    clock.set(START + timedelta(minutes=4))
    second = read_problem("理论学习不深入\n时限: 长期坚持\n类别: 思想建设", (), TODAY)
    await ledger.register(GROUP_A, ADMIN, second)
    await ledger.done(GROUP_A, ADMIN, 2, "", None)
    await ledger.reject(GROUP_A, ADMIN, 2, "缺少记录")
    await ledger.done(GROUP_A, ADMIN, 2, "", None)
    await ledger.register(GROUP_A, ADMIN, read_problem("消防通道堵塞 @zhang 尽快", (), TODAY))
    await ledger.register(GROUP_A, ADMIN, read_problem("已删除的问题 年底前", (), TODAY))
    await ledger.delete(GROUP_A, ADMIN, 4)


async def workbook_of(services: Services, chat_id: int = GROUP_A) -> tuple[str, bytes]:
    """The exported file name and bytes."""
    return await services.export.export(chat_id)


def sheet(data: bytes, name: str) -> Worksheet:
    """One sheet of an exported workbook (fully loaded, so formats are readable)."""
    found = load_workbook(io.BytesIO(data))[name]
    assert isinstance(found, Worksheet)
    return found


def rows_of(ws: Worksheet) -> list[dict[str, object]]:
    """Data rows keyed by the header row."""
    values = list(ws.iter_rows(values_only=True))
    header = [str(v) for v in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


async def test_the_workbook_has_its_sheets_headers_and_name(
    services: Services, clock: FixedClock
) -> None:
    """Three sheets, the export's headers, frozen header rows, widths, 整改台账-<group>-<date>."""
    await fill_ledger(services, clock)
    filename, data = await workbook_of(services)
    assert filename == "整改台账-第一党支部-20261126.xlsx"
    assert load_workbook(io.BytesIO(data)).sheetnames == ["整改台账", "推进记录", "统计"]
    ledger = sheet(data, "整改台账")
    assert [c.value for c in ledger[1]] == list(COLUMNS)
    assert ledger.freeze_panes == "A2"
    assert (ledger.column_dimensions["D"].width or 0) >= 40
    assert [c.value for c in sheet(data, "推进记录")[1]] == list(PROGRESS_COLUMNS)


async def test_ledger_rows_hold_values_and_real_dates(
    services: Services, clock: FixedClock
) -> None:
    """Deleted items are left out; deadlines are date cells; times are Shanghai wall-clock."""
    await fill_ledger(services, clock)
    ledger = sheet((await workbook_of(services))[1], "整改台账")
    rows = rows_of(ledger)
    assert [row["编号"] for row in rows] == [1, 2, 3]
    first = rows[0]
    assert first["问题"] == "党费收缴不及时"
    assert first["整改措施"] == "1. 建立党费台账\n2. 每月10号前提醒缴纳"
    assert first["责任人"] == "张三(@zhang)、李四"
    assert first["整改时限"] == wall(2026, 11, 30)
    assert ledger["I2"].number_format == "yyyy-mm-dd"
    assert ledger["I2"].is_date
    assert first["状态"] == "已销号"
    assert first["销号时间"] == wall(2026, 11, 26, 10, 3)
    assert first["登记时间"] == wall(2026, 11, 26, 10, 0)
    assert first["最新进展"] == "已整改"
    assert (rows[1]["整改时限"], rows[1]["状态"], rows[1]["退回次数"]) == ("长期坚持", "待验收", 1)
    assert (rows[2]["时限原文"], rows[2]["整改时限"]) == ("尽快", wall(2026, 12, 3))


async def test_progress_sheet_lists_entries_and_events(
    services: Services, clock: FixedClock
) -> None:
    """推进记录 has every progress entry and every event but the repeated 'progress' ones.

    An entry's 内容 is its text; an event's is the sentence its history line says.
    """
    await fill_ledger(services, clock)
    rows = rows_of(sheet((await workbook_of(services))[1], "推进记录"))
    first = [(row["人员"], row["类型"], row["内容"]) for row in rows if row["编号"] == 1]
    assert first == [
        ("王书记", "登记", "登记事项"),
        ("张三", "推进情况", "已完成10月台账补录"),
        ("张三", "销号说明", "已整改"),
        ("张三", "申请销号", "申请销号,说明:已整改"),
        ("王书记", "验收销号", "验收通过,予以销号,意见:同意"),
    ]
    assert all(isinstance(row["时间"], datetime) for row in rows)
    assert ("王书记", "退回", "退回,继续整改,原因:缺少记录") in [
        (row["人员"], row["类型"], row["内容"]) for row in rows if row["编号"] == 2
    ]


async def test_stats_sheet_agrees_with_ledger_figures(
    services: Services, clock: FixedClock
) -> None:
    """统计 shows the figures /stats computes: totals, 整改率 as a percentage, breakdowns."""
    await fill_ledger(services, clock)
    stats = sheet((await workbook_of(services))[1], "统计")
    values = {row[0]: row[1] for row in stats.iter_rows(values_only=True) if row and row[0]}
    listing = await services.ledger.group_items(GROUP_A)
    figures = ledger_figures(listing.items, TODAY)
    assert values["总数"] == figures.total == 3
    assert values["已销号"] == figures.closed == 1
    assert values["待验收"] == 1
    assert values["整改率"] == rate_percent(1, 3) / 100
    assert stats["B10"].number_format == "0%"
    assert values["组织建设"] == 1
    assert values["张三"] == 2


async def test_round_trip_into_an_empty_group(services: Services, clock: FixedClock) -> None:
    """Export group A, import that file into group B: same items, owners, deadlines, statuses."""
    await fill_ledger(services, clock)
    filename, data = await workbook_of(services)
    rows = read_upload(filename, data)
    assert isinstance(rows, tuple)
    preview = await services.plan_import.preview(GROUP_B, ADMIN, rows)
    await services.plan_import.confirm(GROUP_B, ADMIN, preview.id)
    before = (await services.ledger.group_items(GROUP_A)).items
    after = (await services.ledger.group_items(GROUP_B)).items
    assert [_fields(item) for item in after] == [_fields(item) for item in before]
    closed = after[0]
    assert closed.closed_at == datetime(2026, 11, 26, 2, 3, tzinfo=UTC)


def _fields(item: ItemSnapshot) -> tuple[object, ...]:
    """What a round trip must keep (measures read back with their ticks)."""
    return tuple(getattr(item, name) for name in FIELDS)


async def test_round_trip_keeps_done_measures(services: Services) -> None:
    """A ticked measure comes back ticked."""
    rows = (SheetRow(2, {"问题": "台账", "整改措施": "1. 建台账 ✅\n2. 查台账"}),)
    preview = await services.plan_import.preview(GROUP_B, ADMIN, rows)
    await services.plan_import.confirm(GROUP_B, ADMIN, preview.id)
    item = (await services.ledger.show(GROUP_B, 1)).item
    assert [(m.text, m.done) for m in item.measures] == [("建台账", True), ("查台账", False)]


async def test_an_empty_ledger_exports_headers_only(services: Services) -> None:
    """A group without items still gets a workbook with its headers and zero figures."""
    _, data = await workbook_of(services, GROUP_B)
    assert sheet(data, "整改台账").max_row == 1
    stats = sheet(data, "统计")
    assert (stats["A2"].value, stats["B2"].value) == ("总数", 0)


async def test_export_to_a_folder_or_a_file(services: Services, tmp_path: Path) -> None:
    """A folder gets the usual file name; a file path is used as given."""
    written = await services.export.export_to_file(GROUP_A, tmp_path)
    assert written == tmp_path / "整改台账-第一党支部-20261126.xlsx"
    chosen = await services.export.export_to_file(GROUP_A, tmp_path / "a.xlsx")
    assert load_workbook(chosen).sheetnames[0] == "整改台账"


@pytest.mark.parametrize(
    ("title", "expected"),
    [("第一/党支部", "第一_党支部"), ('a:b*c?"d"', "a_b_c_d"), ("..", "group")],
)
def test_file_names_are_safe(title: str, expected: str) -> None:
    """Characters no file system accepts are replaced in the group name."""
    assert export_filename(title, TODAY) == f"整改台账-{expected}-20261126.xlsx"


async def _prepare(url: str) -> None:
    """A database with group A holding one item."""
    db = Database.from_url(url)
    await db.upgrade()
    services = build_services(db, FixedClock(START), GroupSettings())
    await services.groups.bot_added(GROUP_A, "supergroup", "第一党支部")
    await services.ledger.register(GROUP_A, ADMIN, read_problem("台账不全 年底前", (), TODAY))
    await db.close()


def test_cli_export_writes_the_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``rectify-bot export --chat ID --out FILE`` needs no bot token and no Telegram."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    asyncio.run(_prepare(url))
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    for variable in ("BOT_TOKEN", "DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(cli, "setup_logging", lambda level, token: None)  # keep pytest's logging
    out = tmp_path / "ledger.xlsx"
    args = ["--config", str(config), "export", "--out", str(out), "--chat"]
    assert cli.main([*args, str(GROUP_A)]) == 0
    ledger = load_workbook(out)["整改台账"]
    assert (ledger["B2"].value, ledger["D2"].value) == (1, "台账不全")
    assert cli.main([*args, "-999"]) == 1


async def test_typed_text_that_looks_like_a_formula_stays_text(services: Services) -> None:
    """A problem typed as "=HYPERLINK(…)" is a text cell in the file, not a formula Excel runs."""
    typed = '=HYPERLINK("http://example.com","点我")'
    await services.ledger.register(GROUP_B, ADMIN, read_problem(typed, (), TODAY))
    await services.ledger.progress(GROUP_B, ADMIN, 1, "=1+1", None)
    _, data = await workbook_of(services, GROUP_B)
    ledger, progress = sheet(data, "整改台账"), sheet(data, "推进记录")
    assert (ledger["D2"].value, ledger["D2"].data_type) == (typed, "s")
    assert [c.value for c in progress[2]][4] == "=1+1"
    assert all(c.data_type != "f" for sheet_ in (ledger, progress) for row in sheet_ for c in row)
