"""What /import reads, the same way from a pasted plan, a pasted table, an .xlsx and a .docx.

Owners are linked to the members the bot has seen (``@li`` too), placeholders are refused,
``名字(@用户名)`` reads back as one person, a date in the past is flagged, and no row or line
is lost or merged into another.
"""

from __future__ import annotations

from tests.e2e.conftest import Chat
from tests.e2e.test_import_export import confirm, import_text, items_of, shown


async def test_a_long_numbered_plan_imports_every_line(chat: Chat) -> None:
    """150 one-line items ``N.第N个问题:…`` preview as 150 (item 99 was lost) and import so."""
    lines = [
        f"{n}.第{n}个问题:党员学习记录不全,需要补齐第{n}项内容 责任人:张三 时限:月底前"
        for n in range(1, 151)
    ]
    messages = await import_text(chat, "\n".join(lines))
    preview = shown(messages)
    assert "共150项,确认后登记为 #1–#150" in preview
    assert "未作为整改事项导入" not in preview
    assert "已导入150项" in await confirm(chat, messages[-1])
    items = await items_of(chat)
    assert [item.problem for item in items] == [
        f"第{n}个问题:党员学习记录不全,需要补齐第{n}项内容" for n in range(1, 151)
    ]
