"""The bot's first contact: start, help, command menu, unknown commands, groups and members."""

from __future__ import annotations

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
    """An unknown command addressed to the bot gets a one-line hint to /help."""
    reply = await chat.say(GROUP_A, ADMIN, "/frobnicate")
    assert "/help" in (reply.text or "")
    assert "/frobnicate" in (reply.text or "")


async def test_command_with_the_bot_username_matches(chat: Chat) -> None:
    """/help@botname works; a command for another bot is ignored."""
    before = len(chat.fake.sent_messages(GROUP_A))
    chat.fake.send_text(GROUP_A, OWNER, "/help@other_bot")
    reply = await chat.say(GROUP_A, OWNER, f"/help@{chat.fake.bot_username}")
    assert "/problem" in (reply.text or "")
    assert len(chat.texts(GROUP_A, after=before)) == 1
