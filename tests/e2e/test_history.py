"""An item's history worked from the chat: /show and the exported 推进记录 read as sentences."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from playground.standin import SentMessage
from tests.e2e.conftest import ADMIN, GROUP_A, OWNER, Chat

CREATED_TO_ASSIGNED = [
    ("王书记", "登记", "登记事项"),
    ("王书记", "修改时限", "将时限由2026-11-30改为2026-12-15"),
    ("王书记", "修改", "将类别由(空)改为“组织建设”"),
    ("王书记", "指定责任人", "将责任人由李四改为@zhang、李四"),
]
LINKED_TO_REOPENED = [
    ("张三", "关联账号", "关联账号,成为责任人(原登记为 @zhang)"),
    ("张三", "申请延期", "申请延期,时限由2026-12-15延至2026-12-31,原因:等待上级批复"),
    ("王书记", "同意延期", "同意延期,新时限2026-12-31"),
    ("张三", "申请销号", "申请销号,说明:已补齐签字"),
    ("王书记", "退回", "退回,继续整改,原因:缺少签字"),
    ("张三", "申请销号", "申请销号"),
    ("王书记", "验收销号", "验收通过,予以销号,意见:同意"),
    ("王书记", "重新打开", "重新打开事项,原因:问题反弹"),
]


def history(shown: SentMessage) -> list[str]:
    """The lines under 变更记录 on a /show card, without their indent."""
    lines = (shown.plain_text or "").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("变更记录"))
    return [line.strip() for line in lines[start + 1 :]]


def lines_of(events: list[tuple[str, str, str]]) -> list[str]:
    """How /show writes these events on 11-26: time, actor, sentence."""
    return [f"11-26 {actor} {sentence}" for actor, _, sentence in events]


async def created_to_assigned(chat: Chat) -> None:
    """Register #1, then /due, /edit and /assign it (the events of CREATED_TO_ASSIGNED)."""
    for user, command in [
        (ADMIN, "/problem 三会一课记录不规范\n责任人: 李四\n时限: 月底前"),
        (ADMIN, "/due 1 12月15日前"),
        (ADMIN, "/edit 1 类别 组织建设"),
        (ADMIN, "/assign 1 @zhang 李四"),
    ]:
        await chat.say(GROUP_A, user, command)


async def linked_to_reopened(chat: Chat, approve: str) -> None:
    """/extend accepted with the ``approve`` button, /done, /reject, /approve, /reopen."""
    request = await chat.say(GROUP_A, OWNER, "/extend 1 12月31日前 等待上级批复")
    await chat.press(GROUP_A, request.message_id, ADMIN, approve)
    for user, command in [
        (OWNER, "/done 1 已补齐签字"),
        (ADMIN, "/reject 1 缺少签字"),
        (OWNER, "/done 1"),
        (ADMIN, "/approve 1 同意"),
        (ADMIN, "/reopen 1 问题反弹"),
    ]:
        await chat.say(GROUP_A, user, command)


async def test_show_and_export_tell_the_history_in_sentences(chat: Chat) -> None:
    """/due, /edit, /assign, [同意] on /extend, /reject and /reopen each leave a sentence."""
    await created_to_assigned(chat)
    early = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert history(early) == lines_of(CREATED_TO_ASSIGNED)

    await linked_to_reopened(chat, approve="同意")
    late = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert history(late) == lines_of(LINKED_TO_REOPENED)

    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, ADMIN, "/export")
    await chat.settle()
    exported = next(d for d in chat.fake.documents(GROUP_A) if d.call_index >= start).document
    assert exported is not None
    sheet = load_workbook(io.BytesIO(exported.content))["推进记录"]
    events = [
        (row[2], row[3], row[4])
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[3] not in ("推进情况", "销号说明")  # progress entries, not events
    ]
    assert events == CREATED_TO_ASSIGNED + LINKED_TO_REOPENED


async def test_the_history_reads_in_english_in_an_english_group(chat: Chat) -> None:
    """The same kinds of event, after /lang en: /show's history is English sentences."""
    await chat.say(GROUP_A, ADMIN, "/lang en")
    await created_to_assigned(chat)
    early = (await chat.say(GROUP_A, ADMIN, "/show 1")).plain_text or ""
    assert [line.strip() for line in early.splitlines()[-4:]] == [
        "11-26 王书记 registered the item",
        "11-26 王书记 changed the deadline from 2026-11-30 to 2026-12-15",
        "11-26 王书记 changed the category from (empty) to “组织建设”",
        "11-26 王书记 changed the owners from 李四 to @zhang, 李四",
    ]
    await linked_to_reopened(chat, approve="Approve")
    card = (await chat.say(GROUP_A, ADMIN, "/show 1")).plain_text or ""
    assert "  11-26 张三 (asked to close): 已补齐签字" in card.splitlines()
    assert [line.strip() for line in card.splitlines()[-8:]] == [
        "11-26 张三 linked their account and became an owner (named as @zhang)",
        "11-26 张三 asked to extend the deadline from 2026-12-15 to 2026-12-31"
        " (reason: 等待上级批复)",
        "11-26 王书记 approved the extension to 2026-12-31",
        "11-26 张三 asked to close the item: 已补齐签字",
        "11-26 王书记 returned the item for more work (reason: 缺少签字)",
        "11-26 张三 asked to close the item",
        "11-26 王书记 accepted the work and closed the item: 同意",
        "11-26 王书记 reopened the item (reason: 问题反弹)",
    ]
