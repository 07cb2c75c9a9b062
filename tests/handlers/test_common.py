"""Reading a Telegram message: command arguments, mentions in UTF-16, and the admin cache."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, cast

import pytest
from telegram import ChatMember, Message
from telegram.error import Forbidden, NetworkError, TelegramError

from domain.problem_form import Mention
from handlers.common import (
    AdminCache,
    Context,
    caption,
    command_args,
    mentions_in,
    typed_args,
)
from playground.standin.formatting import utf16_len

GROUP = -1001234567890
OTHER_GROUP = -1009876543210
ZHANG = {"id": 5, "is_bot": False, "first_name": "张三", "username": "zhang_san"}
LI = {"id": 6, "is_bot": False, "first_name": "李", "last_name": "四"}


def entity(text: str, kind: str, span: str, **extra: Any) -> dict[str, Any]:
    """A Bot API entity of ``kind`` over the first ``span`` in ``text``, in UTF-16 units."""
    start = text.index(span)
    return {
        "type": kind,
        "offset": utf16_len(text[:start]),
        "length": utf16_len(span),
        **extra,
    }


def message(text: str, entities: Sequence[dict[str, Any]] = ()) -> Message:
    """A group text message as the Bot API sends it."""
    return Message.de_json(
        {
            "message_id": 7,
            "date": 1_764_000_000,
            "chat": {"id": GROUP, "type": "supergroup", "title": "第一支部"},
            "from": {"id": 1, "is_bot": False, "first_name": "王书记"},
            "text": text,
            "entities": list(entities),
        }
    )


def photo(caption: str, entities: Sequence[dict[str, Any]] = ()) -> Message:
    """A group photo with a caption as the Bot API sends it."""
    return Message.de_json(
        {
            "message_id": 8,
            "date": 1_764_000_000,
            "chat": {"id": GROUP, "type": "supergroup", "title": "第一支部"},
            "from": {"id": 1, "is_bot": False, "first_name": "王书记"},
            "photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}],
            "caption": caption,
            "caption_entities": list(entities),
        }
    )


def command(text: str, name: str) -> Message:
    """A text message that starts with the bot command ``name``."""
    return message(text, [entity(text, "bot_command", name)])


# --- command_args -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/problem 会议记录不全 @zhang_san 月底前", "/problem", "会议记录不全 @zhang_san 月底前"),
        ("/problem", "/problem", ""),
        ("/problem    多个空格", "/problem", "多个空格"),
        ("/problem\t制表符", "/problem", "制表符"),
        (
            "/problem@rectify_bot\n问题: 会议记录不全\n措施: 1.建立台账",
            "/problem@rectify_bot",
            "问题: 会议记录不全\n措施: 1.建立台账",
        ),
        ("/problem@rectify_bot  \n第二行开始", "/problem@rectify_bot", "第二行开始"),
        ("/problem\n\n空一行", "/problem", "\n空一行"),
        ("/note 3 😀 已整改 𠀀", "/note", "3 😀 已整改 𠀀"),
    ],
)
def test_command_args_are_the_text_after_the_command(text: str, name: str, args: str) -> None:
    """Spaces after the command and one newline are skipped; later newlines are kept."""
    read, offset = command_args(command(text, name))
    assert read == args
    assert text[offset:] == args


def test_command_args_read_a_photo_caption() -> None:
    """A command in a photo's caption has its arguments read from the caption."""
    caption = "/evidence@rectify_bot 3 整改照片"
    read, offset = command_args(
        photo(caption, [entity(caption, "bot_command", "/evidence@rectify_bot")])
    )
    assert (read, offset) == ("3 整改照片", 22)


@pytest.mark.parametrize(
    "msg",
    [
        message("会议记录不全"),
        message(
            "请 /problem 会议记录不全",
            [entity("请 /problem 会议记录不全", "bot_command", "/problem")],
        ),
    ],
    ids=["no command", "command not at the start"],
)
def test_without_a_leading_command_the_whole_text_is_the_argument(msg: Message) -> None:
    """Only a command at offset 0 is stripped; otherwise the text is returned from 0."""
    assert command_args(msg) == (msg.text, 0)


# --- typed_args: what is read, without invisible characters -----------------------------------


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("/show 1\u200b", "1"),
        ("/show \u200b 1", "1"),
        ("/problem 月底\u200b前", "月底前"),
        ("/problem \ufeff\u2060\u202e", ""),
        ("/problem\u200b\n\n空一行", "\n空一行"),
        ("/problem\n\n空一行", "\n空一行"),
    ],
)
def test_typed_args_leave_out_invisible_characters(text: str, args: str) -> None:
    """Format characters (zero-width, BOM, word joiner, bidi) are not part of what was typed."""
    assert typed_args(command(text, text.split()[0].rstrip("\u200b")))[0] == args


def test_typed_args_move_mentions_onto_the_cleaned_text() -> None:
    """Spans found on the text as typed (UTF-16 offsets) still cover the mentions once cleaned."""
    text = "/assign\u200b 1 \u200b😀\u200d @zhang_san \u2060张三"
    msg = message(
        text,
        [
            entity(text, "bot_command", "/assign"),
            entity(text, "mention", "@zhang_san"),
            entity(text, "text_mention", "张三", user=ZHANG),
        ],
    )
    args, mentions = typed_args(msg)
    assert args == "1 😀 @zhang_san 张三"
    assert [args[m.offset : m.offset + m.length] for m in mentions] == ["@zhang_san", "张三"]
    assert mentions[1].user_id == 5


# --- mentions_in --------------------------------------------------------------------------------


def test_username_mention_after_an_emoji_uses_python_offsets() -> None:
    """😀 is two UTF-16 units but one Python character: Telegram's offset 3 becomes 2."""
    text = "😀 @zhang_san 整改"
    msg = message(text, [{"type": "mention", "offset": 3, "length": 10}])
    assert mentions_in(msg) == (Mention(2, 10, username="zhang_san"),)


def test_mention_after_a_supplementary_cjk_character() -> None:
    """𠀀 (U+20000) is a surrogate pair in UTF-16: offset 5 in Telegram is 3 in Python."""
    text = "𠀀𠀀 @zhang_san"
    msg = message(text, [{"type": "mention", "offset": 5, "length": 10}])
    assert mentions_in(msg) == (Mention(3, 10, username="zhang_san"),)


@pytest.mark.parametrize(
    "text",
    [
        "/problem 会议记录不全 @zhang_san 月底前",
        "请张三和@zhang_san负责",
        "/problem 😀😀 整改 𠀀 @zhang_san\n措施: 1.建立台账",
        "/problem@rectify_bot\n问题: 😀\n责任人: @zhang_san",
    ],
)
def test_mention_spans_cover_the_mention_in_python_text(text: str) -> None:
    """Whatever precedes it, a mention's Python span slices out exactly ``@zhang_san``."""
    (found,) = mentions_in(message(text, [entity(text, "mention", "@zhang_san")]))
    assert text[found.offset : found.offset + found.length] == "@zhang_san"
    assert found.username == "zhang_san"
    assert found.user_id is None


def test_text_mentions_carry_the_user() -> None:
    """A text mention gives the user's id, username, and name as written (李四, not 李 四)."""
    text = "/assign 1 😀 张三 李四"
    msg = message(
        text,
        [
            entity(text, "bot_command", "/assign"),
            entity(text, "text_mention", "张三", user=ZHANG),
            entity(text, "text_mention", "李四", user=LI),
        ],
    )
    assert mentions_in(msg) == (
        Mention(12, 2, username="zhang_san", user_id=5, name="张三"),
        Mention(15, 2, username=None, user_id=6, name="李四"),
    )


def test_other_entities_are_not_mentions() -> None:
    """Commands, bold, links, e-mail addresses and hashtags are ignored."""
    text = "/problem 见 https://example.org 和 a.b@example.org #整改 @zhang_san"
    msg = message(
        text,
        [
            entity(text, "bot_command", "/problem"),
            entity(text, "url", "https://example.org"),
            entity(text, "email", "a.b@example.org"),
            entity(text, "hashtag", "#整改"),
            entity(text, "bold", "见"),
            entity(text, "mention", "@zhang_san"),
        ],
    )
    assert [m.username for m in mentions_in(msg)] == ["zhang_san"]


def test_mentions_in_a_photo_caption() -> None:
    """Caption entities of a photo are read like a text message's entities."""
    caption = "/evidence 3 😀 @zhang_san 已整改"
    msg = photo(
        caption,
        [entity(caption, "bot_command", "/evidence"), entity(caption, "mention", "@zhang_san")],
    )
    assert mentions_in(msg) == (Mention(14, 10, username="zhang_san"),)


def test_a_message_without_entities_mentions_nobody() -> None:
    """Plain text, even with an @ in it, has no mentions unless Telegram marked one."""
    assert mentions_in(message("会议记录不全 @zhang_san")) == ()


# --- AdminCache ---------------------------------------------------------------------------------


def _administrator(user_id: int) -> ChatMember:
    return ChatMember.de_json(
        {
            "status": "administrator",
            "user": {"id": user_id, "is_bot": False, "first_name": f"admin{user_id}"},
            "can_be_edited": False,
            "is_anonymous": False,
            "can_manage_chat": True,
            "can_delete_messages": True,
            "can_manage_video_chats": True,
            "can_restrict_members": True,
            "can_promote_members": False,
            "can_change_info": True,
            "can_invite_users": True,
            "can_post_stories": False,
            "can_edit_stories": False,
            "can_delete_stories": False,
        }
    )


def _creator(user_id: int) -> ChatMember:
    return ChatMember.de_json(
        {
            "status": "creator",
            "user": {"id": user_id, "is_bot": False, "first_name": f"creator{user_id}"},
            "is_anonymous": False,
        }
    )


class FakeBot:
    """Answers getChatAdministrators from a table and records every call."""

    def __init__(self, admins: Mapping[int, Sequence[int]], error: TelegramError | None = None):
        self.admins = dict(admins)
        self.error = error
        self.calls: list[int] = []

    async def get_chat_administrators(self, chat_id: int) -> tuple[ChatMember, ...]:
        """The creator (first id) and the administrators of ``chat_id``."""
        self.calls.append(chat_id)
        if self.error is not None:
            raise self.error
        if chat_id not in self.admins:
            raise Forbidden("Forbidden: bot was kicked from the group chat")
        creator, *others = self.admins[chat_id]
        return (_creator(creator), *(_administrator(user_id) for user_id in others))


class FakeContext:
    """The one attribute of a callback context the cache uses."""

    def __init__(self, bot: FakeBot) -> None:
        self.bot = bot


def context_for(bot: FakeBot) -> Context:
    """A fake context typed as the real one for the call."""
    return cast("Context", FakeContext(bot))


async def test_creator_and_administrators_are_admins_and_others_are_not() -> None:
    """The chat's creator and administrators count; a plain member does not."""
    bot = FakeBot({GROUP: [10, 11]})
    cache = AdminCache(frozenset())
    context = context_for(bot)
    assert await cache.is_admin(context, GROUP, 10)
    assert await cache.is_admin(context, GROUP, 11)
    assert not await cache.is_admin(context, GROUP, 12)


async def test_administrators_are_read_once_per_chat() -> None:
    """Within the cache lifetime, one getChatAdministrators per chat serves every question."""
    bot = FakeBot({GROUP: [10], OTHER_GROUP: [20]})
    cache = AdminCache(frozenset())
    context = context_for(bot)
    for user_id in (10, 11, 10, 20):
        await cache.is_admin(context, GROUP, user_id)
    assert not await cache.is_admin(context, OTHER_GROUP, 10)
    assert await cache.is_admin(context, OTHER_GROUP, 20)
    assert bot.calls == [GROUP, OTHER_GROUP]


async def test_the_cached_list_expires_after_its_lifetime() -> None:
    """A promotion is seen once the cache lifetime has passed, without forget()."""
    bot = FakeBot({GROUP: [10]})
    now = [1000.0]
    cache = AdminCache(frozenset(), ttl=300, monotonic=lambda: now[0])
    context = context_for(bot)
    assert not await cache.is_admin(context, GROUP, 11)
    bot.admins[GROUP] = [10, 11]
    now[0] += 299
    assert not await cache.is_admin(context, GROUP, 11)
    now[0] += 2
    assert await cache.is_admin(context, GROUP, 11)
    assert bot.calls == [GROUP, GROUP]


async def test_forget_makes_the_next_question_ask_telegram_again() -> None:
    """After forget(chat), a promoted member is seen; other chats stay cached."""
    bot = FakeBot({GROUP: [10], OTHER_GROUP: [20]})
    cache = AdminCache(frozenset())
    context = context_for(bot)
    assert not await cache.is_admin(context, GROUP, 11)
    await cache.is_admin(context, OTHER_GROUP, 20)
    bot.admins[GROUP] = [10, 11]
    assert not await cache.is_admin(context, GROUP, 11)  # still the cached list
    cache.forget(GROUP)
    assert await cache.is_admin(context, GROUP, 11)
    await cache.is_admin(context, OTHER_GROUP, 20)
    assert bot.calls == [GROUP, OTHER_GROUP, GROUP]


def test_forgetting_an_unknown_chat_is_harmless() -> None:
    """Forgetting a chat never asked about does nothing."""
    AdminCache(frozenset()).forget(GROUP)


@pytest.mark.parametrize("chat_id", [GROUP, 99])
async def test_superusers_are_admins_everywhere_without_asking(chat_id: int) -> None:
    """A superuser is an admin in any chat, and Telegram is not asked."""
    bot = FakeBot({})
    assert await AdminCache(frozenset({42})).is_admin(context_for(bot), chat_id, 42)
    assert bot.calls == []


async def test_nobody_is_an_admin_of_a_private_chat() -> None:
    """A private chat (positive id) has no administrators, and Telegram is not asked."""
    bot = FakeBot({})
    assert not await AdminCache(frozenset()).is_admin(context_for(bot), 99, 99)
    assert bot.calls == []


@pytest.mark.parametrize(
    "error", [Forbidden("Forbidden: bot was kicked"), NetworkError("connection reset")]
)
async def test_a_failed_lookup_denies_logs_and_is_not_cached(
    error: TelegramError, caplog: pytest.LogCaptureFixture
) -> None:
    """When Telegram fails, nobody is admin, a warning is logged, and the next call retries."""
    bot = FakeBot({GROUP: [10]}, error=error)
    cache = AdminCache(frozenset())
    context = context_for(bot)
    with caplog.at_level(logging.WARNING, logger="handlers.common"):
        assert not await cache.is_admin(context, GROUP, 10)
    assert str(GROUP) in caplog.text
    bot.error = None
    assert await cache.is_admin(context, GROUP, 10)
    assert bot.calls == [GROUP, GROUP]


# --- captions -----------------------------------------------------------------------------------


def test_a_caption_is_kept_within_1024_units() -> None:
    """A caption over Telegram's 1024 (UTF-16) is cut and marked; a short one is unchanged."""
    assert caption("#12 附件(张三)") == "#12 附件(张三)"
    long = caption("#12 附件(" + "😀" * 1000 + ")")
    assert utf16_len(long) <= 1024
    assert long.endswith("…")


async def test_a_group_above_that_cannot_be_asked_is_not_asked_on_every_command() -> None:
    """A committee that cannot be asked is asked once a minute; the group itself every time."""
    bot = FakeBot({GROUP: [10]})
    now = [1000.0]

    async def above(chat_id: int) -> list[int]:
        return [OTHER_GROUP]

    cache = AdminCache(frozenset(), monotonic=lambda: now[0], chats_above=above)
    context = context_for(bot)
    for _ in range(3):
        assert not await cache.is_admin(context, GROUP, 11)  # the bot left OTHER_GROUP
    assert bot.calls == [GROUP, OTHER_GROUP]
    now[0] += 61
    await cache.is_admin(context, GROUP, 11)
    assert bot.calls == [GROUP, OTHER_GROUP, OTHER_GROUP]
    failing = FakeBot({GROUP: [10]}, error=TelegramError("flood"))
    fresh = AdminCache(frozenset())
    for _ in range(2):
        assert not await fresh.is_admin(context_for(failing), GROUP, 10)
    assert failing.calls == [GROUP, GROUP]
