"""Reminders and summaries: the sweep that decides from the database what is due, and sends it.

The sweep runs every minute or so (``bot.jobs``). For every active group it works out the
group's local date and time, and which of today's slots (the daily digest at
``reminder_time``, the weekly summary at ``weekly_summary``) have come. A slot's key is claimed
in the database before anything is sent (``storage.outbox``), so a restart, a second
instance or an overlapping sweep never sends it twice; a failed send releases the claim and a
later sweep retries. A quiet day is decided once: its key is marked sent without a message
(a digest with nothing that needs attention; a weekly summary of an empty ledger).

After the group messages, the owners the sent digests mention get their private copy
(``domain.reminders.private_copies``): one a day, keyed ``private:<user>:<date>`` and claimed
like a slot, only for users who pressed /start privately and have not blocked the bot. A copy
is made of the digests sent in the same sweep, so with the default settings (every group at
09:00) it covers all of the owner's groups; a group whose digest goes out later that day does
not add a second copy. A 403 (the user blocked the bot, or never started it) marks the user
unreachable, so nothing is attempted again until they press /start. A copy that fails for a
passing reason releases its claim but is not recomposed: a later digest mentioning the owner
that day may still send one; otherwise the mention in the group stands.

Sending. A group whose digest and weekly summary fall due together gets them as one message
when they fit (fewer messages: the Monday fan-out halves). Messages go out
:data:`SEND_CONCURRENCY` at a time, each paced under Telegram's flood limits by the bot's rate
limiter (``services.pacing``, shared by every instance), so the fan-out runs at Telegram's pace
without 429s. A claim is held by this instance (``owner``, its instance id) as long as its
heartbeat lasts; if the process dies mid-fan-out, another instance (or the restarted one) takes
the unsent claims over once the heartbeat has lapsed, and only the messages in flight at the
crash may be sent twice. A batch that fails after claiming releases its unsent claims, and the
service remembers which keys its running sweeps hold: any other claim of its own is an orphan
that the next sweep takes over, though the heartbeat lives on. When Telegram cannot be reached
(a send fails with a network error or 5xx after the notifier's retries), the rest of the sweep
is put off — claims released — rather than tried one by one: the next sweep tries again, with
no retry storm.

Every database call is a short transaction; messages are sent outside them.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Container, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from domain.clock import Clock, local_today
from domain.groups import GroupContext
from domain.reminders import (
    Digest,
    PrivateCopy,
    SentDigest,
    SlotKind,
    build_digest,
    digest_horizon,
    due_slots,
    is_report_reminder_day,
    private_copies,
    slot_key,
    summary_period,
    weekly_summary,
)
from domain.settings import GroupSettings
from i18n import t
from services.groups import load_group
from services.instances import InstanceIdentity, SweepStatus
from services.ports import Delivery, Notifier, SendResult
from services.tree_sweep import (
    TreeInputs,
    TreeView,
    read_tree,
    read_tree_inputs,
    rollup_for,
    tree_digest_for,
)
from storage import groups as group_repo
from storage import outbox, sweep_reads
from storage.database import Database
from storage.sweep_reads import SweepInputs
from views.digest import digest_html, long_date, private_parts
from views.text import esc, join_messages, split_html
from views.tree_reports import rollup_lines, summary_with_rollup, tree_digest_lines

log = logging.getLogger(__name__)
T = TypeVar("T")

# Groups whose slots are claimed, read and sent together. Small, so that a batch's read
# transaction (on SQLite the one write lock) and its rendering keep commands waiting briefly
# (bench/: p99 of commands during the fan-out, 1.4 s with 200, 0.5 s with 20).
BATCH = 25
SEND_CONCURRENCY = 8  # messages in flight at once (each paced; the most a crash may repeat)
STOP_WAIT_SECONDS = 10.0  # how long a stopping bot lets the running sweep finish its sends


@dataclass(frozen=True)
class Slot:
    """One scheduled message of one group for today."""

    kind: SlotKind
    key: str
    group: GroupContext
    today: date


@dataclass(frozen=True)
class Composed:
    """A claimed slot and its message parts (none: nothing to say today), and its digest."""

    slot: Slot
    parts: tuple[str, ...]
    digest: Digest | None = None


@dataclass(frozen=True)
class Outgoing:
    """One message to one group: the parts of its claimed slots that fell due together."""

    group: GroupContext
    slots: tuple[Slot, ...]
    parts: tuple[str, ...]
    digest: Digest | None


def _together(composed: Sequence[Composed]) -> list[Outgoing]:
    """One message per group: a digest and a summary due together share it when they fit."""
    by_group: dict[int, list[Composed]] = {}
    for item in composed:
        if item.parts:
            by_group.setdefault(item.slot.group.id, []).append(item)
    return [
        Outgoing(
            group=items[0].slot.group,
            slots=tuple(item.slot for item in items),
            parts=tuple(join_messages([part for item in items for part in item.parts])),
            digest=next((item.digest for item in items if item.digest is not None), None),
        )
        for items in by_group.values()
    ]


@dataclass
class SweepReport:
    """What one sweep did, for the log and the benchmark."""

    groups: int = 0
    due: int = 0
    sent: int = 0
    quiet: int = 0
    skipped: int = 0
    failed: int = 0
    deferred: int = 0
    gone: int = 0
    migrated: int = 0
    items_read: int = 0
    private_sent: int = 0
    private_gone: int = 0
    private_failed: int = 0

    def __str__(self) -> str:
        return (
            f"groups={self.groups} due={self.due} sent={self.sent} quiet={self.quiet} "
            f"skipped={self.skipped} failed={self.failed} deferred={self.deferred} "
            f"gone={self.gone} "
            f"migrated={self.migrated} items_read={self.items_read} "
            f"private_sent={self.private_sent} private_gone={self.private_gone} "
            f"private_failed={self.private_failed}"
        )


@dataclass
class _Routing:
    """What one sweep learns: groups that moved or closed the door, and the digests sent."""

    moved: dict[int, int] = field(default_factory=dict)
    closed: set[int] = field(default_factory=set)
    sent: list[SentDigest] = field(default_factory=list)
    unavailable: bool = False  # Telegram failed on its side: put the rest off
    deferred: list[str] = field(default_factory=list)  # keys put off, released at the end
    held: Counter[str] = field(default_factory=Counter)  # keys this sweep claims or may claim


@dataclass(frozen=True)
class _HeldElsewhere(Container[str]):
    """The keys other running sweeps of this service hold, as of each look (a live view)."""

    holding: Counter[str]  # every running sweep's keys (updated in place)
    mine: Counter[str]  # this claim's own

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.holding[key] > self.mine[key]


def _slots(group: GroupContext, now: datetime) -> list[Slot]:
    local = now.astimezone(group.settings.zone)
    today = local.date()
    return [
        Slot(kind, slot_key(kind, group.id, today), group, today)
        for kind in due_slots(group.settings, local)
    ]


def _bulletin_slots(groups: Sequence[GroupContext], tree: TreeView, now: datetime) -> list[Slot]:
    """The branches in which a committee posts its weekly 通报 now (bulletin_to_branches)."""
    slots = []
    for group in groups:
        parent = tree.groups.get(group.parent_id) if group.parent_id else None
        if parent is None or not parent.settings.bulletin_to_branches:
            continue
        local = now.astimezone(parent.settings.zone)
        if SlotKind.WEEKLY in due_slots(parent.settings, local):
            key = slot_key(SlotKind.BULLETIN, group.id, local.date())
            slots.append(Slot(SlotKind.BULLETIN, key, group, local.date()))
    return slots


@dataclass(frozen=True)
class _Inputs:
    """What one batch's messages are made of."""

    daily: SweepInputs
    weekly: SweepInputs
    tree: TreeView
    below: TreeInputs


def _render(slot: Slot, inputs: _Inputs) -> Composed:
    """The message of one claimed slot (no parts: nothing to say today)."""
    if slot.kind is SlotKind.DIGEST:
        return _render_digest(slot, inputs)
    if slot.kind is SlotKind.WEEKLY:
        return _render_weekly(slot, inputs)
    return _render_bulletin(slot, inputs)


def _render_digest(slot: Slot, inputs: _Inputs) -> Composed:
    group, settings = slot.group, slot.group.settings
    items = inputs.daily.items.get(group.id, [])
    extensions = inputs.daily.extensions.get(group.id, [])
    digest = build_digest(items, extensions, slot.today, settings)
    below = tree_digest_for(group.id, slot.today, inputs.tree, inputs.below)
    if digest is None and below is None:
        return Composed(slot, ())
    html = digest_html(digest or Digest(today=slot.today), group.title, settings)
    if below is not None:
        html = "\n".join([html, *tree_digest_lines(below, settings)])
    return Composed(slot, tuple(split_html(html)), digest)


def _render_weekly(slot: Slot, inputs: _Inputs) -> Composed:
    group, settings = slot.group, slot.group.settings
    everything = inputs.weekly.items.get(group.id, [])
    roll = rollup_for(group.id, slot.today, inputs.tree, inputs.below)
    if not everything and (roll is None or roll.total.total == 0):
        return Composed(slot, ())  # an empty ledger has nothing to summarise
    start, end = summary_period(slot.today)
    summary = weekly_summary(everything, start, end, slot.today, zone=settings.zone)
    html = summary_with_rollup(summary, group.title, settings, roll)
    return Composed(slot, tuple(split_html(html)))


def _render_bulletin(slot: Slot, inputs: _Inputs) -> Composed:
    """A committee's ranking of its branches, posted in one branch, in that branch's language."""
    group, settings = slot.group, slot.group.settings
    parent = inputs.tree.groups.get(group.parent_id or 0)
    roll = rollup_for(parent.id, slot.today, inputs.tree, inputs.below) if parent else None
    if parent is None or roll is None or roll.total.total == 0:
        return Composed(slot, ())
    start, end = summary_period(slot.today)
    title = t(
        settings.language,
        "tree.bulletin.title",
        committee=esc(parent.title),
        start=long_date(start, settings.language),
        end=long_date(end, settings.language),
    )
    html = "\n".join([title, *rollup_lines(roll, settings)])
    return Composed(slot, tuple(split_html(html)))


def _keys(slots: Sequence[Slot]) -> list[str]:
    return [slot.key for slot in slots]


def _batches(slots: Sequence[Slot]) -> list[Sequence[Slot]]:
    """The slots of :data:`BATCH` groups at a time, never splitting a group's (sent as one)."""
    by_group: dict[int, list[Slot]] = {}
    for slot in slots:
        by_group.setdefault(slot.group.id, []).append(slot)
    groups = list(by_group.values())
    return [
        [slot for group in groups[start : start + BATCH] for slot in group]
        for start in range(0, len(groups), BATCH)
    ]


class ReminderService:
    """Daily digests, weekly summaries and ``/summary``; exactly once, from the database."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        defaults: GroupSettings,
        notifier: Notifier | None,
        *,
        owner: str | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults
        self._notifier = notifier
        self.owner = owner or InstanceIdentity.ad_hoc().id
        self._stopping = False
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._last_finished_at: datetime | None = None
        self._progress_at: datetime | None = None
        # Keys the running sweeps of this service hold: any other claim of ours is an orphan.
        self._holding: Counter[str] = Counter()

    # --- the sweep ---------------------------------------------------------------------------

    async def sweep(self) -> SweepReport:
        """Send every slot of today that has come and is not sent yet; report what happened."""
        self._running += 1
        self._idle.clear()
        try:
            report = await self._sweep()
        finally:
            self._running -= 1
            if not self._running:
                self._idle.set()
        self._last_finished_at = self._progress_at = self._clock.now()
        return report

    async def _sweep(self) -> SweepReport:
        now = self._clock.now()
        self._progress_at = now
        report = SweepReport()
        async with self._db.transaction() as session:
            tree = await read_tree(session, self._defaults)
        groups = [group for group in tree.groups.values() if group.active]
        report.groups = len(groups)
        slots = [slot for group in groups for slot in _slots(group, now)]
        slots += _bulletin_slots(groups, tree, now)
        report.due = len(slots)
        todo = await self._unsettled(slots, now)
        report.skipped = len(slots) - len(todo)
        routing = _Routing()
        try:
            for batch in _batches(todo):
                await self._run_batch(batch, report, routing, tree)
            await self._send_private_copies(routing, report)
            await self._release_deferred(routing, report)
        finally:
            self._holding -= routing.held
        return report

    def status(self) -> SweepStatus:
        """What the sweep did lately (for ``/healthz``)."""
        return SweepStatus(self._last_finished_at, self._progress_at, bool(self._running))

    async def stop(self, grace: float = STOP_WAIT_SECONDS) -> None:
        """Stop sending: a running sweep finishes the messages in flight and puts off the rest."""
        self._stopping = True
        try:
            async with asyncio.timeout(grace):
                await self._idle.wait()
        except TimeoutError:
            log.warning("the reminder sweep did not finish within %.0f s of stopping", grace)

    async def _unsettled(self, slots: Sequence[Slot], now: datetime) -> list[Slot]:
        """Slots not yet sent and not held by another live instance (one indexed read)."""
        if not slots:
            return []
        async with self._db.transaction() as session:
            settled = await outbox.settled_keys(
                session, [s.key for s in slots], now, self.owner, self._holding
            )
        return [slot for slot in slots if slot.key not in settled]

    async def _run_batch(
        self, batch: Sequence[Slot], report: SweepReport, routing: _Routing, tree: TreeView
    ) -> None:
        if self._stopping or routing.unavailable:
            return  # not claimed: nothing to release
        mine = await self._claim(batch, routing)
        report.skipped += len(batch) - len(mine)
        try:
            await self._compose_and_send(mine, report, routing, tree)
        except Exception as error:  # the claims must not outlive the batch: release the unsent
            log.exception("a batch of %d scheduled messages failed", len(mine))
            async with self._db.transaction() as session:
                released = await outbox.release_many(
                    session, _keys(mine), self.owner, type(error).__name__
                )
            report.failed += released

    async def _compose_and_send(
        self, mine: Sequence[Slot], report: SweepReport, routing: _Routing, tree: TreeView
    ) -> None:
        composed = await self._compose(mine, report, tree)
        quiet = [c.slot.key for c in composed if not c.parts]
        if quiet:
            async with self._db.transaction() as session:
                await outbox.mark_sent_many(session, quiet, self._clock.now())
            report.quiet += len(quiet)
        outgoing = _together(composed)
        await self._in_flight(
            outgoing,
            lambda o: self._deliver_safely(o, report, routing),
            lambda o: routing.deferred.extend(slot.key for slot in o.slots),
            routing,
        )

    async def _in_flight(
        self,
        todo: Sequence[T],
        send: Callable[[T], Awaitable[None]],
        put_off: Callable[[T], None],
        routing: _Routing,
    ) -> None:
        """Send ``todo`` a few at a time; once stopping or Telegram fails, put the rest off."""
        gate = asyncio.Semaphore(SEND_CONCURRENCY)

        async def one(item: T) -> None:
            async with gate:
                if self._stopping or routing.unavailable:
                    put_off(item)
                    return
                await send(item)
                self._progress_at = self._clock.now()

        await asyncio.gather(*(one(item) for item in todo))

    async def _release_deferred(self, routing: _Routing, report: SweepReport) -> None:
        if not routing.deferred:
            return
        reason = "stopping" if self._stopping else "deferred: Telegram unavailable"
        async with self._db.transaction() as session:
            await outbox.release_many(session, routing.deferred, self.owner, reason)
        report.deferred += len(routing.deferred)
        log.warning("%d scheduled messages put off (%s)", len(routing.deferred), reason)

    async def _deliver_safely(
        self, outgoing: Outgoing, report: SweepReport, routing: _Routing
    ) -> None:
        """One group's unexpected failure must not keep the other groups' messages back."""
        try:
            await self._deliver(outgoing, report, routing)
        except Exception as error:
            log.exception("sending %s failed unexpectedly", _keys(outgoing.slots))
            await self._failed(outgoing.slots, type(error).__name__, report)

    async def _claim(self, batch: Sequence[Slot], routing: _Routing) -> list[Slot]:
        wanted = {slot.key: slot.group.id for slot in batch}
        won = await self._claim_keys(wanted, routing)
        return [slot for slot in batch if slot.key in won]

    async def _claim_keys(self, wanted: dict[str, int], routing: _Routing) -> set[str]:
        """Claim ``wanted`` (key → group id) for this sweep, held until the sweep ends.

        The keys count as held from before the claim, so that a sweep running beside this one
        never takes the claims it is about to win for orphans; to this claim, only the other
        sweeps' holdings are live — read when the claim is made, not when it was asked for: a
        sweep that started claiming meanwhile (and may have won first) holds its keys too.
        """
        asked = Counter(wanted.keys())
        others = _HeldElsewhere(self._holding, asked)
        self._holding += asked
        try:
            async with self._db.transaction() as session:
                won = await outbox.claim_many(
                    session, wanted, self._clock.now(), self.owner, others
                )
        except BaseException:
            self._holding -= asked
            raise
        lost = Counter(key for key in wanted if key not in won)
        self._holding -= lost
        routing.held += asked - lost
        return won

    # --- composing ---------------------------------------------------------------------------

    async def _compose(
        self, slots: Sequence[Slot], report: SweepReport, tree: TreeView
    ) -> list[Composed]:
        """Read what the claimed slots need (one transaction) and render their messages."""
        if not slots:
            return []
        digests = {s.group.id: s for s in slots if s.kind is SlotKind.DIGEST}
        weeklies = {s.group.id: s for s in slots if s.kind is SlotKind.WEEKLY}
        committees = [(gid, s.today) for gid, s in digests.items() if tree.has_branches(gid)]
        rollups = {gid for gid in weeklies if tree.has_branches(gid)} | {
            s.group.parent_id for s in slots if s.kind is SlotKind.BULLETIN and s.group.parent_id
        }
        horizons = {gid: digest_horizon(s.today, s.group.settings) for gid, s in digests.items()}
        reporting = {
            gid
            for gid, s in digests.items()
            if is_report_reminder_day(s.today, s.group.settings.report_day)
        }
        async with self._db.transaction() as session:
            daily = await sweep_reads.digest_inputs(session, horizons, reporting)
            weekly = await sweep_reads.summary_inputs(session, sorted(weeklies))
            below = await read_tree_inputs(session, tree, committees, rollups)
        report.items_read += daily.rows_read + weekly.rows_read + below.rows_read
        inputs = _Inputs(daily, weekly, tree, below)
        composed: list[Composed] = []
        for slot in slots:
            try:
                composed.append(_render(slot, inputs))
            except Exception as error:  # one group's bad data must not hold back the others
                log.exception("composing %s failed", slot.key)
                await self._failed((slot,), type(error).__name__, report)
            await asyncio.sleep(0)  # commands are answered between two groups' renderings
        return composed

    # --- sending -----------------------------------------------------------------------------

    async def _deliver(self, outgoing: Outgoing, report: SweepReport, routing: _Routing) -> None:
        """Send one message, follow a migration once, and record how it ended."""
        slots = outgoing.slots
        group = outgoing.group
        chat_id = routing.moved.get(group.chat_id, group.chat_id)
        if chat_id in routing.closed:
            await self._failed(slots, "gone", report)
            return
        result = await self._send(chat_id, outgoing.parts)
        if result.delivery is Delivery.MIGRATED and result.new_chat_id is not None:
            await self._move(chat_id, result.new_chat_id)
            chat_id = result.new_chat_id
            routing.moved[group.chat_id] = chat_id
            report.migrated += 1
            result = await self._send(chat_id, outgoing.parts)
        if result.delivery is Delivery.OK:
            async with self._db.transaction() as session:
                await outbox.mark_sent_many(session, _keys(slots), self._clock.now())
            report.sent += len(slots)
            if outgoing.digest is not None:
                routing.sent.append(
                    SentDigest(group.id, group.title, group.settings, outgoing.digest)
                )
        elif result.delivery is Delivery.GONE:
            await self._gone(chat_id, slots, report, routing)
        else:
            if result.delivery is Delivery.UNAVAILABLE:
                routing.unavailable = True
            await self._failed(slots, result.error or result.delivery.value, report)

    async def _send(self, chat_id: int, parts: Sequence[str]) -> SendResult:
        if self._notifier is None:
            raise RuntimeError("ReminderService needs a notifier to send (see build_services)")
        return await self._notifier.send(chat_id, parts)

    async def _move(self, old_chat_id: int, new_chat_id: int) -> None:
        async with self._db.transaction() as session:
            moved = await group_repo.move_group(
                session, old_chat_id, new_chat_id, self._clock.now()
            )
        log.info("group %s migrated to %s (moved now: %s)", old_chat_id, new_chat_id, moved)

    async def _gone(
        self, chat_id: int, slots: Sequence[Slot], report: SweepReport, routing: _Routing
    ) -> None:
        """The bot was removed or blocked: stop posting there and keep the data."""
        routing.closed.add(chat_id)
        async with self._db.transaction() as session:
            await group_repo.set_group_active(session, chat_id, False, self._clock.now())
            for key in _keys(slots):
                await outbox.mark_failed(session, key, self.owner, "gone")
        report.gone += 1
        log.info("group %s removed the bot; marked inactive", chat_id)

    async def _failed(self, slots: Sequence[Slot], error: str, report: SweepReport) -> None:
        async with self._db.transaction() as session:
            for key in _keys(slots):
                await outbox.mark_failed(session, key, self.owner, error)
        report.failed += len(slots)
        log.warning("could not send %s (%s); a later sweep retries", _keys(slots), error)

    # --- private copies ----------------------------------------------------------------------

    async def _send_private_copies(self, routing: _Routing, report: SweepReport) -> None:
        """Each owner the sent digests mention, if reachable, gets today's copy (once)."""
        copies = private_copies(routing.sent)
        if not copies or self._stopping or routing.unavailable:
            return
        async with self._db.transaction() as session:
            reachable = await group_repo.reachable_users(session, [c.user_id for c in copies])
        wanted = {c.key: c for c in copies if c.user_id in reachable}
        if not wanted:
            return
        won = await self._claim_keys({key: c.group_id for key, c in wanted.items()}, routing)
        await self._in_flight(
            [wanted[key] for key in sorted(won)],
            lambda copy: self._deliver_private(copy, report, routing),
            lambda copy: routing.deferred.append(copy.key),
            routing,
        )

    async def _deliver_private(
        self, copy: PrivateCopy, report: SweepReport, routing: _Routing
    ) -> None:
        """Send one private copy and record how it ended (a 403: the user is unreachable)."""
        try:
            result = await self._send(copy.user_id, private_parts(copy))
        except Exception as error:
            log.exception("sending %s failed unexpectedly", copy.key)
            result = SendResult.failed(type(error).__name__)
        async with self._db.transaction() as session:
            if result.delivery is Delivery.OK:
                await outbox.mark_sent(session, copy.key, self._clock.now())
                report.private_sent += 1
            elif result.delivery is Delivery.GONE:
                await group_repo.mark_private_started(session, copy.user_id, False)
                await outbox.mark_failed(session, copy.key, self.owner, "gone")
                report.private_gone += 1
            else:
                await outbox.mark_failed(session, copy.key, self.owner, result.error or "failed")
                report.private_failed += 1
                routing.unavailable |= result.delivery is Delivery.UNAVAILABLE
        if result.delivery is Delivery.GONE:
            log.info("user %s cannot be written to privately; marked unreachable", copy.user_id)

    # --- on demand ---------------------------------------------------------------------------

    async def summary_now(self, chat_id: int) -> list[str]:
        """``/summary``: a group's summary, Monday up to today (on a Monday: last week)."""
        async with self._db.transaction() as session:
            group = await load_group(session, chat_id, self._defaults)
            inputs = await sweep_reads.summary_inputs(session, [group.id])
            tree = await read_tree(session, self._defaults)
            committee = [group.id] if tree.has_branches(group.id) else []
            below = await read_tree_inputs(session, tree, [], committee)
        settings = group.settings
        today = local_today(self._clock, settings.zone)
        start, end = summary_period(today)
        items = inputs.items.get(group.id, [])
        summary = weekly_summary(items, start, end, today, zone=settings.zone)
        roll = rollup_for(group.id, today, tree, below) if committee else None
        return split_html(summary_with_rollup(summary, group.title, settings, roll))
