"""The committee's mornings and Mondays: 督办 up the tree, 报送 across it, the weekly 通报.

The bot runs against the Telegram stand-in with its sweep paused; each test sets the clock
and runs the sweep job itself, as the scheduler would at that time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from playground.standin import SentMessage
from tests.e2e.test_tree_cascade import close_in_branch, dispatched_two_levels
from tests.e2e.tree_world import (
    BRANCH_11,
    BRANCH_12,
    BRANCH_21,
    BRANCH_22,
    COMMITTEE_1,
    COMMITTEE_2,
    DISTRICT,
    MEMBER,
    SECRETARY,
    Tree,
    tree,
)

__all__ = ["tree"]  # the fixture, used by name

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Shanghai as an aware UTC instant."""
    return datetime.combine(day, time(hour, minute), SHANGHAI).astimezone(UTC)


def texts(tree: Tree, chat: int, after: int) -> list[str]:
    """What the bot sent to ``chat`` since call ``after`` (plain text)."""
    sent: list[SentMessage] = tree.fake.sent_messages(chat)
    return [m.plain_text or "" for m in sent if m.call_index >= after]


async def morning(tree: Tree, day: date) -> int:
    """09:05 on ``day``: run the sweep; returns the call index before it (to read what came)."""
    tree.chat.clock.set(at(day, 9, 5))
    start = tree.fake.mark()
    await tree.sweep()
    return start


async def seed(tree: Tree) -> None:
    """On Monday 11-16, link the tree and register overdue-to-be items in three branches."""
    tree.chat.clock.set(at(date(2026, 11, 16), 10))
    await tree.link_all()
    await tree.say(BRANCH_11, MEMBER, "/problem 主题党日活动记录不全 @zhang 11月20日前")
    await tree.say(BRANCH_12, MEMBER, "/problem 党员档案未更新 @zhang 12月31日前")
    await tree.say(BRANCH_21, MEMBER, "/problem 活动场所改造 @zhang 11月19日前")


async def test_escalation_reaches_the_right_parent_once_a_day(tree: Tree) -> None:
    """Overdue 3 days: the committee's digest; weekly after; from 6 days the district's too."""
    await seed(tree)
    start = await morning(tree, date(2026, 11, 23))  # #1 of 第一党支部: 3 days overdue
    committee = "\n".join(texts(tree, COMMITTEE_1, start))
    assert "下级督办" in committee
    assert "第一党支部 #1 主题党日活动记录不全 — 逾期3天" in committee
    assert "活动场所改造" not in committee  # another committee's branch
    assert not [t for t in texts(tree, DISTRICT, start) if "下级督办" in t]
    again = tree.fake.mark()
    await tree.sweep()  # a second sweep the same morning sends nothing more
    assert texts(tree, COMMITTEE_1, again) == []
    next_day = await morning(tree, date(2026, 11, 24))
    assert not [t for t in texts(tree, COMMITTEE_1, next_day) if "下级督办" in t]
    district_day = await morning(tree, date(2026, 11, 26))  # 6 days: twice the threshold
    district = "\n".join(texts(tree, DISTRICT, district_day))
    assert "第一党支部 #1 主题党日活动记录不全 — 逾期6天" in district
    assert "实验学校党支部 #1 活动场所改造 — 逾期7天" not in district  # 7: not its day
    assert not [t for t in texts(tree, COMMITTEE_2, district_day) if "第一党支部 #1" in t]
    week_later = await morning(tree, date(2026, 11, 30))  # 10 days: a week after its first day
    assert "第一党支部 #1 主题党日活动记录不全 — 逾期10天" in "\n".join(
        texts(tree, COMMITTEE_1, week_later)
    )


async def test_report_day_across_the_tree(tree: Tree) -> None:
    """3 days before the 28th the committee hears who has not reported; on the 29th, who missed."""
    await seed(tree)
    start = await morning(tree, date(2026, 11, 25))
    committee = "\n".join(texts(tree, COMMITTEE_1, start))
    assert "尚未报送本月整改情况的支部" in committee
    assert "第一党支部:1项 #1" in committee
    assert "第二党支部:1项 #1" in committee
    tree.chat.clock.set(at(date(2026, 11, 27), 15))
    await tree.say(BRANCH_11, MEMBER, "/progress 1 已补齐记录")
    missed_day = await morning(tree, date(2026, 11, 29))
    missed = "\n".join(texts(tree, COMMITTEE_1, missed_day))
    assert "未按时报送的支部" in missed
    assert "第二党支部:1项" in missed
    assert "第一党支部:1项" not in missed


def _figures(line: str) -> tuple[int, ...]:
    """The numbers of a roll-up line: 共N项 · 本周销号N · 在办N · 逾期N · 整改率N%."""
    match = re.search(r"共(\d+)项 · 本周销号(\d+) · 在办(\d+) · 逾期(\d+) · 整改率(\d+)%", line)
    assert match is not None, line
    return tuple(int(group) for group in match.groups())


async def test_the_weekly_rollup_adds_up_and_can_be_posted_in_the_branches(tree: Tree) -> None:
    """Monday's 通报: a line per branch (their own figures), ranked, the total; posted below too."""
    await seed(tree)
    tree.chat.clock.set(at(date(2026, 11, 25), 10))
    await tree.say(BRANCH_12, MEMBER, "/problem 三会一课记录不规范 @zhang 月底前")
    await tree.say(BRANCH_12, MEMBER, "/done 2 已整改")
    await tree.say(BRANCH_12, SECRETARY[BRANCH_12], "/approve 2")
    await tree.say(COMMITTEE_2, SECRETARY[COMMITTEE_2], "/settings 下发通报 是")
    monday = await morning(tree, date(2026, 11, 30))
    summary = "\n".join(texts(tree, COMMITTEE_1, monday))
    lines = summary.splitlines()
    first = next(line for line in lines if "第一党支部:" in line and "共" in line)
    second = next(line for line in lines if "第二党支部:" in line and "共" in line)
    total = next(line for line in lines if line.startswith("合计"))
    assert lines.index(second) < lines.index(first)  # 50% ranks above 0%
    assert _figures(first) == (1, 0, 1, 1, 0)
    assert _figures(second) == (2, 1, 1, 0, 50)
    assert _figures(total) == (3, 1, 2, 1, 33)
    assert second.endswith("整改率50%(比上周↑50)")  # none of its items was closed a week ago
    assert first.endswith("整改率0%(与上周持平)")
    assert "最久未销号:第一党支部 #1 主题党日活动记录不全(逾期10天)" in lines
    assert "本级台账暂无事项,各支部情况见下。" in lines  # its own part says whose figures
    own = "\n".join(texts(tree, BRANCH_12, monday))
    assert "整改率 50%(1/2)" in own or "整改率50%(1/2)" in own
    district = "\n".join(texts(tree, DISTRICT, monday))
    assert "机关党委:共3项" in district  # a committee's line counts its whole subtree
    assert "教育党委:共1项" in district
    for branch in (BRANCH_21, BRANCH_22):
        bulletin = "\n".join(texts(tree, branch, monday))
        assert "📣 教育党委 整改通报" in bulletin
        assert "实验学校党支部:共1项" in bulletin
    assert not [t for t in texts(tree, BRANCH_11, monday) if "整改通报" in t]  # off by default
    typed = tree.fake.mark()
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/summary")
    asked = [line for text in texts(tree, COMMITTEE_1, typed) for line in text.splitlines()]
    assert next(line for line in asked if line.startswith("合计")) == total  # as on Monday


async def dispatched_and_closed_in_one(tree: Tree, deadline: str) -> None:
    """On Monday 11-16 机关党委 hands #1 to both its branches; 第一党支部 closes its copy."""
    tree.chat.clock.set(at(date(2026, 11, 16), 10))
    await tree.link_all()
    await tree.say(
        COMMITTEE_1,
        SECRETARY[COMMITTEE_1],
        f"/problem 三会一课记录不规范\n责任单位: 第一支部、第二支部\n时限: {deadline}",
    )
    await tree.say(BRANCH_11, SECRETARY[BRANCH_11], "/done 1 已补齐")
    await tree.say(BRANCH_11, SECRETARY[BRANCH_11], "/approve 1")


async def test_a_dispatched_item_names_its_open_branches_and_is_not_itself_escalated(
    tree: Tree,
) -> None:
    """The committee's own overdue line of a dispatched item: where it is open, no 🔴督办."""
    await dispatched_and_closed_in_one(tree, "11月18日前")
    start = await morning(tree, date(2026, 11, 21))  # three days overdue: 督办's first day
    digest = "\n".join(texts(tree, COMMITTEE_1, start))
    line = next(x for x in digest.splitlines() if x.startswith("  #1 三会一课记录不规范"))
    assert "逾期3天" in line
    assert "待销号:第二党支部" in line
    assert "督办" not in line
    assert "未指定" not in line
    assert "第二党支部 #1 三会一课记录不规范 — 逾期3天" in digest  # its copy, 下级督办


async def test_a_committees_stats_count_a_handed_down_item_once_per_branch(tree: Tree) -> None:
    """Dispatched to two branches, closed in one: /stats says 2 items, 1 closed (not 3 and 2)."""
    await dispatched_and_closed_in_one(tree, "月底前")
    stats = (await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/stats")).plain_text or ""
    assert "共2项" in stats
    assert "已销号1" in stats


async def test_a_roll_up_counts_an_item_handed_down_two_levels_once_per_branch(
    tree: Tree,
) -> None:
    """区委 → 机关党委 → two branches, both closed: the district's line says 2 items, 2 closed."""
    tree.chat.clock.set(at(date(2026, 11, 24), 10))
    await dispatched_two_levels(tree)
    for branch in (BRANCH_11, BRANCH_12):
        await close_in_branch(tree, branch)
    monday = await morning(tree, date(2026, 11, 30))
    district = "\n".join(texts(tree, DISTRICT, monday)).splitlines()
    line = next(x for x in district if "机关党委:" in x and "共" in x)
    assert _figures(line) == (2, 2, 0, 0, 100)
    total = next(x for x in district if x.startswith("合计"))
    assert _figures(total) == (2, 2, 0, 0, 100)
