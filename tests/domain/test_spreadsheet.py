"""Spreadsheet cells and import drafts: pure mappings, no files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.deadline import NoteCode
from domain.import_drafts import (
    DraftItem,
    Notice,
    decode_drafts,
    decode_notices,
    encode_drafts,
)
from domain.items import DueKind, MeasureView, OwnerRef, Status
from domain.members import owner_of, placeholder_owner
from domain.spreadsheet import (
    CellValue,
    SheetRow,
    cell_text,
    drafts_from_rows,
    excel_serial_date,
    header_columns,
    measures_cell,
    owners_cell,
    parse_measures_cell,
    parse_owners_cell,
)

OWNERS = (
    OwnerRef("张三", 2, "zhang"),
    OwnerRef("@newbie", username="newbie"),
    OwnerRef("李四"),
    OwnerRef("王 五", 7),
)


def test_owners_survive_a_cell() -> None:
    """Users keep their @username or id; pending usernames and plain names come back as typed."""
    cell = owners_cell(OWNERS)
    assert cell == "张三(@zhang)、@newbie、李四、王 五(id:7)"
    assert parse_owners_cell(cell) == (
        OwnerRef("张三", username="zhang"),
        OwnerRef("@newbie", username="newbie"),
        OwnerRef("李四"),
        OwnerRef("王 五", 7),
    )


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("张三，李四；王五", ("张三", "李四", "王五")),
        ("张三 李四 张三", ("张三", "李四")),
        ("赵六（@zhao）", ("赵六",)),
        ("", ()),
    ],
)
def test_owner_cells_typed_by_hand(text: str, owners: tuple[str, ...]) -> None:
    """Hand-made cells split on 、，；and spaces; duplicates are dropped."""
    assert tuple(o.name for o in parse_owners_cell(text)) == owners


@pytest.mark.parametrize(
    ("typed", "owner"),
    [
        ("＠zhang", OwnerRef("@zhang", username="zhang")),
        ("@li", OwnerRef("@li", username="li")),
        ("李四(@li)", OwnerRef("李四", username="li")),
        ("李四（＠li）", OwnerRef("李四", username="li")),
        ("王 五 (@wang_wu)", OwnerRef("王 五", username="wang_wu")),
        ("各党委委员", OwnerRef("各党委委员")),
        ("李四(副书记)", OwnerRef("李四(副书记)")),
    ],
)
def test_owner_of_reads_usernames(typed: str, owner: OwnerRef) -> None:
    """@username (also ＠, as short as /problem takes it) and 名字(@用户名) name a username."""
    assert owner_of(typed) == owner


def test_exported_owners_read_back_as_one_person_each() -> None:
    """张三(@zhang)、李四(@li), as /export writes them: two owners with their usernames."""
    assert parse_owners_cell("张三(@zhang)、李四(@li)") == (
        OwnerRef("张三", username="zhang"),
        OwnerRef("李四", username="li"),
    )


def test_measures_survive_a_cell() -> None:
    """Numbered lines with ✅ for done measures read back with their ticks."""
    measures = (MeasureView("建立台账", True), MeasureView("每月检查"))
    assert measures_cell(measures) == "1. 建立台账 ✅\n2. 每月检查"
    assert parse_measures_cell(measures_cell(measures)) == measures


@pytest.mark.parametrize(
    "text", ["①建立台账\n②每月检查", "(1)建立台账\n\n(2)每月检查", "建立台账\n每月检查"]
)
def test_measure_cells_typed_by_hand(text: str) -> None:
    """①, (1) or no numbering at all: one measure per line."""
    assert parse_measures_cell(text) == (MeasureView("建立台账"), MeasureView("每月检查"))


@pytest.mark.parametrize(
    ("cells", "columns"),
    [
        (["序号", "问题", "整改时限"], ["序号", "问题", "整改时限"]),
        (["存在问题", "落实 时限", "第一责任人", "备注"], ["问题", "整改时限", "总负责人", None]),
        (["支部", "编号", "问题"], ["支部", "编号", "问题"]),
        (
            ["序号", "问题", "整改时限", "完成时间", "存在问题"],
            ["序号", "问题", "整改时限", None, None],
        ),
        (["问题", "备注"], None),
        (["序号", "责任人", "整改时限"], None),
        ([None, 3, "整改时限"], None),
    ],
)
def test_header_rows(cells: list[object], columns: list[str | None] | None) -> None:
    """A ledger header has 问题 and two more known columns; variants map to the export's names.

    A column named twice (完成时间 is a deadline label too) counts where it is first named.
    """
    assert header_columns(cells) == columns  # type: ignore[arg-type]  # cells: any objects


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (3.0, "3"),
        (2.5, "2.5"),
        (date(2026, 12, 31), "2026-12-31"),
        (datetime(2026, 12, 31, 9, 5, tzinfo=UTC).replace(tzinfo=None), "2026-12-31 09:05"),
        ("  月底前 ", "月底前"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    """Cells read as text: whole numbers without .0, dates in ISO form, spaces trimmed."""
    assert cell_text(value) == text  # type: ignore[arg-type]  # a naive datetime on purpose


def test_drafts_survive_their_json() -> None:
    """What a preview stores is exactly what the confirmation creates."""
    draft = DraftItem(
        problem="台账不全",
        label="(一)",
        detail="细节",
        category="组织建设",
        measures=(MeasureView("建台账", True),),
        owners=(OwnerRef("@zhang", username="zhang"), OwnerRef("李四"), OwnerRef("王五", 7)),
        lead="王书记",
        unit="第一党支部",
        due_kind=DueKind.SOFT,
        due=date(2026, 12, 3),
        due_phrase="尽快",
        due_notes=(NoteCode.SOFT,),
        status=Status.CLOSED,
        closed_at=datetime(2026, 11, 1, 2, tzinfo=UTC),
        progress="已补齐",
        return_count=1,
        extension_count=2,
    )
    assert decode_drafts(encode_drafts([draft], from_sheet=True)) == ((draft,), True)


def test_notices_survive_their_json() -> None:
    """A preview's warnings are stored with it, so any of its pages can be drawn again."""
    notices = (
        Notice("import.deadline.empty", 1),
        Notice("plan.warning.skipped", None, {"text": "<会议>"}),
        Notice("import.notice.clipped", 3, {"what": "problem", "limit": "4000"}),
    )
    payload = encode_drafts([DraftItem(problem="台账不全")], from_sheet=False, notices=notices)
    assert decode_notices(payload) == notices
    assert [dict(n.params) for n in decode_notices(payload)] == [dict(n.params) for n in notices]
    assert decode_notices('{"from_sheet": false, "items": []}') == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [(46022, date(2025, 12, 31)), (46022.0, date(2025, 12, 31)), (12, 12), ("46022", "46022")],
)
def test_excel_day_numbers_are_dates(value: int | float | str, expected: object) -> None:
    """A deadline cell holding Excel's day number (46022) is that date; small numbers stay."""
    assert excel_serial_date(value) == expected


TODAY = date(2026, 11, 26)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def rows_read(*rows: dict[str, CellValue]) -> tuple[tuple[DraftItem, ...], tuple[Notice, ...]]:
    """Sheet rows (from line 2) read as drafts on 2026-11-26 in Shanghai."""
    sheet = [SheetRow(line, cells) for line, cells in enumerate(rows, 2)]
    return drafts_from_rows(sheet, TODAY, SHANGHAI, 3)


@pytest.mark.parametrize(
    ("typed", "placeholder"),
    [("xx", True), ("某某", True), ("××", True), ("ｘｘ", True), ("张某", True), ("@li_si", False),
     ("李四(@li_si)", False), ("张三", False), ("Alex", False)],
)  # fmt: skip
def test_placeholder_owners(typed: str, placeholder: bool) -> None:
    """xx, 某某, ×× are no person; an @username's underscore is no blank to fill in."""
    assert placeholder_owner(typed) is placeholder


def test_placeholder_cells_are_not_stored() -> None:
    """An owner xx or 某某, a lead ××: left out and named in a warning, as a plan's are."""
    drafts, notices = rows_read(
        {"问题": "三会一课记录不规范", "责任人": "xx", "总负责人": "××"},
        {"问题": "党费收缴不及时", "责任人": "张三、某某", "责任单位": "第一支部"},
    )
    assert [(d.owners, d.lead, d.unit) for d in drafts] == [
        ((), "", ""),
        ((OwnerRef("张三"),), "", "第一支部"),
    ]
    placeholders = [(n.item, n.params["field"], n.params["value"]) for n in notices]
    assert placeholders == [(1, "owners", "xx"), (1, "lead", "××"), (2, "owners", "某某")]
    assert {n.key for n in notices} == {"plan.warning.placeholder"}


def test_a_numbered_row_without_a_problem_is_its_own_row() -> None:
    """序号 2 with an empty 问题 is reported, not merged into item 1 (its owner, its date)."""
    drafts, notices = rows_read(
        {"序号": 1, "问题": "三会一课记录不规范", "整改措施": "1.建立台账", "责任人": "张三",
         "整改时限": "月底前"},
        {"序号": 2, "整改措施": "措施B", "责任人": "李四", "整改时限": date(2026, 12, 31)},
    )  # fmt: skip
    assert [(d.problem, d.owners, d.due) for d in drafts] == [
        ("三会一课记录不规范", (OwnerRef("张三"),), date(2026, 11, 30))
    ]
    assert [len(d.measures) for d in drafts] == [1]
    assert notices == (Notice("import.row.no_problem", None, {"row": "3"}),)


def test_an_unnumbered_row_without_a_problem_continues_the_item_above() -> None:
    """A merged 问题 (and 序号) cell: the row's measure belongs to the item above."""
    drafts, notices = rows_read(
        {"序号": 1, "问题": "三会一课记录不规范", "整改措施": "1.建立台账", "责任人": "张三"},
        {"整改措施": "2.每月检查"},
    )
    assert [m.text for m in drafts[0].measures] == ["建立台账", "每月检查"]
    assert notices == ()


def test_past_deadlines_are_flagged_as_in_a_plan() -> None:
    """A date cell or typed date in a past year warns; earlier this year is noted; closed: not."""
    drafts, notices = rows_read(
        {"问题": "台账不全", "整改时限": date(2025, 12, 31)},
        {"问题": "党费收缴不及时", "整改时限": "2025年12月31日前"},
        {"问题": "学习不深入", "整改时限": datetime(2026, 10, 31, tzinfo=UTC).replace(tzinfo=None)},
        {"问题": "制度不健全", "整改时限": date(2025, 12, 31), "状态": "已销号"},
        {"问题": "活动室灭火器过期", "整改时限": date(2026, 12, 31)},
    )
    assert [d.due_notes for d in drafts] == [
        (NoteCode.PAST_YEAR,), (NoteCode.PAST_YEAR,), (NoteCode.PAST_YEAR,), (), ()
    ]  # fmt: skip
    assert notices == (
        Notice("plan.warning.past_date", 1, {"value": "2025-12-31"}),
        Notice("plan.warning.past_date", 2, {"value": "2025年12月31日前"}),
    )
