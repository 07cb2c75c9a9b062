"""Big ledgers through the real bot: a 100-item plan, 200 progress reports, a huge card.

Every message the bot sends passes the stand-in's checks (valid HTML, 4,096 UTF-16 units,
100 buttons); these tests add that nothing is lost on the way: pages turn in place with their
buttons still working, and a message cut to fit says how to see the rest. Bulk data is set up
through the services, so each group stays well below Telegram's 20 messages a minute.
"""

from __future__ import annotations

import re
from datetime import timedelta

from domain.items import Actor
from domain.problem_form import read_problem
from domain.vocabulary import cn_numeral
from playground.standin import SentMessage
from tests.e2e.conftest import ADMIN, BYSTANDER, GROUP_A, OWNER, START, Chat
from tests.e2e.test_import_export import docx_of, import_file, items_of

ADMIN_ACTOR = Actor(ADMIN, "王书记", "wang", is_admin=True)
OWNER_ACTOR = Actor(OWNER, "张三", "zhang")


def hundred_item_plan() -> str:
    """A plan of ten sections of ten numbered items each (a real plan's shape and size)."""
    lines: list[str] = []
    for section in range(1, 11):
        lines.append(f"{cn_numeral(section)}、第{section}方面存在的问题")
        for n in range(1, 11):
            lines += [
                f"({cn_numeral(n)})三会一课记录不规范<{section}-{n}>,会议记录缺少签到表😀",
                "整改措施:",
                "1.建立会议记录台账",
                "2.每月检查一次 & 通报",
                "责任人:张三、李四",
                "落实时限:尽快<完成>" if n == 10 else f"落实时限:2026年12月{n + 1}日前",
            ]
    return "\n".join(lines)


def page_count(message: SentMessage | dict[str, object]) -> tuple[int, int]:
    """The page line of a paged preview: (this page, pages)."""
    text = message.plain_text if isinstance(message, SentMessage) else str(message["text"])
    match = re.search(r"第(\d+)/(\d+)页", text or "")
    assert match is not None, text
    return int(match.group(1)), int(match.group(2))


async def test_a_hundred_item_plan_pages_in_place_and_imports_whole(chat: Chat) -> None:
    """One preview message turned with ▶ shows all 100 items; [确认导入] on any page imports all."""
    messages = await import_file(chat, "整改方案.docx", docx_of(hundred_item_plan()))
    assert len(messages) == 1
    preview = messages[0]
    assert preview.button_texts == ["下一页 ▶", "确认导入", "取消"]
    page, pages = page_count(preview)
    assert (page, pages) == (1, pages)
    assert pages > 1
    seen = re.findall(r"<(\d+-\d+)>", preview.plain_text or "")
    for turn in range(2, pages + 1):
        answer = await chat.press(GROUP_A, preview.message_id, OWNER, "下一页 ▶")
        assert not answer.show_alert
        edited = chat.fake.message(GROUP_A, preview.message_id)
        assert page_count(edited) == (turn, pages)
        seen += re.findall(r"<(\d+-\d+)>", str(edited["text"]))
    assert len(seen) == 100
    assert len(set(seen)) == 100
    last = chat.fake.message(GROUP_A, preview.message_id)
    assert "尽快<完成>" in str(last["text"])  # the warnings come last
    await chat.press(GROUP_A, preview.message_id, OWNER, "◀ 上一页")
    assert page_count(chat.fake.message(GROUP_A, preview.message_id)) == (pages - 1, pages)
    answer = await chat.press(GROUP_A, preview.message_id, ADMIN, "确认导入")
    assert not answer.show_alert, answer.text
    assert "已导入100项:#1–#100" in str(chat.fake.message(GROUP_A, preview.message_id)["text"])
    assert len(await items_of(chat)) == 100


async def test_an_expired_preview_says_so_when_turned(chat: Chat) -> None:
    """▶ on a preview older than 30 minutes rewrites it to say it expired; nothing imported."""
    preview = (await import_file(chat, "plan.txt", hundred_item_plan().encode()))[0]
    chat.clock.set(START + timedelta(minutes=31))
    answer = await chat.press(GROUP_A, preview.message_id, OWNER, "下一页 ▶")
    assert answer.show_alert
    assert "已失效" in str(chat.fake.message(GROUP_A, preview.message_id)["text"])
    assert await items_of(chat) == ()


async def test_show_with_200_progress_reports_pages_back_in_place(chat: Chat) -> None:
    """/show: the latest 20 and the count; ◀ 更早 pages back to the first report, buttons intact."""
    services = chat.runtime.services
    await chat.say(GROUP_A, OWNER, "/help")
    draft = read_problem("三会一课记录不规范 @zhang 月底前", (), START.date(), soft_days=3)
    await services.ledger.register(GROUP_A, ADMIN_ACTOR, draft)
    for n in range(1, 201):
        await services.ledger.progress(GROUP_A, OWNER_ACTOR, 1, f"第{n}次进展<已落实>", None)
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "推进情况(共200条,显示最近20条" in (shown.plain_text or "")
    assert shown.button_texts == ["认领", "报进展", "申请销号", "◀ 更早"]
    reports = [int(n) for n in re.findall(r"第(\d+)次进展<已落实>", shown.plain_text or "")]
    pressed = 0
    while "◀ 更早" in [
        b["text"]
        for row in chat.fake.message(GROUP_A, shown.message_id)["reply_markup"]["inline_keyboard"]
        for b in row
    ]:
        await chat.press(GROUP_A, shown.message_id, OWNER, "◀ 更早")
        pressed += 1
        text = str(chat.fake.message(GROUP_A, shown.message_id)["text"])
        page = re.findall(r"^  .*第(\d+)次进展<已落实>", text, re.M)
        reports = [int(n) for n in page] + reports
    assert pressed >= 9
    assert sorted(set(reports)) == list(range(1, 201))
    answer = await chat.press(GROUP_A, shown.message_id, OWNER, "更近 ▶")
    assert not answer.show_alert
    reply = await chat.say(GROUP_A, OWNER, "又一次进展", reply_to=shown.message_id)
    assert "#1" in (reply.plain_text or "")


async def test_a_card_too_long_to_edit_in_place_says_how_to_see_it(chat: Chat) -> None:
    """[认领] under a card of 4,000 emoji: the edited card fits and ends with /show 1."""
    await chat.say(GROUP_A, OWNER, "/help")
    draft = read_problem(f"{'😀' * 3990} @zhang 月底前", (), START.date(), soft_days=3)
    await chat.runtime.services.ledger.register(GROUP_A, ADMIN_ACTOR, draft)
    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, ADMIN, "/show 1")
    await chat.settle()
    parts = [m for m in chat.fake.sent_messages(GROUP_A) if m.call_index >= start]
    assert len(parts) >= 2
    card = parts[-1]
    answer = await chat.press(GROUP_A, card.message_id, BYSTANDER, "认领")
    assert not answer.show_alert
    edited = str(chat.fake.message(GROUP_A, card.message_id)["text"])
    assert edited.startswith("✋") or "认领" in edited.split("\n")[0]
    assert edited.endswith("发送 /show 1 查看完整内容")
