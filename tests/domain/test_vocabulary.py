"""One vocabulary: every entry point accepts every label of the fields it sets; numerals; xx."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from domain.deadline import DeadlineError, DeadlineErrorCode, parse_deadline
from domain.errors import UserError
from domain.plan import PlanItem, PlanWarningCode, parse_plan
from domain.problem_form import ProblemDraft, read_problem
from domain.spreadsheet import COLUMNS, FIELD_COLUMNS, canonical_column, header_columns
from domain.vocabulary import (
    EDIT_FIELDS,
    LABELS,
    OWN_COMMAND,
    PLACEHOLDER,
    PLAN_FIELDS,
    PROBLEM_FIELDS,
    SHEET_FIELDS,
    Field,
    cn_numeral,
    field_named,
    field_to_edit,
    normalise_label,
    read_cn_number,
)
from i18n import LANGUAGES, catalogue
from i18n.en import core as en_core
from i18n.zh import core as zh_core
from tests.label_table import LABEL_TABLE, label_id, labels_of

TODAY = date(2026, 11, 26)
MONTH_END = date(2026, 11, 30)  # 月底前
README = Path(__file__).resolve().parents[2] / "README.md"


def rows(fields: tuple[Field, ...], *, chinese_only: bool = False) -> pytest.MarkDecorator:
    """Parametrise over the table's rows for ``fields`` (maybe only the Chinese labels)."""
    table = [
        (field, label)
        for field, label in LABEL_TABLE
        if field in fields and not (chinese_only and label.isascii())
    ]
    return pytest.mark.parametrize(("field", "label"), table, ids=[label_id(*row) for row in table])


# --- the vocabulary is the table ---------------------------------------------------------------


def test_the_vocabulary_holds_exactly_the_table() -> None:
    """The vocabulary's labels are the table's, field by field and in order."""
    assert [(f, label) for f, labels in LABELS.items() for label in labels.all()] == list(
        LABEL_TABLE
    )


def test_no_label_names_two_fields() -> None:
    """Each label, as looked up (width, case and spaces folded), belongs to one field only."""
    typed = [normalise_label(label) for _, label in LABEL_TABLE]
    assert len(typed) == len(set(typed))


def test_every_field_has_a_chinese_and_an_english_label() -> None:
    """Messages name a field by its first label in the group's language."""
    assert all(LABELS[f].zh and LABELS[f].en for f in Field)


def test_what_each_entry_point_sets() -> None:
    """/problem sets every field; /edit all but those with their own command; plan and sheet."""
    assert set(PROBLEM_FIELDS) == set(Field)
    assert set(EDIT_FIELDS) | set(OWN_COMMAND) == set(Field)
    assert not set(EDIT_FIELDS) & set(OWN_COMMAND)
    assert set(PLAN_FIELDS) == {Field.OWNERS, Field.LEAD, Field.UNIT, Field.DUE, Field.MEASURES}
    assert set(SHEET_FIELDS) == set(FIELD_COLUMNS)


@pytest.mark.parametrize(
    ("typed", "field"),
    [("Owner", Field.OWNERS), ("ＤＵＥ", Field.DUE), ("落实 时限", Field.DUE), ("单位", None)],
)
def test_lookup_folds_case_width_and_spaces(typed: str, field: Field | None) -> None:
    """A typed label is found whatever its case, width or inner spaces; others are not labels."""
    assert field_named(typed) is field


# --- /problem ----------------------------------------------------------------------------------

TYPED = {
    Field.PROBLEM: "会议记录不全",
    Field.OWNERS: "张三 李四",
    Field.LEAD: "王书记",
    Field.UNIT: "第一党支部",
    Field.DUE: "月底前",
    Field.CATEGORY: "组织建设",
    Field.MEASURES: "1.建立台账 2.每月提醒",
    Field.SOURCE: "巡察反馈",
    Field.DETAIL: "缺三次记录",
}
READ = {
    **TYPED,
    Field.OWNERS: ("张三", "李四"),
    Field.DUE: MONTH_END,
    Field.MEASURES: ("建立台账", "每月提醒"),
}


def read_back(draft: ProblemDraft, field: Field) -> object:
    """What a draft holds for one field, comparable with READ."""
    if field is Field.OWNERS:
        return tuple(owner.name for owner in draft.owners)
    if field is Field.DUE:
        return draft.deadline.due if draft.deadline is not None else None
    return getattr(draft, field.value)


@rows(PROBLEM_FIELDS)
def test_problem_reads_the_field_under_each_label(field: Field, label: str) -> None:
    """/problem's labelled form reads a field under any of its labels."""
    if field is Field.PROBLEM:
        text = f"{label}: 会议记录不全\n时限: 月底前"
    else:
        text = f"会议记录不全\n{label}：{TYPED[field]}"
    draft = read_problem(text, [], TODAY)
    assert draft.problem == "会议记录不全"
    assert read_back(draft, field) == READ[field]


@rows(tuple(f for f in PROBLEM_FIELDS if f not in (Field.PROBLEM, Field.DETAIL)), chinese_only=True)
def test_problem_reads_a_chinese_label_on_the_first_line(field: Field, label: str) -> None:
    """A Chinese label after the problem on its first line starts that field."""
    draft = read_problem(f"会议记录不全 {label}:{TYPED[field]}", [], TODAY)
    assert draft.problem == "会议记录不全"
    assert read_back(draft, field) == READ[field]


# --- /edit -------------------------------------------------------------------------------------


@rows(tuple(Field))
def test_edit_names_the_field_or_its_command(field: Field, label: str) -> None:
    """/edit N <label> changes that field, or points to /assign or /due for owners and deadline."""
    if field in EDIT_FIELDS:
        assert field_to_edit(label, 12) is field
        assert field_to_edit(label.upper(), 12) is field
        return
    with pytest.raises(UserError) as caught:
        field_to_edit(label, 12)
    assert caught.value.key == f"error.edit_use_{OWN_COMMAND[field]}"
    assert caught.value.params == {"number": 12}


def test_edit_refuses_what_is_no_label() -> None:
    """An unknown field name is refused, naming it as typed."""
    with pytest.raises(UserError) as caught:
        field_to_edit("颜色", 12)
    assert (caught.value.key, dict(caught.value.params)) == ("error.edit_field", {"field": "颜色"})


# --- a pasted plan -----------------------------------------------------------------------------

PLAN_LINES = {
    Field.MEASURES: ("整改措施", "建立台账。"),
    Field.OWNERS: ("责任人", "张三、李四"),
    Field.LEAD: ("总负责人", "王书记"),
    Field.UNIT: ("责任单位", "第一党支部"),
    Field.DUE: ("落实时限", "月底前"),
}


def plan_value(item: PlanItem, field: Field) -> object:
    """What a plan item holds for one field."""
    return {
        Field.MEASURES: item.measures,
        Field.OWNERS: item.owners,
        Field.LEAD: item.lead,
        Field.UNIT: item.unit,
        Field.DUE: item.deadline_phrase,
    }[field]


@rows(PLAN_FIELDS)
@pytest.mark.parametrize("colon", [":", "："])
def test_plan_reads_the_field_under_each_label(field: Field, label: str, colon: str) -> None:
    """A pasted plan reads each of its fields under any of the field's labels."""
    lines = {f: f"{name}：{value}" for f, (name, value) in PLAN_LINES.items()}
    lines[field] = f"{label}{colon}{PLAN_LINES[field][1]}"
    plan = parse_plan("1.会议记录不全。\n" + "\n".join(lines.values()), reference_year=2026)
    (item,) = plan.items
    expected = {
        Field.MEASURES: ("建立台账。",),
        Field.OWNERS: ("张三", "李四"),
        Field.LEAD: "王书记",
        Field.UNIT: "第一党支部",
        Field.DUE: "月底前",
    }
    assert plan_value(item, field) == expected[field]
    assert plan.warnings == ()


def test_english_plan_labels_need_their_colon() -> None:
    """``owner`` opening a line of prose is not a label; ``Owner:`` is."""
    text = "1.会议记录不全。\n整改措施:建立台账。\nOwner: 张三\nowner of the minutes"
    (item,) = parse_plan(text, reference_year=2026).items
    assert item.owners == ("张三",)
    assert item.measures == ("建立台账。",)


# --- a spreadsheet header ----------------------------------------------------------------------


@rows(SHEET_FIELDS)
def test_sheet_header_names_the_column_by_each_label(field: Field, label: str) -> None:
    """A header cell holding any label of a field is that field's column."""
    cells = ["序号", "编号", label, *([] if field is Field.PROBLEM else ["问题"])]
    columns = header_columns(cells)
    assert columns is not None
    assert columns[2] == FIELD_COLUMNS[field]


@rows(tuple(f for f in Field if f not in SHEET_FIELDS))
def test_sheet_has_no_column_for_other_fields(field: Field, label: str) -> None:
    """Labels of fields the ledger sheet does not hold (来源, 说明) name no column."""
    assert canonical_column(label) is None


def test_sheet_columns_of_fields_are_export_columns() -> None:
    """Each field's column is one the export writes, and its own name reads back as it."""
    for column in FIELD_COLUMNS.values():
        assert column in COLUMNS
        assert canonical_column(column) == column


# --- messages and README -----------------------------------------------------------------------


def listed(message: str, before: str, after: str, separator: str) -> list[str]:
    """The list a message gives between ``before`` and ``after``."""
    match = re.search(re.escape(before) + r"(.*?)" + re.escape(after), message)
    assert match is not None, message
    return match.group(1).split(separator)


def test_edit_refusal_lists_the_editable_fields() -> None:
    """error.edit_field names the editable fields by their first label, in both languages."""
    zh = listed(zh_core.MESSAGES["error.edit_field"], "可修改:", "。", "、")
    en = listed(en_core.MESSAGES["error.edit_field"], "Editable: ", ".", ", ")
    assert zh == [LABELS[f].zh[0] for f in EDIT_FIELDS]
    assert en == [LABELS[f].en[0] for f in EDIT_FIELDS]


def test_unknown_label_refusal_lists_the_problem_fields() -> None:
    """problem.unknown_label names every field by its first label, in both languages."""
    zh = listed(zh_core.MESSAGES["problem.unknown_label"], "可用栏目:", "。", "、")
    en = listed(en_core.MESSAGES["problem.unknown_label"], "Labels: ", ".", ", ")
    assert zh == [LABELS[f].zh[0] for f in PROBLEM_FIELDS]
    assert en == [LABELS[f].en[0] for f in PROBLEM_FIELDS]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_field_has_display_names(lang: str) -> None:
    """The catalogue names each editable field (edit history) and each field a card shows."""
    names = catalogue(lang)
    assert all(f"field.{field}" in names for field in EDIT_FIELDS)
    assert all(f"card.label.{field}" in names for field in Field if field is not Field.PROBLEM)


@pytest.mark.parametrize("field", list(Field))
def test_readme_lists_each_fields_labels(field: Field) -> None:
    """README's field-labels table gives exactly the vocabulary's labels of each field."""
    row = re.search(rf"^\| {field.value} \| ([^|]*) \|", README.read_text("utf-8"), re.MULTILINE)
    assert row is not None
    assert tuple(row.group(1).replace("`", "").split()) == labels_of(field)


# --- Chinese numerals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("五", 5),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十一", 31),
        ("九十九", 99),
        ("一百零五", 105),
        ("两", 2),
        ("二三", None),
        ("十十", None),
        ("", None),
        ("5", None),
    ],
)
def test_reading_chinese_numbers(text: str, value: int | None) -> None:
    """Place-value numerals read as numbers; bare digit strings and malformed ones do not."""
    assert read_cn_number(text) == value


def test_a_year_reads_digit_by_digit_when_asked() -> None:
    """二〇二六 is 2026 for a year, and no number otherwise."""
    assert read_cn_number("二〇二六", digit_by_digit=True) == 2026
    assert read_cn_number("二〇二六") is None
    assert read_cn_number("二十", digit_by_digit=True) == 20


def test_writing_chinese_numbers_reads_back() -> None:
    """1 … 99 written in Chinese numerals read back as themselves; others stay digits."""
    assert [cn_numeral(n) for n in (1, 10, 11, 20, 99)] == ["一", "十", "十一", "二十", "九十九"]
    assert all(read_cn_number(cn_numeral(n)) == n for n in range(1, 100))
    assert cn_numeral(100) == "100"


# --- placeholders ------------------------------------------------------------------------------

PLACEHOLDERS = ["xx", "X", "×××", "**", "某某", "__", "_", "○○", "□□", "??", "20XX年"]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholders_are_found(value: str) -> None:
    """Template blanks are placeholders."""
    assert PLACEHOLDER.search(value)


@pytest.mark.parametrize("value", ["张三", "Xiaoming", "2026年12月", "○", "第一党支部"])
def test_real_values_are_no_placeholders(value: str) -> None:
    """Names, dates and a single ○ are not."""
    assert not PLACEHOLDER.search(value)


@pytest.mark.parametrize("value", ["xx月底前", "××月底前", "__月__日前", "○○月底前", "12月??日前"])
def test_plan_and_deadline_agree_on_placeholders(value: str) -> None:
    """A placeholder deadline is flagged by the plan and refused by the deadline reader alike."""
    plan = parse_plan(
        f"1.问题。\n整改措施:措施。\n责任人:张三\n落实时限:{value}", reference_year=2026
    )
    assert [w.code for w in plan.warnings] == [PlanWarningCode.PLACEHOLDER]
    parsed = parse_deadline(value, TODAY)
    assert isinstance(parsed, DeadlineError)
    assert parsed.code is DeadlineErrorCode.PLACEHOLDER
