"""The bot's first contact: start, help, command menu, unknown commands, groups and members."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ADMIN, GROUP_A, OWNER, Chat


async def test_help_in_a_group_and_in_private(chat: Chat) -> None:
    """/start and /help answer in Chinese in a group and in a private chat."""
    group = await chat.say(GROUP_A, OWNER, "/help")
    assert "整改台账机器人" in (group.text or "")
    assert "/problem" in (group.text or "")
    private = await chat.say(OWNER, OWNER, "/start")
    assert "/mine" in (private.text or "")


async def test_command_menu_is_registered_in_chinese_and_english(chat: Chat) -> None:
    """SetMyCommands registers the menu with Chinese descriptions (and English for en clients)."""
    calls = chat.fake.calls_to("setMyCommands")
    by_language = {c.params.get("language_code", ""): c.params["commands"] for c in calls}
    zh = {c["command"]: c["description"] for c in by_language[""]}
    assert zh["problem"] == "登记整改问题"
    assert "en" in by_language


async def test_welcome_when_added_to_a_group(chat: Chat) -> None:
    """Being added to a group records it and posts a short welcome."""
    assert any("第一党支部" in t for t in chat.texts(GROUP_A))


async def test_unknown_command_gets_a_hint(chat: Chat) -> None:
    """An unknown command addressed to the bot, or sent in private, gets a hint to /help."""
    reply = await chat.say(GROUP_A, ADMIN, f"/frobnicate@{chat.fake.bot_username}")
    assert "/help" in (reply.text or "")
    assert "/frobnicate" in (reply.text or "")
    private = await chat.say(OWNER, OWNER, "/frobnicate")
    assert "/help" in (private.text or "")


async def test_a_bare_unknown_command_in_a_group_is_left_to_other_bots(chat: Chat) -> None:
    """`/weather` in a group (another bot's command) gets no answer from this bot."""
    before = len(chat.fake.sent_messages(GROUP_A))
    chat.fake.send_text(GROUP_A, ADMIN, "/weather")
    await chat.settle()
    assert len(chat.fake.sent_messages(GROUP_A)) == before


async def test_editing_a_command_does_not_run_it_again(chat: Chat) -> None:
    """Editing a sent /problem changes nothing: the bot acts on new messages only."""
    sent = chat.fake.send_text(GROUP_A, ADMIN, "/problem 三会一课记录不规范 月底前")
    await chat.settle()
    chat.fake.edit_text(GROUP_A, sent["message_id"], "/problem 三会一课记录不规范 年底前")
    await chat.settle()
    listing = await chat.say(GROUP_A, ADMIN, "/list all")
    assert "(共1项)" in (listing.plain_text or "")


async def test_command_with_the_bot_username_matches(chat: Chat) -> None:
    """/help@botname works; a command for another bot is ignored."""
    before = len(chat.fake.sent_messages(GROUP_A))
    chat.fake.send_text(GROUP_A, OWNER, "/help@other_bot")
    reply = await chat.say(GROUP_A, OWNER, f"/help@{chat.fake.bot_username}")
    assert "/problem" in (reply.text or "")
    assert len(chat.texts(GROUP_A, after=before)) == 1


async def test_removed_bot_marks_the_group_inactive_and_keeps_data(chat: Chat) -> None:
    """Removing the bot marks the group inactive; re-adding it finds the ledger intact."""
    await chat.say(GROUP_A, ADMIN, "/problem 三会一课记录不规范 月底前")
    chat.fake.remove_bot_from_group(GROUP_A, ADMIN)
    await chat.settle()
    group = await chat.runtime.services.groups.context(GROUP_A)
    assert group is not None
    assert not group.active
    chat.fake.add_bot_to_group(GROUP_A, ADMIN)
    await chat.settle()
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "三会一课记录不规范" in (shown.plain_text or "")


async def test_group_upgraded_to_supergroup_keeps_its_ledger(chat: Chat) -> None:
    """After a group becomes a supergroup its items answer at the new chat id."""
    old, new = -3001, -1003001
    chat.fake.add_group(old, "第三党支部", type="group", with_bot=False)
    chat.fake.add_member(old, ADMIN)
    chat.fake.make_admin(old, ADMIN, status="creator")
    chat.fake.add_bot_to_group(old, ADMIN)
    await chat.settle()
    await chat.say(old, ADMIN, "/problem 组织生活会整改 年底前")
    chat.fake.migrate_group(old, new)
    await chat.settle()
    shown = await chat.say(new, ADMIN, "/show 1")
    assert "组织生活会整改" in (shown.plain_text or "")
    created = await chat.say(new, ADMIN, "/problem 第二个问题 年底前")
    assert "#2 第二个问题" in (created.plain_text or "")


async def test_an_unexpected_failure_is_logged_and_the_user_told(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    """A Telegram 500 while answering is logged with its traceback and the user hears of it."""
    chat.fake.fail_next("sendMessage", status=500)
    reply = await chat.say(GROUP_A, OWNER, "/help")
    assert "处理时出错了" in (reply.plain_text or "")
    assert any("unhandled error" in r.getMessage() and r.exc_info for r in caplog.records)
