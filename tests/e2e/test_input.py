"""What members type: invisible characters, several item numbers, two deadlines, plain names.

Each test keeps well below the 20 bot messages a minute a group allows.
"""

from __future__ import annotations

from tests.e2e.conftest import ADMIN, BYSTANDER, GROUP_A, OWNER, Chat

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u202e"


async def register(chat: Chat, *problems: str) -> None:
    """Register items in group A as the admin (the owner writes first so @zhang is known)."""
    await chat.say(GROUP_A, OWNER, "/help")
    for problem in problems or ("三会一课记录不规范 @zhang 月底前",):
        await chat.say(GROUP_A, ADMIN, f"/problem {problem}")


async def test_a_problem_of_invisible_characters_is_refused(chat: Chat) -> None:
    """/problem followed by zero-width and bidi characters registers nothing."""
    refused = await chat.say(GROUP_A, ADMIN, f"/problem {ZERO_WIDTH}{ZERO_WIDTH}")
    assert "请写出问题内容" in (refused.plain_text or "")
    listing = await chat.say(GROUP_A, ADMIN, "/list all")
    assert "#1" not in (listing.plain_text or "")


async def test_invisible_characters_are_stripped_before_reading(chat: Chat) -> None:
    """A zero-width space inside 月底前 or after 1 changes nothing; mentions after it count."""
    await chat.say(GROUP_A, OWNER, "/help")
    text = "/problem \u200b消防通道\u200d堵塞 @zhang 月底\u200b前"
    registered = await chat.say(GROUP_A, ADMIN, text)
    shown_text = registered.plain_text or ""
    assert "#1 消防通道堵塞" in shown_text
    assert "2026-11-30(周一)〔月底前〕" in shown_text
    assert "@zhang" in shown_text
    shown = await chat.say(GROUP_A, ADMIN, "/show 1\u200b")
    assert "#1 消防通道堵塞" in (shown.plain_text or "")


async def test_a_text_mention_after_invisible_characters_still_lines_up(chat: Chat) -> None:
    """Telegram's UTF-16 entity offsets are taken on the text as typed, then it is cleaned."""
    chat.fake.add_user(70, "王五")
    chat.fake.add_member(GROUP_A, 70)
    text = "/problem 😀消防\u200b通道堵塞 月底\u200b前"
    reply = await chat.say(GROUP_A, ADMIN, text, mentions=[(70, "王五")])
    shown = reply.plain_text or ""
    assert "#1 😀消防通道堵塞" in shown
    assert "责任人:王五" in shown
    assert "未关联账号" not in shown


async def test_owners_that_are_no_mention_or_name_are_refused(chat: Chat) -> None:
    """/assign 1 @@@ @ stores nothing and says what an owner looks like."""
    await register(chat)
    refused = await chat.say(GROUP_A, ADMIN, "/assign 1 @@@ @")
    assert "@@@" in (refused.plain_text or "")
    assert "例如:/assign 12 @zhang 李四" in (refused.plain_text or "")
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "@@@" not in (shown.plain_text or "")


async def test_delete_and_undelete_take_several_numbers(chat: Chat) -> None:
    """/delete 1 2 3 deletes each and reports each in one answer; unknown numbers are named."""
    await register(chat, "甲 月底前", "乙 月底前", "丙 月底前")
    start = chat.fake.mark()
    deleted = await chat.say(GROUP_A, ADMIN, "/delete 1 2 3 9")
    text = deleted.plain_text or ""
    for number in (1, 2, 3):
        assert f"#{number}" in text
    assert "没有 #9 号事项" in text
    await chat.settle()
    assert len([m for m in chat.fake.sent_messages(GROUP_A) if m.call_index >= start]) == 1
    restored = await chat.say(GROUP_A, ADMIN, "/undelete 1-2")
    assert "#1" in (restored.plain_text or "")
    assert "#2" in (restored.plain_text or "")
    listing = await chat.say(GROUP_A, ADMIN, "/list")
    assert "#1 甲" in (listing.plain_text or "")
    assert "#3" not in (listing.plain_text or "")


async def test_claim_and_approve_take_ranges(chat: Chat) -> None:
    """/claim 1 2 and /approve 1-2 act on each item; a refusal for one does not stop the rest."""
    await register(chat, "甲 月底前", "乙 月底前", "丙 月底前")
    claimed = await chat.say(GROUP_A, OWNER, "/claim 1 2")
    assert "#1" in (claimed.plain_text or "")
    assert "#2" in (claimed.plain_text or "")
    await chat.say(GROUP_A, OWNER, "/done 1")
    approved = await chat.say(GROUP_A, ADMIN, "/approve 1-2 同意")
    text = approved.plain_text or ""
    assert "#1" in text
    assert "不在待验收状态" in text
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "已销号" in (shown.plain_text or "")


async def test_other_commands_refuse_extra_numbers(chat: Chat) -> None:
    """/show 1 2 and /done 1 2 say that one item at a time is taken, with an example."""
    await register(chat)
    shown = await chat.say(GROUP_A, ADMIN, "/show 1 2")
    assert "一次只能" in (shown.plain_text or "")
    assert "/show 12" in (shown.plain_text or "")
    done = await chat.say(GROUP_A, OWNER, "/done 1 2")
    assert "一次只能" in (done.plain_text or "")
    listing = await chat.say(GROUP_A, ADMIN, "/list pending")
    assert "#1" not in (listing.plain_text or "")


async def test_two_deadlines_in_one_line_are_offered_as_buttons(chat: Chat) -> None:
    """Both deadline phrases become buttons; the choice sets it and cleans the problem's text."""
    await chat.say(GROUP_A, OWNER, "/help")
    asked = await chat.say(GROUP_A, ADMIN, "/problem 消防通道堵塞 @zhang 下周五前 另外还要月底前")
    assert "多个时限" in (asked.plain_text or "")
    labels = asked.button_texts
    assert any("下周五前" in label for label in labels)
    assert any("月底前" in label for label in labels)
    choice = next(label for label in labels if "下周五前" in label)
    await chat.press(GROUP_A, asked.message_id, ADMIN, choice)
    edited = chat.fake.message(GROUP_A, asked.message_id)
    assert "2026-12-04(周五)〔下周五前〕" in edited["text"]
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    title = (shown.plain_text or "").split("\n")[0]
    assert "下周五前" not in title
    assert "月底前" not in title
    assert "消防通道堵塞" in title


async def test_a_members_name_in_the_one_line_form_becomes_an_owner(chat: Chat) -> None:
    """李四 (a member seen in the group) is taken as an owner, not left in the title."""
    chat.fake.add_user(71, "李", last_name="四")
    chat.fake.add_member(GROUP_A, 71)
    await chat.say(GROUP_A, 71, "/help")
    await chat.say(GROUP_A, OWNER, "/help")
    reply = await chat.say(GROUP_A, ADMIN, "/problem 消防通道堵塞 @zhang 李四 下周五前")
    text = reply.plain_text or ""
    assert "#1 消防通道堵塞 " in text
    assert "消防通道堵塞 李四" not in text
    assert "责任人:@zhang 李四" in text
    assert "识别" in text
    mine = await chat.say(GROUP_A, 71, "/mine")
    assert "#1" in (mine.plain_text or "")


async def test_an_unknown_name_stays_in_the_title(chat: Chat) -> None:
    """A word that is no member's name keeps today's behaviour: it stays in the problem."""
    await chat.say(GROUP_A, BYSTANDER, "/help")
    reply = await chat.say(GROUP_A, ADMIN, "/problem 消防通道堵塞 王五 下周五前")
    assert "#1 消防通道堵塞 王五" in (reply.plain_text or "")


async def seen_li_si(chat: Chat) -> None:
    """李四 (user 71, no username) writes in group A, so the bot knows the member."""
    chat.fake.add_user(71, "李", last_name="四")
    chat.fake.add_member(GROUP_A, 71)
    await chat.say(GROUP_A, 71, "/help")


async def li_si_owns(chat: Chat, number: int) -> bool:
    """True when item ``number`` is among 李四's own items (/mine): the owner is linked."""
    mine = await chat.say(GROUP_A, 71, "/mine")
    return f"#{number}" in (mine.plain_text or "")


async def test_a_members_name_in_the_labelled_form_is_linked(chat: Chat) -> None:
    """责任人: 李四 names the member 李四 (no username): the owner is linked, as in one line."""
    await seen_li_si(chat)
    await chat.say(GROUP_A, ADMIN, "/problem 消防通道堵塞\n责任人: 李四\n时限: 月底前")
    assert await li_si_owns(chat, 1)


async def test_a_members_name_in_assign_is_linked(chat: Chat) -> None:
    """/assign 1 李四 makes the member 李四 the owner, not a plain name."""
    await seen_li_si(chat)
    await chat.say(GROUP_A, ADMIN, "/problem 消防通道堵塞 月底前")
    await chat.say(GROUP_A, ADMIN, "/assign 1 李四")
    assert await li_si_owns(chat, 1)


async def test_a_members_name_in_an_import_is_linked(chat: Chat) -> None:
    """责任人:李四 in a plan is linked to the member, even one first seen after the preview."""
    plan = "(一)三会一课记录不规范\n整改措施:\n1.建立会议记录台账\n责任人:李四\n落实时限:月底前"
    preview = await chat.say(GROUP_A, ADMIN, "/import\n" + plan)
    assert "李四" in (preview.plain_text or "")
    await seen_li_si(chat)
    answer = await chat.press(GROUP_A, preview.message_id, ADMIN, "确认导入")
    assert not answer.show_alert, answer.text
    assert await li_si_owns(chat, 1)


async def test_a_full_width_at_sign_names_a_username(chat: Chat) -> None:
    """＠zhang (full-width) counts as @zhang in /problem, /assign and /list."""
    await chat.say(GROUP_A, OWNER, "/help")
    reply = await chat.say(GROUP_A, ADMIN, "/problem 消防通道堵塞 ＠zhang 月底前")
    text = reply.plain_text or ""
    assert "#1 消防通道堵塞 " in text
    assert "＠zhang" not in text
    assert "责任人:@zhang" in text
    await chat.say(GROUP_A, ADMIN, "/problem 学习记录缺失\n责任人: ＠zhang")
    await chat.say(GROUP_A, ADMIN, "/problem 台账不全 月底前")
    await chat.say(GROUP_A, ADMIN, "/assign 3 ＠zhang")
    listing = await chat.say(GROUP_A, ADMIN, "/list ＠zhang")
    listed = listing.plain_text or ""
    assert all(f"#{number}" in listed for number in (1, 2, 3)), listed


async def test_a_number_run_into_the_text_is_shown_with_the_command_typed(chat: Chat) -> None:
    """/done 2已补齐 is refused with /done 2 已补齐 as the example, not /show."""
    await register(chat, "三会一课记录不规范 @zhang 月底前", "学习记录缺失 @zhang 月底前")
    refused = await chat.say(GROUP_A, OWNER, "/done 2已补齐")
    text = refused.plain_text or ""
    assert "/done 2 已补齐" in text
    assert "/show" not in text
    other = await chat.say(GROUP_A, OWNER, "/progress abc")
    assert "/progress 12" in (other.plain_text or "")


async def test_a_right_to_left_override_in_a_name_or_title_is_not_shown(chat: Chat) -> None:
    """A member named "\u202e四李" and a group titled so: both shown without the override."""
    chat.fake.add_user(77, "\u202e四李")
    chat.fake.add_member(GROUP_A, 77)
    chat.fake.add_group(-1077, "\u202e第九党支部")
    chat.fake.add_member(-1077, 77)
    await chat.say(GROUP_A, 77, "/problem 记录不全 月底前")
    claimed = await chat.say(GROUP_A, 77, "/claim 1")
    assert "\u202e" not in (claimed.text or "")
    welcome = await chat.say(-1077, 77, "/help")
    assert "\u202e" not in (welcome.text or "")
    listed = await chat.say(-1077, 77, "/summary")
    assert "\u202e" not in (listed.text or "")
