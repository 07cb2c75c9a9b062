"""The ledger worked from the chat: every command and button, both languages, bad input."""

from __future__ import annotations

from datetime import date

from domain.items import Actor
from domain.problem_form import read_problem
from tests.e2e.conftest import ADMIN, ADMIN_B, BYSTANDER, GROUP_A, GROUP_B, OWNER, Chat


async def register(chat: Chat, text: str = "/problem 三会一课记录不规范 @zhang 月底前") -> str:
    """Register an item in group A (the owner writes first so @zhang is known)."""
    await chat.say(GROUP_A, OWNER, "/help")
    reply = await chat.say(GROUP_A, ADMIN, text)
    return reply.plain_text or ""


async def test_problem_one_line_form(chat: Chat) -> None:
    """One line: text, @owner and deadline anywhere; the card echoes date, weekday and phrase."""
    text = await register(chat)
    assert "已登记 #1 三会一课记录不规范" in text
    assert "2026-11-30(周一)〔月底前〕 还剩4天" in text
    assert "@zhang" in text
    assert "🟡 临期" in text


async def test_problem_labelled_form(chat: Chat) -> None:
    """Labelled lines in any order with full-width colons and measures become a full card."""
    text = await register(
        chat,
        "/problem 党费收缴不及时\n责任人：@zhang 李四\n总负责人: 王书记\n责任单位：第一党支部\n"
        "时限: 12月31日前\n类别: 组织建设\n措施: 1.建立党费台账 2.每月10号前提醒缴纳",
    )
    assert "#1 党费收缴不及时" in text
    assert "2026-12-31(周四)〔12月31日前〕 还剩35天" in text
    assert "李四(未关联账号)" in text
    assert "总负责人:王书记" in text
    assert "① 建立党费台账 ② 每月10号前提醒缴纳" in text


async def test_problem_as_a_reply(chat: Chat) -> None:
    """Replying to a message with /problem 时限 makes its text the problem, its author the owner."""
    message = chat.fake.send_text(GROUP_A, OWNER, "消防通道堆放杂物")
    reply = await chat.say(GROUP_A, ADMIN, "/problem 下周五前", reply_to=message["message_id"])
    assert "#1 消防通道堆放杂物" in (reply.plain_text or "")
    assert "2026-12-04" in (reply.plain_text or "")
    assert "@zhang" in (reply.plain_text or "")


async def test_problem_without_deadline_asks_with_buttons(chat: Chat) -> None:
    """Without a deadline the bot offers choices; pressing 月底前 completes the item in place."""
    await chat.say(GROUP_A, OWNER, "/help")
    reply = await chat.say(GROUP_A, OWNER, "/problem 支委会记录未签字")
    assert "还没有时限" in (reply.plain_text or "")
    answer = await chat.press(GROUP_A, reply.message_id, OWNER, "月底前")
    assert answer.text == "时限已设定"
    edited = chat.fake.message(GROUP_A, reply.message_id)
    assert "2026-11-30(周一)〔月底前〕" in edited["text"]


async def test_unknown_username_is_pending_then_linked(chat: Chat) -> None:
    """An unknown @username is kept as pending and linked when that user writes."""
    chat.fake.add_user(50, "新同志", username="newbie")
    chat.fake.add_member(GROUP_A, 50)
    reply = await chat.say(GROUP_A, ADMIN, "/problem 谈心谈话记录未归档 @newbie 月底前")
    assert "待关联" in (reply.plain_text or "")
    await chat.say(GROUP_A, 50, "/list")
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "待关联" not in (shown.plain_text or "")
    assert "@newbie" in (shown.plain_text or "")


async def test_close_with_buttons_and_approval(chat: Chat) -> None:
    """[申请销号] by the owner; [通过] refused to a bystander, accepted by the admin, in place."""
    await register(chat)
    card = await chat.say(GROUP_A, OWNER, "/show 1")
    await chat.press(GROUP_A, card.message_id, OWNER, "申请销号")
    pending = chat.fake.message(GROUP_A, card.message_id)
    assert "待验收" in pending["text"]
    alert = await chat.press(GROUP_A, card.message_id, BYSTANDER, "通过")
    assert alert.show_alert
    assert "管理员" in (alert.text or "")
    await chat.press(GROUP_A, card.message_id, ADMIN, "通过")
    closed = chat.fake.message(GROUP_A, card.message_id)
    assert "已销号" in closed["text"]
    assert "验收人:王书记" in closed["text"]


async def test_commands_through_the_life_cycle(chat: Chat) -> None:
    """claim, progress, done, reject, done, approve, reopen, edit, delete, undelete by command."""
    await register(chat)
    steps = [
        (BYSTANDER, "/claim #1", "已认领 #1"),
        (OWNER, "/progress ＃1 已完成10月台账补录", "已记录进展 #1"),
        (OWNER, "/done 1 已补齐记录", "#1 已申请销号"),
        (ADMIN, "/reject 1 缺少签字", "已退回"),
        (OWNER, "/done 1 已签字", "🕓 待验收"),
        (ADMIN, "/approve 1 同意", "#1 验收通过"),
        (ADMIN, "/reopen 1 复查发现反弹", "已重新打开"),
        (ADMIN, "/edit 1 类别 组织建设", "类别:组织建设"),
        (ADMIN, "/assign 1 @li 王五", "已指定责任人"),
        (ADMIN, "/delete 1", "已删除 #1"),
        (ADMIN, "/undelete 1", "已恢复 #1"),
    ]
    for user, command, expected in steps:
        reply = await chat.say(GROUP_A, user, command)
        assert expected in (reply.plain_text or ""), (command, reply.text)
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    text = shown.text or ""
    assert "退回1次" in text
    assert "变更记录" in text
    assert "王书记 恢复" in text


async def test_progress_by_replying_to_the_card_with_a_photo(chat: Chat) -> None:
    """A photo replying to the card is progress with evidence; /show 1 附件 sends it back."""
    await register(chat)
    card = await chat.say(GROUP_A, OWNER, "/show 1")
    start = chat.fake.mark()
    chat.fake.send_photo(GROUP_A, OWNER, caption="现场已清理", reply_to=card.message_id)
    reply = await chat.fake.wait_reply(GROUP_A, after=start)
    assert "已记录进展 #1" in (reply.plain_text or "")
    assert "现场已清理" in (reply.plain_text or "")
    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, OWNER, "/show 1 附件")
    await chat.fake.wait_for(lambda: chat.fake.calls_to("sendPhoto")[-1:] or None)


async def test_report_button_prompts_and_reply_is_recorded(chat: Chat) -> None:
    """[报进展] asks for a reply; the reply to that prompt becomes progress."""
    await register(chat)
    card = await chat.say(GROUP_A, OWNER, "/show 1")
    start = chat.fake.mark()
    chat.fake.press_button(GROUP_A, card.message_id, OWNER, text="报进展")
    prompt = await chat.fake.wait_reply(GROUP_A, after=start)
    assert "#1" in (prompt.plain_text or "")
    reply = await chat.say(GROUP_A, OWNER, "台账已补齐", reply_to=prompt.message_id)
    assert "已记录进展 #1" in (reply.plain_text or "")


async def test_reject_button_asks_for_a_reason(chat: Chat) -> None:
    """[退回] prompts for a reason; the reply returns the item with that reason logged."""
    await register(chat)
    await chat.say(GROUP_A, OWNER, "/done 1")
    card = await chat.say(GROUP_A, ADMIN, "/show 1")
    start = chat.fake.mark()
    chat.fake.press_button(GROUP_A, card.message_id, ADMIN, text="退回")
    prompt = await chat.fake.wait_reply(GROUP_A, after=start)
    reply = await chat.say(GROUP_A, ADMIN, "记录不全", reply_to=prompt.message_id)
    assert "已退回" in (reply.plain_text or "")


async def test_lists_filters_and_paging(chat: Chat) -> None:
    """/list pages 20 rows with buttons; filters select overdue, done, mine and @user."""
    await chat.say(GROUP_A, OWNER, "/help")
    # Set up through the service: 23 replies in a minute would meet Telegram's per-group limit.
    admin = Actor(ADMIN, "王书记", "wang", is_admin=True)
    for index in range(23):
        draft = read_problem(f"问题{index} @zhang 年底前", (), date(2026, 11, 26))
        await chat.runtime.services.ledger.register(GROUP_A, admin, draft)
    first = await chat.say(GROUP_A, ADMIN, "/list")
    assert "共23项" in (first.plain_text or "")
    assert "第1/2页" in (first.plain_text or "")
    await chat.press(GROUP_A, first.message_id, ADMIN, "下一页 ▶")
    assert "第2/2页" in chat.fake.message(GROUP_A, first.message_id)["text"]
    mine = await chat.say(GROUP_A, OWNER, "/list mine")
    assert "共23项" in (mine.plain_text or "")
    by_user = await chat.say(GROUP_A, ADMIN, "/list @zhang")
    assert "共23项" in (by_user.plain_text or "")
    done = await chat.say(GROUP_A, ADMIN, "/list done")
    assert "没有符合条件的事项" in (done.plain_text or "")


async def test_stats_and_mine_in_private(chat: Chat) -> None:
    """/stats counts the ledger; /mine in a private chat lists items across groups."""
    await register(chat)
    stats = await chat.say(GROUP_A, ADMIN, "/stats")
    assert "共1项" in (stats.plain_text or "")
    assert "整改率0%" in (stats.plain_text or "")
    private = await chat.say(OWNER, OWNER, "/mine")
    assert "[第一党支部] #1" in (private.plain_text or "")


async def test_groups_never_see_each_others_items(chat: Chat) -> None:
    """Group B cannot see or change group A's #1, and has its own #1."""
    await register(chat)
    for command in ("/show 1", "/done 1", "/approve 1", "/claim 1"):
        reply = await chat.say(GROUP_B, ADMIN_B, command)
        assert "本群没有 #1 号事项" in (reply.plain_text or ""), command
    other = await chat.say(GROUP_B, ADMIN_B, "/problem 第二支部的问题 年底前")
    assert "#1 第二支部的问题" in (other.plain_text or "")
    listing = await chat.say(GROUP_A, ADMIN, "/list all")
    assert "第二支部的问题" not in (listing.plain_text or "")


async def test_bad_input_gets_an_example_and_changes_nothing(chat: Chat) -> None:
    """Every listed bad input is answered precisely, with an example."""
    await register(chat)
    cases = [
        (ADMIN, "/problem", "/problem 三会一课记录不规范"),
        (OWNER, "/done 999", "本群没有 #999"),
        (OWNER, "/approve 1", "只有管理员"),
        (OWNER, "/claim 1", "已经是 #1 的责任人"),
        (ADMIN, "/problem " + "长" * 4001, "上限4000字"),
        (ADMIN, "/problem 问题\n颜色: 红色", "不认识的栏目“颜色”"),
        (ADMIN, "/edit 1 颜色 红", "不能修改“颜色”"),
        (ADMIN, "/show abc", "不是有效的编号"),
        (ADMIN, "/problem 支委会记录未签字 **月底前", "占位符"),
        (ADMIN, "/list sideways", "/list overdue"),
    ]
    for user, command, expected in cases:
        reply = await chat.say(GROUP_A, user, command)
        assert expected in (reply.plain_text or ""), (command, reply.text)
    await chat.say(GROUP_A, OWNER, "/done 1")
    await chat.say(GROUP_A, ADMIN, "/approve 1")
    closed = await chat.say(GROUP_A, OWNER, "/done 1")
    assert "已销号" in (closed.plain_text or "")
    listing = await chat.say(GROUP_A, ADMIN, "/list all")
    assert "共1项" in (listing.plain_text or "")


async def test_user_text_is_escaped(chat: Chat) -> None:
    """HTML typed by users is shown literally (the fake rejects malformed HTML)."""
    text = await register(chat, "/problem <b>加粗</b> & <script> 月底前")
    assert "<b>加粗</b> & <script>" in text


async def test_english_group(chat: Chat) -> None:
    """/lang en switches the group's replies to English; non-admins may not switch."""
    refused = await chat.say(GROUP_A, OWNER, "/lang en")
    assert "只有管理员" in (refused.plain_text or "")
    switched = await chat.say(GROUP_A, ADMIN, "/lang en")
    assert "English" in (switched.plain_text or "")
    card = await chat.say(GROUP_A, ADMIN, "/problem Minutes unsigned @zhang 月底前")
    assert "Registered #1 Minutes unsigned" in (card.plain_text or "")
    assert "2026-11-30(Mon)" in (card.plain_text or "")
    error = await chat.say(GROUP_A, OWNER, "/approve 1")
    assert "Only admins" in (error.plain_text or "")


async def test_extension_request_with_buttons(chat: Chat) -> None:
    """/extend by the owner, [同意] by an admin: new deadline, original kept, counted."""
    await register(chat)
    request = await chat.say(GROUP_A, OWNER, "/extend 1 12月31日前 等待上级批复")
    assert "延期申请" in (request.plain_text or "")
    refused = await chat.press(GROUP_A, request.message_id, OWNER, "同意")
    assert refused.show_alert
    await chat.press(GROUP_A, request.message_id, ADMIN, "同意")
    decided = chat.fake.message(GROUP_A, request.message_id)["text"]
    assert "延期已同意" in decided
    assert "原时限:2026-11-30 延期1次" in decided


async def test_long_answers_are_split(chat: Chat) -> None:
    """A /show longer than 4096 characters arrives as several messages, none too long.

    The problem is 3,000 emoji: 6,000 UTF-16 units, as Telegram counts them. Long progress
    reports are shortened on the card (the export keeps them whole), so they alone no longer
    make it long.
    """
    await register(chat)
    await chat.say(GROUP_A, ADMIN, f"/edit 1 问题 {'😀' * 3000}")
    for index in range(3):
        chat.fake.send_text(GROUP_A, OWNER, f"/progress 1 {'进展' * 900}{index}")
    await chat.settle()
    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, ADMIN, "/show 1")
    await chat.settle()
    parts = [m for m in chat.fake.sent_messages(GROUP_A) if m.call_index >= start]
    assert len(parts) >= 2
    assert "😀" * 3000 in "".join(m.plain_text or "" for m in parts)
    assert parts[-1].callback_data == ["claim:1", "progress:1", "done:1"]


async def test_only_cards_and_prompts_take_replies(chat: Chat) -> None:
    """Replying to a notice, an extension request or an error is conversation, not progress."""
    await register(chat)
    request = await chat.say(GROUP_A, OWNER, "/extend 1 12月31日前 等待上级批复")
    error = await chat.say(GROUP_A, OWNER, "/claim 1")
    for message in (request, error):
        chat.fake.send_text(GROUP_A, ADMIN, "收到", reply_to=message.message_id)
    await chat.settle()
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "收到" not in (shown.plain_text or "")


async def test_a_reply_to_a_list_naming_an_item_is_shown_the_command(chat: Chat) -> None:
    """Under a list or digest, "1 已补齐" gets the /progress to send; "收到" gets nothing."""
    await register(chat)
    listed = await chat.say(GROUP_A, OWNER, "/list")
    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, OWNER, "收到", reply_to=listed.message_id)
    await chat.settle()
    assert chat.fake.sent_messages(GROUP_A)[-1].call_index < start
    hint = await chat.say(GROUP_A, OWNER, "1 台账<已补齐>", reply_to=listed.message_id)
    assert "请发送:/progress 1 台账<已补齐>" in (hint.plain_text or "")
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "台账" not in (shown.plain_text or "")  # nothing was recorded


async def test_reply_form_keeps_the_replied_text_and_the_words_typed(chat: Chat) -> None:
    """A reply with owner, deadline and words: the replied text is the problem, words its detail."""
    await chat.say(GROUP_A, OWNER, "/help")
    message = chat.fake.send_text(GROUP_A, BYSTANDER, "活动室灭火器过期")
    reply = await chat.say(
        GROUP_A, ADMIN, "/problem @zhang 月底前 请尽快更换", reply_to=message["message_id"]
    )
    text = reply.plain_text or ""
    assert "#1 活动室灭火器过期" in text
    assert "@zhang" in text
    assert "2026-11-30" in text
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "请尽快更换" in (shown.plain_text or "")


async def test_replying_to_the_bot_with_problem_is_refused(chat: Chat) -> None:
    """/problem replying to one of the bot's own messages does not register the bot's text."""
    listing = await chat.say(GROUP_A, ADMIN, "/list")
    reply = await chat.say(GROUP_A, ADMIN, "/problem", reply_to=listing.message_id)
    assert "不能把机器人的消息登记为问题" in (reply.plain_text or "")


async def test_labelled_form_reads_owners_and_deadline_on_the_first_line(chat: Chat) -> None:
    """`/problem 问题 @owner 时限` followed by labels keeps the first line's owner and deadline."""
    text = await register(chat, "/problem 测试二 @zhang 月底前\n措施: 1.甲 2.乙")
    assert "#1 测试二" in text
    assert "@zhang" in text
    assert "2026-11-30" in text


async def test_claim_links_a_plain_name_to_the_person(chat: Chat) -> None:
    """An owner typed as a plain name is replaced by the user of that name who claims the item."""
    await chat.say(GROUP_A, ADMIN, "/problem 党费收缴不及时\n责任人: 张三\n时限: 年底前")
    claimed = await chat.say(GROUP_A, OWNER, "/claim 1")
    text = claimed.plain_text or ""
    assert "未关联账号" not in text
    assert text.count("张三") + text.count("@zhang") >= 1
    mine = await chat.say(OWNER, OWNER, "/mine")
    assert "#1" in (mine.plain_text or "")


async def test_deleted_items_say_so(chat: Chat) -> None:
    """Acting on a soft-deleted item says it is deleted and how to restore it."""
    await register(chat)
    await chat.say(GROUP_A, ADMIN, "/delete 1")
    reply = await chat.say(GROUP_A, OWNER, "/done 1")
    assert "#1 已删除" in (reply.plain_text or "")
    assert "/undelete 1" in (reply.plain_text or "")


async def test_reject_button_refuses_a_non_admin_at_once(chat: Chat) -> None:
    """[退回] pressed by a member gets an alert straight away, not a prompt."""
    await register(chat)
    await chat.say(GROUP_A, OWNER, "/done 1")
    card = await chat.say(GROUP_A, OWNER, "/show 1")
    before = len(chat.fake.sent_messages(GROUP_A))
    alert = await chat.press(GROUP_A, card.message_id, BYSTANDER, "退回")
    assert alert.show_alert
    assert "管理员" in (alert.text or "")
    assert len(chat.fake.sent_messages(GROUP_A)) == before


async def test_extension_must_be_later_and_reads_a_reason_on_the_next_line(chat: Chat) -> None:
    """/extend to an earlier date is refused; the reason may follow on the next line."""
    await register(chat)
    earlier = await chat.say(GROUP_A, OWNER, "/extend 1 11月28日前 提前完成")
    assert "须晚于现时限 2026-11-30。例如:/extend 1 2026-12-30 需等待上级批复" in (
        earlier.plain_text or ""
    )  # the example is later than the deadline, not what was typed
    later = await chat.say(GROUP_A, OWNER, "/extend 1 12月31日前\n等待上级批复")
    assert "等待上级批复" in (later.plain_text or "")
    assert "2026-12-31" in (later.plain_text or "")


async def test_closed_items_keep_their_deadline(chat: Chat) -> None:
    """After 销号 neither an old extension request (withdrawn) nor /due moves the deadline."""
    await register(chat)
    request = await chat.say(GROUP_A, OWNER, "/extend 1 12月31日前 等待上级批复")
    await chat.say(GROUP_A, OWNER, "/done 1")
    await chat.say(GROUP_A, ADMIN, "/approve 1")
    await chat.settle()
    # Closing withdrew the request: its [同意] [驳回] are gone, so nobody can approve it late.
    assert not chat.fake.message(GROUP_A, request.message_id).get("reply_markup")
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "2026-11-30" in (shown.plain_text or "")
    due = await chat.say(GROUP_A, ADMIN, "/due 1 下周五前")
    assert "已销号" in (due.plain_text or "")


async def test_edit_points_to_the_right_command(chat: Chat) -> None:
    """/edit of the owners or the deadline names /assign or /due with an example."""
    await register(chat)
    owners = await chat.say(GROUP_A, ADMIN, "/edit 1 责任人 李四")
    assert "/assign 1" in (owners.plain_text or "")
    due = await chat.say(GROUP_A, ADMIN, "/edit 1 时限 年底前")
    assert "/due 1" in (due.plain_text or "")


async def test_tick_marks_measures_done(chat: Chat) -> None:
    """/tick N M marks a measure done on the card; a wrong number names the measures there are."""
    await chat.say(GROUP_A, OWNER, "/help")
    await chat.say(
        GROUP_A, ADMIN, "/problem 党费收缴不及时 @zhang 年底前\n措施: 1.建立台账 2.每月提醒"
    )
    ticked = await chat.say(GROUP_A, OWNER, "/tick 1 2")
    assert "② 每月提醒 ✅" in (ticked.plain_text or "")
    wrong = await chat.say(GROUP_A, OWNER, "/tick 1 5")
    assert "共2条" in (wrong.plain_text or "")


async def test_linking_a_pending_owner_is_logged(chat: Chat) -> None:
    """When a pending @owner first writes, the item's history records the link."""
    chat.fake.add_user(60, "周五", username="zhouwu")
    chat.fake.add_member(GROUP_A, 60)
    await chat.say(GROUP_A, ADMIN, "/problem 学习记录缺失 @zhouwu 月底前")
    await chat.say(GROUP_A, 60, "/help")
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "关联账号" in (shown.plain_text or "")


async def test_a_caption_command_for_another_bot_is_ignored(chat: Chat) -> None:
    """A photo captioned /done@otherbot does not close anything here."""
    await register(chat)
    chat.fake.send_photo(GROUP_A, OWNER, caption="/done@other_bot 1 材料")
    await chat.settle()
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "待验收" not in (shown.plain_text or "")


async def test_editing_measures_keeps_the_ticks_of_unchanged_ones(chat: Chat) -> None:
    """/edit N 措施 keeps ✅ on a measure whose text did not change."""
    await chat.say(GROUP_A, OWNER, "/help")
    await chat.say(
        GROUP_A, ADMIN, "/problem 党费收缴不及时 @zhang 年底前\n措施: 1.建立台账 2.每月提醒"
    )
    await chat.say(GROUP_A, OWNER, "/tick 1 1")
    edited = await chat.say(GROUP_A, ADMIN, "/edit 1 措施 1.建立台账 2.每月提醒 3.季度检查")
    text = edited.plain_text or ""
    assert "① 建立台账 ✅" in text
    assert "③ 季度检查" in text


async def test_extension_in_everyday_wording(chat: Chat) -> None:
    """`申请延期至12月31日` finds the date; the words before it are the reason."""
    await register(chat)
    reply = await chat.say(GROUP_A, OWNER, "/extend 1 因上级未批复,申请延期至12月31日")
    text = reply.plain_text or ""
    assert "2026-12-31" in text
    assert "原因:因上级未批复" in text


async def test_english_owner_names_keep_their_spaces(chat: Chat) -> None:
    """`owner: @zhang, Li Si` makes two owners, the second named "Li Si"."""
    await chat.say(GROUP_A, OWNER, "/help")
    reply = await chat.say(
        GROUP_A, ADMIN, "/problem Party dues late\nowner: @zhang, Li Si\ndue: 2026-12-31"
    )
    assert "Li Si(未关联账号)" in (reply.plain_text or "")


async def test_a_bystander_replying_to_a_card_gets_no_error(chat: Chat) -> None:
    """“收到” from a non-owner under a card is conversation: no progress, no reply."""
    await register(chat)
    card = await chat.say(GROUP_A, OWNER, "/show 1")
    before = len(chat.fake.sent_messages(GROUP_A))
    chat.fake.send_text(GROUP_A, BYSTANDER, "收到", reply_to=card.message_id)
    await chat.settle()
    assert len(chat.fake.sent_messages(GROUP_A)) == before


async def test_due_answers_a_waiting_extension_and_refuses_no_change(chat: Chat) -> None:
    """/due withdraws the waiting 延期申请 and its buttons; the same deadline again is refused."""
    await register(chat)
    request = await chat.say(GROUP_A, OWNER, "/extend 1 12月31日前 等待上级批复")
    assert chat.fake.message(GROUP_A, request.message_id).get("reply_markup")
    due = await chat.say(GROUP_A, ADMIN, "/due 1 12月15日前")
    assert "待审批的延期申请已撤回" in (due.plain_text or "")
    await chat.settle()  # the buttons come off after the answer
    assert not chat.fake.message(GROUP_A, request.message_id).get("reply_markup")
    same = await chat.say(GROUP_A, ADMIN, "/due 1 2026-12-15")
    assert "#1 的时限已是 2026-12-15,未作改动" in (same.plain_text or "")
    card = (await chat.say(GROUP_A, ADMIN, "/show 1")).plain_text or ""
    assert card.count("改为2026-12-15") == 1
    assert "2026-12-31" not in card.split("\n")[0]


async def test_an_edit_to_the_same_value_changes_and_logs_nothing(chat: Chat) -> None:
    """/edit 1 类别 组织建设 twice: the second is "未作改动", and the history has one edit."""
    await register(chat)
    first = await chat.say(GROUP_A, ADMIN, "/edit 1 类别 组织建设")
    assert "已修改" in (first.plain_text or "")
    again = await chat.say(GROUP_A, ADMIN, "/edit 1 类别 组织建设")
    assert "#1 的类别已是这样,未作改动" in (again.plain_text or "")
    card = (await chat.say(GROUP_A, ADMIN, "/show 1")).plain_text or ""
    assert card.count("组织建设") == 2  # the field, and one line of history


async def test_the_same_problem_registered_twice_is_pointed_out(chat: Chat) -> None:
    """/problem replied twice to one message: the second is registered, with a hint at #1."""
    await chat.say(GROUP_A, OWNER, "/help")
    message = chat.fake.send_text(GROUP_A, BYSTANDER, "活动室灭火器过期")
    first = await chat.say(GROUP_A, ADMIN, "/problem 月底前", reply_to=message["message_id"])
    assert "也是这个问题" not in (first.plain_text or "")
    again = await chat.say(GROUP_A, ADMIN, "/problem 月底前", reply_to=message["message_id"])
    assert "⚠️ 在办的 #1 也是这个问题。如是重复登记,管理员可发送 /delete 2" in (
        again.plain_text or ""
    )
