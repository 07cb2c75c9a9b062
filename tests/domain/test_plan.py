"""Reading pasted rectification plans: the four published samples and our own plans."""

from __future__ import annotations

import dataclasses
import string
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.plan import (
    ParsedPlan,
    PlanField,
    PlanItem,
    PlanWarning,
    PlanWarningCode,
    parse_plan,
)
from i18n.en import plan as en_plan
from i18n.zh import plan as zh_plan

PLANS = Path(__file__).resolve().parents[1] / "data" / "plans"
YEAR = 2026
C = PlanWarningCode

_TO_FULL_WIDTH = str.maketrans({",": "，", ":": "：", "(": "（", ")": "）"})
_TO_ASCII = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "．": ".", "；": ";"})


def fold(text: str) -> str:
    """Full-width punctuation back to ASCII, to compare texts modulo punctuation."""
    return text.translate(_TO_ASCII)


def folded_item(item: PlanItem) -> tuple[object, ...]:
    """The item's fields with every text folded."""
    folded: list[object] = []
    for value in dataclasses.astuple(item):
        if isinstance(value, str):
            folded.append(fold(value))
        elif isinstance(value, tuple):
            folded.append(tuple(fold(part) for part in value))
        else:
            folded.append(value)
    return tuple(folded)


def summary(plan: ParsedPlan) -> list[tuple[str, int | None, dict[str, str]]]:
    """Warnings as comparable tuples, texts folded."""
    return [
        (warning.code.value, warning.item, {k: fold(v) for k, v in warning.params.items()})
        for warning in plan.warnings
    ]


def codes_for(plan: ParsedPlan, item: int | None) -> list[PlanWarningCode]:
    """The warning codes attached to one item (or to the whole plan)."""
    return [warning.code for warning in plan.warnings if warning.item == item]


def lines(*texts: str) -> str:
    """Lines of a small plan."""
    return "\n".join(texts)


def load(name: str) -> str:
    """A sample plan as published."""
    return (PLANS / name).read_text(encoding="utf-8")


FORMS: dict[str, Callable[[str], str]] = {
    "ascii": lambda text: text,
    "full-width": lambda text: text.translate(_TO_FULL_WIDTH),
}


@pytest.fixture(params=sorted(FORMS))
def form(request: pytest.FixtureRequest) -> Callable[[str], str]:
    """Each sample is read as published and with full-width punctuation."""
    converter: Callable[[str], str] = FORMS[request.param]
    return converter


def parse_sample(name: str, form: Callable[[str], str]) -> ParsedPlan:
    """Parse a sample in one punctuation form."""
    return parse_plan(form(load(name)), reference_year=YEAR)


EX1 = "ex1_weisheng_dangwei_zhenggai_cuoshi.txt"
EX3 = "ex3_zhibu_wenti_ji_zhenggai_cuoshi.txt"
EX4 = "ex4_xuexiao_zhenggai_fangan.txt"
EX5 = "ex5_cun_zhibu_buduanban.txt"
OWN1 = "own1_jiaoyuju_xunchai_fankui.txt"
OWN2 = "own2_disan_zhibu_zuzhishenghuohui.txt"
OWN3 = "own3_jiguan_dangfei_dangan.txt"
SAMPLES = (EX1, EX3, EX4, EX5)


# --- punctuation forms ----------------------------------------------------------------------


@pytest.mark.parametrize("name", [*SAMPLES, OWN1, OWN2, OWN3])
def test_full_width_punctuation_reads_the_same(name: str) -> None:
    """Turning , : ( ) into ， ： （ ） changes neither the items nor the warnings."""
    ascii_plan = parse_plan(load(name), reference_year=YEAR)
    wide_plan = parse_plan(load(name).translate(_TO_FULL_WIDTH), reference_year=YEAR)
    assert [folded_item(i) for i in wide_plan.items] == [folded_item(i) for i in ascii_plan.items]
    assert summary(wide_plan) == summary(ascii_plan)


def test_output_keeps_the_punctuation_as_typed() -> None:
    """Fields are slices of the pasted text: full-width input gives full-width output."""
    plan = parse_plan(load(EX1).translate(_TO_FULL_WIDTH), reference_year=YEAR)
    assert plan.items[1].label == "（二）"
    assert plan.items[1].unit == "委属各单位党委（总支、支部），各民营医院党支部"


# --- ex1 --------------------------------------------------------------------------------------


def test_ex1_items_and_measures(form: Callable[[str], str]) -> None:
    """ex1 gives five items (一)…(五) with 3, 3, 5, 2 and 0 measures."""
    plan = parse_sample(EX1, form)
    assert [fold(item.label) for item in plan.items] == ["(一)", "(二)", "(三)", "(四)", "(五)"]
    assert [len(item.measures) for item in plan.items] == [3, 3, 5, 2, 0]
    assert plan.items[0].measures[0].startswith("牢固树立“抓好党建是本职")
    assert plan.items[3].measures[1].startswith("严格管理干部队伍")
    assert all(item.category is None for item in plan.items)


def test_ex1_second_item_fields(form: Callable[[str], str]) -> None:
    """ex1 (二) has owner 各党委委员, the full unit and the deadline phrase 月底前."""
    item = parse_sample(EX1, form).items[1]
    assert item.owners == ("各党委委员",)
    assert item.lead is None
    assert fold(item.unit or "") == "委属各单位党委(总支、支部),各民营医院党支部"
    assert item.deadline_phrase == "月底前"


def test_ex1_third_item_placeholders(form: Callable[[str], str]) -> None:
    """ex1 (三): xx is never stored, the unlabelled unit line and 底前 are flagged."""
    plan = parse_sample(EX1, form)
    item = plan.items[2]
    assert (item.owners, item.lead, item.unit, item.deadline_phrase) == ((), None, None, None)
    warnings = [w for w in summary(plan) if w[1] == 3]
    assert warnings == [
        ("placeholder", 3, {"field": "lead", "value": "xx"}),
        ("placeholder", 3, {"field": "owners", "value": "xx"}),
        ("unlabelled_field", 3, {"excerpt": "单位党委(总支、支部),各民营医院党支部。"}),
        ("incomplete_deadline", 3, {"value": "底前"}),
    ]


def test_ex1_fourth_and_fifth_items(form: Callable[[str], str]) -> None:
    """ex1 (四) jumps 1 → 3 and has an empty 落实时限; (五) has no measures."""
    plan = parse_sample(EX1, form)
    assert plan.items[3].owners == ("各党委委员",)
    fourth = [w for w in summary(plan) if w[1] == 4]
    assert ("numbering_gap", 4, {"expected": "2.", "found": "3."}) in fourth
    assert ("empty_field", 4, {"field": "deadline"}) in fourth
    assert codes_for(plan, 5) == [C.NO_MEASURES, C.NO_OWNER, C.NO_DEADLINE]


def test_ex1_all_warnings(form: Callable[[str], str]) -> None:
    """ex1 warns exactly about the preamble, the gaps in (三)(四)(五) and missing fields."""
    plan = parse_sample(EX1, form)
    preamble = summary(plan)[0]
    assert preamble[:2] == ("not_an_item", None)
    assert preamble[2]["excerpt"].startswith("深入学习贯彻习近平总书记")
    assert [(code, item) for code, item, _ in summary(plan)[1:]] == [
        ("no_owner", 1),
        ("no_deadline", 1),
        ("empty_field", 2),
        ("placeholder", 3),
        ("placeholder", 3),
        ("unlabelled_field", 3),
        ("incomplete_deadline", 3),
        ("numbering_gap", 4),
        ("empty_field", 4),
        ("empty_field", 4),
        ("no_measures", 5),
        ("no_owner", 5),
        ("no_deadline", 5),
    ]
    deadline_trouble = {
        w.item
        for w in plan.warnings
        if w.code in (C.NO_DEADLINE, C.INCOMPLETE_DEADLINE)
        or (w.code is C.EMPTY_FIELD and w.params["field"] == PlanField.DEADLINE)
    }
    assert deadline_trouble == {1, 3, 4, 5}


# --- ex3 --------------------------------------------------------------------------------------


def test_ex3_pairs_measures_by_number(form: Callable[[str], str]) -> None:
    """ex3's block after 二、整改措施 pairs (一)…(四) with the problems (一)…(四)."""
    plan = parse_sample(EX3, form)
    assert [fold(item.label) for item in plan.items] == ["(一)", "(二)", "(三)", "(四)"]
    assert [len(item.measures) for item in plan.items] == [1, 1, 1, 1]
    starts = ["强化制度落实", "创新党支部工作的方式方法", "履职尽责", "加强党务台账档案建设"]
    for item, start in zip(plan.items, starts, strict=True):
        assert item.measures[0].startswith(start)


def test_ex3_detail_stays_with_its_problem(form: Callable[[str], str]) -> None:
    """ex3's detail paragraphs (even one starting 一是…) stay with their problem."""
    items = parse_sample(EX3, form).items
    assert items[0].problem == "严格落实“三会一课”制度有待提高"
    assert items[0].detail.startswith("按照“三会一课”制度要求")
    assert fold(items[1].problem) == "活动形式相对比较单一,学习效果不太理想"
    assert items[1].detail.startswith("一是工作主动性不够")
    assert "二是内容枯燥" in items[1].detail
    assert items[3].detail.startswith("支部“三会一课”个别会议记录不全")


def test_ex3_warnings(form: Callable[[str], str]) -> None:
    """ex3 warns about missing owners and deadlines on every item, and two skipped paragraphs."""
    plan = parse_sample(EX3, form)
    for item in range(1, 5):
        assert codes_for(plan, item) == [C.NO_OWNER, C.NO_DEADLINE]
    assert codes_for(plan, None) == [C.NOT_AN_ITEM, C.NOT_AN_ITEM]
    assert all(item.owners == () and item.deadline_phrase is None for item in plan.items)


# --- ex4 --------------------------------------------------------------------------------------


def test_ex4_three_items_three_measures(form: Callable[[str], str]) -> None:
    """ex4 gives (一)…(三) with three measures each."""
    plan = parse_sample(EX4, form)
    assert [fold(item.label) for item in plan.items] == ["(一)", "(二)", "(三)"]
    assert [len(item.measures) for item in plan.items] == [3, 3, 3]
    assert plan.items[2].problem.startswith("党员领导干部的责任意识不够强")


def test_ex4_organisation_run_and_preamble_not_imported(form: Callable[[str], str]) -> None:
    """ex4's two opening paragraphs and its second (一)(二)(三) run are reported, not items."""
    plan = parse_sample(EX4, form)
    skipped = [w[2]["excerpt"] for w in summary(plan) if w[0] == "not_an_item"]
    assert len(skipped) == 5
    assert skipped[0].startswith("为认真贯彻落实区教育局")
    assert skipped[1].startswith("以十八届三中、四中全会精神")
    assert skipped[2:] == [
        "(一)坚持领导带头,强化协调配合。",
        "(二)坚持问题导向,细化措施要求。",
        "(三)及时检查总结,确保整改实效。",
    ]
    assert {w.code for w in plan.warnings if w.item is not None} == {C.NO_OWNER, C.NO_DEADLINE}


# --- ex5 --------------------------------------------------------------------------------------


def test_ex5_eleven_items_paired_in_groups(form: Callable[[str], str]) -> None:
    """ex5: each N.…问题 line is an item and its group's 整改措施 pair by number."""
    plan = parse_sample(EX5, form)
    assert len(plan.items) == 11
    assert [item.label for item in plan.items] == [
        *("1.", "2."),
        *("1.", "2.."),
        *("1.", "2.", "3."),
        *("1.", "2."),
        *("1.", "2."),
    ]
    assert all(item.problem.endswith("问题") for item in plan.items)
    assert all(len(item.measures) == 1 for item in plan.items)
    assert plan.items[0].measures[0].startswith("社区支部流动党小组")
    assert plan.items[3].measures[0].startswith("全面实行无职党员设岗定责")
    assert plan.items[6].measures[0].startswith("年初党组织统一核算")
    assert plan.items[10].measures[0].startswith("将村级集体经济与产业发展有效结合")


def test_ex5_warnings(form: Callable[[str], str]) -> None:
    """ex5 warns about 2.., the conclusion group and the past 2019 range."""
    plan = parse_sample(EX5, form)
    rows = summary(plan)
    assert ("numbering_gap", 4, {"expected": "2.", "found": "2.."}) in rows
    general = [row for row in rows if row[1] is None]
    assert [row[0] for row in general] == ["not_an_item", "not_an_item", "past_date"]
    assert general[0][2]["excerpt"].startswith("1.村党支部切实增强四个意识")
    assert general[1][2]["excerpt"].startswith("2.在乡党委的统筹安排下")
    assert general[2][2] == {"value": "自2019年7月开始,2019年12月基本完成"}


def test_ex5_measure_mentioning_a_past_year_is_not_a_schedule() -> None:
    """'2019年我支部已确定发展对象' states a fact, so it raises no past-date warning."""
    plan = parse_plan(load(EX5), reference_year=YEAR)
    assert "2019年我支部已确定发展对象3名" in plan.items[2].measures[0]
    assert [w.item for w in plan.warnings if w.code is C.PAST_DATE] == [None]


def test_past_date_depends_on_the_reference_year() -> None:
    """With 2019 as the current year the ex5 range is not in the past."""
    plan = parse_plan(load(EX5), reference_year=2019)
    assert C.PAST_DATE not in {w.code for w in plan.warnings}


# --- our own plans ----------------------------------------------------------------------------


def test_own1_categories_and_restarted_numbering() -> None:
    """Category headings 一、…方面 label their items; 1、 restarts in each category."""
    plan = parse_plan(load(OWN1), reference_year=YEAR)
    assert [(item.label, item.category) for item in plan.items] == [
        ("1、", "政治建设方面"),
        ("2、", "政治建设方面"),
        ("1、", "组织建设方面"),
        ("2、", "组织建设方面"),
    ]
    assert codes_for(plan, 1) == []
    assert codes_for(plan, 2) == []


def test_own1_inline_circled_and_yishi_measures() -> None:
    """①②③ on one line and 一是…二是… after '整改措施。' are separate measures."""
    first, second, third, _ = parse_plan(load(OWN1), reference_year=YEAR).items
    assert first.measures == (
        "制定年度学习计划，每月至少开展1次集中学习",
        "建立学习研讨台账，每季度开展1次专题研讨",
        "将学习情况纳入年度考核。",
    )
    assert second.measures == (
        "党组每半年专题研究1次意识形态工作",
        "建立网络舆情研判机制，每月研判1次。",
    )
    assert third.measures == (
        "规范支部委员会、党员大会议程，会前10日报送议题。",
        "建立组织生活记录检查制度，每季度检查1次。",
    )


def test_own1_fields() -> None:
    """Owners split on 、 and 和; '总负责人。张伟' is a label followed by 。; ranges stay raw."""
    first, second, third, fourth = parse_plan(load(OWN1), reference_year=YEAR).items
    assert (first.owners, first.unit, first.deadline_phrase) == (
        ("王建国", "李明"),
        "办公室",
        "2026年6月底前",
    )
    assert (second.lead, second.owners, second.deadline_phrase) == (
        "张伟",
        ("刘洋", "陈静"),
        "立行立改、长期坚持",
    )
    assert third.deadline_phrase == "2025年12月底前"
    assert (fourth.owners, fourth.deadline_phrase) == ((), None)


def test_own1_warnings() -> None:
    """own1 warns about the title and intro, a past deadline, placeholders and the 保障措施 part."""
    rows = summary(parse_plan(load(OWN1), reference_year=YEAR))
    skipped = [row[2]["excerpt"] for row in rows if row[0] == "not_an_item"]
    assert skipped == [
        "中共××县教育局党组关于县委第二巡察组反馈意见的整改方案",
        "根据县委第二巡察组反馈意见,结合我局工作实际,制定本整改方案。",
        "(一)加强组织领导。成立整改工作领导小组,局党组书记任组长。",
        "(二)强化督促检查。办公室每月通报整改进展。",
        "以上整改措施,我们将认真抓好落实,确保如期完成。",
    ]
    assert [row for row in rows if row[0] != "not_an_item"] == [
        ("past_date", 3, {"value": "2025年12月底前"}),
        ("placeholder", 4, {"field": "owners", "value": "某某"}),
        ("placeholder", 4, {"field": "deadline", "value": "20××年××月"}),
    ]
    assert [row[1] for row in rows] == [None, None, 3, 4, 4, None, None, None]


def test_own2_problem_list_then_measures_heading() -> None:
    """Problems under 一、存在的主要问题 pair with (一)(二)(三) under 二、整改措施."""
    plan = parse_plan(load(OWN2), reference_year=YEAR)
    assert [item.problem for item in plan.items] == [
        "理论学习不够系统",
        "组织生活质量不高",
        "联系服务群众不够",
    ]
    assert plan.items[0].detail == "满足于读文件、念报纸，学用结合不紧密。"
    assert plan.items[1].detail == "1．主题党日活动内容单一；\n2．党员参与讨论不积极。"
    starts = [item.measures[0][:6] for item in plan.items]
    assert starts == ["制定支部年度", "每次主题党日", "每名支委每季"]


def test_own2_fields_after_paired_measures_apply_to_the_group() -> None:
    """责任人 and 完成时限 after a paired measures block belong to every problem of it."""
    plan = parse_plan(load(OWN2), reference_year=YEAR)
    for item in plan.items:
        assert item.owners == ("孙红", "周涛")
        assert item.deadline_phrase == "2026年12月31日前"
    assert [w.code for w in plan.warnings] == [C.NOT_AN_ITEM]


def test_own3_inline_fields_and_labels_without_colon() -> None:
    """Fields in parentheses after a measure, 'label value' with a space, value on next line."""
    first, second, third = parse_plan(load(OWN3), reference_year=YEAR).items
    assert first.measures == ("每月10日前完成党费收缴", "建立党费收缴台账,每季度公示一次。")
    assert (first.owners, first.deadline_phrase) == (("周敏",), "2026年3月31日前")
    assert (second.measures, second.unit) == (("建立档案管理制度,专人负责。",), "党建办")
    assert third.measures == ("支委每半年与每名党员谈心谈话一次。", "建立谈心谈话记录本。")
    assert (third.owners, third.deadline_phrase) == (("党支部书记",), "年底前")


def test_own3_problem_numbering_gaps() -> None:
    """Problems numbered 1, 3, 5 warn twice about gaps; the title is not an item."""
    rows = summary(parse_plan(load(OWN3), reference_year=YEAR))
    assert rows == [
        ("not_an_item", None, {"excerpt": "机关第一党支部整改落实方案"}),
        ("numbering_gap", 2, {"expected": "2.", "found": "3."}),
        ("no_owner", 2, {}),
        ("no_deadline", 2, {}),
        ("numbering_gap", 3, {"expected": "4.", "found": "5."}),
    ]


# --- small cases ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t  ", "大家好，明天下午三点开会，请准时参加。"])
def test_text_without_numbered_problems_gives_no_items(text: str) -> None:
    """Empty text or prose without numbering gives no items and one NO_ITEMS warning."""
    plan = parse_plan(text, reference_year=YEAR)
    assert plan.items == ()
    assert plan.warnings == (PlanWarning(C.NO_ITEMS),)


def test_labels_followed_by_full_stop() -> None:
    """'整改措施。', '责任人。' and '落实时限。' are labels; an empty one is flagged."""
    text = lines(
        "（一）党员教育管理不严格。",
        "整改措施。",
        "1、每月开展一次党员教育。",
        "责任人。李强",
        "落实时限。",
    )
    plan = parse_plan(text, reference_year=YEAR)
    (item,) = plan.items
    assert (item.measures, item.owners) == (("每月开展一次党员教育。",), ("李强",))
    assert summary(plan) == [("empty_field", 1, {"field": "deadline"})]


def test_circled_measures_on_their_own_lines() -> None:
    """① ② ③ lines under a problem are its measures."""
    text = lines(
        "1.台账不规范。",
        "整改措施：",
        "①统一台账格式；",
        "②每月更新；",
        "③专人管理。",
        "责任人：王芳",
    )
    (item,) = parse_plan(text, reference_year=YEAR).items
    assert item.measures == ("统一台账格式；", "每月更新；", "专人管理。")
    assert item.owners == ("王芳",)


def test_measures_without_a_label_when_the_plan_has_none() -> None:
    """Without any 整改措施 marker, inner numbering under a problem is its measures."""
    text = lines(
        "（一）学习不深入。",
        "1.制定学习计划。",
        "2.开展专题研讨。",
        "（二）执行不严。",
        "1.修订制度。",
    )
    plan = parse_plan(text, reference_year=YEAR)
    assert [item.measures for item in plan.items] == [
        ("制定学习计划。", "开展专题研讨。"),
        ("修订制度。",),
    ]


def test_owner_split_keeps_names_containing_he() -> None:
    """和 splits names only when both sides are at least two characters (王和平 stays whole)."""
    text = "1.问题。\n整改措施：措施。\n责任人：王和平、张三和李四 赵六"
    (item,) = parse_plan(text, reference_year=YEAR).items
    assert item.owners == ("王和平", "张三", "李四", "赵六")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("xx", C.PLACEHOLDER),
        ("×××", C.PLACEHOLDER),
        ("**", C.PLACEHOLDER),
        ("20XX年X月", C.PLACEHOLDER),
        ("底前", C.INCOMPLETE_DEADLINE),
        ("前", C.INCOMPLETE_DEADLINE),
    ],
)
def test_bad_deadlines_are_not_stored(value: str, code: PlanWarningCode) -> None:
    """Placeholder or truncated deadlines are flagged and deadline_phrase stays None."""
    text = f"1.问题。\n整改措施：措施。\n责任人：张三\n落实时限：{value}"
    plan = parse_plan(text, reference_year=YEAR)
    assert plan.items[0].deadline_phrase is None
    assert [w.code for w in plan.warnings] == [code]


def test_duplicate_single_valued_field_keeps_the_first() -> None:
    """A second, different 责任单位 is ignored and reported."""
    text = lines(
        "1.问题。", "整改措施：措施。", "责任人：张三", "责任单位：办公室", "责任单位：组织部"
    )
    text += "\n时限：年底前"
    plan = parse_plan(text, reference_year=YEAR)
    assert plan.items[0].unit == "办公室"
    assert summary(plan) == [("duplicate_field", 1, {"field": "unit", "value": "组织部"})]


def test_unpaired_measure_and_problem() -> None:
    """Paired by number: measure 2 has no problem 2, problem 3 gets no measure; both reported."""
    text = "1.问题甲。\n3.问题丙。\n整改措施：\n1.措施甲。\n2.措施乙。"
    plan = parse_plan(text, reference_year=YEAR)
    assert [item.measures for item in plan.items] == [("措施甲。",), ()]
    unpaired = [w for w in summary(plan) if w[0] == "unpaired"]
    assert unpaired == [
        ("unpaired", 2, {"label": "3."}),
        ("unpaired", None, {"label": "2.", "excerpt": "措施乙。"}),
    ]


def test_skip_section_by_heading() -> None:
    """Everything under 三、保障措施 is reported, not imported."""
    text = lines(
        "一、存在问题", "（一）问题甲。", "整改措施：1.措施。", "二、保障措施", "（一）加强领导。"
    )
    text += "\n（二）严格督查。"
    plan = parse_plan(text, reference_year=YEAR)
    assert len(plan.items) == 1
    assert codes_for(plan, None) == [C.NOT_AN_ITEM, C.NOT_AN_ITEM]


def test_long_problem_title_is_cut() -> None:
    """A first sentence longer than 200 characters is cut at a comma; the rest goes to detail."""
    sentence = "，".join(["党员教育管理工作存在薄弱环节"] * 30) + "。"
    plan = parse_plan(f"1.{sentence}\n整改措施：措施。", reference_year=YEAR)
    item = plan.items[0]
    assert len(item.problem) <= 200
    assert fold(item.problem + "," + item.detail) == fold(sentence)


def test_very_long_text_is_read_quickly() -> None:
    """Three hundred copies of ex1 and a 200 000-character paragraph parse in seconds."""
    started = time.perf_counter()
    plan = parse_plan("\n".join([load(EX1)] * 300), reference_year=YEAR)
    assert len(plan.items) == 1500
    huge = parse_plan("1.问题。\n" + "很长的说明，" * 40_000, reference_year=YEAR)
    assert len(huge.items) == 1
    assert time.perf_counter() - started < 20


# --- the warning type -------------------------------------------------------------------------


def test_warning_is_hashable_and_read_only() -> None:
    """PlanWarning hashes, compares by value and its params cannot be changed."""
    params = {"field": "owners", "value": "xx"}
    warning = PlanWarning(C.PLACEHOLDER, 3, params)
    params["value"] = "changed"
    assert warning == PlanWarning(C.PLACEHOLDER, 3, {"field": "owners", "value": "xx"})
    assert len({warning, PlanWarning(C.PLACEHOLDER, 3, {"field": "owners", "value": "xx"})}) == 1
    with pytest.raises(TypeError):
        warning.params["value"] = "yy"  # type: ignore[index]  # the point: params is read-only


def test_message_keys() -> None:
    """Item warnings use plan.warning.<code>; whole-plan past dates and unpaired use .general."""
    assert PlanWarning(C.NO_OWNER, 1).message_key == "plan.warning.no_owner"
    assert PlanWarning(C.PAST_DATE, 2, {"value": "2019年"}).message_key == "plan.warning.past_date"
    assert PlanWarning(C.PAST_DATE, None).message_key == "plan.warning.past_date.general"
    assert PlanWarning(C.UNPAIRED, None).message_key == "plan.warning.unpaired.general"
    assert PlanWarning(C.NOT_AN_ITEM, None).message_key == "plan.warning.not_an_item"


# --- messages ---------------------------------------------------------------------------------


def fields_of(template: str) -> set[str]:
    """The str.format fields a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogue_sections_match() -> None:
    """Chinese and English define the same plan.* keys with the same placeholders."""
    assert zh_plan.MESSAGES.keys() == en_plan.MESSAGES.keys()
    assert all(key.startswith("plan.") for key in zh_plan.MESSAGES)
    for key, template in zh_plan.MESSAGES.items():
        assert fields_of(template) == fields_of(en_plan.MESSAGES[key]), key


def test_every_code_and_field_has_a_message() -> None:
    """Each warning code (item and whole-plan form where both occur) and field has wording."""
    for code in PlanWarningCode:
        for item in (None, 1):
            assert PlanWarning(code, item).message_key in zh_plan.MESSAGES
    for plan_field in PlanField:
        assert f"plan.field.{plan_field}" in zh_plan.MESSAGES


@pytest.mark.parametrize("name", [*SAMPLES, OWN1, OWN2, OWN3])
def test_every_sample_warning_renders(name: str) -> None:
    """Every warning of the sample plans renders in both languages with its params."""
    for table in (zh_plan.MESSAGES, en_plan.MESSAGES):
        for warning in parse_plan(load(name), reference_year=YEAR).warnings:
            params = dict(warning.params)
            if "field" in params:
                params["field"] = table[f"plan.field.{params['field']}"]
            rendered = table[warning.message_key].format(item=warning.item, **params)
            assert "None" not in rendered
            assert "{" not in rendered


# --- never raises -----------------------------------------------------------------------------

_PLAN_PIECES = (
    "一二三十是、。，：；（）().:;,1230①②⑴⒈㈠ \n\txX×*某"  # numbering and punctuation
    "问题整改措施责任人单位总负时限落实底前年月自完成"  # label and date characters
)
_PLAN_ALPHABET = st.sampled_from(
    [
        *_PLAN_PIECES,
        "整改措施：",
        "责任人：",
        "落实时限：",
        "总负责人：",
        "（一）",
        "1.",
        "2..",
        "一、",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.lists(_PLAN_ALPHABET, max_size=80).map("".join)))
def test_parse_plan_never_raises(text: str) -> None:
    """parse_plan returns a well-formed result for any text."""
    plan = parse_plan(text, reference_year=YEAR)
    assert all(w.item is None or 1 <= w.item <= len(plan.items) for w in plan.warnings)
    for item in plan.items:
        assert all(owner.strip() and "xx" not in owner.lower() for owner in item.owners)
