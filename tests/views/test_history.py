"""An item's history as sentences: every kind of event, in Chinese and English."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.items import (
    NO_CHANGE,
    DueKind,
    DueValue,
    EventChange,
    EventKind,
    EventView,
    ItemSnapshot,
    Status,
)
from domain.settings import GroupSettings
from views.cards import item_full
from views.history import event_sentence

AT = datetime(2026, 11, 26, 2, tzinfo=UTC)
NOV_30 = DueValue(DueKind.DATE, date(2026, 11, 30))
DEC_31 = DueValue(DueKind.DATE, date(2026, 12, 31))
# What the event log stored as text before it stored data: none of it may reach a reader.
RAW_TOKENS = ("long_term", "soft:", "none", "problem:", "category:", "_", "{", "}", "→")

# One row per kind of event (and per shape a kind takes): the change, then zh and en.
SENTENCES: list[tuple[EventKind, EventChange, str, str]] = [
    (EventKind.CREATED, NO_CHANGE, "登记事项", "registered the item"),
    (
        EventKind.CREATED,
        EventChange(imported=True),
        "通过导入登记事项",
        "registered the item by import",
    ),
    (EventKind.CLAIMED, NO_CHANGE, "认领事项", "claimed the item"),
    (
        EventKind.ASSIGNED,
        EventChange(old_owners=("张三",), new_owners=("李四", "@zhang")),
        "将责任人由张三改为李四、@zhang",
        "changed the owners from 张三 to 李四, @zhang",
    ),
    (
        EventKind.ASSIGNED,
        EventChange(new_owners=("李四",)),
        "指定责任人为李四",
        "assigned the item to 李四",
    ),
    (
        EventKind.PROGRESS,
        EventChange(text="已补录10月记录"),
        "报送进展:已补录10月记录",
        "reported progress: 已补录10月记录",
    ),
    (
        EventKind.DONE,
        EventChange(text="已整改"),
        "申请销号,说明:已整改",
        "asked to close the item: 已整改",
    ),
    (EventKind.DONE, NO_CHANGE, "申请销号", "asked to close the item"),
    (
        EventKind.APPROVED,
        EventChange(text="同意"),
        "验收通过,予以销号,意见:同意",
        "accepted the work and closed the item: 同意",
    ),
    (EventKind.APPROVED, NO_CHANGE, "验收通过,予以销号", "accepted the work and closed the item"),
    (
        EventKind.REJECTED,
        EventChange(text="缺少签字"),
        "退回,继续整改,原因:缺少签字",
        "returned the item for more work (reason: 缺少签字)",
    ),
    (
        EventKind.REOPENED,
        EventChange(text="问题反弹"),
        "重新打开事项,原因:问题反弹",
        "reopened the item (reason: 问题反弹)",
    ),
    (
        EventKind.DEADLINE,
        EventChange(old_due=NOV_30, new_due=DueValue(DueKind.LONG_TERM)),
        "将时限由2026-11-30改为长期坚持",
        "changed the deadline from 2026-11-30 to long-term",
    ),
    (
        EventKind.DEADLINE,
        EventChange(
            old_due=DueValue(DueKind.NONE), new_due=DueValue(DueKind.SOFT, date(2026, 12, 3))
        ),
        "将时限由未设定改为2026-12-03(软时限)",
        "changed the deadline from not set to 2026-12-03 (soft)",
    ),
    (
        EventKind.DEADLINE,
        EventChange(old_due=DueValue(DueKind.LONG_TERM), new_due=DueValue(DueKind.NONE)),
        "将时限由长期坚持改为未设定",
        "changed the deadline from long-term to not set",
    ),
    (
        EventKind.EXTENSION_REQUESTED,
        EventChange(text="等待批复", old_due=DueValue(DueKind.NONE), new_due=DEC_31),
        "申请延期,时限由未设定延至2026-12-31,原因:等待批复",
        "asked to extend the deadline from not set to 2026-12-31 (reason: 等待批复)",
    ),
    (
        EventKind.EXTENSION_APPROVED,
        EventChange(new_due=DEC_31),
        "同意延期,新时限2026-12-31",
        "approved the extension to 2026-12-31",
    ),
    (
        EventKind.EXTENSION_REJECTED,
        EventChange(new_due=DEC_31),
        "驳回延期至2026-12-31的申请",
        "rejected the extension to 2026-12-31",
    ),
    (
        EventKind.EXTENSION_WITHDRAWN,
        EventChange(new_due=DEC_31),
        "撤回延期至2026-12-31的申请(事项已销号、删除或另定时限,无需再审批)",
        "withdrew the request to extend to 2026-12-31"
        " (the item was closed, deleted or given a new deadline)",
    ),
    (EventKind.ACKNOWLEDGED, NO_CHANGE, "签收", "acknowledged"),
    (EventKind.ACKNOWLEDGED, EventChange(text="收到"), "签收:收到", "acknowledged: 收到"),
    (
        EventKind.EDITED,
        EventChange(field="category", old_value="思想建设", new_value="组织建设"),
        "将类别由“思想建设”改为“组织建设”",
        "changed the category from “思想建设” to “组织建设”",
    ),
    (
        EventKind.EDITED,
        EventChange(field="unit", new_value="第一党支部"),
        "将责任单位由(空)改为“第一党支部”",
        "changed the unit from (empty) to “第一党支部”",
    ),
    (
        EventKind.EDITED,
        EventChange(field="lead", old_value="王书记"),
        "将总负责人由“王书记”改为(空)",
        "changed the lead from “王书记” to (empty)",
    ),
    (EventKind.DELETED, NO_CHANGE, "删除事项", "deleted the item"),
    (EventKind.UNDELETED, NO_CHANGE, "恢复事项", "restored the item"),
    (
        EventKind.OWNER_LINKED,
        EventChange(username="zhouwu"),
        "关联账号,成为责任人(原登记为 @zhouwu)",
        "linked their account and became an owner (named as @zhouwu)",
    ),
    (EventKind.MEASURE_DONE, EventChange(measures=(2,)), "完成第2条措施", "completed measure 2"),
    (
        EventKind.MEASURE_DONE,
        EventChange(measures=(1, 3)),
        "完成第1、3条措施",
        "completed measures 1, 3",
    ),
    (
        EventKind.CREATED,
        EventChange(groups=("机关党委",), number=12),
        "接收机关党委交办(#12),登记事项",
        "registered the item dispatched by 机关党委 (#12)",
    ),
    (
        EventKind.DISPATCHED,
        EventChange(groups=("第一党支部", "第二党支部")),
        "交办至第一党支部、第二党支部",
        "dispatched the item to 第一党支部, 第二党支部",
    ),
    (
        EventKind.APPROVED,
        EventChange(groups=("机关党委",)),
        "随机关党委验收一并销号",
        "closed the item with 机关党委's acceptance",
    ),
    (
        EventKind.REOPENED,
        EventChange(groups=("第一党支部",), number=5),
        "因第一党支部 #5重新打开,本事项随之重新打开",
        "reopened the item because 第一党支部 reopened #5",
    ),
    (
        EventKind.BRANCHES_CLOSED,
        NO_CHANGE,
        "各支部均已销号,本事项随之销号",
        "closed the item: every branch closed its copy",
    ),
    (
        EventKind.JOINED_PARENT,
        EventChange(groups=("机关党委",)),
        "将本群关联到上级党组织机关党委",
        "linked this group under 机关党委",
    ),
    (
        EventKind.BRANCH_JOINED,
        EventChange(groups=("第一党支部",)),
        "将第一党支部关联为下级",
        "linked 第一党支部 as a branch",
    ),
    (
        EventKind.LEFT_PARENT,
        EventChange(groups=("机关党委",)),
        "解除本群与上级党组织机关党委的关联",
        "unlinked this group from 机关党委",
    ),
    (
        EventKind.BRANCH_LEFT,
        EventChange(groups=("第一党支部",)),
        "解除与下级第一党支部的关联",
        "unlinked the branch 第一党支部",
    ),
]


def test_the_table_covers_every_kind_of_event() -> None:
    """A new EventKind needs a sentence here (and in the catalogue)."""
    assert {kind for kind, *_ in SENTENCES} == set(EventKind)


@pytest.mark.parametrize(("kind", "change", "zh", "en"), SENTENCES)
def test_every_event_reads_as_a_sentence(
    kind: EventKind, change: EventChange, zh: str, en: str
) -> None:
    """Each event is one sentence in the reader's language, with no stored token showing."""
    event = EventView(kind, "王书记", AT, change)
    assert event_sentence(event, "zh") == zh
    assert event_sentence(event, "en") == en
    for sentence in (zh, en):
        assert not [token for token in RAW_TOKENS if token in sentence]


def item(*events: EventView) -> ItemSnapshot:
    """#12 with these events in its history."""
    return ItemSnapshot(
        id=12,
        group_id=1,
        number=12,
        problem="三会一课记录不规范",
        status=Status.OPEN,
        due_kind=DueKind.DATE,
        due=date(2026, 11, 30),
        due_phrase="月底前",
        created_at=AT,
        created_by=1,
        created_by_name="王书记",
        events=events,
    )


def test_show_puts_the_actor_before_the_sentence_and_escapes_both() -> None:
    """/show: ``11-26 王书记 将问题由…``, with typed text escaped for HTML."""
    edited = EventChange(field="problem", old_value="<b>旧</b>", new_value="新")
    text = item_full(
        item(EventView(EventKind.EDITED, "<王书记>", AT, edited)), AT.date(), GroupSettings(), "zh"
    ).text
    assert "  11-26 &lt;王书记&gt; 将问题由“&lt;b&gt;旧&lt;/b&gt;”改为“新”" in text


def test_the_card_clips_long_text_and_the_full_sentence_keeps_it() -> None:
    """A long reason is clipped on /show; the export's sentence has all of it."""
    reason = "缺少签字" * 30
    event = EventView(EventKind.REJECTED, "王书记", AT, EventChange(text=reason))
    assert event_sentence(event, "zh") == f"退回,继续整改,原因:{reason}"
    short = event_sentence(event, "zh", short=True)
    assert short.endswith("…")
    assert len(short) < len("退回,继续整改,原因:") + 61


@pytest.mark.parametrize(
    ("kind", "change", "zh"),
    [
        (EventKind.DEADLINE, EventChange(text="随便 → 写写"), "修改时限:随便 → 写写"),
        (EventKind.EDITED, EventChange(text="owner: a → b"), "修改:owner: a → b"),
        (EventKind.EDITED, EventChange(field="owner", new_value="b"), "修改"),
        (EventKind.EXTENSION_APPROVED, NO_CHANGE, "同意延期"),
        (EventKind.CREATED, EventChange(text="旧备注"), "登记:旧备注"),
    ],
)
def test_an_old_entry_without_its_details_is_named_with_its_text(
    kind: EventKind, change: EventChange, zh: str
) -> None:
    """A record the migration could not read into data keeps its text after the event's name."""
    assert event_sentence(EventView(kind, "王书记", AT, change), "zh") == zh
