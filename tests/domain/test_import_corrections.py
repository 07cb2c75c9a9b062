"""Corrections an admin replies to an import preview with: reading them and applying them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.deadline import Deadline
from domain.errors import UserError
from domain.import_corrections import (
    Drop,
    Keep,
    SetField,
    apply_corrections,
    read_corrections,
)
from domain.import_drafts import DraftItem, Notice
from domain.items import DueKind, MeasureView, OwnerRef
from domain.problem_form import Mention, read_deadline
from domain.vocabulary import Field

TODAY = date(2026, 11, 26)
DRAFTS = tuple(DraftItem(problem=f"问题{n}") for n in range(1, 6))


def deadline(phrase: str) -> Deadline:
    """Deadlines as the service reads them."""
    return read_deadline(phrase, TODAY, 7)


def corrected(text: str, notices: tuple[Notice, ...] = ()) -> tuple[DraftItem, ...]:
    """The drafts after the corrections in ``text``."""
    drafts, _ = apply_corrections(DRAFTS, notices, read_corrections(text), deadline)
    return drafts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("去掉 3 5", Drop(frozenset({3, 5}))),
        ("删除3、5", Drop(frozenset({3, 5}))),
        ("去掉第3项和第5项", Drop(frozenset({3, 5}))),
        ("drop 3 5", Drop(frozenset({3, 5}))),
        ("Remove #2", Drop(frozenset({2}))),
        ("只导入 1-4", Keep(frozenset({1, 2, 3, 4}))),
        ("只导入 1—3,5", Keep(frozenset({1, 2, 3, 5}))),
        ("only 1-4", Keep(frozenset({1, 2, 3, 4}))),
        ("ｏｎｌｙ　２～３", Keep(frozenset({2, 3}))),
        ("统一时限 月底前", SetField(Field.DUE, "月底前", None)),
        ("统一落实时限:年底前", SetField(Field.DUE, "年底前", None)),
        ("统一责任单位 第一党支部", SetField(Field.UNIT, "第一党支部", None)),
        ("all unit First Branch", SetField(Field.UNIT, "First Branch", None)),
        ("3 时限 12月31日前", SetField(Field.DUE, "12月31日前", frozenset({3}))),
        ("第3项 类别:组织建设", SetField(Field.CATEGORY, "组织建设", frozenset({3}))),
        ("3 due Dec 31", SetField(Field.DUE, "Dec 31", frozenset({3}))),
        ("2 问题 三会一课记录不全", SetField(Field.PROBLEM, "三会一课记录不全", frozenset({2}))),
    ],
)
def test_reading_one_correction(text: str, expected: object) -> None:
    """Every form in both languages, full-width too, reads as one correction."""
    assert read_corrections(text) == (expected,)


def test_owners_for_every_item() -> None:
    """统一责任人 @zhang 李四: a pending @username and a plain name."""
    (change,) = read_corrections("统一责任人 @zhang 李四")
    assert isinstance(change, SetField)
    assert change.owners == (OwnerRef("@zhang", username="zhang"), OwnerRef("李四"))


def test_owners_from_a_text_mention_keep_the_user() -> None:
    """A text mention (a user without @username) links the owner by id."""
    text = "统一责任人 王五"
    mention = Mention(offset=6, length=2, user_id=42, name="王五")
    (change,) = read_corrections(text, (mention,))
    assert isinstance(change, SetField)
    assert change.owners == (OwnerRef("王五", user_id=42),)


def test_several_lines_apply_together() -> None:
    """Fields first (numbers as in the preview shown), then drops."""
    drafts = corrected("去掉 1\n3 时限 12月31日前\n统一责任单位 第一党支部")
    assert [d.problem for d in drafts] == ["问题2", "问题3", "问题4", "问题5"]
    assert drafts[1].due == date(2026, 12, 31)
    assert {d.unit for d in drafts} == {"第一党支部"}


def test_setting_fields() -> None:
    """Deadline, owners, measures, problem and short fields are set as typed."""
    drafts = corrected("1 时限 长期坚持\n2 措施 1.建立台账 2.每月检查\n3 总负责人 王书记")
    assert drafts[0].due_kind is DueKind.LONG_TERM
    assert drafts[1].measures == (MeasureView("建立台账"), MeasureView("每月检查"))
    assert drafts[2].lead == "王书记"


def test_keep_and_drop() -> None:
    """只导入 keeps the listed items in their order; 去掉 leaves some out."""
    assert [d.problem for d in corrected("只导入 2 4")] == ["问题2", "问题4"]
    assert [d.problem for d in corrected("drop 2-4")] == ["问题1", "问题5"]


def test_warnings_follow_the_items() -> None:
    """A dropped item's warnings go, the rest are renumbered; an answered warning goes."""
    notices = (
        Notice("plan.warning.no_deadline", 1),
        Notice("plan.warning.no_owner", 2),
        Notice("plan.warning.no_deadline", 3),
        Notice("plan.warning.placeholder", 3, {"field": "deadline", "value": "xx"}),
        Notice("plan.warning.not_an_item", None, {"excerpt": "前言"}),
    )
    _, left = apply_corrections(
        DRAFTS, notices, read_corrections("去掉 1\n3 时限 月底前"), deadline
    )
    assert left == (
        Notice("plan.warning.no_owner", 1),
        Notice("plan.warning.not_an_item", None, {"excerpt": "前言"}),
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("好的,谢谢", "import.correct.error.unknown"),
        ("3 地点 会议室", "import.correct.error.unknown"),
        ("去掉 9", "import.correct.error.no_such_item"),
        ("3 时限 每月28日前", "deadline.error.recurring"),
        ("统一时限 xx", "deadline.error.placeholder"),
        ("只导入 9", "import.correct.error.no_such_item"),
        ("去掉 1-5", "import.correct.error.nothing_left"),
        ("统一问题 党建不规范", "import.correct.error.per_item"),
        ("统一责任人 ,", "import.correct.error.empty"),
    ],
)
def test_bad_corrections_change_nothing(text: str, key: str) -> None:
    """A correction that cannot be applied is refused with a message that says why."""
    with pytest.raises(UserError) as refused:
        corrected(text)
    assert refused.value.key == key


_PIECES = st.sampled_from(
    ["去掉", "只导入", "统一", "时限", "责任人", "drop", "only", "all", "due", "3", "1-4", "第",
     "项", " ", "\n", ":", "、", "@zhang", "月底前", "xx", "-", "９", "#"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.lists(_PIECES, max_size=20).map("".join)))
def test_any_reply_is_read_or_refused_clearly(text: str) -> None:
    """Whatever is replied, the result is corrections or a UserError, never a crash."""
    try:
        drafts, _ = apply_corrections(DRAFTS, (), read_corrections(text), deadline)
    except UserError:
        return
    assert 1 <= len(drafts) <= len(DRAFTS)
