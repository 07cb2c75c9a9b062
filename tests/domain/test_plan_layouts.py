"""Plans as they are really written: the layouts new users paste, and reports' parts.

Each layout is read as typed (ASCII punctuation) and with full-width punctuation; the results
must be the same.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.plan import ParsedPlan, PlanWarningCode, parse_plan

YEAR = 2026
C = PlanWarningCode
_TO_FULL_WIDTH = str.maketrans({",": "，", ":": "：", "(": "（", ")": "）", ";": "；"})
_TO_ASCII = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"})

FORMS: dict[str, Callable[[str], str]] = {
    "ascii": lambda text: text,
    "full-width": lambda text: text.translate(_TO_FULL_WIDTH),
}


@pytest.fixture(params=sorted(FORMS))
def form(request: pytest.FixtureRequest) -> Callable[[str], str]:
    """Every layout in both punctuation forms."""
    converter: Callable[[str], str] = FORMS[request.param]
    return converter


def read(form: Callable[[str], str], *lines: str) -> ParsedPlan:
    """Parse the lines in one punctuation form."""
    return parse_plan(form("\n".join(lines)), reference_year=YEAR)


def ascii_of(text: str | None) -> str | None:
    """Full-width punctuation back to ASCII."""
    return None if text is None else text.translate(_TO_ASCII)


def problems(plan: ParsedPlan) -> list[str]:
    """The problems' texts, punctuation folded."""
    return [ascii_of(item.problem) or "" for item in plan.items]


# --- the layouts of the issue ----------------------------------------------------------------


def test_under_a_problems_and_measures_heading(form: Callable[[str], str]) -> None:
    """一、存在问题及整改措施 is a problems heading, not a measures one."""
    plan = read(
        form,
        "一、存在问题及整改措施",
        "(一)三会一课记录不规范",
        "整改措施:",
        "1.建立会议记录台账",
        "2.每月检查一次",
        "责任人:张三",
        "落实时限:月底前",
        "(二)党费收缴不及时",
        "整改措施:建立党费台账",
        "责任人:李四",
    )
    assert problems(plan) == ["三会一课记录不规范", "党费收缴不及时"]
    assert [len(item.measures) for item in plan.items] == [2, 1]
    assert [item.owners for item in plan.items] == [("张三",), ("李四",)]
    assert plan.items[0].deadline_phrase == "月底前"


@pytest.mark.parametrize(
    "heading", ["一、存在问题及整改措施", "一、存在的问题和整改措施", "一、主要问题及整改措施"]
)
def test_problem_and_measure_headings_read_alike(heading: str) -> None:
    """Whatever the heading's wording, the numbered items below it are the problems."""
    plan = parse_plan(f"{heading}\n1.台账不全\n整改措施:补齐台账", reference_year=YEAR)
    assert [item.problem for item in plan.items] == ["台账不全"]


def test_yishi_as_labelled_lines(form: Callable[[str], str]) -> None:
    """一是… opening a problem, with its labelled measures, owner and deadline below."""
    plan = read(
        form,
        "一是三会一课记录不规范",
        "整改措施:建立会议记录台账",
        "责任人:张三",
        "落实时限:月底前",
        "二是党费收缴不及时",
        "整改措施:",
        "1.建立党费台账",
        "2.每月10日前提醒",
        "责任人:李四",
        "落实时限:12月31日前",
    )
    assert problems(plan) == ["三会一课记录不规范", "党费收缴不及时"]
    assert [item.label for item in plan.items] == ["一是", "二是"]
    assert [len(item.measures) for item in plan.items] == [1, 2]
    assert [item.deadline_phrase for item in plan.items] == ["月底前", "12月31日前"]
    assert [w.code for w in plan.warnings] == []


def test_yishi_one_item_per_line(form: Callable[[str], str]) -> None:
    """一是… 二是… 三是… a line each: one problem each."""
    plan = read(form, "一是三会一课记录不规范。", "二是党费收缴不及时。", "三是谈心谈话不经常。")
    assert problems(plan) == ["三会一课记录不规范", "党费收缴不及时", "谈心谈话不经常"]


def test_yishi_as_sentences_in_one_paragraph(form: Callable[[str], str]) -> None:
    """一是…。二是…。三是…。 in one paragraph: one problem per sentence."""
    plan = read(form, "一是三会一课记录不规范。二是党费收缴不及时,有拖欠。三是谈心谈话不经常。")
    assert problems(plan) == ["三会一课记录不规范", "党费收缴不及时,有拖欠", "谈心谈话不经常"]
    assert [item.label for item in plan.items] == ["一是", "二是", "三是"]


def test_yishi_after_an_introduction(form: Callable[[str], str]) -> None:
    """存在问题:一是…二是… (the list after its introduction) reads as problems."""
    plan = read(form, "经自查,主要存在以下问题:一是学习不深入;二是制度执行不严。")
    assert problems(plan) == ["学习不深入", "制度执行不严"]


@pytest.mark.parametrize(
    "numbering", [("1.", "2.", "1."), ("(一)", "(二)", "(一)"), ("一是", "二是", "一是")]
)
def test_category_headings_become_the_category(
    form: Callable[[str], str], numbering: tuple[str, str, str]
) -> None:
    """一、思想建设方面 gives its items the 类别, whatever numbers the items."""
    first, second, third = numbering
    plan = read(
        form,
        "一、思想建设方面",
        f"{first}理论学习不深入",
        f"{second}学用结合不紧",
        "二、组织建设方面",
        f"{third}三会一课落实不严格",
    )
    assert problems(plan) == ["理论学习不深入", "学用结合不紧", "三会一课落实不严格"]
    assert [item.category for item in plan.items] == ["思想建设方面"] * 2 + ["组织建设方面"]


def test_category_with_one_paragraph_is_one_problem(form: Callable[[str], str]) -> None:
    """A category heading with one unnumbered paragraph below: that paragraph is its problem."""
    plan = read(
        form,
        "一、思想建设方面",
        "理论学习不深入,学用结合不紧。",
        "二、组织建设方面",
        "三会一课落实不严格。",
    )
    assert problems(plan) == ["理论学习不深入,学用结合不紧", "三会一课落实不严格"]
    assert [item.category for item in plan.items] == ["思想建设方面", "组织建设方面"]
    assert [item.label for item in plan.items] == ["", ""]


def test_heading_with_its_content_after_a_colon(form: Callable[[str], str]) -> None:
    """一、存在问题:… 二、改进措施:… 1、2、: one problem, and the measures are its own."""
    plan = read(
        form,
        "一、存在问题:支部成立时间较短,党员学习积极性不够。",
        "二、改进措施:支部将在以下几方面进行改进。",
        "1、加强学习",
        "2、完善制度",
    )
    assert problems(plan) == ["支部成立时间较短,党员学习积极性不够"]
    assert plan.items[0].measures == ("加强学习", "完善制度")


# --- the parts of a report --------------------------------------------------------------------

REPORT = (
    "近年来,支部扎实推进党建工作,主要表现在:",
    "一是抓思想建设。坚持每月集中学习。",
    "二是抓组织建设。一是修订了制度;二是规范了台账。",
    "虽然取得了一定成绩,但仍存在一些问题,主要表现在以下几个方面。",
    "一是理论学习不够深入。主要表现在:一是学习不系统;二是研讨不充分。",
    "二是组织生活不够规范。",
    "三是党员作用发挥不明显。",
    "出现以上问题的原因主要有两个方面。",
    "一是思想认识不到位。",
    "二是制度执行不严格。",
    "针对上述问题,下一步将从以下几个方面进行整改:",
    "一是加强理论学习。",
    "二是规范组织生活。",
)


def test_report_imports_only_its_problems(form: Callable[[str], str]) -> None:
    """Achievements and causes numbered like the problems are skipped; the warning says why."""
    plan = read(form, *REPORT)
    assert problems(plan) == ["理论学习不够深入", "组织生活不够规范", "党员作用发挥不明显"]
    skipped = [w.params["part"] for w in plan.warnings if w.code is C.SKIPPED_SECTION]
    assert skipped == ["achievements", "causes"]


def test_report_pairs_measures_by_number_and_warns_about_the_count(
    form: Callable[[str], str],
) -> None:
    """Two measures for three problems: the first two pair, and the preview says so."""
    plan = read(form, *REPORT)
    assert [item.measures for item in plan.items] == [("加强理论学习。",), ("规范组织生活。",), ()]
    (count,) = [w for w in plan.warnings if w.code is C.MEASURE_COUNT]
    assert dict(count.params) == {"problems": "3", "measures": "2"}


def test_nested_enumeration_stays_in_its_problem(form: Callable[[str], str]) -> None:
    """一是 inside 一是 (主要表现在:一是…二是…) stays the problem's own text."""
    first = read(form, *REPORT).items[0]
    assert ascii_of(first.detail) == "主要表现在:一是学习不系统;二是研讨不充分。"


def test_skipped_part_warning_renders() -> None:
    """The skipped-part warning names the part and quotes its start, in both languages."""
    from i18n import t

    plan = parse_plan("\n".join(REPORT), reference_year=YEAR)
    warning = next(w for w in plan.warnings if w.code is C.SKIPPED_SECTION)
    for lang in ("zh", "en"):
        part = t(lang, f"plan.part.{warning.params['part']}")
        params = {**warning.params, "part": part}
        text = t(lang, warning.message_key, item=warning.item, **params)
        assert "近年来" in text
        assert part in text


def test_measures_by_order_when_the_problems_have_no_numbers() -> None:
    """Problems without numbers (each under its heading) pair with measures in order."""
    plan = parse_plan(
        "\n".join(
            [
                "一、存在问题",
                "(一)学习方面",
                "学习不深入。",
                "(二)纪律方面",
                "纪律松弛。",
                "二、整改措施",
                "(一)加强学习。",
                "(二)严明纪律。",
            ]
        ),
        reference_year=YEAR,
    )
    assert [item.problem for item in plan.items] == ["学习不深入", "纪律松弛"]
    assert [item.category for item in plan.items] == ["学习方面", "纪律方面"]


def test_uncued_measures_after_problems_pair_with_them(form: Callable[[str], str]) -> None:
    """A restarted run that reads as measures answers the run of problems before it."""
    plan = read(
        form,
        "1.理论学习不深入。学习停留在读文件。",
        "2.制度执行不严格。",
        "1.加强理论学习,每月集中学习一次。",
        "2.严格执行制度。",
    )
    assert problems(plan) == ["理论学习不深入", "制度执行不严格"]
    assert [len(item.measures) for item in plan.items] == [1, 1]


def test_a_plan_of_measures_under_each_problem_is_unchanged(form: Callable[[str], str]) -> None:
    """Problems whose measures sit under 整改措施 keep them; a later run is not their measures."""
    plan = read(
        form,
        "1.理论学习不深入。",
        "整改措施:",
        "(1)加强学习。",
        "2.制度执行不严格。",
        "整改措施:",
        "(1)严格执行。",
        "1.加强组织领导。",
        "2.强化督促检查。",
    )
    assert problems(plan) == ["理论学习不深入", "制度执行不严格"]
    assert [item.measures for item in plan.items] == [("加强学习。",), ("严格执行。",)]
    skipped = [w.params["excerpt"] for w in plan.warnings if w.code is C.NOT_AN_ITEM]
    assert [ascii_of(excerpt) for excerpt in skipped] == ["1.加强组织领导。", "2.强化督促检查。"]


def _ordinal_line(n: int) -> str:
    return f"{n}.第{n}个问题:党员学习记录不全,需要补齐第{n}项内容 责任人:张三 时限:月底前"


@pytest.mark.parametrize("count", range(1, 201))
def test_numbered_one_line_items_each_import(count: int) -> None:
    """N numbered one-line items (``第N个问题:`` and inline fields) are N items, read alike."""
    plan = parse_plan("\n".join(_ordinal_line(n) for n in range(1, count + 1)), reference_year=YEAR)
    assert [item.label for item in plan.items] == [f"{n}." for n in range(1, count + 1)]
    assert [item.problem for item in plan.items] == [
        f"第{n}个问题:党员学习记录不全,需要补齐第{n}项内容" for n in range(1, count + 1)
    ]
    assert {(item.owners, item.deadline_phrase) for item in plan.items} == {(("张三",), "月底前")}
    assert not [w for w in plan.warnings if w.code is not C.NO_MEASURES]


def test_item_99_among_ordinal_titles_is_kept(form: Callable[[str], str]) -> None:
    """``99.第99个问题:`` before ``100.第100个问题:`` is an item like its neighbours (was lost)."""
    plan = read(form, *(_ordinal_line(n) for n in range(96, 103)))
    assert [item.label for item in plan.items] == [f"{n}." for n in range(96, 103)]
    assert not [w for w in plan.warnings if w.code is C.NOT_AN_ITEM]


@pytest.mark.parametrize("title", ["第一个问题", "问题一", "问题3", "第2项问题"])
def test_an_ordinal_title_opens_no_part(title: str) -> None:
    """``第一个问题:`` / ``问题一:`` number one problem: the line is that problem, as typed."""
    plan = parse_plan(f"1.{title}:学习记录不全\n2.{title}:党费收缴不及时", reference_year=YEAR)
    assert problems(plan) == [f"{title}:学习记录不全", f"{title}:党费收缴不及时"]


def test_a_labelled_heading_before_a_sibling_item_keeps_its_content(
    form: Callable[[str], str],
) -> None:
    """The last ``2.学习问题:…`` before ``3.…`` still gives its text: the sibling is not in it."""
    plan = read(
        form,
        "1.学习问题:党员学习记录不全 责任人:张三",
        "2.学习问题:学习笔记缺失 责任人:张三",
        "3.组织生活的问题:三会一课不规范 责任人:张三",
    )
    assert [ascii_of(p) for p in problems(plan)] == [
        "党员学习记录不全",
        "学习笔记缺失",
        "组织生活的问题:三会一课不规范",
    ]
    assert not [w for w in plan.warnings if w.code is C.NOT_AN_ITEM]


def test_an_owners_username_with_an_underscore_is_no_placeholder(
    form: Callable[[str], str],
) -> None:
    """责任人:@li_si、xx keeps @li_si (``_`` in a username is no blank) and flags only xx."""
    plan = read(form, "(一)三会一课记录不规范", "责任人:@li_si、xx")
    assert plan.items[0].owners == ("@li_si",)
    flagged = [w.params["value"] for w in plan.warnings if w.code is C.PLACEHOLDER]
    assert flagged == ["xx"]
