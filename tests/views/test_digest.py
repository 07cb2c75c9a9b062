"""Rendering digests, private copies, summaries and settings: escaping, mentions, splitting."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from domain.items import DueKind, ItemSnapshot, OwnerRef, Status
from domain.reminders import (
    Digest,
    SentDigest,
    WeeklySummary,
    build_digest,
    private_copies,
    weekly_summary,
)
from domain.settings import GroupSettings, WeeklySlot
from views.digest import digest_parts, private_parts
from views.settings import setting_changed, settings_text
from views.text import TELEGRAM_LIMIT, split_html, visible_length
from views.tree_reports import summary_with_rollup

TODAY = date(2026, 11, 26)
SETTINGS = GroupSettings()
WANG_WU = OwnerRef("王五", 5)
ZHANG = OwnerRef("张三", 2, "zhang")


def overdue_item(
    number: int, problem: str, owners: tuple[OwnerRef, ...] = (ZHANG,)
) -> ItemSnapshot:
    """An open item five days overdue."""
    return ItemSnapshot(
        id=number,
        group_id=1,
        number=number,
        problem=problem,
        status=Status.OPEN,
        due_kind=DueKind.DATE,
        due=TODAY - timedelta(days=5),
        due_phrase="",
        created_at=datetime(2026, 11, 2, tzinfo=UTC),
        created_by=1,
        created_by_name="王书记",
        owners=owners,
    )


def render(items: list[ItemSnapshot], settings: GroupSettings = SETTINGS) -> list[str]:
    """The digest of ``items`` as message parts."""
    digest = build_digest(items, [], TODAY, settings)
    assert digest is not None
    return digest_parts(digest, "第一<党>支部", settings)


def test_user_text_is_escaped() -> None:
    """Problem texts and the group title are escaped for HTML parse mode."""
    (text,) = render([overdue_item(1, "<b>记录</b> & 签字")])
    assert "&lt;b&gt;记录&lt;/b&gt; &amp; 签字" in text
    assert "第一&lt;党&gt;支部" in text


def test_owners_are_mentioned_unless_the_group_turned_it_off() -> None:
    """mention_owners true: @username or a tg://user link; false: plain names, nobody pinged."""
    items = [overdue_item(1, "问题", (ZHANG, WANG_WU))]
    (on,) = render(items)
    (off,) = render(items, replace(SETTINGS, mention_owners=False))
    assert '@zhang <a href="tg://user?id=5">王五</a>' in on
    assert "tg://user" not in off
    assert "@zhang" not in off
    assert "张三 王五" in off


def test_a_long_digest_is_split_at_the_limit_and_loses_nothing() -> None:
    """400 overdue items: several messages, each within 4096 characters, every item once."""
    items = [overdue_item(n, "三会一课记录不规范" * 10) for n in range(1, 401)]
    parts = render(items)
    assert len(parts) > 1
    assert all(visible_length(part) <= TELEGRAM_LIMIT for part in parts)
    numbers = [int(n) for part in parts for n in re.findall(r"^  #(\d+) ", part, re.M)]
    assert numbers == list(range(1, 401))


def test_digest_and_summary_in_english() -> None:
    """A group set to English gets the digest and the summary in English."""
    settings = replace(SETTINGS, language="en")
    (digest,) = render([overdue_item(1, "问题")], settings)
    assert "today's reminders (Thu 11-26)" in digest
    assert "5d overdue @zhang 🔴 escalated" in digest
    summary = weekly_summary([overdue_item(1, "问题")], TODAY, TODAY, TODAY, zone=settings.zone)
    (text,) = summary_parts(summary, "First Branch", settings)
    assert "weekly summary (11-26 – 11-26)" in text
    assert "Completion rate 0% (0/1)" in text


def test_settings_list_every_key_with_its_value() -> None:
    """/settings shows each key, its label (unless a mere repeat), its value, and how to change."""
    settings = replace(SETTINGS, weekly_summary=None, remind_days_before=(5, 2))
    text = settings_text("第一党支部", settings)
    for line in (
        "• <code>时区</code> 或 <code>timezone</code>:Asia/Shanghai",
        "• 每日提醒时间 <code>提醒时间</code> 或 <code>reminder_time</code>:09:00",
        "• 到期前提醒(天) <code>提前提醒天数</code> 或 <code>remind_days_before</code>:5,2",
        "• <code>周报</code> 或 <code>weekly_summary</code>:关闭(off)",
        "• 销号需验收 <code>需要验收</code> 或 <code>require_approval</code>:是(true)",
        "/settings 周报 周五 17:00",
    ):
        assert line in text.split("\n")
    english = settings_text("First Branch", replace(settings, language="en"))
    assert "• <code>weekly_summary</code> or <code>周报</code>: off" in english
    assert "• Daily reminder at <code>reminder_time</code> or <code>提醒时间</code>: 09:00" in (
        english
    )
    changed = replace(SETTINGS, weekly_summary=WeeklySlot(2, time(18, 0)))
    assert setting_changed(changed, "weekly_summary") == (
        "已修改 <code>周报</code>(<code>weekly_summary</code>):周三 18:00"
    )
    assert setting_changed(replace(SETTINGS, language="en"), "language") == (
        "Changed <code>language</code> (<code>语言</code>) to en"
    )


def due_item(number: int, problem: str, left: int) -> ItemSnapshot:
    """An open item of 张三 due ``left`` days from TODAY."""
    return replace(overdue_item(number, problem), due=TODAY + timedelta(days=left))


def test_a_private_copy_names_each_group_and_each_item_s_deadline() -> None:
    """The copy says, group by group, how overdue or how soon each item is, escaped, no mentions."""
    first = [due_item(1, "主题党日<记录>不全", -5), due_item(2, "党费补缴", 0)]
    second = [due_item(3, "档案未更新", 1), due_item(4, "谈心谈话", 3)]
    digests = [
        SentDigest(1, "第一<党>支部", SETTINGS, _digest(first)),
        SentDigest(2, "第二党支部", SETTINGS, _digest(second)),
    ]
    (copy,) = private_copies(digests)
    (text,) = private_parts(copy)
    assert text.split("\n") == [
        "🔔 <b>您的整改提醒</b>(11月26日 周四)",
        "<b>第一&lt;党&gt;支部</b>",
        "  #1 主题党日&lt;记录&gt;不全 — 逾期5天(时限 11-21) 🔴督办",
        "  #2 党费补缴 — 今日到期(11-26)",
        "<b>第二党支部</b>",
        "  #3 档案未更新 — 明天到期(11-27)",
        "  #4 谈心谈话 — 3天后到期(11-29)",
        "请在所在群里办理:/progress 编号 进展 · /done 编号 说明 · /extend 编号 新时限 原因",
    ]


def test_a_private_copy_in_english_asks_for_the_report() -> None:
    """In an English group the copy is English; the report-day line names the day."""
    settings = replace(SETTINGS, language="en", report_day=29)
    long_term = replace(overdue_item(2, "Long-term rule"), due_kind=DueKind.LONG_TERM, due=None)
    items = [due_item(1, "Records", 20), long_term]
    (copy,) = private_copies([SentDigest(1, "First Branch", settings, _digest(items, settings))])
    (text,) = private_parts(copy)
    lines = text.split("\n")
    assert lines[0] == "🔔 <b>Your reminders</b> (Thu 11-26)"
    assert "  #1 Records — no progress this month; please report by day 29" in lines
    assert "  #2 Long-term rule — long-term item: please report this month's work" in lines


def _digest(items: list[ItemSnapshot], settings: GroupSettings = SETTINGS) -> Digest:
    digest = build_digest(items, [], TODAY, settings)
    assert digest is not None
    return digest


def summary_parts(summary: WeeklySummary, title: str, settings: GroupSettings) -> list[str]:
    """A group's weekly summary as the bot sends it (no branches below it)."""
    return split_html(summary_with_rollup(summary, title, settings, None))
