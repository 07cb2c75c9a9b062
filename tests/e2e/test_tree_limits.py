"""A committee with 80 branches through the real bot: every answer fits, no branch is lost.

The stand-in refuses what Telegram refuses (over 4,096 UTF-16 units, bad HTML, over 100
buttons), so a message that did not fit would fail the command; these tests add that every
branch is still named somewhere in what the committee reads. The branches are linked and
filled through the services (one command each would take minutes at Telegram's rates).
"""

from __future__ import annotations

import re
from datetime import date

from domain.items import Actor
from domain.problem_form import read_problem
from tests.e2e.test_tree_reminders import at
from tests.e2e.tree_world import COMMITTEE_1, SECRETARY, Tree, tree

__all__ = ["tree"]  # the fixture, used by name

BRANCHES = 80
FIRST_BRANCH = -7000
LONG = "(机关第{n}联合党支部·综合办公室、财务科、后勤保障中心及离退休干部工作处)"


def branch_title(n: int) -> str:
    """A long, realistic branch name with a number to find it by."""
    return f"第{n}党支部" + LONG.format(n=n)


async def eighty_branches(tree: Tree) -> None:
    """80 branches below 机关党委, each with three items, one of them overdue."""
    services, secretary = tree.chat.runtime.services, SECRETARY[COMMITTEE_1]
    admin = Actor(secretary, "机关党委书记", is_admin=True)
    for n in range(1, BRANCHES + 1):
        chat_id = FIRST_BRANCH - n
        tree.fake.add_group(chat_id, branch_title(n))
        tree.fake.add_member(chat_id, secretary)
        tree.fake.make_admin(chat_id, secretary, status="creator")
        await services.groups.bot_added(chat_id, "supergroup", branch_title(n))
        code = await services.tree.issue_code(COMMITTEE_1, admin)
        await services.tree.join(chat_id, admin, code.code)
        for k, deadline in enumerate(("2026-11-20", "月底前", "长期坚持"), 1):
            text = f"第{n}支部问题{k}<三会一课>记录不规范,会议记录缺少签到表 & 通报 {deadline}"
            await services.ledger.register(chat_id, admin, read_problem(text, (), tree_today()))


def tree_today() -> date:
    """The day the tree fixture's clock starts on."""
    return date(2026, 11, 26)


def named(texts: list[str]) -> set[int]:
    """The branch numbers named in these messages."""
    return {int(n) for text in texts for n in re.findall(r"第(\d+)党支部", text)}


def committee_texts(tree: Tree, after: int) -> list[str]:
    """What the committee's group received after call index ``after``."""
    return [
        m.plain_text or "" for m in tree.fake.sent_messages(COMMITTEE_1) if m.call_index >= after
    ]


async def test_a_committee_of_80_branches_reads_every_branch(tree: Tree) -> None:
    """/branches and Monday's 通报 name all 80 branches, /stats ten and how many more."""
    await eighty_branches(tree)
    secretary = SECRETARY[COMMITTEE_1]
    start = tree.fake.mark()
    await tree.say(COMMITTEE_1, secretary, "/branches")
    assert named(committee_texts(tree, start)) == set(range(1, BRANCHES + 1))
    start = tree.fake.mark()
    await tree.say(COMMITTEE_1, secretary, "/stats")
    stats = committee_texts(tree, start)
    assert named(stats) == set(range(1, 11))  # the first ten, in number order …
    assert "……另有70项,完整统计见 /export" in "\n".join(stats)  # … and how many more
    tree.chat.clock.set(at(date(2026, 11, 30), 9, 5))
    start = tree.fake.mark()
    await tree.sweep()
    monday = committee_texts(tree, start)
    assert len(monday) > 1  # split, not cut
    assert named(monday) == set(range(1, BRANCHES + 1))
    assert any(text.startswith("合计") for m in monday for text in m.splitlines())


async def test_dispatching_to_80_branches_fits_and_every_branch_gets_its_copy(
    tree: Tree,
) -> None:
    """/dispatch N to 80 branches: the answer and the card fit, and each branch is told."""
    await eighty_branches(tree)
    secretary = SECRETARY[COMMITTEE_1]
    await tree.say(COMMITTEE_1, secretary, "/problem 党员档案未及时更新 月底前")
    names = " ".join(f"第{n}党支部" + LONG.format(n=n) for n in range(1, BRANCHES + 1))
    start = tree.fake.mark()
    await tree.say(COMMITTEE_1, secretary, f"/dispatch 1 {names}")
    answer = committee_texts(tree, start)
    assert named(answer) == set(range(1, BRANCHES + 1))
    for n in range(1, BRANCHES + 1):
        notice = tree.fake.last_message(FIRST_BRANCH - n).plain_text or ""
        assert "机关党委交办 #1,本支部登记为 #4" in notice, n
    start = tree.fake.mark()
    await tree.say(COMMITTEE_1, secretary, "/show 1")
    assert named(committee_texts(tree, start)) == set(range(1, BRANCHES + 1))  # split, not cut
