"""How the sweep sends: together where slots fall together, a few at a time, put off when told."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date, timedelta

from domain.clock import FixedClock
from domain.problem_form import ProblemDraft
from domain.settings import GroupSettings
from services.container import Services
from services.ports import SendResult
from services.reminders import SEND_CONCURRENCY, ReminderService
from storage import outbox
from storage.database import Database
from tests import fortnight
from tests.fortnight import ZHANG, dated, local
from tests.services.conftest import GROUP_A

MONDAY = date(2026, 11, 30)
MORE_GROUPS = [-1100 - n for n in range(11)]


class GatedNotifier:
    """Holds every send until ``gate`` opens; ``waiting`` is set once ``expected`` are held."""

    def __init__(self, expected: int) -> None:
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()
        self.expected = expected
        self.sent: list[tuple[int, list[str]]] = []
        self._held = 0

    async def send(self, chat_id: int, parts: Sequence[str]) -> SendResult:
        """Wait for the gate, then deliver."""
        self._held += 1
        if self._held >= self.expected:
            self.waiting.set()
        await self.gate.wait()
        self.sent.append((chat_id, list(parts)))
        return SendResult.ok()


async def overdue_groups(services: Services, clock: FixedClock, chats: list[int]) -> None:
    """Each chat a group with one item overdue by Monday."""
    clock.set(local(MONDAY - timedelta(days=10), 10))
    for n, chat_id in enumerate(chats):
        await services.groups.bot_added(chat_id, "supergroup", f"第{n + 3}党支部")
        draft = ProblemDraft(
            "三会一课记录不规范", (ZHANG,), dated(MONDAY - timedelta(days=3), "前")
        )
        await services.ledger.register(chat_id, fortnight.ADMIN, draft)


async def test_a_digest_and_summary_due_together_go_out_as_one_message(
    services: Services, db: Database, clock: FixedClock
) -> None:
    """Monday 09:00: one message carries the digest, a blank line, then the summary.

    Both keys are recorded as sent by that one message.
    """
    notifier = GatedNotifier(expected=1)
    notifier.gate.set()
    await overdue_groups(services, clock, [GROUP_A])
    clock.set(local(MONDAY, 9))
    report = await ReminderService(db, clock, GroupSettings(), notifier).sweep()
    ((chat_id, parts),) = notifier.sent
    (text,) = parts
    digest, summary = text.split("\n\n")
    assert chat_id == GROUP_A
    assert "今日整改提醒" in digest.split("\n")[0]
    assert "整改周报" in summary.split("\n")[0]
    assert report.sent == 2
    group = await services.groups.require(GROUP_A)
    async with db.transaction() as session:
        settled = await outbox.settled_keys(
            session, [f"digest:{group.id}:{MONDAY}", f"weekly:{group.id}:2026-W49"], clock.now()
        )
    assert len(settled) == 2


async def test_stopping_mid_fan_out_finishes_what_is_in_flight_and_puts_off_the_rest(
    services: Services, db: Database, clock: FixedClock
) -> None:
    """SIGTERM during a fan-out to 12 groups: the messages in flight finish and are recorded.

    The other groups are not attempted; their claims are released at once, so the next
    instance sends them without waiting for this one's heartbeat to lapse.
    """
    notifier = GatedNotifier(expected=SEND_CONCURRENCY)
    await overdue_groups(services, clock, [GROUP_A, *MORE_GROUPS])
    clock.set(local(MONDAY - timedelta(days=1), 9))  # a Sunday: digests only
    reminders = ReminderService(db, clock, GroupSettings(), notifier)
    sweep = asyncio.create_task(reminders.sweep())
    await notifier.waiting.wait()
    stopping = asyncio.create_task(reminders.stop())
    notifier.gate.set()
    report = await sweep
    await stopping
    assert (report.sent, report.deferred) == (SEND_CONCURRENCY, 12 - SEND_CONCURRENCY)
    assert len(notifier.sent) == SEND_CONCURRENCY
    later = ReminderService(db, clock, GroupSettings(), GatedNotifier(expected=1))
    async with db.transaction() as session:
        keys = [f"digest:{g}:{MONDAY - timedelta(days=1)}" for g in range(1, 14)]
        unsettled = set(keys) - await outbox.settled_keys(session, keys, clock.now(), later.owner)
    assert len(unsettled) == 12 - SEND_CONCURRENCY
