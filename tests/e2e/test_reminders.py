"""Reminders end to end: the real Application and JobQueue against the fake Bot API server.

The sweep job is installed by ``build_runtime`` like in production; each test pauses its
schedule and runs the job itself (``job.run``) after setting the injected clock, so nothing
depends on wall time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Job

from bot.app import Runtime
from bot.jobs import SWEEP_JOB
from bot.notifier import BACKOFF_SECONDS
from domain.clock import FixedClock
from domain.people import SeenUser
from domain.problem_form import ProblemDraft
from playground.standin import ApiCall, FakeTelegram, SentMessage
from services.container import Services
from storage import sweep_reads
from tests import fortnight
from tests.e2e.conftest import (
    ADMIN,
    GROUP_A,
    GROUP_B,
    OWNER,
    START,
    config_for,
    populate,
    start_runtime,
    stop_runtime,
)
from tests.fortnight import ZHANG, dated, local
from tests.timers import InstantTimer

GROUP_C = -1003  # a basic group, later upgraded to a supergroup
SUPERGROUP_C = -1003003


@dataclass
class Bot:
    """A running bot whose sweep job runs only when the test says so."""

    fake: FakeTelegram
    folder: Path
    clock: FixedClock
    runtime: Runtime
    job: Job[Any]

    @property
    def services(self) -> Services:
        """The running bot's services (same database, same clock)."""
        return self.runtime.services

    async def sweep(self) -> None:
        """Run the installed sweep job once, now, and wait until it has finished."""
        await self.job.run(self.runtime.application)

    async def restart(self) -> None:
        """Stop the bot and start a new process-like runtime on the same database."""
        await stop_runtime(self.runtime)
        self.runtime, self.job = await start_paused(self.fake, self.folder, self.clock)

    def mark(self) -> int:
        """A position in the fake's call log."""
        return self.fake.mark()

    def sent(self, chat_id: int, after: int) -> list[SentMessage]:
        """Messages the bot sent to ``chat_id`` since ``after``."""
        return [m for m in self.fake.sent_messages(chat_id) if m.call_index >= after]

    async def say(self, chat_id: int, user_id: int, text: str) -> str:
        """Type a command and return the bot's answer as HTML."""
        return (await self.fake.say(chat_id, user_id, text)).text or ""


async def start_paused(
    fake: FakeTelegram, folder: Path, clock: FixedClock
) -> tuple[Runtime, Job[Any]]:
    """Start the bot with its sweep job installed but paused (the test runs it)."""
    runtime = await start_runtime(config_for(fake, folder), clock, timer=InstantTimer())
    assert runtime.application.job_queue is not None
    (job,) = runtime.application.job_queue.get_jobs_by_name(SWEEP_JOB)
    job.enabled = False
    await fake.settle(runtime.application.update_queue)
    return runtime, job


@pytest.fixture
async def bot(fake_telegram: FakeTelegram, tmp_path: Path) -> AsyncIterator[Bot]:
    """The real bot in two branch groups, its sweep under the test's control."""
    populate(fake_telegram)
    fake_telegram.add_user(fortnight.WANG_WU, "王五")
    clock = FixedClock(START)
    runtime, job = await start_paused(fake_telegram, tmp_path, clock)
    handle = Bot(fake_telegram, tmp_path, clock, runtime, job)
    yield handle
    await stop_runtime(handle.runtime)


def scheduled(messages: list[SentMessage]) -> list[str]:
    """The scheduled messages in ``messages`` (a Monday's digest and summary share one)."""
    return fortnight.unpacked([m.text or "" for m in messages])


def digests(messages: list[SentMessage]) -> list[str]:
    """The daily digests among ``messages``."""
    return [text for text in scheduled(messages) if "今日整改提醒" in text]


def summaries(messages: list[SentMessage], marker: str = "整改周报") -> list[str]:
    """The weekly summaries among ``messages``."""
    return [text for text in scheduled(messages) if marker in text]


async def test_the_installed_job_is_one_repeating_sweep_that_tolerates_late_runs(bot: Bot) -> None:
    """One repeating job, never overlapping, late runs coalesced and not skipped after 1 s."""
    aps = bot.job.job
    assert aps.max_instances == 1
    assert aps.coalesce is True
    assert aps.misfire_grace_time == 60
    assert aps.trigger.interval.total_seconds() == 60


async def test_simulated_fortnight_end_to_end(bot: Bot) -> None:
    """The simulated fortnight through the real Application, JobQueue and fake Telegram.

    The right digest each morning, nothing on quiet days, one summary each Monday — in the
    same message as that morning's digest — and nothing sent twice by a later sweep the same
    day.
    """
    await fortnight.seed(bot.services, bot.clock, GROUP_A)
    for day in fortnight.fortnight():
        start = bot.mark()
        bot.clock.set(local(day, 9))
        await bot.sweep()
        await fortnight.daytime(bot.services, bot.clock, GROUP_A, day)
        bot.clock.set(local(day, 20))
        await bot.sweep()
        sent = bot.sent(GROUP_A, start)
        expected = fortnight.EXPECTED.get(day)
        found = digests(sent)
        assert len(found) == (1 if expected else 0), (day, [m.text for m in sent])
        if expected:
            assert fortnight.digest_sections(found[0]) == expected, day
        weekly = summaries(sent)
        assert len(weekly) == (1 if day in fortnight.SUMMARIES else 0), day
        if weekly:
            assert fortnight.SUMMARIES[day].period in weekly[0].split("\n")[0]
            for line in fortnight.SUMMARIES[day].lines:
                assert line in weekly[0].split("\n"), (day, line)
        assert len(scheduled(sent)) == len(found) + len(weekly)
        assert len(sent) == (1 if found or weekly else 0), day
    assert digests(bot.fake.sent_messages(GROUP_B)) == []


async def test_restarts_neither_duplicate_nor_lose_a_message(bot: Bot) -> None:
    """Restarts neither duplicate nor lose a message, and never send yesterday's slot.

    A restart the same day sends nothing twice; a start after a missed 09:00 catches up the
    same day; a slot missed yesterday is not sent today.
    """
    await fortnight.seed(bot.services, bot.clock, GROUP_A)
    start = bot.mark()
    bot.clock.set(local(date(2026, 11, 26), 9, 30))
    await bot.sweep()
    bot.clock.set(local(date(2026, 11, 26), 12))
    await bot.restart()
    await bot.sweep()
    assert [d.split("\n")[0] for d in digests(bot.sent(GROUP_A, start))] == [
        "📋 <b>第一党支部</b> 今日整改提醒(11月26日 周四)"
    ]
    start = bot.mark()
    bot.clock.set(local(date(2026, 11, 27), 11))  # down at 09:00, started at 11:00
    await bot.restart()
    await bot.sweep()
    assert "11月27日 周五" in digests(bot.sent(GROUP_A, start))[0].split("\n")[0]
    start = bot.mark()
    bot.clock.set(local(date(2026, 11, 29), 8))  # down all of Saturday
    await bot.restart()
    await bot.sweep()
    assert bot.sent(GROUP_A, start) == []
    bot.clock.set(local(date(2026, 11, 29), 9))
    await bot.sweep()
    (sunday,) = digests(bot.sent(GROUP_A, start))
    assert "11月29日 周日" in sunday.split("\n")[0]


async def test_the_job_and_a_direct_sweep_at_once_send_one_message(bot: Bot) -> None:
    """The scheduled job and another sweep running at the same moment: one digest."""
    await fortnight.seed(bot.services, bot.clock, GROUP_A)
    start = bot.mark()
    bot.clock.set(local(date(2026, 11, 26), 9))
    await asyncio.gather(bot.sweep(), bot.services.reminders.sweep(), bot.sweep())
    assert len(digests(bot.sent(GROUP_A, start))) == 1


async def test_a_429_during_the_weekly_summary_is_retried_and_sent_once(bot: Bot) -> None:
    """A 429 (retry_after=1) on the Monday summary: retried by the limiter, sent exactly once.

    Later sweeps leave the sent summary alone.
    """
    bot.clock.set(local(date(2026, 11, 24), 10))
    draft = ProblemDraft("党员档案未更新", (ZHANG,), dated(date(2027, 3, 31), "明年一季度末"))
    await bot.services.ledger.register(GROUP_B, fortnight.ADMIN, draft)
    start = bot.mark()
    bot.fake.fail_next("sendMessage", status=429, retry_after=1)
    bot.clock.set(local(date(2026, 11, 30), 9))
    await bot.sweep()
    bot.clock.set(local(date(2026, 11, 30), 9, 1))
    await bot.sweep()
    calls = [c for c in bot.fake.calls_to("sendMessage") if c.index >= start]
    assert [c.status for c in calls] == [429, 200]
    (summary,) = summaries(bot.sent(GROUP_B, start))
    assert "11月23日—11月29日" in summary
    assert "本周新增 1 项" in summary.split("\n")


async def test_a_failed_send_is_retried_by_the_next_sweep(bot: Bot) -> None:
    """A 502 that outlasts the notifier's retries is not lost: the next sweep delivers, once."""
    await fortnight.seed(bot.services, bot.clock, GROUP_A)
    start = bot.mark()
    bot.fake.fail_next("sendMessage", status=502, times=len(BACKOFF_SECONDS) + 1)
    bot.clock.set(local(date(2026, 11, 26), 9))
    await bot.sweep()
    assert bot.sent(GROUP_A, start) == []
    bot.clock.set(local(date(2026, 11, 26), 9, 1))
    await bot.sweep()
    await bot.sweep()
    assert len(digests(bot.sent(GROUP_A, start))) == 1


async def test_a_group_that_removed_the_bot_gets_nothing_and_keeps_its_data(bot: Bot) -> None:
    """Removed while running: the group is inactive, no message is even attempted, items stay."""
    await fortnight.seed(bot.services, bot.clock, GROUP_A)
    bot.fake.remove_bot_from_group(GROUP_A, ADMIN)
    await bot.fake.settle(bot.runtime.application.update_queue)
    start = bot.mark()
    bot.clock.set(local(date(2026, 11, 26), 9))
    await bot.sweep()
    attempts = [c for c in bot.fake.calls_to("sendMessage") if c.index >= start]
    assert [c.params["chat_id"] for c in attempts] == []
    group = await bot.services.groups.context(GROUP_A)
    assert group is not None
    assert not group.active
    assert len((await bot.services.ledger.group_items(GROUP_A)).items) == 8


async def test_a_removal_the_bot_missed_is_learnt_from_the_403(bot: Bot) -> None:
    """A removal the bot never saw is learnt from the 403: the group is marked inactive.

    The next day nothing is attempted there.
    """
    await fortnight.seed(bot.services, bot.clock, GROUP_A)
    bot.fake.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was kicked from the supergroup chat"
    )
    start = bot.mark()
    bot.clock.set(local(date(2026, 11, 26), 9))
    await bot.sweep()
    bot.clock.set(local(date(2026, 11, 27), 9))
    await bot.sweep()
    attempts = [c for c in bot.fake.calls_to("sendMessage") if c.index >= start]
    assert [c.status for c in attempts] == [403]
    group = await bot.services.groups.context(GROUP_A)
    assert group is not None
    assert not group.active


async def test_a_migrated_group_gets_its_digest_at_the_new_id(bot: Bot) -> None:
    """A group upgraded to a supergroup unnoticed gets its digest at the new chat id.

    The send to the old id is refused with migrate_to_chat_id; the ledger follows the group.
    """
    bot.fake.add_group(GROUP_C, "第三党支部", type="group")
    bot.fake.add_member(GROUP_C, OWNER)
    await bot.services.groups.bot_added(GROUP_C, "group", "第三党支部")
    await fortnight.seed(bot.services, bot.clock, GROUP_C)
    updater = bot.runtime.application.updater
    assert updater is not None
    await updater.stop()
    bot.fake.migrate_group(GROUP_C, SUPERGROUP_C, by_user_id=OWNER)
    start = bot.mark()
    bot.clock.set(local(date(2026, 11, 26), 9))
    await bot.sweep()
    await updater.start_polling(poll_interval=0, timeout=1)
    await bot.fake.settle(bot.runtime.application.update_queue)
    refused = next(c for c in bot.fake.calls_to("sendMessage") if c.index >= start)
    assert refused.status == 400
    assert len(digests(bot.sent(SUPERGROUP_C, start))) == 1
    assert len((await bot.services.ledger.group_items(SUPERGROUP_C)).items) == 8


async def test_settings_and_summary_in_chinese_and_english(bot: Bot) -> None:
    """/settings and /summary work in Chinese, and in English after /lang en.

    /settings shows the settings; changes are for admins, and bad keys or values get a message
    with an example; /summary posts this week's summary now.
    """
    await fortnight.seed(bot.services, bot.clock, GROUP_A)
    bot.clock.set(local(date(2026, 11, 26), 11))
    shown = await bot.say(GROUP_A, OWNER, "/settings")
    assert "⚙️ <b>第一党支部</b> 的设置" in shown
    assert (
        "• 每日提醒时间 <code>提醒时间</code> 或 <code>reminder_time</code>:09:00"
        in shown.split("\n")
    )
    refused = await bot.say(GROUP_A, OWNER, "/settings reminder_time 08:00")
    assert "只有管理员" in refused
    asked = await bot.say(GROUP_A, OWNER, "/settings 周报")
    assert "只有管理员" in asked
    bad = await bot.say(GROUP_A, ADMIN, "/settings reminder_time 8点")
    assert "例如:/settings 提醒时间 08:30" in bad
    assert "8点" in bad
    bad_day = await bot.say(GROUP_A, ADMIN, "/settings 周报 周八 17:00")
    assert "例如:/settings 周报 周五 17:00" in bad_day
    friday = await bot.say(GROUP_A, ADMIN, "/settings 周报 周五 17:00")
    assert friday == "已修改 <code>周报</code>(<code>weekly_summary</code>):周五 17:00"
    unknown = await bot.say(GROUP_A, ADMIN, "/settings colour red")
    assert "没有“colour”这项设置" in unknown
    summary = await bot.say(GROUP_A, OWNER, "/summary")
    assert "整改周报(11月23日—11月26日)" in summary
    assert "整改率 13%(1/8)" in summary.split("\n")
    await bot.say(GROUP_A, ADMIN, "/lang en")
    english = await bot.say(GROUP_A, OWNER, "/settings")
    assert "• Daily reminder at <code>reminder_time</code> or <code>提醒时间</code>: 09:00" in (
        english.split("\n")
    )
    english_summary = await bot.say(GROUP_A, OWNER, "/summary")
    assert "weekly summary (11-23 – 11-26)" in english_summary
    assert "Completion rate 13% (1/8)" in english_summary.split("\n")


async def test_settings_changed_mid_week_take_effect(bot: Bot) -> None:
    """Settings changed mid-week from the chat take effect on the next slots.

    /settings reminder_time 08:00 on Tuesday moves Wednesday's digest to 08:00, and
    /settings weekly_summary off means no summary the next Monday.
    """
    await fortnight.seed(bot.services, bot.clock, GROUP_A)
    bot.clock.set(local(date(2026, 12, 1), 10))
    changed = await bot.say(GROUP_A, ADMIN, "/settings reminder_time 08:00")
    assert changed == "已修改 每日提醒时间 <code>reminder_time</code>:08:00"
    off = await bot.say(GROUP_A, ADMIN, "/settings weekly_summary off")
    assert off == "已修改 <code>周报</code>(<code>weekly_summary</code>):关闭(off)"
    start = bot.mark()
    bot.clock.set(local(date(2026, 12, 2), 8))
    await bot.sweep()
    assert len(digests(bot.sent(GROUP_A, start))) == 1
    start = bot.mark()
    bot.clock.set(local(date(2026, 12, 7), 9, 30))
    await bot.sweep()
    sent = bot.sent(GROUP_A, start)
    assert len(digests(sent)) == 1
    assert summaries(sent) == []


async def test_private_copies_go_only_to_owners_who_started_the_bot(bot: Bot) -> None:
    """Only an owner who pressed /start privately gets a private copy, once a day.

    张三 pressed /start: his copy arrives in his private chat, once however often the sweep
    runs. 王五 never did; the bot would be
    refused, so nothing is attempted. When the database wrongly believes 王五 started the bot,
    Telegram's 403 "bot can't initiate conversation" marks him unreachable: the next day
    nothing is attempted again, while the group's digests keep coming.
    """
    await fortnight.seed(bot.services, bot.clock, GROUP_A)
    await bot.say(OWNER, OWNER, "/start")
    start = bot.mark()
    bot.clock.set(local(date(2026, 11, 26), 9))
    await bot.sweep()
    bot.clock.set(local(date(2026, 11, 26), 11))
    await bot.sweep()
    (copy,) = [m.text or "" for m in bot.sent(OWNER, start)]
    assert copy.split("\n")[:3] == [
        "🔔 <b>您的整改提醒</b>(11月26日 周四)",
        "<b>第一党支部</b>",
        "  #1 主题党日活动记录不全 — 逾期5天(时限 11-21) 🔴督办",
    ]
    assert to_chat(bot, fortnight.WANG_WU, start) == []
    await bot.services.groups.private_started(SeenUser(fortnight.WANG_WU, "王五"))
    bot.clock.set(local(date(2026, 11, 30), 9))  # 王五's #5 is due in 3 days
    await bot.sweep()
    refused = to_chat(bot, fortnight.WANG_WU, start)
    assert [(c.status, c.response.get("description")) for c in refused] == [
        (403, "Forbidden: bot can't initiate conversation with a user")
    ]
    bot.clock.set(local(date(2026, 12, 2), 9))
    await bot.sweep()
    assert len(to_chat(bot, fortnight.WANG_WU, start)) == 1
    assert len(digests(bot.sent(GROUP_A, start))) == 3
    assert len(bot.sent(OWNER, start)) == 3  # one a day: 11-26, 11-30 and 12-02


def to_chat(bot: Bot, chat_id: int, after: int) -> list[ApiCall]:
    """Calls of sendMessage to ``chat_id`` since ``after``, refused ones included."""
    calls = bot.fake.calls_to("sendMessage")
    return [c for c in calls if c.index >= after and c.params["chat_id"] == chat_id]


async def test_a_sweep_that_fails_after_claiming_is_retried_by_the_next_sweep(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the digests' inputs fails once after the claim: the same process sends next time.

    The failed batch releases its claims, so the next sweep of the same live instance does not
    take them for its own sends in flight.
    """
    await fortnight.seed(bot.services, bot.clock, GROUP_A)
    real = sweep_reads.digest_inputs
    failures = [RuntimeError("database hiccup")]

    async def flaky(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return await real(*args, **kwargs)

    monkeypatch.setattr(sweep_reads, "digest_inputs", flaky)
    start = bot.mark()
    bot.clock.set(local(date(2026, 11, 26), 9))
    await bot.sweep()
    assert bot.sent(GROUP_A, start) == []
    bot.clock.set(local(date(2026, 11, 26), 9, 1))
    await bot.sweep()
    await bot.sweep()
    assert len(digests(bot.sent(GROUP_A, start))) == 1
