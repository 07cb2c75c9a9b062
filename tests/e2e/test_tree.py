"""The committee and its branches through the real Application: link, dispatch, 销号 upwards."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from openpyxl import load_workbook

from tests.e2e.conftest import START
from tests.e2e.tree_world import (
    BRANCH_11,
    BRANCH_12,
    BRANCH_21,
    BRANCH_22,
    COMMITTEE_1,
    COMMITTEE_2,
    DISTRICT,
    MEMBER,
    OTHER,
    SECRETARY,
    Tree,
    tree,
)

__all__ = ["tree"]  # the fixture, used by name

_CODE = re.compile(r"/join ([A-Z0-9]{4}-[A-Z0-9]{4})")
OTHER_SECRETARY = 300  # of a second, separate tree


def text_of(message: object) -> str:
    """The plain text of a sent message (or "")."""
    return getattr(message, "plain_text", None) or ""


async def code_from(tree: Tree, chat: int) -> str:
    """A fresh link code from ``chat``'s secretary."""
    issued = await tree.say(chat, SECRETARY[chat], "/link")
    match = _CODE.search(text_of(issued))
    assert match is not None, text_of(issued)
    return match.group(1)


async def test_linking_builds_the_tree_and_tells_both_sides(tree: Tree) -> None:
    """/link gives a code; /join CODE links the branch; the parent is told; /branches lists it."""
    joined = await tree.link(COMMITTEE_1, BRANCH_11)
    assert "已关联到上级党组织「机关党委」" in text_of(joined)
    told = tree.fake.last_message(COMMITTEE_1)
    assert "「第一党支部」已关联为本群的下级" in (told.plain_text or "")
    listed = await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/branches")
    assert "第一党支部" in text_of(listed)
    assert "总数0 · 在办0 · 逾期0 · 整改率0%" in text_of(listed)


async def test_bad_links_are_refused_with_a_clear_answer(tree: Tree) -> None:
    """Expired, reused, non-admin and cycle attempts are refused, each saying why."""
    code = await code_from(tree, COMMITTEE_1)
    not_admin = await tree.say(BRANCH_11, OTHER, f"/join {code}")
    assert "只有管理员" in text_of(not_admin)
    await tree.say(BRANCH_11, SECRETARY[BRANCH_11], f"/join {code}")
    reused = await tree.say(BRANCH_12, SECRETARY[BRANCH_12], f"/join {code}")
    assert "已经用过了" in text_of(reused)
    stale = await code_from(tree, COMMITTEE_1)
    tree.chat.clock.set(START + timedelta(hours=25))
    expired = await tree.say(BRANCH_12, SECRETARY[BRANCH_12], f"/join {stale}")
    assert "已过期" in text_of(expired)
    below = await code_from(tree, BRANCH_11)  # the branch's code, used by its own parent
    cycle = await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], f"/join {below}")
    assert "循环" in text_of(cycle)
    wrong = await tree.say(BRANCH_12, SECRETARY[BRANCH_12], "/join ZZZZ-ZZZZ")
    assert "关联码不正确" in text_of(wrong)
    second = await code_from(tree, COMMITTEE_2)
    twice = await tree.say(BRANCH_11, SECRETARY[BRANCH_11], f"/join {second}")
    assert "已关联上级党组织" in text_of(twice)


async def test_dispatch_by_problem_unit_creates_a_copy_in_each_branch(tree: Tree) -> None:
    """责任单位 naming two branches: each gets its own numbered copy and is asked to claim it."""
    await tree.link_all()
    await tree.say(BRANCH_11, SECRETARY[BRANCH_11], "/problem 支部自己的事项 月底前")  # #1 there
    reply = await tree.say(
        COMMITTEE_1,
        SECRETARY[COMMITTEE_1],
        "/problem 三会一课记录不规范\n责任单位: 第一支部、第二党支部\n时限: 月底前",
    )
    answer = text_of(reply)
    assert "已登记 #1 三会一课记录不规范" in answer
    assert "#1 已交办:第一党支部 #2、第二党支部 #1" in answer
    notice = tree.fake.last_message(BRANCH_11)
    assert "机关党委交办 #1,本支部登记为 #2" in (notice.plain_text or "")
    assert notice.button_texts == ["认领", "报进展", "申请销号"]
    copy = await tree.say(BRANCH_12, MEMBER, "/show 1")
    assert "交办:机关党委 #1" in text_of(copy)
    assert "2026-11-30" in text_of(copy)


async def test_an_ambiguous_branch_name_is_asked_about(tree: Tree) -> None:
    """党支部 fits both branches: the bot asks with buttons and dispatches only on a press."""
    await tree.link_all()
    reply = await tree.say(
        COMMITTEE_1, SECRETARY[COMMITTEE_1], "/problem 党员档案未更新\n责任单位: 党支部"
    )
    assert "可指多个支部" in text_of(reply)
    assert "已交办" not in text_of(reply)
    await tree.chat.press(COMMITTEE_1, reply.message_id, SECRETARY[COMMITTEE_1], "第二党支部")
    edited = tree.fake.message(COMMITTEE_1, reply.message_id)
    assert "已交办:第二党支部 #1" in edited["text"]
    assert "第二党支部" in (tree.fake.last_message(BRANCH_12).plain_text or "")


async def test_two_level_closing(tree: Tree) -> None:
    """Both branches close their copies: the committee's item closes itself, logged."""
    await tree.link_all()
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/problem 党费收缴不及时 月底前")
    sent = await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/dispatch 1 第一党支部 第二党支部")
    assert "#1 已交办:第一党支部 #1、第二党支部 #1" in text_of(sent)
    for branch in (BRANCH_11, BRANCH_12):
        await tree.say(branch, MEMBER, "/claim 1")
        await tree.say(branch, MEMBER, "/progress 1 已补齐台账")
        await tree.say(branch, MEMBER, "/done 1 已整改")
    halfway = await tree.say(BRANCH_11, SECRETARY[BRANCH_11], "/approve 1")
    assert "验收通过" in text_of(halfway)
    card = await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/show 1")
    assert "第一党支部 #1 ✅ 已销号 · 第二党支部 #1 🕓 待验收(已销号1/2)" in text_of(card)
    assert "已销号" not in text_of(card).splitlines()[0]  # one branch is still waiting
    # The committee's admin acts as an admin in the branch: it approves the second copy there.
    await tree.say(BRANCH_12, SECRETARY[COMMITTEE_1], "/approve 1")
    closed = await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/show 1")
    assert "✅ 已销号" in text_of(closed)
    assert "各支部均已销号,本事项随之销号" in text_of(closed)


async def test_the_committee_may_accept_directly(tree: Tree) -> None:
    """/approve on a dispatched item that is still open closes it and its open copies."""
    await tree.link_all()
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/problem 谈心谈话记录未归档 月底前")
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/dispatch 1 第一党支部")
    accepted = await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/approve 1 经检查已整改")
    assert "验收通过" in text_of(accepted)
    copy = await tree.say(BRANCH_11, MEMBER, "/show 1")
    assert "✅ 已销号" in text_of(copy)
    assert "随机关党委验收一并销号" in text_of(copy)


async def test_committee_views_cover_the_subtree_and_branches_see_only_their_own(
    tree: Tree,
) -> None:
    """/list, /show 第一党支部#N, /stats and /export in a committee; no item leaks sideways."""
    await tree.link_all()
    await tree.say(BRANCH_11, MEMBER, "/problem 第一支部的问题 月底前")
    await tree.say(BRANCH_12, MEMBER, "/problem 第二支部的问题 月底前")
    await tree.say(BRANCH_21, MEMBER, "/problem 另一棵树上的问题 月底前")
    listed = text_of(await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/list"))
    assert "[第一党支部] #1 第一支部的问题" in listed
    assert "[第二党支部] #1 第二支部的问题" in listed
    assert "另一棵树" not in listed
    district = text_of(await tree.say(DISTRICT, SECRETARY[DISTRICT], "/list"))
    assert "另一棵树上的问题" in district
    assert "第一支部的问题" in district
    shown = text_of(await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/show 第二支部#1"))
    assert "第二支部的问题" in shown
    assert "请在第二党支部群里办理" in shown
    refused = text_of(await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/show 实验学校党支部#1"))
    assert "本群下级中没有" in refused
    sideways = text_of(await tree.say(BRANCH_11, MEMBER, "/list all"))
    assert "第二支部的问题" not in sideways
    stats = text_of(await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/stats"))
    assert "共2项" in stats
    assert "按支部:" in stats
    await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/export")
    document = tree.fake.documents(COMMITTEE_1)[-1].document
    assert document is not None
    workbook = load_workbook(io.BytesIO(document.content))
    sheet = workbook["整改台账"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["序号", "编号", "支部"]
    assert {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        "第一党支部",
        "第二党支部",
    }
    rows = [row for row in workbook["统计"].iter_rows(values_only=True) if row and row[0]]
    by_branch = [row[0] for row in rows[[row[0] for row in rows].index("支部") + 1 :]]
    assert by_branch[:2] == ["第一党支部", "第二党支部"]  # 统计 by branch
    progress = workbook["推进记录"]  # two #1s: the 支部 tells them apart
    assert [cell.value for cell in progress[1]][:2] == ["编号", "支部"]
    assert {row[1] for row in progress.iter_rows(min_row=2, values_only=True)} == {
        "第一党支部",
        "第二党支部",
    }


async def test_unlinking_takes_a_branch_out_of_the_committee(tree: Tree) -> None:
    """After /unlink the committee no longer sees the branch's items; the branch keeps them."""
    await tree.link_all()
    await tree.say(BRANCH_22, MEMBER, "/problem 第三中学的问题 月底前")
    before = text_of(await tree.say(COMMITTEE_2, SECRETARY[COMMITTEE_2], "/list"))
    assert "第三中学的问题" in before
    unlinked = await tree.say(COMMITTEE_2, SECRETARY[COMMITTEE_2], "/unlink 第三中学")
    assert "已解除" in text_of(unlinked)
    after = text_of(await tree.say(COMMITTEE_2, SECRETARY[COMMITTEE_2], "/list"))
    assert "第三中学的问题" not in after
    own = text_of(await tree.say(BRANCH_22, MEMBER, "/list"))
    assert "第三中学的问题" in own


async def test_a_committees_import_dispatches_by_unit(tree: Tree) -> None:
    """A committee's /import: the preview names each item's branches, then confirming dispatches.

    Units that are no branch, or fit several, are said in the preview; each branch gets one
    message listing what it received.
    """
    await tree.link_all()
    plan = (
        "/import\n"
        "(一)三会一课记录不规范\n整改措施:1.建立会议记录台账\n责任单位:第一支部、第二支部\n落实时限:月底前\n"
        "(二)党费收缴不及时\n整改措施:1.建立党费台账\n责任单位:宣传部\n落实时限:年底前\n"
        "(三)党员档案未更新\n整改措施:1.逐人核对\n责任单位:党支部\n落实时限:年底前\n"
    )
    preview = await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], plan)
    shown = text_of(preview)
    assert "第1项:交办第一党支部、第二党支部" in shown
    assert "第2项:“宣传部”不是本群的下级支部" in shown
    assert "第3项:“党支部”可指多个支部" in shown
    assert "例如:3 责任单位 第一党支部" in shown  # a full name to reply with
    await tree.chat.press(COMMITTEE_1, preview.message_id, SECRETARY[COMMITTEE_1], "确认导入")
    await tree.chat.settle()
    first = text_of(tree.fake.last_message(BRANCH_11))
    assert "机关党委交办1项" in first
    assert "#1 三会一课记录不规范(交办 #1)" in first
    assert "/claim 1" in first
    card = text_of(await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], "/show 1"))
    assert "第一党支部 #1" in card
    assert "第二党支部 #1" in card
    untouched = text_of(await tree.say(BRANCH_12, MEMBER, "/list all"))
    assert "党费收缴不及时" not in untouched
    assert "党员档案未更新" not in untouched


async def test_a_unit_with_offices_in_brackets_is_not_split(tree: Tree) -> None:
    """责任单位:第一支部（组织委员、宣传委员） is one unit, the first branch: no split inside."""
    await tree.link_all()
    plan = (
        "/import\n"
        "(一)三会一课记录不规范\n整改措施:1.建立会议记录台账\n"
        "责任单位:第一支部（组织委员、宣传委员）\n落实时限:月底前\n"
    )
    preview = await tree.say(COMMITTEE_1, SECRETARY[COMMITTEE_1], plan)
    shown = text_of(preview)
    assert "第1项:交办第一党支部" in shown
    assert "宣传委员）”" not in shown


async def test_a_branch_that_became_a_supergroup_unnoticed_still_gets_its_copy(
    tree: Tree,
) -> None:
    """A notice refused with migrate_to_chat_id goes to the new id, and the branch follows."""
    basic, upgraded, secretary = -4001, -1_004_001, SECRETARY[COMMITTEE_1]
    await tree.add_group(basic, "第三党支部", secretary, parent=COMMITTEE_1, basic=True)
    updater = tree.chat.runtime.application.updater
    assert updater is not None
    await updater.stop()
    tree.fake.migrate_group(basic, upgraded, by_user_id=secretary)
    tree.fake.world.drop_pending()  # the bot never reads the migration's service messages
    await updater.start_polling(poll_interval=0, timeout=1)
    await tree.say(COMMITTEE_1, secretary, "/problem 三会一课记录不规范 月底前")
    typed = tree.fake.mark()
    await tree.say(COMMITTEE_1, secretary, "/dispatch 1 第三党支部")
    refused = [c for c in tree.fake.calls_to("sendMessage") if c.index >= typed and c.status == 400]
    assert len(refused) == 1
    assert "机关党委交办 #1" in text_of(tree.fake.last_message(upgraded))
    copy = await tree.say(upgraded, secretary, "/show 1")
    assert "交办:机关党委 #1" in text_of(copy)


async def test_an_ambiguous_branch_is_named_in_the_groups_language(tree: Tree) -> None:
    """/show 党支部#1 in a committee: which branches it could mean, listed as the language lists."""
    await tree.link_all()
    secretary = SECRETARY[COMMITTEE_1]
    asked = text_of(await tree.say(COMMITTEE_1, secretary, "/show 党支部#1"))
    assert "第一党支部、第二党支部" in asked
    await tree.say(COMMITTEE_1, secretary, "/lang en")
    asked = text_of(await tree.say(COMMITTEE_1, secretary, "/show 党支部#1"))
    assert "第一党支部, 第二党支部" in asked


async def test_a_committee_that_removed_the_bot_is_not_asked_about_its_admins(tree: Tree) -> None:
    """A committee that removed the bot is not asked (a 403 on every command of its branches)."""
    await tree.link_all()
    await tree.say(BRANCH_11, MEMBER, "/problem 支部自己的事项 月底前")
    tree.fake.remove_bot_from_group(COMMITTEE_1, SECRETARY[COMMITTEE_1])
    await tree.chat.settle()
    asked = tree.fake.mark()
    refused = text_of(await tree.say(BRANCH_11, OTHER, "/delete 1"))
    assert "只有" in refused
    later = [c for c in tree.fake.calls_to("getChatAdministrators") if c.index >= asked]
    assert str(COMMITTEE_1) not in {str(c.params.get("chat_id")) for c in later}


async def test_a_pressed_branch_keeps_the_other_names_question(tree: Tree) -> None:
    """B11: 党支部 and 党小组 both ambiguous; choosing for one leaves the other's buttons."""
    await tree.link_all()
    secretary = SECRETARY[COMMITTEE_1]
    await tree.add_group(-5001, "第一党小组", secretary, parent=COMMITTEE_1)
    await tree.add_group(-5002, "第二党小组", secretary, parent=COMMITTEE_1)
    reply = await tree.say(
        COMMITTEE_1, secretary, "/problem 党员档案未更新\n责任单位: 党支部、党小组\n时限: 月底前"
    )
    assert text_of(reply).count("可指多个支部") == 2
    await tree.chat.press(COMMITTEE_1, reply.message_id, secretary, "第二党支部")
    edited = tree.fake.message(COMMITTEE_1, reply.message_id)
    assert "已交办:第二党支部 #1" in edited["text"]
    labels = [b["text"] for row in edited["reply_markup"]["inline_keyboard"] for b in row]
    assert {"第一党小组", "第二党小组"} <= set(labels)  # still asked about 党小组
    assert "第一党支部" not in labels  # 党支部 is answered
    await tree.chat.press(COMMITTEE_1, reply.message_id, secretary, "第一党小组")
    edited = tree.fake.message(COMMITTEE_1, reply.message_id)
    assert "第二党支部 #1" in edited["text"]
    assert "第一党小组 #1" in edited["text"]
    assert "可指多个支部" not in edited["text"]


async def test_two_trees_never_see_each_other(tree: Tree) -> None:
    """A second, separate tree (街道党工委 → 社区党支部): no list, show or dispatch crosses over."""
    await tree.link_all()
    other, community, secretary = -6000, -6001, OTHER_SECRETARY
    tree.fake.add_user(secretary, "街道书记", username="street")
    await tree.add_group(other, "街道党工委", secretary)
    await tree.add_group(community, "社区党支部", secretary, parent=other)
    await tree.say(community, secretary, "/problem 社区的问题 月底前")
    await tree.say(BRANCH_11, MEMBER, "/problem 区里支部的问题 月底前")
    theirs = text_of(await tree.say(other, secretary, "/list all"))
    assert "社区的问题" in theirs
    assert "区里支部的问题" not in theirs
    ours = text_of(await tree.say(DISTRICT, SECRETARY[DISTRICT], "/list all"))
    assert "区里支部的问题" in ours
    assert "社区的问题" not in ours
    refused = text_of(await tree.say(other, secretary, "/show 第一党支部#1"))
    assert "区里支部的问题" not in refused
    peek = text_of(await tree.say(DISTRICT, SECRETARY[DISTRICT], "/show 社区党支部#1"))
    assert "社区的问题" not in peek
    await tree.say(other, secretary, "/problem 街道交办的问题 月底前")
    sent = text_of(await tree.say(other, secretary, "/dispatch 1 第一党支部"))
    assert "已交办" not in sent
    assert "社区党支部" in sent  # its own branches are named instead
    assert "街道交办的问题" not in text_of(await tree.say(BRANCH_11, MEMBER, "/list all"))


async def test_branches_shows_the_totals_of_the_branches_below(tree: Tree) -> None:
    """/branches in the district: each committee's own line and its two branches' totals."""
    await tree.link_all()
    await tree.say(BRANCH_11, MEMBER, "/problem 第一支部的问题 @zhang 月底前")
    await tree.say(BRANCH_12, MEMBER, "/problem 第二支部的问题 @zhang 月底前")
    await tree.say(BRANCH_12, MEMBER, "/done 1 已整改")
    await tree.say(BRANCH_12, SECRETARY[BRANCH_12], "/approve 1")
    shown = text_of(await tree.say(DISTRICT, SECRETARY[DISTRICT], "/branches")).splitlines()
    below = shown[shown.index(next(line for line in shown if "机关党委" in line)) + 1]
    assert below.startswith("  其下级2个:")
    assert "总数2 · 在办1" in below
    assert "整改率50%" in below
    tree.fake.add_member(COMMITTEE_1, MEMBER)
    mine = text_of(await tree.say(COMMITTEE_1, MEMBER, "/mine"))
    assert "第一支部的问题" in mine  # a committee's /mine covers its branches


async def test_a_unit_of_every_branch_hands_the_item_to_each(tree: Tree) -> None:
    """责任单位:各党支部 in a committee: every branch gets its copy."""
    await tree.link_all()
    reply = await tree.say(
        COMMITTEE_1,
        SECRETARY[COMMITTEE_1],
        "/problem 学习记录不全\n责任单位: 各党支部\n时限: 月底前",
    )
    assert "#1 已交办:第一党支部 #1、第二党支部 #1" in text_of(reply)
