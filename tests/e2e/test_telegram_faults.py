"""Telegram's faults, injected by the stand-in, against the real Application.

429 with ``retry_after``, 5xx, timeouts, 403 (a group that removed the bot, a user who blocked
it), an update the bot cannot parse and the Bot API unreachable for ten minutes (a group
upgraded to a supergroup, 400 with ``migrate_to_chat_id``, is in ``test_reminders``). Each bot
here runs with an :class:`~tests.timers.InstantTimer`: the pauses it takes — ``retry_after``,
the back-off between retries — are recorded instead of slept, so the tests check them without
waiting.
The sweep job is paused; each test runs it after setting the injected clock.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Runtime
from bot.jobs import SWEEP_JOB
from bot.notifier import BACKOFF_SECONDS
from domain.clock import FixedClock
from domain.problem_form import ProblemDraft
from playground.standin import ApiCall, FakeTelegram
from services.reminders import SEND_CONCURRENCY, SweepReport
from storage import instances as instance_repo
from storage import outbox
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

THURSDAY = date(2026, 11, 26)
MORE_GROUPS = [-1100 - n for n in range(10)]


@dataclass
class Bot:
    """A running bot with a paused sweep, an instant timer and a fixed clock."""

    fake: FakeTelegram
    runtime: Runtime
    clock: FixedClock
    timer: InstantTimer

    async def sweep(self) -> SweepReport:
        """Run one sweep now, as the job would."""
        return await self.runtime.services.reminders.sweep()

    def sends(self, after: int, chat_id: int | None = None) -> list[ApiCall]:
        """The sendMessage calls answered since ``after``, refused ones too (one chat or all)."""
        calls = self.fake.calls_to("sendMessage")
        return [
            c
            for c in calls
            if c.index >= after and (chat_id is None or c.params["chat_id"] == chat_id)
        ]

    def digests(self, chat_id: int) -> list[str]:
        """The digests delivered to a chat."""
        texts = [m.text or "" for m in self.fake.sent_messages(chat_id)]
        return [t for t in fortnight.unpacked(texts) if "今日整改提醒" in t]


async def running_bot(fake: FakeTelegram, folder: Path, **config: Any) -> Bot:
    """Start the bot in the two groups of ``populate`` with its sweep job paused."""
    populate(fake)
    clock, timer = FixedClock(START), InstantTimer()
    runtime = await start_runtime(config_for(fake, folder, **config), clock, timer=timer)
    assert runtime.application.job_queue is not None
    (job,) = runtime.application.job_queue.get_jobs_by_name(SWEEP_JOB)
    job.enabled = False
    await fake.settle(runtime.application.update_queue)
    return Bot(fake, runtime, clock, timer)


@pytest.fixture
async def bot(fake_telegram: FakeTelegram, tmp_path: Path) -> AsyncIterator[Bot]:
    """The bot, stopped after the test."""
    handle = await running_bot(fake_telegram, tmp_path)
    yield handle
    await stop_runtime(handle.runtime)


async def overdue_item(bot: Bot, chat_id: int) -> None:
    """One item in ``chat_id`` that is overdue on Thursday: its digest is due at 09:00."""
    bot.clock.set(local(THURSDAY - timedelta(days=10), 10))
    draft = ProblemDraft("三会一课记录不规范", (ZHANG,), dated(THURSDAY - timedelta(days=2), "前"))
    await bot.runtime.services.ledger.register(chat_id, fortnight.ADMIN, draft)


async def more_groups(bot: Bot) -> None:
    """Ten more branch groups, each with an overdue item."""
    for n, chat_id in enumerate(MORE_GROUPS):
        bot.fake.add_group(chat_id, f"第{n + 3}党支部")
        await bot.runtime.services.groups.bot_added(chat_id, "supergroup", f"第{n + 3}党支部")
        await overdue_item(bot, chat_id)


async def test_a_429_on_a_scheduled_message_is_waited_out_and_sent_once(bot: Bot) -> None:
    """429 with retry_after=7: the bot waits 7 s (recorded, not slept), sends once, loses nothing.

    A later sweep sends nothing more.
    """
    await overdue_item(bot, GROUP_A)
    start = bot.fake.mark()
    bot.fake.fail_next("sendMessage", status=429, retry_after=7)
    bot.clock.set(local(THURSDAY, 9))
    report = await bot.sweep()
    await bot.sweep()
    assert [c.status for c in bot.sends(start)] == [429, 200]
    assert bot.timer.waits == [7.0]
    assert (report.sent, len(bot.digests(GROUP_A))) == (1, 1)


async def test_a_429_on_a_reply_is_waited_out_and_the_reply_sent_once(bot: Bot) -> None:
    """A command's answer refused with 429 goes out once after retry_after."""
    start = bot.fake.mark()
    bot.fake.fail_next("sendMessage", status=429, retry_after=3)
    reply = await bot.fake.say(GROUP_A, ADMIN, "/help")
    assert "/problem" in (reply.plain_text or "")
    assert [c.status for c in bot.sends(start)] == [429, 200]
    assert bot.timer.waits == [3.0]


async def test_5xx_is_retried_with_a_growing_back_off(bot: Bot) -> None:
    """Two 500s, then success: retried after 0.5 s and 1 s, delivered once in the same sweep."""
    await overdue_item(bot, GROUP_A)
    start = bot.fake.mark()
    bot.fake.fail_next("sendMessage", status=500, times=2)
    bot.clock.set(local(THURSDAY, 9))
    report = await bot.sweep()
    assert [c.status for c in bot.sends(start)] == [500, 500, 200]
    assert bot.timer.waits == list(BACKOFF_SECONDS[:2])
    assert (report.sent, len(bot.digests(GROUP_A))) == (1, 1)


async def test_5xx_that_persists_is_given_up_and_sent_by_the_next_sweep(bot: Bot) -> None:
    """503 on every retry: given up, the claim released; the next sweep delivers it, once."""
    await overdue_item(bot, GROUP_A)
    start = bot.fake.mark()
    bot.fake.fail_next("sendMessage", status=503, times=len(BACKOFF_SECONDS) + 1)
    bot.clock.set(local(THURSDAY, 9))
    given_up = await bot.sweep()
    assert [c.status for c in bot.sends(start)] == [503] * (len(BACKOFF_SECONDS) + 1)
    assert (given_up.sent, given_up.failed, bot.digests(GROUP_A)) == (0, 1, [])
    group = await bot.runtime.services.groups.require(GROUP_A)
    async with bot.runtime.db.transaction() as session:
        row = await outbox.dispatch_by_key(session, f"digest:{group.id}:{THURSDAY}")
    assert row is not None
    assert (row.sent_at, row.claimed_by) == (None, "")
    assert "Service Unavailable" in row.last_error
    bot.clock.set(local(THURSDAY, 9, 1))
    retried = await bot.sweep()
    await bot.sweep()
    assert (retried.sent, len(bot.digests(GROUP_A))) == (1, 1)


async def test_a_timeout_is_retried_and_never_delivered_twice(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Telegram answers after 60 s, the bot gives up after 2 s: retried, delivered once.

    The stand-in records the abandoned call as 499 (client closed) and stores nothing for it;
    the retry is the one message in the chat.
    """
    bot = await running_bot(fake_telegram, tmp_path, timeout_seconds=2)
    try:
        await overdue_item(bot, GROUP_A)
        start = bot.fake.mark()
        bot.fake.fail_next("sendMessage", delay=60)
        bot.clock.set(local(THURSDAY, 9))
        report = await bot.sweep()
        await bot.fake.wait_for(lambda: [c.status for c in bot.sends(start)] == [499, 200])
    finally:
        await stop_runtime(bot.runtime)
    assert bot.timer.waits == [BACKOFF_SECONDS[0]]
    assert (report.sent, len(bot.digests(GROUP_A))) == (1, 1)


async def test_a_403_closes_the_group_with_one_attempt_and_no_retries(bot: Bot) -> None:
    """Removed unnoticed: one refused attempt, the group inactive, the other group served.

    No retry in the sweep (no back-off) and none in the next days' sweeps.
    """
    await overdue_item(bot, GROUP_A)
    await overdue_item(bot, GROUP_B)
    updater = bot.runtime.application.updater
    assert updater is not None
    await updater.stop()  # the removal's update stays unseen until after the sweeps
    bot.fake.remove_bot_from_group(GROUP_A, ADMIN)
    start = bot.fake.mark()
    for day in range(3):
        bot.clock.set(local(THURSDAY + timedelta(days=day), 9))
        await bot.sweep()
    await updater.start_polling(poll_interval=0, timeout=1)
    await bot.fake.settle(bot.runtime.application.update_queue)
    assert [c.status for c in bot.sends(start, GROUP_A)] == [403]
    assert bot.timer.waits == []
    group = await bot.runtime.services.groups.context(GROUP_A)
    assert group is not None
    assert not group.active
    assert len(bot.digests(GROUP_B)) == 3


def private_copies(bot: Bot) -> list[str]:
    """The private copies of reminders the owner received."""
    return [m.text or "" for m in bot.fake.sent_messages(OWNER) if "您的整改提醒" in (m.text or "")]


async def test_a_user_who_blocked_the_bot_unnoticed_is_tried_once_then_left_alone(bot: Bot) -> None:
    """The owner blocks the bot unseen: one 403 on the private copy, none on the next days.

    The group's digest goes out every day; no back-off is taken. Once the blocking update is
    read the bot carries on answering; when the owner presses /start again, the next day's
    digest brings a private copy again.
    """
    await overdue_item(bot, GROUP_A)
    await bot.fake.say(OWNER, OWNER, "/start")
    bot.clock.set(local(THURSDAY - timedelta(days=1), 9))
    await bot.sweep()
    assert len(private_copies(bot)) == 1  # reachable: the copy goes out
    updater = bot.runtime.application.updater
    assert updater is not None
    await updater.stop()  # the blocking update stays unseen until after the sweeps
    bot.fake.block_bot(OWNER)
    start = bot.fake.mark()
    for day in range(3):
        for minute in (0, 1):
            bot.clock.set(local(THURSDAY + timedelta(days=day), 9, minute))
            await bot.sweep()
    assert [c.status for c in bot.sends(start, OWNER)] == [403]
    assert [c.status for c in bot.sends(start, GROUP_A)] == [200] * 3
    assert bot.timer.waits == []
    await updater.start_polling(poll_interval=0, timeout=1)
    await bot.fake.settle(bot.runtime.application.update_queue)
    reply = await bot.fake.say(GROUP_A, ADMIN, "/list")
    assert "三会一课记录不规范" in (reply.plain_text or "")
    bot.fake.unblock_bot(OWNER)
    await bot.fake.say(OWNER, OWNER, "/start")
    bot.clock.set(local(THURSDAY + timedelta(days=3), 9))
    await bot.sweep()
    assert [c.status for c in bot.sends(start, OWNER)][-1] == 200
    assert len(private_copies(bot)) == 2
    assert len(bot.digests(GROUP_A)) == 5


async def test_a_user_who_blocks_the_bot_while_it_listens_is_not_written_to(bot: Bot) -> None:
    """The blocking update is read at once: no private copy is even tried; the group's is sent."""
    await overdue_item(bot, GROUP_A)
    await bot.fake.say(OWNER, OWNER, "/start")
    bot.fake.block_bot(OWNER)
    await bot.fake.settle(bot.runtime.application.update_queue)
    start = bot.fake.mark()
    for day in range(2):
        bot.clock.set(local(THURSDAY + timedelta(days=day), 9))
        await bot.sweep()
    assert bot.sends(start, OWNER) == []
    assert [c.status for c in bot.sends(start, GROUP_A)] == [200] * 2


async def test_an_update_the_bot_cannot_parse_is_logged_and_skipped(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    """A malformed update is logged with its payload and skipped; the next one is answered.

    The offset moves past it, so it is not fetched again.
    """
    with caplog.at_level(logging.ERROR, logger="bot.updates"):
        broken = bot.fake.queue_update("message", {"message_id": 1, "text": "/help"})
        reply = await bot.fake.say(GROUP_A, ADMIN, "/help")
        await bot.fake.settle(bot.runtime.application.update_queue)
    assert "/problem" in (reply.plain_text or "")
    assert f"skipping update {broken}" in caplog.text
    assert bot.fake.pending_update_ids == []
    assert bot.fake.delivered_update_ids.count(broken) == 1


async def test_ten_minutes_without_the_bot_api(bot: Bot) -> None:
    """The Bot API unreachable from 09:00 to 09:10: the bot keeps running and catches up.

    Ten minutes pass on the injected clock, not in real time: the sweep runs once a minute
    of that clock, as its job would, and so does the heartbeat; the back-off pauses are
    recorded by the instant timer instead of slept. Only PTB's poller waits in real time
    between its attempts to reach the stand-in, a second or two here.

    Meanwhile every sweep tries at most the messages it has in flight and puts the rest off
    (no retry storm), the instance stays alive in the database, and a command typed during the
    outage waits in Telegram's queue. Once the API is back, the command is answered and the
    next sweep sends every group its digest, once.
    """
    await more_groups(bot)
    for chat_id in (GROUP_A, GROUP_B):
        await overdue_item(bot, chat_id)
    everyone = [GROUP_A, GROUP_B, *MORE_GROUPS]
    start = bot.fake.mark()
    await bot.fake.disconnect()
    bot.fake.send_text(GROUP_A, ADMIN, "/list")
    reports = []
    for minute in range(11):
        bot.clock.set(local(THURSDAY, 9, minute))
        await bot.runtime.services.instances.beat()
        reports.append(await bot.sweep())
    assert all(r.sent == 0 and r.failed + r.deferred == len(everyone) for r in reports)
    assert all(r.failed <= SEND_CONCURRENCY for r in reports)
    assert [m for m in bot.fake.sent_messages() if m.call_index >= start] == []
    async with bot.runtime.db.transaction() as session:
        holders = await instance_repo.holders(session, bot.clock.now())
    assert bot.runtime.services.instances.identity.id in holders.live
    assert bot.runtime.application.running
    await bot.fake.reconnect()
    reply = await bot.fake.wait_reply(GROUP_A, timeout=30)
    assert "三会一课记录不规范" in (reply.plain_text or "")
    bot.clock.set(local(THURSDAY, 9, 11))
    caught_up = await bot.sweep()
    await bot.sweep()
    assert caught_up.sent == len(everyone)
    assert all(len(bot.digests(chat_id)) == 1 for chat_id in everyone)
