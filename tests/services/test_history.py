"""History over a real SQLite database: every event reads as a sentence, on /show and exported.

Each kind of event the services write is checked on ``/show`` and in the export's 推进记录,
in the group's language.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

import pytest
from openpyxl import load_workbook

from domain.items import EventKind, OwnerRef
from domain.people import SeenUser
from domain.problem_form import read_deadline, read_problem
from i18n import t
from services.container import Services
from tests.services.conftest import ADMIN, GROUP_A, OWNER
from views.cards import item_full

TODAY = date(2026, 11, 26)


@dataclass(frozen=True)
class Step:
    """One use case, who did it, and the history sentence it must leave in zh and en."""

    action: Callable[[Services], Awaitable[object]]
    actor: str
    kind: EventKind
    zh: str
    en: str
    # Events the same use case logs first (kind, zh, en): deleting logs 删除 before 撤回.
    first: tuple[tuple[EventKind, str, str], ...] = ()


async def _register(services: Services, text: str) -> object:
    """王书记 registers ``text`` in group A."""
    return await services.ledger.register(GROUP_A, ADMIN, read_problem(text, (), TODAY))


async def _extend(services: Services, phrase: str, reason: str) -> object:
    """张三 asks to move #1's deadline to ``phrase``."""
    deadline = read_deadline(phrase, TODAY, 7)
    return await services.ledger.request_extension(GROUP_A, OWNER, 1, deadline, reason)


async def _decide(services: Services, approve: bool) -> object:
    """王书记 answers #1's waiting extension request."""
    extensions = (await services.ledger.show(GROUP_A, 1)).item.extensions
    (waiting,) = [e for e in extensions if e.status == "waiting"]
    return await services.ledger.decide_extension(GROUP_A, ADMIN, waiting.id, approve)


LEDGER = [
    Step(
        lambda s: _register(s, "三会一课记录不规范\n时限: 月底前\n措施: 1.补录 2.检查"),
        "王书记", EventKind.CREATED, "登记事项", "registered the item",
    ),
    Step(
        lambda s: s.ledger.claim(GROUP_A, OWNER, 1),
        "张三", EventKind.CLAIMED, "认领事项", "claimed the item",
    ),
    Step(
        lambda s: s.ledger.assign(
            GROUP_A, ADMIN, 1, [OwnerRef("李四"), OwnerRef("@zhang", username="zhang")]
        ),
        "王书记", EventKind.ASSIGNED,
        "将责任人由张三改为李四、张三", "changed the owners from 张三 to 李四, 张三",
    ),
    Step(
        lambda s: s.ledger.set_deadline_text(GROUP_A, ADMIN, 1, "12月15日前", first=False),
        "王书记", EventKind.DEADLINE,
        "将时限由2026-11-30改为2026-12-15", "changed the deadline from 2026-11-30 to 2026-12-15",
    ),
    Step(
        lambda s: s.ledger.edit(GROUP_A, ADMIN, 1, "类别", "组织建设"),
        "王书记", EventKind.EDITED,
        "将类别由(空)改为“组织建设”", "changed the category from (empty) to “组织建设”",
    ),
    Step(
        lambda s: s.ledger.tick(GROUP_A, OWNER, 1, "1"),
        "张三", EventKind.MEASURE_DONE, "完成第1条措施", "completed measure 1",
    ),
    Step(
        lambda s: s.ledger.progress(GROUP_A, OWNER, 1, "已补录10月记录", None),
        "张三", EventKind.PROGRESS,
        "报送进展:已补录10月记录", "reported progress: 已补录10月记录",
    ),
    Step(
        lambda s: _extend(s, "12月31日前", "等待上级批复"),
        "张三", EventKind.EXTENSION_REQUESTED,
        "申请延期,时限由2026-12-15延至2026-12-31,原因:等待上级批复",
        "asked to extend the deadline from 2026-12-15 to 2026-12-31 (reason: 等待上级批复)",
    ),
    Step(
        lambda s: _decide(s, approve=True),
        "王书记", EventKind.EXTENSION_APPROVED,
        "同意延期,新时限2026-12-31", "approved the extension to 2026-12-31",
    ),
    Step(
        lambda s: _extend(s, "2027年1月15日前", "材料未齐"),
        "张三", EventKind.EXTENSION_REQUESTED,
        "申请延期,时限由2026-12-31延至2027-01-15,原因:材料未齐",
        "asked to extend the deadline from 2026-12-31 to 2027-01-15 (reason: 材料未齐)",
    ),
    Step(
        lambda s: _decide(s, approve=False),
        "王书记", EventKind.EXTENSION_REJECTED,
        "驳回延期至2027-01-15的申请", "rejected the extension to 2027-01-15",
    ),
    Step(
        lambda s: s.ledger.done(GROUP_A, OWNER, 1, "已补齐", None),
        "张三", EventKind.DONE, "申请销号,说明:已补齐", "asked to close the item: 已补齐",
    ),
    Step(
        lambda s: s.ledger.reject(GROUP_A, ADMIN, 1, "缺少签字"),
        "王书记", EventKind.REJECTED,
        "退回,继续整改,原因:缺少签字", "returned the item for more work (reason: 缺少签字)",
    ),
    Step(
        lambda s: s.ledger.done(GROUP_A, OWNER, 1, "", None),
        "张三", EventKind.DONE, "申请销号", "asked to close the item",
    ),
    Step(
        lambda s: s.ledger.approve(GROUP_A, ADMIN, 1, "同意"),
        "王书记", EventKind.APPROVED,
        "验收通过,予以销号,意见:同意", "accepted the work and closed the item: 同意",
    ),
    Step(
        lambda s: s.ledger.reopen(GROUP_A, ADMIN, 1, "问题反弹"),
        "王书记", EventKind.REOPENED,
        "重新打开事项,原因:问题反弹", "reopened the item (reason: 问题反弹)",
    ),
    Step(
        lambda s: s.ledger.delete(GROUP_A, ADMIN, 1),
        "王书记", EventKind.DELETED, "删除事项", "deleted the item",
    ),
    Step(
        lambda s: s.ledger.undelete(GROUP_A, ADMIN, 1),
        "王书记", EventKind.UNDELETED, "恢复事项", "restored the item",
    ),
    Step(
        lambda s: s.ledger.acknowledge(GROUP_A, OWNER, 1, "收到"),
        "张三", EventKind.ACKNOWLEDGED, "签收:收到", "acknowledged: 收到",
    ),
    Step(
        lambda s: _extend(s, "2027年2月1日前", "人手不足"),
        "张三", EventKind.EXTENSION_REQUESTED,
        "申请延期,时限由2026-12-31延至2027-02-01,原因:人手不足",
        "asked to extend the deadline from 2026-12-31 to 2027-02-01 (reason: 人手不足)",
    ),
    Step(
        lambda s: s.ledger.delete(GROUP_A, ADMIN, 1),
        "王书记", EventKind.EXTENSION_WITHDRAWN,
        "撤回延期至2027-02-01的申请(事项已销号、删除或另定时限,无需再审批)",
        "withdrew the request to extend to 2027-02-01"
        " (the item was closed, deleted or given a new deadline)",
        first=((EventKind.DELETED, "删除事项", "deleted the item"),),
    ),
    Step(
        lambda s: s.ledger.undelete(GROUP_A, ADMIN, 1),
        "王书记", EventKind.UNDELETED, "恢复事项", "restored the item",
    ),
]  # fmt: skip

LINKED = [
    Step(
        lambda s: _register(s, "消防通道堵塞 @newbie"),
        "王书记", EventKind.CREATED, "登记事项", "registered the item",
    ),
    Step(
        lambda s: s.groups.seen(GROUP_A, "supergroup", "", SeenUser(9, "新人", username="newbie")),
        "新人", EventKind.OWNER_LINKED,
        "关联账号,成为责任人(原登记为 @newbie)",
        "linked their account and became an owner (named as @newbie)",
    ),
]  # fmt: skip


# The committee tree's events (a dispatch and what follows from it, links of groups) need
# several linked groups: tests/e2e/test_tree.py checks their sentences on /show and in the export.
TREE_KINDS = {
    EventKind.DISPATCHED,
    EventKind.BRANCHES_CLOSED,
    EventKind.JOINED_PARENT,
    EventKind.BRANCH_JOINED,
    EventKind.LEFT_PARENT,
    EventKind.BRANCH_LEFT,
}


def test_the_steps_leave_every_kind_of_event() -> None:
    """Between them, the two items' histories hold every kind of event of one group."""
    assert {step.kind for step in LEDGER + LINKED} == set(EventKind) - TREE_KINDS


async def _show_line(services: Services, number: int, lang: str) -> str:
    """The last history line of ``/show number`` (deleted items too), as HTML."""
    outcome = await services.ledger.show(GROUP_A, number, include_deleted=True)
    text = item_full(outcome.item, outcome.today, outcome.group.settings, lang).text
    return text.splitlines()[-1]


def _event_rows(data: bytes, number: int, lang: str) -> list[tuple[object, object, object]]:
    """(人员, 类型, 内容) of item ``number``'s events in 推进记录 (progress entries left out)."""
    sheet = load_workbook(io.BytesIO(data))["推进记录"]
    entries = {t(lang, "export.kind.progress"), t(lang, "export.kind.done")}
    return [
        (row[2], row[3], row[4])
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[0] == number and row[3] not in entries
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_event_is_a_sentence_on_show_and_in_the_export(
    services: Services, lang: str
) -> None:
    """After each step /show's newest line is ``11-26 <actor> <sentence>``; the export agrees."""
    await services.groups.change_setting(GROUP_A, "language", lang, actor=ADMIN)
    await services.groups.seen(GROUP_A, "supergroup", "", SeenUser(2, "张三", username="zhang"))
    for number, steps in ((1, LEDGER), (2, LINKED)):
        for step in steps:
            await step.action(services)
            sentence = step.zh if lang == "zh" else step.en
            assert await _show_line(services, number, lang) == f"  11-26 {step.actor} {sentence}"
    _, data = await services.export.export(GROUP_A)
    for number, steps in ((1, LEDGER), (2, LINKED)):
        expected = [
            (step.actor, t(lang, f"event.{kind.value}"), zh if lang == "zh" else en)
            for step in steps
            for kind, zh, en in (*step.first, (step.kind, step.zh, step.en))
            if kind is not EventKind.PROGRESS  # the entry itself is listed instead
        ]
        assert _event_rows(data, number, lang) == expected
