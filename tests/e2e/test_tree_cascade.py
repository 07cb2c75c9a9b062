"""交办 at any depth through the real Application: what a change of one item does to the others."""

from __future__ import annotations

import pytest

import services.dispatch
from domain.errors import UserError
from tests.e2e.tree_world import (
    BRANCH_11,
    BRANCH_12,
    COMMITTEE_1,
    DISTRICT,
    MEMBER,
    SECRETARY,
    Tree,
    tree,
)

__all__ = ["tree"]  # the fixture, used by name


def text_of(message: object) -> str:
    """The plain text of a sent message (or "")."""
    return getattr(message, "plain_text", None) or ""


async def show(tree: Tree, chat: int, number: int = 1) -> str:
    """The card of item ``number`` in ``chat``, as its secretary sees it."""
    return text_of(await tree.say(chat, SECRETARY[chat], f"/show {number}"))


def headline(card: str) -> str:
    """The card's first line (where its state is)."""
    return card.splitlines()[0]


async def dispatched_two_levels(tree: Tree) -> None:
    """区委 #1 → 机关党委 #1 → 第一党支部 #1 and 第二党支部 #1."""
    await tree.link_all()
    await tree.say(DISTRICT, SECRETARY[DISTRICT], "/problem 党费收缴不及时 月底前")
    await tree.say(DISTRICT, SECRETARY[DISTRICT], "/dispatch 1 机关党委")
    sent = await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/dispatch 1 第一党支部 第二党支部")
    assert "#1 已交办:第一党支部 #1、第二党支部 #1" in text_of(sent)


async def committee_dispatched(tree: Tree) -> None:
    """机关党委 #1 → 第一党支部 #1 and 第二党支部 #1 (the district is not involved)."""
    await tree.link_all()
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/problem 谈心谈话记录未归档 月底前")
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/dispatch 1 第一党支部 第二党支部")


async def close_in_branch(tree: Tree, branch: int) -> None:
    """The branch's member reports 销号 and its secretary accepts it."""
    await tree.say(branch, MEMBER, "/claim 1")
    await tree.say(branch, MEMBER, "/done 1 已整改")
    accepted = await tree.say(branch, SECRETARY[branch], "/approve 1")
    assert "验收通过" in text_of(accepted)


async def test_branches_closing_close_the_committee_and_then_the_district(tree: Tree) -> None:
    """B3: three levels: the last branch's 销号 closes the committee's copy, then the district's."""
    await dispatched_two_levels(tree)
    await close_in_branch(tree, BRANCH_11)
    assert "已销号" not in headline(await show(tree, DISTRICT))
    await close_in_branch(tree, BRANCH_12)
    committee = await show(tree, COMMITTEE_1)
    assert "✅ 已销号" in headline(committee)
    district = await show(tree, DISTRICT)
    assert "✅ 已销号" in headline(district)
    assert "各支部均已销号,本事项随之销号" in district


async def test_a_branch_reopening_reopens_every_level_above(tree: Tree) -> None:
    """B3: a reopened branch copy reopens the committee's copy and the district's item."""
    await dispatched_two_levels(tree)
    await close_in_branch(tree, BRANCH_11)
    await close_in_branch(tree, BRANCH_12)
    assert "✅ 已销号" in headline(await show(tree, DISTRICT))
    await tree.say(BRANCH_12, SECRETARY[BRANCH_12], "/reopen 1 材料不全")
    assert "已销号" not in headline(await show(tree, COMMITTEE_1))
    assert "已销号" not in headline(await show(tree, DISTRICT))


async def test_approving_at_the_top_closes_every_level_below(tree: Tree) -> None:
    """B3: the district accepts its item: the committee's copy and both branches' close."""
    await dispatched_two_levels(tree)
    accepted = await tree.say(DISTRICT, SECRETARY[DISTRICT], "/approve 1 经检查已整改")
    assert "验收通过" in text_of(accepted)
    for chat in (COMMITTEE_1, BRANCH_11, BRANCH_12):
        assert "✅ 已销号" in headline(await show(tree, chat)), chat
    assert "随机关党委验收一并销号" in await show(tree, BRANCH_11)


async def test_done_without_approval_closes_the_copies(tree: Tree) -> None:
    """B4: in a committee that needs no approval, /done closes the item and its open copies."""
    await committee_dispatched(tree)
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/settings require_approval off")
    done = await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/done 1 已整改")
    assert "已销号" in text_of(done)
    for branch in (BRANCH_11, BRANCH_12):
        assert "✅ 已销号" in headline(await show(tree, branch)), branch


async def test_a_copy_closed_by_the_committee_withdraws_its_extension_request(
    tree: Tree,
) -> None:
    """B5: the copy's waiting 延期申请 is withdrawn, its buttons go; the branch is told."""
    await committee_dispatched(tree)
    await tree.say(BRANCH_11, MEMBER, "/claim 1")
    request = await tree.say(BRANCH_11, MEMBER, "/extend 1 12月31日前 等待上级批复")
    assert tree.fake.message(BRANCH_11, request.message_id).get("reply_markup")
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/approve 1 经检查已整改")
    notice = text_of(tree.fake.last_message(BRANCH_11))
    assert "机关党委已销号 #1,本支部的 #1 随之销号" in notice
    assert not tree.fake.message(BRANCH_11, request.message_id).get("reply_markup")
    card = await show(tree, BRANCH_11)
    assert "待审批" not in card
    assert "2026-11-30" in card  # the deadline asked for was not granted


async def test_restoring_an_open_copy_reopens_the_committees_item(tree: Tree) -> None:
    """B5: one branch closed, the other deleted its copy (the item closed); restored, it reopens."""
    await committee_dispatched(tree)
    await close_in_branch(tree, BRANCH_11)
    await tree.say(BRANCH_12, SECRETARY[BRANCH_12], "/delete 1")
    assert "✅ 已销号" in headline(await show(tree, COMMITTEE_1))
    await tree.say(BRANCH_12, SECRETARY[BRANCH_12], "/undelete 1")
    card = await show(tree, COMMITTEE_1)
    assert "已销号" not in headline(card)
    assert "因第二党支部 #1重新打开" in card


async def test_the_committees_edits_reach_the_open_copies(tree: Tree) -> None:
    """B13: /edit 问题 and 措施 and /due of the committee's item reach each open copy, logged."""
    await committee_dispatched(tree)
    await close_in_branch(tree, BRANCH_12)  # closed: it keeps what it was closed with
    committee = SECRETARY[COMMITTEE_1]
    await tree.say(COMMITTEE_1, committee, "/edit 1 问题 谈心谈话记录未按月归档")
    await tree.say(COMMITTEE_1, committee, "/edit 1 措施 逐月归档;建立台账")
    closed_branch_heard = len(tree.fake.sent_messages(BRANCH_12))
    await tree.say(COMMITTEE_1, committee, "/due 1 2026-12-20")
    notice = text_of(tree.fake.last_message(BRANCH_11))
    assert "✏️ 机关党委修改了 #1,本支部的 #1 已随之更新:/show 1" in notice
    assert len(tree.fake.sent_messages(BRANCH_12)) == closed_branch_heard  # closed: not told
    copy = await show(tree, BRANCH_11)
    assert "谈心谈话记录未按月归档" in copy
    assert "建立台账" in copy
    assert "2026-12-20" in copy
    assert "随机关党委将问题由" in copy
    closed = await show(tree, BRANCH_12)
    assert "谈心谈话记录未按月归档" not in closed
    assert "2026-12-20" not in closed


async def test_deleting_the_committees_item_deletes_and_restores_its_open_copies(
    tree: Tree,
) -> None:
    """B13: /delete takes the open copies with it, logged; /undelete brings them back."""
    await committee_dispatched(tree)
    await close_in_branch(tree, BRANCH_12)
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/delete 1")
    notice = text_of(tree.fake.last_message(BRANCH_11))
    assert "🗑 机关党委已删除 #1,本支部的 #1 随之删除。" in notice
    gone = text_of(await tree.say(BRANCH_11, MEMBER, "/show 1"))
    assert "已删除" in gone
    assert "✅ 已销号" in headline(await show(tree, BRANCH_12))  # a closed copy stays
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/undelete 1")
    assert "♻️ 机关党委已恢复 #1" in text_of(tree.fake.last_message(BRANCH_11))
    back = await show(tree, BRANCH_11)
    assert "谈心谈话记录未归档" in headline(back)
    assert "随机关党委删除事项" in back
    assert "随机关党委恢复事项" in back


async def test_an_item_and_its_copies_are_registered_together(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B7: when handing down fails, the committee's /problem leaves no item behind."""
    await tree.link_all()

    async def failing(*args: object, **kwargs: object) -> object:
        raise UserError("tree.error.no_branches")

    monkeypatch.setattr(services.dispatch, "hand_down", failing)
    await tree.say(
        COMMITTEE_1, SECRETARY[COMMITTEE_1], "/problem 三会一课记录不规范\n责任单位: 第一党支部"
    )
    missing = text_of(await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/show 1"))
    assert "没有" in missing


async def test_reopening_at_the_top_reopens_the_copies_and_tells_the_branches(tree: Tree) -> None:
    """The district reopens its closed item: the copies below open again, each branch told."""
    await dispatched_two_levels(tree)
    await tree.say(DISTRICT, SECRETARY[DISTRICT], "/approve 1 经检查已整改")
    await tree.say(DISTRICT, SECRETARY[DISTRICT], "/reopen 1 问题反弹")
    assert "🔄 机关党委重新打开了 #1,本支部的 #1 随之重新打开" in text_of(
        tree.fake.last_message(BRANCH_11)
    )
    for chat in (COMMITTEE_1, BRANCH_11, BRANCH_12):
        assert "已销号" not in headline(await show(tree, chat)), chat
    assert "随机关党委重新打开事项" in await show(tree, BRANCH_11)  # logged as following
    await close_in_branch(tree, BRANCH_11)
    await close_in_branch(tree, BRANCH_12)
    assert "✅ 已销号" in headline(await show(tree, DISTRICT))  # it can close itself again


async def test_the_committees_new_deadline_withdraws_a_copys_extension_request(
    tree: Tree,
) -> None:
    """A branch asks to extend; the committee's /due moves the copy and answers the request."""
    await committee_dispatched(tree)
    await tree.say(BRANCH_11, MEMBER, "/claim 1")
    request = await tree.say(BRANCH_11, MEMBER, "/extend 1 12月15日前 需要时间")
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/due 1 12月20日前")
    assert not tree.fake.message(BRANCH_11, request.message_id).get("reply_markup")
    card = await show(tree, BRANCH_11)
    assert "2026-12-20" in card
    assert "待审批" not in card


async def test_a_copy_the_committee_deleted_is_restored_only_by_the_committee(tree: Tree) -> None:
    """The branch's /undelete of a copy deleted with the committee's item is refused."""
    await committee_dispatched(tree)
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/delete 1")
    refused = text_of(await tree.say(BRANCH_11, SECRETARY[BRANCH_11], "/undelete 1"))
    assert "#1 是随上级事项一并删除的,只能由上级恢复" in refused
    assert "已删除" in text_of(await tree.say(BRANCH_11, MEMBER, "/show 1"))


async def test_a_copy_deleted_in_the_branch_and_handed_down_again_is_not_restored_twice(
    tree: Tree,
) -> None:
    """The branch deletes its copy, the committee dispatches again: the old one stays deleted."""
    await committee_dispatched(tree)
    await tree.say(BRANCH_11, SECRETARY[BRANCH_11], "/delete 1")
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/dispatch 1 第一党支部")
    refused = text_of(await tree.say(BRANCH_11, SECRETARY[BRANCH_11], "/undelete 1"))
    assert "#1 不能恢复:上级已将同一事项再次交办给本支部,现为 #2" in refused
    card = await show(tree, COMMITTEE_1)
    assert card.count("第一党支部 #") == 1


async def test_a_new_unit_on_a_handed_down_item_says_how_to_hand_it_on(tree: Tree) -> None:
    """/edit 1 责任单位 on a dispatched item: the copies stay, and the answer names /dispatch."""
    await committee_dispatched(tree)
    edited = text_of(await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/edit 1 责任单位 组织科"))
    assert "已交办的支部不变。要交给其他支部,请发送:/dispatch 1 支部名称" in edited
