"""Every label of the shared table through the real bot: /problem's labelled form and /edit.

The services and the parsers are tested against the same table (``tests/label_table.py``); this
sends each label as a member types it and reads the card back, so a label that some handler
drops on the way is seen too. One bot serves every label (one command each, a few seconds).
"""

from __future__ import annotations

from domain.vocabulary import EDIT_FIELDS, Field
from tests.e2e.conftest import ADMIN, GROUP_A, OWNER, Chat
from tests.label_table import LABEL_TABLE

# What each field's line holds, and what the card then shows of it.
TYPED = {
    Field.PROBLEM: ("党费收缴不及时", "党费收缴不及时"),
    Field.OWNERS: ("李四", "李四"),
    Field.LEAD: ("王书记", "王书记"),
    Field.UNIT: ("组织科", "组织科"),
    Field.DUE: ("2026-12-31", "2026-12-31"),
    Field.CATEGORY: ("组织建设", "组织建设"),
    Field.MEASURES: ("1.建立台账 2.每月提醒", "每月提醒"),
    Field.SOURCE: ("巡察反馈", "巡察反馈"),
    Field.DETAIL: ("缺三次记录", "缺三次记录"),
}


async def test_problem_takes_every_label_of_the_table(chat: Chat) -> None:
    """/problem with ``<label>: value`` on its own line: /show N shows the value, each label."""
    await chat.say(GROUP_A, OWNER, "/help")
    refused: list[str] = []
    for number, (field, label) in enumerate(LABEL_TABLE, 1):
        typed, shown = TYPED[field]
        first = "" if field is Field.PROBLEM else f"问题{number}"
        await chat.say(GROUP_A, ADMIN, f"/problem {first}\n{label}: {typed}")
        card = (await chat.say(GROUP_A, ADMIN, f"/show {number}")).plain_text or ""
        if f"#{number}" not in card or shown not in card:
            refused.append(f"{label}: {card[:80]}")
    assert refused == []


async def test_edit_takes_every_label_of_the_editable_fields(chat: Chat) -> None:
    """/edit 1 <label> value for every label of a field /edit sets: /show 1 shows it."""
    await chat.say(GROUP_A, OWNER, "/help")
    await chat.say(GROUP_A, ADMIN, "/problem 三会一课记录不规范 月底前")
    refused: list[str] = []
    for n, (field, label) in enumerate(LABEL_TABLE):
        if field not in EDIT_FIELDS:
            continue
        value = f"第{n}次修改" if field is not Field.MEASURES else f"1.建台账 2.第{n}次修改"
        await chat.say(GROUP_A, ADMIN, f"/edit 1 {label} {value}")
        card = (await chat.say(GROUP_A, ADMIN, "/show 1")).plain_text or ""
        if f"第{n}次修改" not in card:
            refused.append(f"{label}: {card[:80]}")
    assert refused == []
