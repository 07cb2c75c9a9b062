import asyncio
import datetime as dtm
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from playground.standin import FakeTelegram
from tests.fakebot.ptb import AnyApplication, connect, polling

GROUP = -1001234567890
ALICE = 111
BOB = 222


@pytest.fixture
def world(fake_telegram: FakeTelegram) -> FakeTelegram:
    """The fake with two users and one supergroup the bot is in."""
    fake_telegram.add_user(ALICE, "张三", username="zhangsan", started=True)
    fake_telegram.add_user(BOB, "李四")
    fake_telegram.add_group(GROUP, "第一支部")
    fake_telegram.make_admin(GROUP, ALICE, status="creator")
    return fake_telegram


@pytest_asyncio.fixture
async def bot(world: FakeTelegram) -> AsyncIterator[Bot]:
    """A plain PTB Bot pointed at the fake, initialised."""
    async with Bot(world.token, base_url=world.base_url, base_file_url=world.base_file_url) as b:
        yield b


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the command's arguments."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(" ".join(context.args or []) or "(nothing)")


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer two buttons."""
    assert update.effective_message is not None
    keyboard = [
        [InlineKeyboardButton("同意", callback_data="approve")],
        [InlineKeyboardButton("驳回", callback_data="reject")],
    ]
    await update.effective_message.reply_text(
        "<b>审核</b>", parse_mode=ParseMode.HTML, reply_markup=InlineKeyboardMarkup(keyboard)
    )


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button press and replace the menu by the decision."""
    query = update.callback_query
    assert query is not None
    await query.answer(f"已{query.data}")
    await query.edit_message_text(f"结果：{query.data}")


@pytest_asyncio.fixture
async def app(world: FakeTelegram) -> AsyncIterator[AnyApplication]:
    """A polling PTB Application with /echo, /menu and a button handler."""
    application = connect(Application.builder(), world).build()
    application.add_handler(CommandHandler("echo", echo))
    application.add_handler(CommandHandler("menu", menu))
    application.add_handler(CallbackQueryHandler(decide))
    async with polling(application) as running:
        yield running


async def test_get_me_returns_the_configured_bot(bot: Bot) -> None:
    """The getMe answer is the fake bot's identity, which PTB caches at initialize."""
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name) == (999, "rectify_test_bot", "整改台账")
    assert me.is_bot
    assert me.can_join_groups
    assert not me.can_read_all_group_messages
    assert bot.username == "rectify_test_bot"


async def test_wrong_token_is_rejected_at_initialize(fake_telegram: FakeTelegram) -> None:
    """A token the fake does not know makes Bot.initialize raise InvalidToken (401)."""
    stranger = Bot("123:wrong", base_url=fake_telegram.base_url)
    try:
        with pytest.raises(InvalidToken):
            await stranger.initialize()
    finally:
        await stranger.shutdown()
    assert fake_telegram.calls[-1].status == 401
    assert fake_telegram.calls[-1].response["description"] == "Unauthorized"


async def test_polling_round_trip_with_command_handler(
    world: FakeTelegram, app: AnyApplication
) -> None:
    """A user's /echo reaches the polling app, whose reply quotes the command message."""
    reply = await world.say(GROUP, ALICE, "/echo 你好 世界")
    assert reply.text == "你好 世界"
    command = world.messages(GROUP)[0]
    assert reply.reply_to == command["message_id"]
    assert world.calls_to("deleteWebhook"), "PTB deletes the webhook before polling"


async def test_polling_stops_with_a_final_acknowledging_get_updates(world: FakeTelegram) -> None:
    """Stopping the updater acknowledges fetched updates with getUpdates(timeout=0)."""
    application = connect(Application.builder(), world).build()
    application.add_handler(CommandHandler("echo", echo))
    async with polling(application):
        await world.say(GROUP, ALICE, "/echo 1")
    last = world.calls_to("getUpdates")[-1]
    assert last.params["timeout"] == 0
    assert world.pending_update_ids == []


async def test_command_addressed_to_the_bot_by_username_matches(
    world: FakeTelegram, app: AnyApplication
) -> None:
    """/echo@rectify_test_bot is the same command, with a bot_command entity spanning both."""
    message = world.send_text(GROUP, ALICE, "/echo@rectify_test_bot 好")
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 22}]
    reply = await world.wait_reply(GROUP)
    assert reply.text == "好"


async def test_command_for_another_bot_is_ignored(world: FakeTelegram, app: AnyApplication) -> None:
    """/echo@other_bot gets no answer; settle() proves the silence without sleeping."""
    start = world.mark()
    world.send_text(GROUP, ALICE, "/echo@other_bot 好")
    await world.settle(app.update_queue)
    assert world.sent_messages(GROUP) == []
    assert [c.method for c in world.calls[start:]] == ["getUpdates"] * (len(world.calls) - start)


async def test_button_press_round_trip(world: FakeTelegram, app: AnyApplication) -> None:
    """Pressing an inline button reaches the app, which answers the query and edits the text."""
    offer = await world.say(GROUP, ALICE, "/menu")
    assert offer.button_texts == ["同意", "驳回"]
    assert offer.plain_text == "审核"
    start = world.mark()
    query_id = world.press_button(GROUP, offer.message_id, BOB, text="驳回")
    answer = await world.wait_callback_answer(query_id)
    assert answer.text == "已reject"
    await world.wait_call("editMessageText", after=start)
    edited = world.message(GROUP, offer.message_id)
    assert edited["text"] == "结果：reject"
    assert "reply_markup" not in edited


async def test_malformed_html_is_refused(bot: Bot) -> None:
    """An unclosed tag in parse_mode=HTML is a BadRequest "can't parse entities"."""
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: can't find end tag"):
        await bot.send_message(GROUP, "<b>粗体", parse_mode=ParseMode.HTML)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a < b", 'unsupported start tag ""'),
        ("<br>", 'unsupported start tag "br"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("x</b>", "unexpected end tag"),
        ("AT&T", "unsupported html entity"),
        ('<span class="x">y</span>', 'must have class "tg-spoiler"'),
        ('<a href="https://e.org">x', 'start tag "a"'),
        ("<b", "unclosed start tag"),
    ],
)
async def test_html_that_telegram_refuses_is_refused(bot: Bot, text: str, error: str) -> None:
    """Each kind of malformed HTML gets 400 "can't parse entities" naming the problem."""
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(GROUP, text, parse_mode=ParseMode.HTML)
    assert error in caught.value.message.lower()


async def test_valid_html_becomes_plain_text_with_entities(world: FakeTelegram, bot: Bot) -> None:
    """Supported tags and entities parse into text plus UTF-16 entities, as Telegram returns."""
    sent = await bot.send_message(
        GROUP,
        '😀 <b>粗</b> &lt;<a href="https://e.org">链</a>&amp;'
        '<pre><code class="language-py">x</code></pre>',
        parse_mode=ParseMode.HTML,
    )
    assert sent.text == "😀 粗 <链&x"
    kinds = [(e.type, e.offset, e.length) for e in sent.entities]
    assert kinds == [("bold", 3, 1), ("text_link", 6, 1), ("pre", 8, 1)]
    assert sent.entities[2].language == "py"
    assert world.last_message(GROUP).parse_mode == "HTML"


async def test_text_length_is_counted_after_parsing(bot: Bot) -> None:
    """4096 characters after unescaping pass; 4097 are "message is too long"."""
    await bot.send_message(GROUP, "&amp;" * 4096, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(GROUP, "字" * 4097)


async def test_text_length_is_measured_in_utf16_units(bot: Bot) -> None:
    """An emoji counts two UTF-16 units: 2048 fill the 4096 allowed, 2049 are too long."""
    await bot.send_message(GROUP, "😀" * 2048)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(GROUP, "😀" * 2049)


async def test_caption_length_is_measured_in_utf16_units(bot: Bot) -> None:
    """Captions allow 1024 UTF-16 units after parsing: 1024 Chinese characters, not 513 emoji."""
    await bot.send_document(
        GROUP, b"x", filename="a.txt", caption="<b>" + "字" * 1024 + "</b>", parse_mode="HTML"
    )
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(GROUP, b"x", filename="a.txt", caption="😀" * 513)


async def test_more_than_100_inline_buttons_are_refused(bot: Bot) -> None:
    """An inline keyboard holds at most 100 buttons; one more is "reply markup is too long"."""

    def keyboard(count: int) -> InlineKeyboardMarkup:
        buttons = [InlineKeyboardButton(str(n), callback_data=str(n)) for n in range(count)]
        return InlineKeyboardMarkup([buttons[i : i + 8] for i in range(0, count, 8)])

    await bot.send_message(GROUP, "100", reply_markup=keyboard(100))
    with pytest.raises(BadRequest, match=r"(?i)reply markup is too long"):
        await bot.send_message(GROUP, "101", reply_markup=keyboard(101))


async def test_empty_text_and_unknown_chat_are_refused(bot: Bot) -> None:
    """Whitespace-only text is "message text is empty"; an unknown chat is "chat not found"."""
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(GROUP, "  <b> </b> ", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(-100999, "hi")


async def test_invalid_inline_keyboard_is_refused(bot: Bot) -> None:
    """callback_data over 64 bytes is refused with BUTTON_DATA_INVALID."""
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="整" * 22)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(GROUP, "hi", reply_markup=markup)


async def test_edits_follow_telegram_rules(world: FakeTelegram, bot: Bot) -> None:
    """Editing a missing message or changing nothing is a BadRequest; a real edit is stored."""
    sent = await bot.send_message(GROUP, "一")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("一", GROUP, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("二", GROUP, sent.message_id + 5)
    await bot.edit_message_text("二", GROUP, sent.message_id)
    assert world.message(GROUP, sent.message_id)["text"] == "二"


async def test_429_is_raised_as_retry_after(world: FakeTelegram, bot: Bot) -> None:
    """An injected 429 carries retry_after, which PTB raises as RetryAfter; the next call passes."""
    world.fail_next("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(GROUP, "hi")
    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    assert world.calls_to("sendMessage")[0].description == "Too Many Requests: retry after 7"
    await bot.send_message(GROUP, "hi")


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_network_errors(world: FakeTelegram, bot: Bot, status: int) -> None:
    """Injected 500 and 502 answers surface as NetworkError."""
    world.fail_next("sendMessage", status=status)
    with pytest.raises(NetworkError):
        await bot.send_message(GROUP, "hi")


async def test_kicked_bot_and_blocking_user_get_forbidden(world: FakeTelegram, bot: Bot) -> None:
    """After removal from a group or a block by a user, sends get 403 Forbidden."""
    world.remove_bot_from_group(GROUP, ALICE)
    with pytest.raises(Forbidden, match=r"(?i)bot was kicked from the supergroup chat"):
        await bot.send_message(GROUP, "hi")
    world.block_bot(ALICE)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(ALICE, "hi")
    with pytest.raises(Forbidden, match=r"(?i)can't initiate conversation"):
        await bot.send_message(BOB, "hi")
    changes = [u.my_chat_member for u in await bot.get_updates()]
    kinds = [(c.new_chat_member.status, c.chat.id) for c in changes if c is not None]
    assert kinds == [("kicked", GROUP), ("kicked", ALICE)]


async def test_migrated_group_answers_chat_migrated(world: FakeTelegram, bot: Bot) -> None:
    """Sends to an upgraded group raise ChatMigrated; both service messages are queued."""
    world.add_group(-4001, "旧群", type="group")
    world.add_member(-4001, ALICE, status="creator")
    world.migrate_group(-4001, -1004001)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-4001, "hi")
    assert caught.value.new_chat_id == -1004001
    updates = await bot.get_updates()
    messages = [u.message for u in updates if u.message is not None]
    assert [m.migrate_to_chat_id for m in messages] == [-1004001, None]
    assert [m.migrate_from_chat_id for m in messages] == [None, -4001]
    await bot.send_message(-1004001, "hi")


async def test_document_upload_is_recorded_with_its_bytes(world: FakeTelegram, bot: Bot) -> None:
    """A sendDocument with bytes is a multipart upload; the fake keeps name, bytes, caption."""
    await bot.send_document(
        GROUP, b"\x00xlsx-bytes", filename="台账.xlsx", caption="<i>导出</i>", parse_mode="HTML"
    )
    (document,) = world.documents(GROUP)
    assert document.document is not None
    assert document.document.filename == "台账.xlsx"
    assert document.document.content == b"\x00xlsx-bytes"
    assert document.plain_text == "导出"
    assert world.calls_to("sendDocument")[0].files == {"document": b"\x00xlsx-bytes"}


async def test_user_document_can_be_downloaded(world: FakeTelegram, bot: Bot) -> None:
    """A user's document arrives as an update; getFile plus download yields its bytes."""
    world.send_document(GROUP, ALICE, "计划.docx", b"PK\x03\x04plan", caption="/import")
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.document is not None
    assert update.message.document.file_name == "计划.docx"
    file = await update.message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"PK\x03\x04plan"
    assert world.downloads == ["documents/file_1.docx"]


async def test_set_my_commands_is_recorded_decoded(world: FakeTelegram, bot: Bot) -> None:
    """The setMyCommands list arrives as a JSON string; the fake decodes, stores, returns it."""
    await bot.set_my_commands([BotCommand("list", "列出整改事项")], language_code="zh")
    call = world.calls_to("setMyCommands")[0]
    assert call.params["commands"] == [{"command": "list", "description": "列出整改事项"}]
    assert world.my_commands(language_code="zh") == call.params["commands"]
    assert [c.command for c in await bot.get_my_commands(language_code="zh")] == ["list"]
    with pytest.raises(BadRequest):
        await bot.set_my_commands([BotCommand("List", "大写不行")])


async def test_long_poll_is_held_until_an_update_arrives(world: FakeTelegram, bot: Bot) -> None:
    """A getUpdates with a timeout waits for the next update instead of answering empty."""
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await world.wait_for(lambda: world.waiting_polls == 1)
    world.send_text(ALICE, ALICE, "hi")
    (update,) = await poll
    assert update.message is not None
    assert update.message.text == "hi"


async def test_second_poll_terminates_the_first_with_conflict(
    world: FakeTelegram, bot: Bot
) -> None:
    """Two bot instances polling at once: the earlier getUpdates gets 409 Conflict."""
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await world.wait_for(lambda: world.waiting_polls == 1)
    async with Bot(world.token, base_url=world.base_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict):
        await first


async def test_stop_releases_a_pending_long_poll(fake_telegram: FakeTelegram) -> None:
    """stop() answers a held getUpdates at once rather than after its timeout."""
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url) as b:
        poll = asyncio.create_task(b.get_updates(timeout=30))
        await fake_telegram.wait_for(lambda: fake_telegram.waiting_polls == 1)
        await fake_telegram.stop()
        assert await poll == ()


async def test_slow_answer_makes_the_client_time_out(world: FakeTelegram, bot: Bot) -> None:
    """An injected delay longer than the client's read timeout surfaces as TimedOut."""
    world.fail_next("sendMessage", delay=30)
    with pytest.raises(TimedOut):
        await bot.send_message(GROUP, "hi", read_timeout=0.05)
    call = await world.wait_call("sendMessage", after=0)
    assert call.status == 499


async def test_privacy_mode_hides_plain_group_messages(world: FakeTelegram) -> None:
    """Plain group text is withheld from a non-admin bot; mentions, replies and admins get it."""
    world.send_text(GROUP, ALICE, "普通消息")
    assert world.pending_update_ids == []
    world.send_text(GROUP, ALICE, "请 @rectify_test_bot 处理")
    world.make_admin(GROUP, world.bot_id)
    world.send_text(GROUP, ALICE, "现在能看到")
    assert len(world.pending_update_ids) == 2
    assert [m["text"] for m in world.unseen_messages] == ["普通消息"]


async def test_text_mentions_use_utf16_offsets(world: FakeTelegram) -> None:
    """Entities count UTF-16 code units, so an emoji before a mention shifts it by two."""
    message = world.send_text(ALICE, ALICE, "😀 @zhangsan", mentions=[(BOB, "李四")])
    assert message["text"] == "😀 @zhangsan 李四"
    mention, text_mention = message["entities"]
    assert mention == {"type": "mention", "offset": 3, "length": 9}
    assert (text_mention["type"], text_mention["offset"], text_mention["length"]) == (
        "text_mention",
        13,
        2,
    )
    assert text_mention["user"]["id"] == BOB


async def test_bot_added_to_group_gets_my_chat_member(world: FakeTelegram) -> None:
    """Adding the bot queues my_chat_member (left -> member) and a new_chat_members message."""
    application = connect(Application.builder(), world).build()
    seen: list[str] = []

    async def joined(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.my_chat_member is not None
        seen.append(update.my_chat_member.new_chat_member.status)

    async def welcome(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "大家好")

    application.add_handler(ChatMemberHandler(joined, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(MessageHandler(filters.StatusUpdate.NEW_CHAT_MEMBERS, welcome))
    world.add_group(-1002, "新群", with_bot=False)
    async with polling(application):
        world.add_bot_to_group(-1002, ALICE)
        reply = await world.wait_reply(-1002)
    assert reply.text == "大家好"
    assert seen == ["member"]


async def test_chat_information_parses_in_ptb(world: FakeTelegram, bot: Bot) -> None:
    """The getChat, getChatAdministrators, getChatMember and count answers parse in PTB."""
    world.make_admin(GROUP, BOB)
    chat = await bot.get_chat(GROUP)
    assert (chat.title, chat.type) == ("第一支部", "supergroup")
    admins = await bot.get_chat_administrators(GROUP)
    assert sorted((a.user.id, a.status) for a in admins) == [
        (ALICE, "creator"),
        (BOB, "administrator"),
    ]
    assert (await bot.get_chat_member(GROUP, world.bot_id)).status == "member"
    assert await bot.get_chat_member_count(GROUP) == 3
    with pytest.raises(BadRequest, match=r"(?i)user not found"):
        await bot.get_chat_member(GROUP, 404)


async def test_other_methods_answer_like_telegram(world: FakeTelegram, bot: Bot) -> None:
    """Photos, markup edits, deletions, chat actions, menu button and leaving all work."""
    photo = await bot.send_photo(GROUP, b"\xff\xd8fake-jpeg", caption="照片")
    assert photo.photo
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("好", callback_data="ok")]])
    await bot.edit_message_reply_markup(GROUP, photo.message_id, reply_markup=markup)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(GROUP, photo.message_id, reply_markup=markup)
    assert await bot.send_chat_action(GROUP, ChatAction.TYPING)
    assert await bot.set_chat_menu_button()
    assert await bot.delete_message(GROUP, photo.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(GROUP, photo.message_id)
    user_message = world.send_text(GROUP, ALICE, "/x")
    with pytest.raises(BadRequest, match=r"(?i)message can't be deleted"):
        await bot.delete_message(GROUP, user_message["message_id"])
    assert await bot.leave_chat(GROUP)
    assert world.member_status(GROUP, world.bot_id) == "left"
    with pytest.raises(Forbidden, match=r"(?i)bot is not a member"):
        await bot.send_message(GROUP, "hi")


async def test_unknown_method_is_not_found(bot: Bot) -> None:
    """A method the fake does not implement answers 404, which PTB reports as such."""
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendRocket", api_kwargs={"chat_id": GROUP})


async def test_raw_http_json_body_and_malformed_token(world: FakeTelegram) -> None:
    """JSON bodies are accepted like forms; a malformed token answers 404 Not Found."""
    async with aiohttp.ClientSession() as session:
        url = f"{world.base_url}{world.token}/sendMessage"
        body = {"chat_id": GROUP, "text": "json", "reply_markup": {"remove_keyboard": True}}
        async with session.post(url, json=body) as response:
            answer = await response.json()
        assert answer["ok"] is True
        assert answer["result"]["text"] == "json"
        async with session.post(f"{world.base_url}nonsense/getMe") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
    assert world.calls_to("sendMessage")[0].params["reply_markup"] == {"remove_keyboard": True}
