"""The right words: refusals that name the right command, settings, lists and stale buttons.

Each test keeps well below the 20 bot messages a minute a group allows.
"""

from __future__ import annotations

from tests.e2e.conftest import ADMIN, BYSTANDER, GROUP_A, OWNER, Chat

SHORT_PLAN = "(一)三会一课记录不规范\n整改措施:\n1.建立会议记录台账\n责任人:张三\n落实时限:月底前"


async def register_with_measures(chat: Chat) -> None:
    """Item #1 owned by @zhang with two measures."""
    await chat.say(GROUP_A, OWNER, "/help")
    await chat.say(
        GROUP_A, ADMIN, "/problem 党费收缴不及时 @zhang 年底前\n措施: 1.建立台账 2.每月提醒"
    )


async def test_the_tick_refusal_names_tick(chat: Chat) -> None:
    """A bystander's /tick is told who may tick measures, naming /tick, not /progress."""
    await register_with_measures(chat)
    refused = await chat.say(GROUP_A, BYSTANDER, "/tick 1 1")
    text = refused.plain_text or ""
    assert "/tick" in text
    assert "/progress" not in text


async def test_ticking_a_measure_twice_says_it_is_already_done(chat: Chat) -> None:
    """/tick 1 1 twice: the second answer says the measure was already done."""
    await register_with_measures(chat)
    first = await chat.say(GROUP_A, OWNER, "/tick 1 1")
    assert "① 建立台账 ✅" in (first.plain_text or "")
    second = await chat.say(GROUP_A, OWNER, "/tick 1 1")
    assert "已经完成" in (second.plain_text or "")
    assert "已完成措施" not in (second.plain_text or "")


async def test_lang_by_a_member_is_refused_naming_lang(chat: Chat) -> None:
    """A non-admin's /lang en is told that /lang is for admins, not /settings."""
    refused = await chat.say(GROUP_A, BYSTANDER, "/lang en")
    text = refused.plain_text or ""
    assert "/lang" in text
    assert "/settings" not in text


async def test_settings_lines_do_not_repeat_a_name(chat: Chat) -> None:
    """The settings list says 时区 once per line, and English says a change without echoes."""
    shown = await chat.say(GROUP_A, ADMIN, "/settings")
    text = shown.plain_text or ""
    assert "时区 时区" not in text
    assert "timezone" in text
    changed = await chat.say(GROUP_A, ADMIN, "/settings language en")
    english = changed.plain_text or ""
    assert "Language language" not in english
    assert "language" in english
    assert "en" in english


async def test_list_by_a_members_display_name(chat: Chat) -> None:
    """/list 李四 lists the items of the member of that name, who has no username."""
    chat.fake.add_user(72, "李", last_name="四")
    chat.fake.add_member(GROUP_A, 72)
    await chat.say(GROUP_A, 72, "/help")
    await chat.say(GROUP_A, ADMIN, "/problem 学习记录缺失 月底前")
    await chat.say(GROUP_A, 72, "/claim 1")
    listing = await chat.say(GROUP_A, ADMIN, "/list 李四")
    text = listing.plain_text or ""
    assert "李四 的在办事项" in text
    assert "#1 学习记录缺失" in text


async def test_a_list_row_with_many_owners_is_shortened(chat: Chat) -> None:
    """With 50 owners a /list row shows the first few and 等50人."""
    await chat.say(GROUP_A, ADMIN, "/problem 全员学习记录缺失 月底前")
    names = " ".join(f"成员{index:02d}" for index in range(50))
    await chat.say(GROUP_A, ADMIN, f"/assign 1 {names}")
    listing = await chat.say(GROUP_A, ADMIN, "/list")
    row = next(line for line in (listing.plain_text or "").split("\n") if "#1" in line)
    assert "成员00" in row
    assert "成员49" not in row
    assert "等50人" in row


async def test_a_superseded_preview_loses_its_buttons(chat: Chat) -> None:
    """A preview replaced by a newer /import keeps no buttons; the newer one keeps its own."""
    first = await chat.say(GROUP_A, ADMIN, "/import\n" + SHORT_PLAN)
    assert first.buttons
    second = await chat.say(GROUP_A, ADMIN, "/import\n" + SHORT_PLAN)
    await chat.settle()
    old = chat.fake.message(GROUP_A, first.message_id).get("reply_markup") or {}
    assert not old.get("inline_keyboard")
    new = chat.fake.message(GROUP_A, second.message_id).get("reply_markup") or {}
    assert new.get("inline_keyboard")
