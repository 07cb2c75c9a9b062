"""The committee tree's pure rules: codes, cycles, branch names and escalation days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.errors import UserError
from domain.tree import (
    CANDIDATE_BUTTONS,
    Branch,
    LinkCode,
    NameMatch,
    ancestors,
    best_candidates,
    check_link,
    check_link_code,
    chosen_branches,
    descendants,
    dispatch_args,
    escalates_today,
    escalation_level,
    format_link_code,
    is_link_code_shape,
    match_branch,
    match_units,
    name_key,
    names_branches,
    offered_candidates,
    read_link_code,
    report_missed_day,
    split_units,
)

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
FIRST = Branch(11, "第一党支部")
SECOND = Branch(12, "第二党支部")
RETIRED = Branch(13, "离退休党支部")
BRANCHES = (FIRST, SECOND, RETIRED)


def test_a_code_is_read_back_however_it_is_typed() -> None:
    """Case, full-width letters, spaces and the dash do not matter."""
    assert format_link_code("ABCDEFGH") == "ABCD-EFGH"
    for typed in ("ABCD-EFGH", "abcd efgh", "ＡＢＣＤ－ＥＦＧＨ", " abcdefgh "):
        assert read_link_code(typed) == "ABCDEFGH"
    assert is_link_code_shape("ABCDEFGH")
    assert not is_link_code_shape("ABCDEFG")
    assert not is_link_code_shape("ABCDEFG0")  # 0 is not in the alphabet


def test_a_code_is_single_use_and_expires() -> None:
    """Unknown, used and expired codes are refused, each with its own message."""
    fresh = LinkCode("ABCDEFGH", 1, NOW + timedelta(hours=24))
    assert check_link_code(fresh, NOW) == fresh
    cases = {
        None: "tree.error.code_unknown",
        LinkCode("ABCDEFGH", 1, NOW + timedelta(hours=1), used_at=NOW): "tree.error.code_used",
        LinkCode("ABCDEFGH", 1, NOW): "tree.error.code_expired",
    }
    for code, key in cases.items():
        with pytest.raises(UserError) as refused:
            check_link_code(code, NOW)
        assert refused.value.key == key


def test_the_tree_is_walked_up_and_down() -> None:
    """Ancestors nearest first; descendants breadth first; a corrupt cycle does not hang."""
    parent_of = {1: None, 2: 1, 3: 1, 4: 2, 5: 4}
    assert ancestors(5, parent_of) == [4, 2, 1]
    assert ancestors(1, parent_of) == []
    assert descendants(1, parent_of) == [2, 3, 4, 5]
    assert descendants(4, parent_of) == [5]
    assert ancestors(1, {1: 2, 2: 1}) == [2]


@pytest.mark.parametrize(
    ("parent", "child", "key"),
    [
        (1, 1, "tree.error.self"),
        (4, 1, "tree.error.cycle"),  # 1 is above 4: linking 1 under 4 closes a loop
        (3, 2, "tree.error.has_parent"),  # 2 already reports to 1
    ],
)
def test_links_that_break_the_tree_are_refused(parent: int, child: int, key: str) -> None:
    """A group never becomes its own ancestor, and has at most one parent."""
    parent_of = {1: None, 2: 1, 3: None, 4: 2}
    with pytest.raises(UserError) as refused:
        check_link(parent, child, parent_of)
    assert refused.value.key == key


def test_a_free_group_may_join_any_tree_depth() -> None:
    """Linking a group without a parent under a branch of a branch is fine."""
    check_link(4, 5, {1: None, 2: 1, 4: 2, 5: None})


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("第一支部", "第一党支部"),
        ("第1党支部", "第一党支部"),
        ("中共第一党支部", "第一党支部"),
        ("第 一 党支部。", "第一党支部"),
        ("ＢＲＡＮＣＨ 1", "branch1"),
    ],
)
def test_branch_names_are_compared_forgivingly(typed: str, same_as: str) -> None:
    """Width, case, spacing, punctuation, 党/中共 and digit style do not tell names apart."""
    assert name_key(typed) == name_key(same_as)


def test_a_name_names_one_branch_or_asks() -> None:
    """Exact keys win; a unique partial name matches; a name fitting several is ambiguous."""
    assert match_branch("第一支部", BRANCHES).branch == FIRST
    assert match_branch("离退休", BRANCHES).branch == RETIRED
    assert match_branch("党支部", BRANCHES).ambiguous
    assert match_branch("宣传部", BRANCHES).branches == ()
    assert match_branch("党", BRANCHES).branches == ()  # nothing left once 党 is dropped


def test_a_unit_value_may_name_several_branches() -> None:
    """、 , ; / and spaces separate names; unmatched names are reported, not dropped."""
    assert split_units("第一党支部、第二党支部,离退休党支部") == [
        "第一党支部",
        "第二党支部",
        "离退休党支部",
    ]
    matches = match_units("第一支部 第二支部 宣传部", BRANCHES)
    assert [m.branch for m in matches] == [FIRST, SECOND, None]
    assert names_branches("第一支部", BRANCHES)
    assert not names_branches("宣传部", BRANCHES)
    assert not names_branches("第一支部", ())


@pytest.mark.parametrize(("days", "level"), [(0, 0), (2, 0), (3, 1), (5, 1), (6, 2), (40, 2)])
def test_escalation_climbs_with_days_overdue(days: int, level: int) -> None:
    """督办 to the parent from escalate_after_days, to the grandparent from twice that."""
    assert escalation_level(days, 3) == level


def test_escalation_is_reported_on_the_day_and_weekly_after() -> None:
    """The parent hears on day 3, 10, 17 …; the grandparent on day 6, 13, 20 …."""
    parent_days = [d for d in range(30) if escalates_today(d, 3, 1)]
    grandparent_days = [d for d in range(30) if escalates_today(d, 3, 2)]
    assert parent_days == [3, 10, 17, 24]
    assert grandparent_days == [6, 13, 20, 27]


def test_the_day_after_the_report_day() -> None:
    """The 29th is the day after report day 28; month ends roll over."""
    assert report_missed_day(date(2026, 11, 29), 28)
    assert not report_missed_day(date(2026, 11, 28), 28)
    assert report_missed_day(date(2026, 12, 1), 1) is False
    assert report_missed_day(date(2026, 12, 2), 1)


def test_a_unit_with_offices_in_brackets_is_one_unit() -> None:
    """党办（组织科、宣传科） is one unit: 、 and spaces inside brackets do not separate."""
    assert split_units("党办（组织科、宣传科）") == ["党办（组织科、宣传科）"]
    assert split_units("党办(组织科, 宣传科)、第一党支部") == ["党办(组织科, 宣传科)", "第一党支部"]
    assert split_units("党办 （组织科 宣传科） 工会") == ["党办 （组织科 宣传科）", "工会"]


def test_an_ambiguous_name_offers_its_closest_candidates_first() -> None:
    """The exact name first, then the titles nearest in length; at most ``limit`` of them."""
    titles = ["实验学校一分校", "学校", "学校甲", "实验学校"]
    match = NameMatch("学校", tuple(Branch(i, title) for i, title in enumerate(titles)))
    assert [b.group_id for b in best_candidates(match, 3)] == [1, 2, 3]
    assert len(best_candidates(match)) == 4


def test_all_the_questions_together_stay_within_the_button_budget() -> None:
    """Eight buttons a name at most, and the later names get what is left of the total."""
    many = [Branch(i, f"第{i}党支部") for i in range(1, 61)]
    matches = [match_branch(name, many) for name in ("党支部", "支部", "第", "部")]
    offered = offered_candidates(matches, per_name=8, total=20)
    assert [len(shown) for _, shown in offered] == [8, 8, 4, 0]
    assert sum(len(shown) for _, shown in offered_candidates(matches * 30)) <= CANDIDATE_BUTTONS


def test_dispatch_takes_the_number_first_or_last() -> None:
    """/dispatch 12 一支部 二支部 and /dispatch 一支部 12 mean the same; no number is an error."""
    usage = "/dispatch 12 第一党支部"
    assert dispatch_args("＃12 第一党支部 第二党支部", usage) == (12, "第一党支部 第二党支部")
    assert dispatch_args("第一党支部 12", usage) == (12, "第一党支部")
    with pytest.raises(UserError) as raised:
        dispatch_args("第一党支部 第二党支部", usage)
    assert raised.value.params == {"given": "第一党支部", "example": usage}
    with pytest.raises(UserError):
        dispatch_args("12", usage)


@pytest.mark.parametrize("unit", ["各党支部", "各支部", "所属各党支部", "各党支部、第一党支部"])
def test_every_branch_named_at_once(unit: str) -> None:
    """责任单位:各党支部 hands the item to every branch."""
    branches = [Branch(1, "第一党支部"), Branch(2, "第二党支部")]
    assert chosen_branches(match_units(unit, branches)) == branches
