"""Reading what a member typed after /problem: the one-line form and the labelled form."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import UserError
from domain.items import MAX_FIELD_LENGTH, MAX_PROBLEM_LENGTH, OwnerRef
from domain.problem_form import (
    Mention,
    choose_deadline,
    parse_owner_list,
    read_extension,
    read_problem,
    split_measures,
)

TODAY = date(2026, 11, 26)
MONTH_END = date(2026, 11, 30)  # 月底前
YEAR_END = date(2026, 12, 31)  # 12月31日前
ZHANG = OwnerRef(name="@zhang_san", username="zhang_san")
LI_SI = OwnerRef(name="李四")
ZHANG_LINKED = OwnerRef(name="张三", user_id=5)


def at(text: str, span: str, **person: str | int) -> Mention:
    """A mention of the first ``span`` in ``text``, as the handler builds it from an entity."""
    user_id = person.get("user_id")
    name = person.get("name", "")
    return Mention(
        text.index(span),
        len(span),
        username=span[1:] if span.startswith("@") else None,
        user_id=user_id if isinstance(user_id, int) else None,
        name=str(name),
    )


# --- the one-line form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "会议记录不全 @zhang_san 月底前",
        "月底前 会议记录不全 @zhang_san",
        "@zhang_san 会议记录不全 月底前",
        "会议记录不全 月底前 @zhang_san",
        "  会议记录不全   @zhang_san   月底前  ",
    ],
)
def test_one_line_owners_and_deadline_anywhere(text: str) -> None:
    """@owner and deadline may stand anywhere; what remains is the problem."""
    draft = read_problem(text, [at(text, "@zhang_san")], TODAY)
    assert draft.problem == "会议记录不全"
    assert draft.owners == (ZHANG,)
    assert draft.deadline is not None
    assert draft.deadline.due == MONTH_END


def test_one_line_without_owner_or_deadline_is_all_problem() -> None:
    """Plain text is the problem; no owners, no deadline, no other fields."""
    draft = read_problem("三会一课记录不规范", [], TODAY)
    assert draft.problem == "三会一课记录不规范"
    assert draft.owners == ()
    assert draft.deadline is None
    assert draft.measures == ()


def test_one_line_deadline_in_the_middle_leaves_the_words_around_it() -> None:
    """A deadline phrase between words is removed and the words are rejoined."""
    draft = read_problem("会议 12月31日前 记录", [], TODAY)
    assert draft.problem == "会议 记录"
    assert draft.deadline is not None
    assert draft.deadline.due == YEAR_END


def test_one_line_text_mention_is_an_owner_and_leaves_the_problem() -> None:
    """A text mention (no username) names a linked owner and is cut out of the problem."""
    text = "会议记录不全 张三 月底前"
    draft = read_problem(text, [at(text, "张三", user_id=5, name="张三")], TODAY)
    assert draft.problem == "会议记录不全"
    assert draft.owners == (ZHANG_LINKED,)


def test_one_line_several_owners_keep_their_order_and_repeat_once() -> None:
    """Owners come in the order typed; the same username (any case) counts once."""
    text = "会议记录不全 @zhang_san @li_si @Zhang_San 12月31日前"
    mentions = [at(text, "@zhang_san"), at(text, "@li_si"), at(text, "@Zhang_San")]
    draft = read_problem(text, mentions, TODAY)
    assert [owner.username for owner in draft.owners] == ["zhang_san", "li_si"]
    assert draft.problem == "会议记录不全"


def test_one_line_username_without_an_entity_is_still_an_owner() -> None:
    """@username typed without Telegram marking it (e.g. pasted) is read as a pending owner."""
    draft = read_problem("会议记录不全 @zhang_san", [], TODAY)
    assert draft.owners == (ZHANG,)
    assert draft.problem == "会议记录不全"


# --- the labelled form --------------------------------------------------------------------------


def test_labelled_form_with_ascii_colons() -> None:
    """问题/责任人/时限/措施 with ':' fill problem, owners, deadline and measures."""
    text = "问题: 会议记录不全\n责任人: @zhang_san 李四\n时限: 月底前\n措施: 1.建立台账 2.每月提醒"
    draft = read_problem(text, [at(text, "@zhang_san")], TODAY)
    assert draft.problem == "会议记录不全"
    assert draft.owners == (ZHANG, LI_SI)
    assert draft.deadline is not None
    assert draft.deadline.due == MONTH_END
    assert draft.measures == ("建立台账", "每月提醒")


def test_labelled_form_with_full_width_colons_and_list_commas() -> None:
    """'：' works like ':', and owners may be separated by '、' or '，'."""
    text = "问题：会议记录不全\n责任人：@zhang_san、李四，王五\n时限：12月31日前"
    draft = read_problem(text, [at(text, "@zhang_san")], TODAY)
    assert draft.problem == "会议记录不全"
    assert draft.owners == (ZHANG, LI_SI, OwnerRef(name="王五"))
    assert draft.deadline is not None
    assert draft.deadline.due == YEAR_END


def test_labelled_form_fields_in_any_order() -> None:
    """The deadline may come before the problem; spaces around the colon do not matter."""
    draft = read_problem("时限 ： 12月31日前\n类别: 组织生活\n问题 : 会议记录不全", [], TODAY)
    assert draft.problem == "会议记录不全"
    assert draft.category == "组织生活"
    assert draft.deadline is not None
    assert draft.deadline.due == YEAR_END


def test_labelled_form_with_english_labels() -> None:
    """English labels, in any letter case, fill every field."""
    text = (
        "Problem: meeting records incomplete\n"
        "OWNER: @zhang_san\n"
        "deadline: 12月31日前\n"
        "measures: 1.keep a ledger 2.monthly reminder\n"
        "unit: 第一支部\n"
        "lead: 王书记\n"
        "category: 组织生活\n"
        "source: 巡察反馈\n"
        "detail: 见巡察报告"
    )
    draft = read_problem(text, [at(text, "@zhang_san")], TODAY)
    assert draft.problem == "meeting records incomplete"
    assert draft.owners == (ZHANG,)
    assert draft.deadline is not None
    assert draft.deadline.due == YEAR_END
    assert draft.measures == ("keep a ledger", "monthly reminder")
    assert (draft.unit, draft.lead, draft.category, draft.source, draft.detail) == (
        "第一支部",
        "王书记",
        "组织生活",
        "巡察反馈",
        "见巡察报告",
    )


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("存在问题", "problem"),
        ("总负责人", "lead"),
        ("第一责任人", "lead"),
        ("责任单位", "unit"),
        ("方面", "category"),
        ("来源", "source"),
        ("说明", "detail"),
    ],
)
def test_chinese_label_synonyms(label: str, field: str) -> None:
    """Each label used in published plans fills its field."""
    problem = "" if field == "problem" else "问题: 会议记录不全\n"
    draft = read_problem(f"{problem}{label}: 内容", [], TODAY)
    assert getattr(draft, field) == "内容"


@pytest.mark.parametrize("label", ["时限", "整改时限", "落实时限", "完成时限", "due"])
def test_deadline_label_synonyms(label: str) -> None:
    """Every deadline label reads the deadline language."""
    draft = read_problem(f"问题: 会议记录不全\n{label}: 月底前", [], TODAY)
    assert draft.deadline is not None
    assert draft.deadline.due == MONTH_END


def test_measures_continue_on_the_following_lines() -> None:
    """Lines after 措施: without a label belong to the measures, one measure per number."""
    text = "问题: 会议记录不全\n措施: 1.建立台账\n2.每月提醒\n3.季度检查\n时限: 月底前"
    draft = read_problem(text, [], TODAY)
    assert draft.measures == ("建立台账", "每月提醒", "季度检查")
    assert draft.deadline is not None


def test_problem_continuation_lines_are_joined_with_spaces() -> None:
    """A problem written over several lines becomes one line of text."""
    draft = read_problem("问题: 会议记录\n不全\n时限: 月底前", [], TODAY)
    assert draft.problem == "会议记录 不全"


def test_detail_keeps_its_line_breaks() -> None:
    """The 说明 field keeps the lines as typed."""
    draft = read_problem("问题: 会议记录不全\n说明: 第一行\n第二行", [], TODAY)
    assert draft.detail == "第一行\n第二行"


def test_labelled_owner_mentions_use_their_spans() -> None:
    """In 责任人, a text mention is a linked owner and an @mention a pending one."""
    text = "问题: 会议记录不全\n责任人: 张三 @zhang_san 李四"
    mentions = [at(text, "张三", user_id=5, name="张三"), at(text, "@zhang_san")]
    draft = read_problem(text, mentions, TODAY)
    assert draft.owners == (ZHANG_LINKED, ZHANG, LI_SI)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("问题: 会议记录不全\n颜色: 红", "颜色"),
        ("问题: 会议记录不全\nColour: red", "Colour"),
        ("问题：会议记录不全\n单位：第一支部", "单位"),
    ],
)
def test_unknown_label_is_refused_naming_it(text: str, label: str) -> None:
    """A label-like line that is no known label is an error that names it."""
    with pytest.raises(UserError) as caught:
        read_problem(text, [], TODAY)
    assert caught.value.key == "problem.unknown_label"
    assert caught.value.params["label"] == label


def test_a_single_line_with_an_unknown_label_is_just_the_problem() -> None:
    """A one-line problem that happens to contain a colon is not a labelled form."""
    draft = read_problem("三会一课: 记录不全", [], TODAY)
    assert draft.problem == "三会一课: 记录不全"


def test_first_line_owners_and_deadline_count_in_the_labelled_form() -> None:
    """Before the labels, the first line is read like the one-line form: owners and deadline."""
    text = "测试二 @zhang_san 月底前\n措施: 1.甲 2.乙"
    draft = read_problem(text, [at(text, "@zhang_san")], TODAY)
    assert draft.problem == "测试二"
    assert draft.owners == (ZHANG,)
    assert draft.deadline is not None
    assert draft.deadline.due == MONTH_END
    assert draft.measures == ("甲", "乙")


def test_first_line_text_mention_counts_in_the_labelled_form() -> None:
    """A text mention on the first line names an owner in the labelled form too."""
    text = "测试二 张三\n时限: 月底前"
    draft = read_problem(text, [at(text, "张三", user_id=5, name="张三")], TODAY)
    assert draft.problem == "测试二"
    assert draft.owners == (ZHANG_LINKED,)


def test_first_line_problem_is_not_silently_dropped_by_a_problem_label() -> None:
    """Text before a 问题: label is kept or refused, never silently thrown away."""
    try:
        draft = read_problem("问题A\n问题: 问题B", [], TODAY)
    except UserError:
        return
    assert "问题A" in draft.problem


# --- split_measures -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "measures"),
    [
        ("1.a 2.b", ("a", "b")),
        ("1.建立台账 2.每月提醒", ("建立台账", "每月提醒")),
        ("1、建立台账 2、每月提醒", ("建立台账", "每月提醒")),
        ("1）建立台账 2）每月提醒", ("建立台账", "每月提醒")),
        ("1) a 2) b 10) c", ("a", "b", "c")),
        ("１．建立台账 ２．每月提醒", ("建立台账", "每月提醒")),
        ("① 建立台账 ② 每月提醒", ("建立台账", "每月提醒")),
        ("①建立台账 ②每月提醒", ("建立台账", "每月提醒")),
        ("建立台账\n每月提醒", ("建立台账", "每月提醒")),
        ("1.建立台账\n2.每月提醒", ("建立台账", "每月提醒")),
        ("建立台账；每月提醒", ("建立台账", "每月提醒")),
        ("建立台账;每月提醒；；季度检查", ("建立台账", "每月提醒", "季度检查")),
        ("建立台账", ("建立台账",)),
        ("", ()),
        (" \n ； ", ()),
    ],
)
def test_split_measures(text: str, measures: tuple[str, ...]) -> None:
    """Numbered (1. 1、 1） １．), circled, line- or semicolon-separated measures are split."""
    assert split_measures(text) == measures


@pytest.mark.parametrize(
    ("text", "measures"),
    [
        ("①a②b", ("a", "b")),
        ("①建立台账②每月提醒③季度检查", ("建立台账", "每月提醒", "季度检查")),
    ],
)
def test_circled_numbers_split_without_spaces(text: str, measures: tuple[str, ...]) -> None:
    """①②③ mark measures even when written together, as is usual in Chinese text."""
    assert split_measures(text) == measures


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "时限: 月底前", "责任人: @zhang_san"])
def test_no_problem_text_is_refused(text: str) -> None:
    """Nothing typed, or labels without a problem, is error.problem_empty."""
    with pytest.raises(UserError) as caught:
        read_problem(text, [], TODAY)
    assert caught.value.key == "error.problem_empty"


@pytest.mark.parametrize(
    "prefix", ["", "问题: ", "问题：", "problem: "], ids=["one-line", "ascii", "full-width", "en"]
)
def test_problem_too_long_is_refused_with_the_limit(prefix: str) -> None:
    """A problem over the limit is error.problem_too_long; exactly the limit is accepted."""
    assert len(read_problem(prefix + "问" * MAX_PROBLEM_LENGTH, [], TODAY).problem) == 4000
    with pytest.raises(UserError) as caught:
        read_problem(prefix + "问" * (MAX_PROBLEM_LENGTH + 1), [], TODAY)
    assert caught.value.key == "error.problem_too_long"
    assert caught.value.params["limit"] == MAX_PROBLEM_LENGTH


@pytest.mark.parametrize("label", ["责任单位", "总负责人", "类别", "来源", "责任人"])
def test_field_too_long_is_refused(label: str) -> None:
    """Short fields (and each owner name) over their limit are error.field_too_long."""
    text = f"问题: 会议记录不全\n{label}: " + "长" * (MAX_FIELD_LENGTH + 1)
    with pytest.raises(UserError) as caught:
        read_problem(text, [], TODAY)
    assert caught.value.key == "error.field_too_long"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("问题: 会议记录不全\n时限: 胡说八道", "deadline.error.unrecognised"),
        ("会议记录不全 2月30日前", "deadline.error.impossible"),
    ],
)
def test_a_bad_deadline_is_refused(text: str, key: str) -> None:
    """A deadline that cannot be read, or a date that does not exist, is a deadline error."""
    with pytest.raises(UserError) as caught:
        read_problem(text, [], TODAY)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("text", "measures"),
    [
        ("（1）建立台账（2）每月提醒", ("建立台账", "每月提醒")),
        ("(1)甲 (2)乙", ("甲", "乙")),
        ("一是建立台账，二是每月提醒", ("建立台账", "每月提醒")),
    ],
)
def test_more_measure_numberings(text: str, measures: tuple[str, ...]) -> None:
    """（1）（2） and 一是…二是… mark measures as 1. 2. do."""
    assert split_measures(text) == measures


def test_labels_on_the_problem_s_own_line() -> None:
    """`问题 责任人:张三 时限:月底前` on one line reads the owner and the deadline."""
    draft = read_problem("党费收缴不及时 责任人：张三 时限：月底前", (), date(2026, 11, 26))
    assert draft.problem == "党费收缴不及时"
    assert [o.name for o in draft.owners] == ["张三"]
    assert draft.deadline is not None
    assert draft.deadline.due == date(2026, 11, 30)


def test_punctuation_before_a_deadline_does_not_stay_in_the_problem() -> None:
    """`三会一课记录不规范,时限:月底前` leaves no trailing comma in the problem."""
    assert read_problem("三会一课记录不规范,时限:月底前", (), date(2026, 11, 26)).problem == (
        "三会一课记录不规范"
    )


REF = date(2025, 3, 10)


@pytest.mark.parametrize(
    ("text", "problem", "due"),
    [
        (
            "原定6月30日前完成的整改未完成 @li 月底前",
            "原定6月30日前完成的整改未完成",
            date(2025, 3, 31),
        ),
        ("3个月内未召开支委会 @li 月底前", "3个月内未召开支委会", date(2025, 3, 31)),
        ("近3个月内未开展谈心谈话\n时限：月底前", "近3个月内未开展谈心谈话", date(2025, 3, 31)),
        (
            "台账不全 @li 月底前 整改方案报党委审核",
            "台账不全 整改方案报党委审核",
            date(2025, 3, 31),
        ),
    ],
)
def test_dates_in_the_problem_s_story_stay_in_it(text: str, problem: str, due: date) -> None:
    """The last date is the deadline; earlier dates and following words stay in the problem."""
    draft = read_problem(text, (), REF)
    assert draft.problem == problem
    assert draft.deadline is not None
    assert draft.deadline.due == due


@pytest.mark.parametrize(
    ("text", "measures"),
    [
        ("1.补缴党费 3.5万元 2.建立台账", ("补缴党费 3.5万元", "建立台账")),
        ("按照第（3）条要求整改", ("按照第（3）条要求整改",)),
    ],
)
def test_numbers_inside_a_measure_do_not_split_it(text: str, measures: tuple[str, ...]) -> None:
    """3.5万元 and 第（3）条 are part of a measure, not new numbering."""
    assert split_measures(text) == measures


def test_label_values_keep_every_character_typed() -> None:
    """Full-width text after a label (……, ㈠) is kept whole."""
    draft = read_problem("会议记录不全\n措施：……建立台账\n来源：㈠巡察反馈", (), REF)
    assert draft.measures == ("……建立台账",)
    assert draft.source == "㈠巡察反馈"


@pytest.mark.parametrize(
    "line", ["http://example.com 链接失效", "注：详见附件", "Note: see attached"]
)
def test_a_line_with_a_colon_that_is_no_label_is_text(line: str) -> None:
    """`http://…`, `注:` or `Note:` on a later line is part of the problem, not a label."""
    draft = read_problem(f"台账不规范\n{line}", (), REF)
    assert line.split()[-1] in draft.problem


@pytest.mark.parametrize(
    ("text", "due", "reason"),
    [
        ("延期至年底 原因是3月底前无法完成", date(2025, 12, 31), "原因是3月底前无法完成"),
        ("因上级未批复,申请延期至12月31日", date(2025, 12, 31), "因上级未批复"),
        ("12月31日前 等待上级批复", date(2025, 12, 31), "等待上级批复"),
        ("因资金未到位需延长至年底", date(2025, 12, 31), "因资金未到位需"),
    ],
)
def test_extension_text(text: str, due: date, reason: str) -> None:
    """The date after 延期至 (or the last date) is the new deadline; the rest is the reason."""
    deadline, said = read_extension(text, REF, 7)
    assert deadline is not None
    assert deadline.due == due
    assert said == reason


@pytest.mark.parametrize(
    ("text", "problem", "phrases"),
    [
        ("消防通道堵塞 @li 下周五前 另外还要月底前", "消防通道堵塞 下周五前 另外还要月底前",
         ("下周五前", "月底前")),
        ("台账不全 下周五前,月底前复查", "台账不全 下周五前,月底前复查", ("下周五前", "月底前")),
    ],
)  # fmt: skip
def test_two_deadlines_on_their_own_are_offered(
    text: str, problem: str, phrases: tuple[str, ...]
) -> None:
    """Two deadlines set apart in one line: neither is taken, both are offered, the text kept."""
    draft = read_problem(text, (), REF)
    assert draft.deadline is None
    assert draft.problem == problem
    assert tuple(d.phrase for d in draft.deadline_choices) == phrases


@pytest.mark.parametrize(
    "text",
    ["原定6月30日前完成的整改未完成 @li 月底前", "3个月内未召开支委会 @li 月底前",
     "2026年度 组织生活会材料不全 年底前"],
)  # fmt: skip
def test_dates_of_the_story_are_not_offered(text: str) -> None:
    """A date that opens the line, runs into the next words or follows 原定 is no choice."""
    draft = read_problem(text, (), REF)
    assert draft.deadline is not None
    assert draft.deadline_choices == ()


def test_choosing_a_deadline_cleans_the_problem() -> None:
    """The chosen phrase is the deadline; every offered phrase leaves the problem's text."""
    text = "消防通道堵塞 下周五前 另外还要月底前"
    first, problem = choose_deadline(text, 0, REF, 7)
    assert (first.phrase, first.due, problem) == (
        "下周五前",
        date(2025, 3, 21),
        "消防通道堵塞 另外还要",
    )
    last, _ = choose_deadline(text, 1, REF, 7)
    assert last.due == date(2025, 3, 31)
    with pytest.raises(UserError) as caught:
        choose_deadline("消防通道堵塞 另外还要", 0, REF, 7)
    assert caught.value.key == "error.deadline_choice_gone"


MEMBERS = {"李四": OwnerRef("李四", 3), "Wang Wu": OwnerRef("Wang Wu", 4, "wangwu")}


def test_a_members_name_in_the_one_line_form_is_an_owner() -> None:
    """李四 standing as a word, and a member's name with a space, are taken as the members."""
    draft = read_problem("消防通道堵塞 @zhang 李四 Wang Wu 下周五前", (), REF, members=MEMBERS)
    assert draft.problem == "消防通道堵塞"
    assert [owner.user_id for owner in draft.owners] == [None, 4, 3]
    assert set(draft.named_owners) == {"李四", "Wang Wu"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [("李四同志反映消防通道堵塞 月底前", "李四同志反映消防通道堵塞"), ("李四 月底前", "李四")],
)
def test_a_name_inside_a_word_or_alone_stays_the_problem(text: str, problem: str) -> None:
    """Only a whole word is a name; a line that is nothing but the name keeps it as the problem."""
    draft = read_problem(text, (), REF, members=MEMBERS)
    assert draft.problem == problem
    assert draft.named_owners == ()


def test_a_full_width_at_sign_is_an_at_sign() -> None:
    """＠zhang names the user zhang in the one-line form, a label and /assign's list."""
    one_line = read_problem("消防通道堵塞 ＠zhang 月底前", (), TODAY)
    labelled = read_problem("消防通道堵塞\n责任人: ＠zhang_san 李四", (), TODAY)
    zhang = OwnerRef(name="@zhang", username="zhang")
    assert one_line.problem == "消防通道堵塞"
    assert one_line.owners == (zhang,)
    assert labelled.owners == (OwnerRef("@zhang_san", username="zhang_san"), OwnerRef("李四"))
    assert parse_owner_list("＠zhang", ()) == [zhang]


def test_an_extension_may_start_with_its_date() -> None:
    """/extend N 12-31 等待批复: the first word is the new deadline, the rest the reason."""
    deadline, reason = read_extension("12-31 等待上级批复", TODAY, 7)
    assert deadline is not None
    assert deadline.due == date(2026, 12, 31)
    assert reason == "等待上级批复"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("Minutes missing @zhang due 2026-12-01", "Minutes missing"),
        ("Dues late due end of month", "Dues late"),
        ("Minutes missing deadline: end of month", "Minutes missing"),
        ("Overdue report by Friday", "Overdue report"),
    ],
)
def test_an_english_word_framing_the_deadline_leaves_the_problem(typed: str, problem: str) -> None:
    """``due`` / ``deadline:`` before the date go with it, as 时限: does ("Dues" stays)."""
    assert read_problem(typed, (), date(2026, 11, 26)).problem == problem
