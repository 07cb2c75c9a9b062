"""/import and /export worked from the chat against the fake Bot API server.

Telegram allows a bot 20 messages a minute per group (the app's AIORateLimiter holds it to
that), so every test stays well below 15 bot messages per group and sets bulk data up through
the services.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from domain.items import Actor, ItemSnapshot, Status
from domain.problem_form import read_problem
from domain.spreadsheet import COLUMNS
from playground.standin import SentMessage
from tests.e2e.conftest import ADMIN, ADMIN_B, GROUP_A, GROUP_B, OWNER, START, Chat

PLANS = Path(__file__).parent.parent / "data" / "plans"
TO_FULL_WIDTH = str.maketrans({",": "，", ":": "：", "(": "（", ")": "）"})
TO_ASCII = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")"})
SHORT_PLAN = "(一)三会一课记录不规范\n整改措施:\n1.建立会议记录台账\n责任人:张三\n落实时限:月底前"


@dataclass(frozen=True)
class Expected:
    """What one sample plan must give (its README): measure counts and preview lines."""

    measures: tuple[int, ...]
    shown: tuple[str, ...]


EXPECTED = {
    "ex1": Expected(
        (3, 3, 5, 2, 0),
        (
            '未作为整改事项导入:"深入学习贯彻',
            "责任人:各党委委员 · 责任单位:委属各单位党委(总支、支部),各民营医院党支部 · "
            "时限:2026-11-30(周一)〔月底前〕",
            '第3项:总负责人为占位符"xx"',
            '第3项:责任人为占位符"xx"',
            '第3项:"单位党委(总支、支部),各民营医院党支部。"缺少标签',
            '第3项:落实时限"底前"不完整',
            '第4项:编号应为"2.",实为"3."',
            "第4项:落实时限未填写",
            "第5项:没有整改措施",
            "第1项:没有落实时限",
            "第5项:没有落实时限",
        ),
    ),
    "ex3": Expected(
        (1, 1, 1, 1),
        (
            "(一) 严格落实“三会一课”制度有待提高",
            '未作为整改事项导入:"根据公司党委组织部',
            *(f"第{i}项:没有责任人" for i in range(1, 5)),
            *(f"第{i}项:没有落实时限" for i in range(1, 5)),
        ),
    ),
    "ex4": Expected(
        (3, 3, 3),
        (
            '未作为整改事项导入:"为认真贯彻落实',
            '未作为整改事项导入:"以十八届三中',
            '未作为整改事项导入:"(一)坚持领导带头',
            '未作为整改事项导入:"(二)坚持问题导向',
            '未作为整改事项导入:"(三)及时检查总结',
        ),
    ),
    "ex5": Expected(
        (1,) * 11,
        (
            '第4项:编号应为"2.",实为"2.."',
            '未作为整改事项导入:"1.村党支部切实增强四个意识',
            '未作为整改事项导入:"2.在乡党委的统筹安排下',
            '"自2019年7月开始,2019年12月基本完成"已是过去的时间',
        ),
    ),
}


def plan(name: str, *, full_width: bool) -> str:
    """A sample plan as published, or with , : ( ) turned full-width."""
    text = next(PLANS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    return text.translate(TO_FULL_WIDTH) if full_width else text


def docx_of(text: str) -> bytes:
    """The plan as a Word document, a paragraph per line."""
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def sent_since(chat: Chat, chat_id: int, start: int) -> list[SentMessage]:
    """Everything the bot sent to ``chat_id`` from call ``start`` on, once updates are handled."""
    await chat.settle()
    return [m for m in chat.fake.sent_messages(chat_id) if m.call_index >= start]


async def import_text(chat: Chat, text: str, user: int = ADMIN) -> list[SentMessage]:
    """Paste ``text`` after /import in group A; the bot's answer (maybe several messages)."""
    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, user, "/import\n" + text)
    return await sent_since(chat, GROUP_A, start)


async def import_file(
    chat: Chat, filename: str, data: bytes, chat_id: int = GROUP_A, user: int = ADMIN
) -> list[SentMessage]:
    """Send a file with the caption /import; the bot's answer."""
    start = chat.fake.mark()
    chat.fake.send_document(chat_id, user, filename, data, caption="/import")
    return await sent_since(chat, chat_id, start)


def shown(messages: list[SentMessage]) -> str:
    """What users read, full-width punctuation folded to ASCII for comparison."""
    return "\n".join(m.plain_text or "" for m in messages).translate(TO_ASCII)


async def items_of(chat: Chat, chat_id: int = GROUP_A) -> tuple[ItemSnapshot, ...]:
    """The group's ledger with every item's measures, read through the service."""
    ledger = chat.runtime.services.ledger
    listing = await ledger.group_items(chat_id)
    return tuple([(await ledger.show(chat_id, item.number)).item for item in listing.items])


async def confirm(chat: Chat, preview: SentMessage, chat_id: int = GROUP_A) -> str:
    """Press [确认导入] and return the preview message's new text."""
    admin = ADMIN if chat_id == GROUP_A else ADMIN_B
    answer = await chat.press(chat_id, preview.message_id, admin, "确认导入")
    assert not answer.show_alert, answer.text
    return str(chat.fake.message(chat_id, preview.message_id)["text"])


@pytest.mark.parametrize("how", ["pasted", "txt"])
@pytest.mark.parametrize("full_width", [False, True], ids=["ascii", "full-width"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_sample_plans_import_through_the_bot(
    chat: Chat, name: str, full_width: bool, how: str
) -> None:
    """Each sample plan previews its items and warnings, writes nothing, then imports on confirm."""
    text = plan(name, full_width=full_width)
    if how == "pasted":
        messages = await import_text(chat, text)
    else:
        messages = await import_file(chat, f"{name}.txt", text.encode("utf-8"))
    expected = EXPECTED[name]
    preview = shown(messages)
    count = len(expected.measures)
    assert f"共{count}项,确认后登记为 #1–#{count}" in preview
    for line in expected.shown:
        assert line in preview, line
    for index, measures in enumerate(expected.measures, 1):
        assert f"\n{index}. " in preview
        assert f"措施{measures}条" in preview
    assert messages[-1].button_texts == ["确认导入", "取消"]
    assert await items_of(chat) == ()
    assert f"已导入{count}项:#1–#{count}" in await confirm(chat, messages[-1])
    items = await items_of(chat)
    assert [len(item.measures) for item in items] == list(expected.measures)
    assert {item.source for item in items} == {"导入"}


async def test_a_word_document_imports(chat: Chat) -> None:
    """ex1 as a .docx (full-width punctuation) gives the same five items."""
    messages = await import_file(chat, "整改方案.docx", docx_of(plan("ex1", full_width=True)))
    assert "共5项" in shown(messages)
    assert "已导入5项" in await confirm(chat, messages[-1])
    items = await items_of(chat)
    assert [len(item.measures) for item in items] == [3, 3, 5, 2, 0]


async def test_import_by_replying_to_the_plan(chat: Chat) -> None:
    """/import as a reply to a message holding the plan previews that message's text."""
    pasted = chat.fake.send_text(GROUP_A, OWNER, SHORT_PLAN)
    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, ADMIN, "/import", reply_to=pasted["message_id"])
    messages = await sent_since(chat, GROUP_A, start)
    assert "三会一课记录不规范" in shown(messages)
    assert "时限:2026-11-30(周一)〔月底前〕" in shown(messages)


async def test_cancel_writes_nothing(chat: Chat) -> None:
    """[取消] edits the preview to say so, removes the buttons and writes nothing."""
    messages = await import_text(chat, SHORT_PLAN)
    answer = await chat.press(GROUP_A, messages[-1].message_id, ADMIN, "取消")
    assert answer.text == "已取消"
    edited = chat.fake.message(GROUP_A, messages[-1].message_id)
    assert "已取消导入" in edited["text"]
    assert "reply_markup" not in edited
    assert await items_of(chat) == ()


async def test_a_preview_expires_after_thirty_minutes(chat: Chat) -> None:
    """Pressing [确认导入] 31 minutes later is refused with an alert and writes nothing."""
    messages = await import_text(chat, SHORT_PLAN)
    chat.clock.set(START + timedelta(minutes=31))
    answer = await chat.press(GROUP_A, messages[-1].message_id, ADMIN, "确认导入")
    assert answer.show_alert
    assert "30分钟" in (answer.text or "")
    assert "已失效" in chat.fake.message(GROUP_A, messages[-1].message_id)["text"]
    assert await items_of(chat) == ()


async def test_members_cannot_import(chat: Chat) -> None:
    """A member's /import is refused; a member pressing an admin's [确认导入] gets an alert."""
    refused = await import_text(chat, SHORT_PLAN, user=OWNER)
    assert "只有管理员" in shown(refused)
    assert refused[0].reply_markup is None
    messages = await import_text(chat, SHORT_PLAN)
    answer = await chat.press(GROUP_A, messages[-1].message_id, OWNER, "确认导入")
    assert answer.show_alert
    assert "只有管理员" in (answer.text or "")
    assert await items_of(chat) == ()


@pytest.mark.parametrize(
    ("filename", "data", "says"),
    [
        (None, b"", "请在 /import 后粘贴整改方案"),
        (None, "今天开会,大家辛苦了。\n请按时参加学习。".encode(), "没有找到带编号的问题"),
        ("big.txt", b"x" * (5 * 1024 * 1024 + 1), "超过5MB上限"),
        ("plan.pdf", b"%PDF-1.4", "只支持 .txt、.docx、.xlsx"),
        ("plan.docx", os.urandom(4096), "无法读取"),
        ("plan.xlsx", os.urandom(4096), "无法读取"),
    ],
    ids=["empty", "no-problems", "too-big", "pdf", "broken-docx", "broken-xlsx"],
)
async def test_bad_input_gets_a_clear_message_and_writes_nothing(
    chat: Chat, filename: str | None, data: bytes, says: str
) -> None:
    """Each bad input is answered with what was wrong and an example; the ledger stays empty."""
    if filename is None:
        messages = await import_text(chat, data.decode())
    else:
        messages = await import_file(chat, filename, data)
    text = shown(messages)
    assert says in text
    assert "例如" in text
    assert messages[-1].reply_markup is None
    assert await items_of(chat) == ()
    if filename == "big.txt":
        assert chat.fake.calls_to("getFile") == []  # refused before downloading


async def fill_group_a(chat: Chat) -> None:
    """Three items in group A through the services: closed, pending long-term, open with @zhang."""
    await chat.say(GROUP_A, OWNER, "/help")
    await chat.say(GROUP_B, OWNER, "/help")
    services = chat.runtime.services
    admin = Actor(ADMIN, "王书记", "wang", is_admin=True)
    today = START.date()
    for text in (
        "党费收缴不及时\n责任人: @zhang 李四\n时限: 12月31日前\n类别: 组织建设\n"
        "措施: 1.建台账 2.提醒",
        "理论学习不深入\n时限: 长期坚持\n总负责人: 王书记",
        "消防通道堵塞 @zhang 下周五前",
    ):
        await services.ledger.register(GROUP_A, admin, read_problem(text, (), today))
    await services.ledger.done(GROUP_A, admin, 1, "已整改", None)
    await services.ledger.approve(GROUP_A, admin, 1, "同意")
    await services.ledger.done(GROUP_A, admin, 2, "", None)


async def test_export_sends_the_workbook(chat: Chat) -> None:
    """/export sends 整改台账-<group>-<date>.xlsx with its sheets, headers, values and dates."""
    await fill_group_a(chat)
    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, ADMIN, "/export")
    await chat.settle()
    sent = [d for d in chat.fake.documents(GROUP_A) if d.call_index >= start]
    assert len(sent) == 1
    assert sent[0].document is not None
    assert sent[0].document.filename == "整改台账-第一党支部-20261126.xlsx"
    assert "整改台账" in (sent[0].plain_text or "")
    workbook = load_workbook(io.BytesIO(sent[0].document.content))
    assert workbook.sheetnames == ["整改台账", "推进记录", "统计"]
    ledger = workbook["整改台账"]
    assert [c.value for c in ledger[1]] == list(COLUMNS)
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in ledger.iter_rows(2, values_only=True)]
    assert [(r["编号"], r["状态"]) for r in rows] == [(1, "已销号"), (2, "待验收"), (3, "整改中")]
    assert rows[0]["责任人"] == "张三(@zhang)、李四"
    assert ledger["I2"].is_date
    assert ledger["I2"].value == datetime(2026, 12, 31, tzinfo=UTC).replace(tzinfo=None)
    assert rows[1]["整改时限"] == "长期坚持"


async def test_members_cannot_export(chat: Chat) -> None:
    """A member's /export is refused and no file is sent."""
    reply = await chat.say(GROUP_A, OWNER, "/export")
    assert "只有管理员" in (reply.plain_text or "")
    assert chat.fake.documents(GROUP_A) == []


async def test_round_trip_through_the_bot(chat: Chat) -> None:
    """Export group A, send that file to empty group B with /import, confirm: the same ledger."""
    await fill_group_a(chat)
    start = chat.fake.mark()
    chat.fake.send_text(GROUP_A, ADMIN, "/export")
    await chat.settle()
    exported = next(d for d in chat.fake.documents(GROUP_A) if d.call_index >= start).document
    assert exported is not None
    messages = await import_file(chat, exported.filename, exported.content, GROUP_B, ADMIN_B)
    assert "共3项" in shown(messages)
    assert "状态:✅ 已销号" in shown(messages)
    assert "已导入3项:#1–#3" in await confirm(chat, messages[-1], GROUP_B)
    before, after = await items_of(chat, GROUP_A), await items_of(chat, GROUP_B)
    assert [_kept(item) for item in after] == [_kept(item) for item in before]
    assert after[0].owners[0].user_id == OWNER
    assert [item.status for item in after] == [Status.CLOSED, Status.PENDING, Status.OPEN]


def _kept(item: ItemSnapshot) -> tuple[object, ...]:
    """What a round trip keeps."""
    return (
        item.problem,
        item.category,
        item.lead,
        item.owners,
        item.measures,
        item.status,
        item.due_kind,
        item.due,
        item.due_phrase,
    )
