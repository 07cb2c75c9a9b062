"""Correcting an import preview by replying to it, through the real Application.

Each test stays well below Telegram's 20 bot messages a minute per group (a correction is one
edit and one short answer).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import build_runtime
from domain.clock import FixedClock
from domain.items import ItemSnapshot
from domain.workdays import read_holiday_lines
from playground.standin import FakeTelegram, SentMessage
from tests.e2e.conftest import (
    ADMIN,
    BYSTANDER,
    GROUP_A,
    OWNER,
    START,
    Chat,
    config_for,
    populate,
    start_runtime,
    stop_runtime,
)

PLAN = """(一)三会一课记录不规范
整改措施:建立会议记录台账
责任人:李四
(二)党费收缴不及时
整改措施:建立党费台账
(三)谈心谈话不经常
整改措施:每季度谈心一次
(四)档案管理不规范
整改措施:专人管理档案
(五)发展党员程序不规范
整改措施:逐人复核材料
"""


async def sent_since(chat: Chat, start: int, chat_id: int = GROUP_A) -> list[SentMessage]:
    """The bot's messages to the group since call ``start``, once every update is handled."""
    await chat.settle()
    return [m for m in chat.fake.sent_messages(chat_id) if m.call_index >= start]


async def preview_of(chat: Chat, text: str = PLAN, user: int = ADMIN) -> SentMessage:
    """Paste a plan after /import; the preview message (the one with the buttons)."""
    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, user, "/import\n" + text)
    return (await sent_since(chat, start))[-1]


async def correct(chat: Chat, preview: SentMessage, text: str, user: int = ADMIN) -> str:
    """Reply ``text`` to the preview; the bot's answer ("" when it says nothing)."""
    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, user, text, reply_to=preview.message_id)
    answers = await sent_since(chat, start)
    return "\n".join(m.plain_text or "" for m in answers)


def current(chat: Chat, preview: SentMessage) -> str:
    """The preview message's text as it stands now."""
    return str(chat.fake.message(GROUP_A, preview.message_id)["text"])


async def confirm(chat: Chat, preview: SentMessage) -> None:
    """Press [确认导入] (or [Import])."""
    label = preview.button_texts[0]
    answer = await chat.press(GROUP_A, preview.message_id, ADMIN, label)
    assert not answer.show_alert, answer.text


async def items(chat: Chat) -> tuple[ItemSnapshot, ...]:
    """The group's items with their fields."""
    ledger = chat.runtime.services.ledger
    listing = await ledger.group_items(GROUP_A)
    return tuple([(await ledger.show(GROUP_A, item.number)).item for item in listing.items])


async def test_corrections_edit_the_preview_and_confirmation_imports_it(chat: Chat) -> None:
    """去掉, 只导入, 统一… and one item's field: the preview shows each, confirmation imports it."""
    preview = await preview_of(chat)
    assert "回复本条" in current(chat, preview)
    answer = await correct(chat, preview, "去掉 5")
    assert "预览已修改:现共4项,确认后登记为 #1–#4" in answer
    assert "共4项" in current(chat, preview)
    assert "发展党员程序不规范" not in current(chat, preview)
    await correct(chat, preview, "只导入 1-3")
    await correct(chat, preview, "统一时限 月底前\n统一责任单位 第一党支部")
    await correct(chat, preview, "3 时限 12月31日前")
    shown = current(chat, preview)
    assert "共3项" in shown
    assert "责任单位:第一党支部" in shown
    assert "时限:2026-12-31(周四)〔12月31日前〕" in shown
    assert chat.fake.message(GROUP_A, preview.message_id)["reply_markup"]
    await confirm(chat, preview)
    created = await items(chat)
    assert [item.problem for item in created] == [
        "三会一课记录不规范",
        "党费收缴不及时",
        "谈心谈话不经常",
    ]
    assert {item.unit for item in created} == {"第一党支部"}
    assert [item.due.isoformat() if item.due else "" for item in created] == [
        "2026-11-30",
        "2026-11-30",
        "2026-12-31",
    ]


async def test_owners_set_by_reply_are_linked_to_members(chat: Chat) -> None:
    """统一责任人 @zhang 李四: @zhang is the member seen here, 李四 (a member's name) too."""
    for member in (OWNER, BYSTANDER):  # the bot sees members who use a command
        await chat.say(GROUP_A, member, "/mine")
    preview = await preview_of(chat, "1.台账不全\n整改措施:补齐\n责任人:王五")
    assert "未关联到群成员的责任人:王五" in current(chat, preview)
    await correct(chat, preview, "统一责任人 @zhang 李四")
    assert "未关联到群成员" not in current(chat, preview)
    await confirm(chat, preview)
    (item,) = await items(chat)
    assert [(o.name, o.user_id) for o in item.owners] == [("张三", OWNER), ("李四", BYSTANDER)]


async def test_a_bad_correction_says_how_and_changes_nothing(chat: Chat) -> None:
    """An unreadable reply gets the examples; the preview stays as it was."""
    preview = await preview_of(chat)
    before = current(chat, preview)
    answer = await correct(chat, preview, "把第三项改一下")
    assert "看不懂这条修改:“把第三项改一下”" in answer
    assert "去掉 3 5" in answer
    assert "统一时限 月底前" in answer
    answer = await correct(chat, preview, "去掉 9")
    assert "预览中没有第9项(共5项)" in answer
    answer = await correct(chat, preview, "2 时限 每月28日前")
    assert "周期性" in answer
    assert current(chat, preview) == before


async def test_members_cannot_correct_and_their_chatter_is_left_alone(chat: Chat) -> None:
    """A member's correction is refused; a member's "收到" under the preview gets no answer."""
    preview = await preview_of(chat)
    assert "只有管理员" in await correct(chat, preview, "去掉 1", user=OWNER)
    assert await correct(chat, preview, "收到", user=OWNER) == ""
    assert "共5项" in current(chat, preview)


async def test_a_superseded_preview_is_refused(chat: Chat) -> None:
    """Correcting a preview a newer one replaced says so."""
    earlier = await preview_of(chat)
    await preview_of(chat)
    assert "已被更新的预览取代" in await correct(chat, earlier, "去掉 1")


async def test_an_expired_preview_is_refused(chat: Chat) -> None:
    """Half an hour later the correction is refused and nothing is written."""
    preview = await preview_of(chat)
    chat.clock.set(START + timedelta(minutes=31))
    assert "已超过30分钟" in await correct(chat, preview, "去掉 1")
    assert await items(chat) == ()


async def test_a_confirmed_preview_is_refused(chat: Chat) -> None:
    """A correction replying to the 已导入 message is refused: it would change nothing."""
    preview = await preview_of(chat)
    await confirm(chat, preview)
    assert "已导入" in current(chat, preview)
    assert "已经确认过了" in await correct(chat, preview, "3 时限 12月31日前")
    assert len(await items(chat)) == 5


async def test_replies_to_cards_still_reach_the_ledger(chat: Chat) -> None:
    """Only previews are corrected: a reply to an item card is still progress."""
    card = await chat.say(GROUP_A, OWNER, "/problem 台账不全 @zhang 月底前")
    reply = await chat.say(GROUP_A, OWNER, "已补齐10月台账", reply_to=card.message_id)
    assert "已补齐10月台账" in (reply.plain_text or "")


async def test_english_corrections_in_an_english_group(chat: Chat) -> None:
    """Drop / only / all due … in English, the preview and answers in English."""
    await chat.say(GROUP_A, ADMIN, "/lang en")
    preview = await preview_of(chat)
    assert "drop 3" in current(chat, preview)
    answer = await correct(chat, preview, "drop 5\nall due end of month")
    assert "Preview corrected: items: 4" in answer
    assert "〔end of month〕" in current(chat, preview)
    await confirm(chat, preview)
    assert len(await items(chat)) == 4


async def test_a_table_pasted_from_excel(chat: Chat) -> None:
    """Tab-separated rows with a header import like the .xlsx."""
    table = "序号\t问题\t整改措施\t责任人\t整改时限\n1\t台账不全\t补齐台账\t李四\t月底前\n"
    preview = await preview_of(chat, table)
    assert "共1项" in current(chat, preview)
    await confirm(chat, preview)
    (item,) = await items(chat)
    assert (item.problem, item.due_phrase) == ("台账不全", "月底前")


async def test_settings_warn_about_next_years_holidays(chat: Chat) -> None:
    """With no 2027 holidays configured, /settings says so."""
    answer = await chat.say(GROUP_A, ADMIN, "/settings")
    assert "尚未配置2027年的节假日安排" in (answer.plain_text or "")


async def test_configured_holidays_reach_deadlines_and_settings(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    """[calendar] holidays move 5个工作日内; /settings warns only about the year still missing."""
    populate(fake_telegram)
    calendar = read_holiday_lines(["2027-02-06 ~ 2027-02-12 春节 休", "2027-02-14 班"])
    clock = FixedClock(datetime(2027, 2, 4, 2, 0, tzinfo=UTC))
    runtime = await start_runtime(config_for(fake_telegram, tmp_path, calendar=calendar), clock)
    handle = Chat(fake_telegram, runtime, clock)
    try:
        await handle.settle()
        card = await handle.say(GROUP_A, ADMIN, "/problem 台账不全 5个工作日内")
        assert "2027-02-17" in (card.plain_text or "")
        settings = await handle.say(GROUP_A, ADMIN, "/settings")
        assert "尚未配置2028年的节假日安排" in (settings.plain_text or "")
        assert "2027年" not in (settings.plain_text or "")
    finally:
        await stop_runtime(runtime)


def test_start_up_logs_unknown_holidays(
    fake_telegram: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Building the bot in November 2026 without 2027's holidays logs a warning."""
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        build_runtime(config_for(fake_telegram, tmp_path), FixedClock(START))
    assert any("2027" in record.getMessage() for record in caplog.records)
