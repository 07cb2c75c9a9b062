"""Who acts, and what stays of a request: anonymous admins, extensions, prompts, late presses.

Each test keeps well below the 20 bot messages a minute a group allows.
"""

from __future__ import annotations

from tests.e2e.conftest import ADMIN, BYSTANDER, GROUP_A, OWNER, Chat


async def register(chat: Chat, text: str = "/problem 三会一课记录不规范 @zhang 月底前") -> None:
    """Register item #1 in group A, owned by @zhang (who writes first so @zhang is known)."""
    await chat.say(GROUP_A, OWNER, "/help")
    await chat.say(GROUP_A, ADMIN, text)


def has_buttons(chat: Chat, message_id: int) -> bool:
    """Whether a message in group A still carries an inline keyboard."""
    markup = chat.fake.message(GROUP_A, message_id).get("reply_markup") or {}
    return bool(markup.get("inline_keyboard"))


async def test_an_anonymous_admin_acts_as_an_admin(chat: Chat) -> None:
    """A message from GroupAnonymousBot with sender_chat = the group comes from an admin."""
    await register(chat)
    await chat.say(GROUP_A, OWNER, "/done 1")
    approved = await chat.say(GROUP_A, ADMIN, "/approve 1", anonymous=True)
    assert "#1 验收通过" in (approved.plain_text or "")
    changed = await chat.say(GROUP_A, ADMIN, "/settings 督办天数 5", anonymous=True)
    assert "只有管理员" not in (changed.plain_text or "")
    assert "5" in (changed.plain_text or "")
    deleted = await chat.say(GROUP_A, ADMIN, "/delete 1", anonymous=True)
    assert "已删除 #1" in (deleted.plain_text or "")
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "匿名管理员 验收通过" in (shown.plain_text or "")
    assert "Group" not in (shown.plain_text or "")


async def test_an_anonymous_admin_is_never_an_owner(chat: Chat) -> None:
    """The group cannot claim an item: an owner is always a person."""
    await register(chat)
    claimed = await chat.say(GROUP_A, ADMIN, "/claim 1", anonymous=True)
    assert "匿名" in (claimed.plain_text or "")
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "匿名管理员" not in (shown.plain_text or "").split("责任人:")[1].split("\n")[0]


async def test_extend_never_asks_for_a_day_in_the_past(chat: Chat) -> None:
    """Without a deadline yet, /extend to a past date is refused all the same."""
    await register(chat, "/problem 支委会记录未签字 @zhang")
    past = await chat.say(GROUP_A, OWNER, "/extend 1 2020-01-01 等待批复")
    assert "2020-01-01" in (past.plain_text or "")
    assert not past.buttons
    assert "今天" in (past.plain_text or "")


async def test_closing_an_item_withdraws_its_extension_request(chat: Chat) -> None:
    """/extend, /done, /approve: the request is withdrawn, logged, and its buttons go."""
    await register(chat)
    request = await chat.say(GROUP_A, OWNER, "/extend 1 12月31日前 等待上级批复")
    assert has_buttons(chat, request.message_id)
    await chat.say(GROUP_A, OWNER, "/done 1")
    approved = await chat.say(GROUP_A, ADMIN, "/approve 1")
    assert "延期申请已撤回" in (approved.plain_text or "")
    await chat.settle()
    assert not has_buttons(chat, request.message_id)
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    text = shown.plain_text or ""
    assert "待审批" not in text
    assert "已撤回" in text
    assert "撤回延期至2026-12-31的申请" in text


async def test_deleting_an_item_withdraws_its_extension_request(chat: Chat) -> None:
    """/delete withdraws a waiting request too, and its buttons go."""
    await register(chat)
    request = await chat.say(GROUP_A, OWNER, "/extend 1 12月31日前 等待上级批复")
    deleted = await chat.say(GROUP_A, ADMIN, "/delete 1")
    assert "延期申请已撤回" in (deleted.plain_text or "")
    await chat.settle()
    assert not has_buttons(chat, request.message_id)
    await chat.say(GROUP_A, ADMIN, "/undelete 1")
    shown = (await chat.say(GROUP_A, ADMIN, "/show 1")).plain_text or ""
    assert "撤回延期至2026-12-31的申请(事项已销号、删除或另定时限,无需再审批)" in shown  # logged


async def test_acknowledging_a_card_is_not_progress(chat: Chat) -> None:
    """收到 / 👍 under a card is recorded as 已签收, says so, and is no 推进情况."""
    await register(chat)
    card = await chat.say(GROUP_A, OWNER, "/show 1")
    ack = await chat.say(GROUP_A, OWNER, "收到!", reply_to=card.message_id)
    text = ack.plain_text or ""
    assert "已签收 #1" in text
    assert "不计入推进情况" in text
    thumbs = await chat.say(GROUP_A, OWNER, "👍👍", reply_to=card.message_id)
    assert "已签收 #1" in (thumbs.plain_text or "")
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    shown_text = shown.plain_text or ""
    assert "推进情况" not in shown_text
    assert "张三 签收" in shown_text
    progress = await chat.say(GROUP_A, OWNER, "台账已补齐一半", reply_to=card.message_id)
    assert "已记录进展 #1" in (progress.plain_text or "")


async def test_prompt_replies_by_someone_not_allowed_are_refused_alike(chat: Chat) -> None:
    """A bystander replying to a [报进展] prompt and to a [退回] prompt is told why not."""
    await register(chat)
    card = await chat.say(GROUP_A, OWNER, "/show 1")
    start = chat.fake.mark()
    chat.fake.press_button(GROUP_A, card.message_id, OWNER, text="报进展")
    progress_prompt = await chat.fake.wait_reply(GROUP_A, after=start)
    refused = await chat.say(GROUP_A, BYSTANDER, "已整改", reply_to=progress_prompt.message_id)
    assert "只有 #1 的责任人或管理员可以报进展" in (refused.plain_text or "")
    await chat.say(GROUP_A, OWNER, "/done 1")
    pending = await chat.say(GROUP_A, OWNER, "/show 1")
    start = chat.fake.mark()
    chat.fake.press_button(GROUP_A, pending.message_id, ADMIN, text="退回")
    reject_prompt = await chat.fake.wait_reply(GROUP_A, after=start)
    refused = await chat.say(GROUP_A, BYSTANDER, "不合格", reply_to=reject_prompt.message_id)
    assert "只有管理员" in (refused.plain_text or "")


async def test_a_second_press_of_approve_says_who_closed_it(chat: Chat) -> None:
    """Two quick presses of 通过: the second is told the item was already closed, and by whom."""
    await register(chat)
    await chat.say(GROUP_A, OWNER, "/done 1")
    card = await chat.say(GROUP_A, OWNER, "/show 1")
    first = chat.fake.press_button(GROUP_A, card.message_id, ADMIN, text="通过")
    second = chat.fake.press_button(GROUP_A, card.message_id, ADMIN, text="通过")
    await chat.fake.wait_callback_answer(first)
    answer = await chat.fake.wait_callback_answer(second)
    assert answer.text == "#1 已由王书记验收销号。"


async def test_editing_a_problem_message_is_answered_once(chat: Chat) -> None:
    """Editing a /problem message says that edits are not applied and names /edit N, once."""
    await chat.say(GROUP_A, OWNER, "/help")
    sent = chat.fake.send_text(GROUP_A, ADMIN, "/problem 三会一课记录不规范 @zhang 月底前")
    await chat.fake.wait_reply(GROUP_A)
    start = chat.fake.mark()
    chat.fake.edit_text(GROUP_A, sent["message_id"], "/problem 三会一课记录不全 @zhang 月底前")
    answer = await chat.fake.wait_reply(GROUP_A, after=start)
    assert "/edit 1" in (answer.plain_text or "")
    chat.fake.edit_text(GROUP_A, sent["message_id"], "/problem 三会一课记录缺失 @zhang 月底前")
    await chat.settle()
    answers = [m for m in chat.fake.sent_messages(GROUP_A) if m.call_index >= start]
    assert len(answers) == 1
