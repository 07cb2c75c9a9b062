"""Users typing commands into the stand-in, and the round trip of each up to the bot's answer.

A round trip runs from the moment a command is offered to the stand-in (``send_text`` queues
the update for the bot's long poll) to the moment the bot's answer — the message that quotes
the command — arrives at the stand-in (:attr:`ApiCall.time`, taken when the request came in).

Commands go round the busy groups in turn, so at 5 commands/s over 50 groups each group sees
one every 10 s (6 a minute, well inside Telegram's 20); the mix is what a branch does in a day:
reading (/list, /show N, /stats) more than writing (/progress, /done, /problem).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.data import Ledger, admin_of, chat_id_of, owner_of
from playground.standin import FakeTelegram

OFFERED_RATE = 5.0  # commands per second in the open loop (the target load)
CLOSED_USERS = 10  # users in the closed loop, each waiting for an answer before typing again
ANSWER_TIMEOUT = 60.0  # seconds a command may wait for its answer before it counts as lost
MIX = (
    ("list", 15),
    ("show", 30),
    ("progress", 20),
    ("done", 10),
    ("stats", 10),
    ("problem", 15),
)
# What Telegram's flood limits count: a message in a chat.
SENDING = frozenset({"sendmessage", "senddocument", "sendphoto", "sendmediagroup"})


@dataclass(frozen=True)
class Command:
    """One command a user types in a group."""

    kind: str
    chat_id: int
    user_id: int
    text: str


class Traffic:
    """The command mix over the busy groups, deterministic (seeded)."""

    def __init__(self, busy: Ledger, seed: int = 12) -> None:
        self._busy = busy
        self._random = random.Random(seed)
        self._kinds = [kind for kind, _ in MIX]
        self._weights = [weight for _, weight in MIX]
        self._next_done: Counter[int] = Counter()

    def command(self, index: int) -> Command:
        """The ``index``-th command: groups in turn, kinds drawn from the mix."""
        busy = self._busy
        group = busy.first_group + index % busy.groups
        chat_id = chat_id_of(group)
        kind = self._random.choices(self._kinds, self._weights)[0]
        number = self._random.randint(1, busy.items_per_group)
        if kind == "list":
            return Command(kind, chat_id, admin_of(group), "/list")
        if kind == "show":
            return Command(kind, chat_id, admin_of(group), f"/show {number}")
        if kind == "stats":
            return Command(kind, chat_id, admin_of(group), "/stats")
        if kind == "problem":
            text = f"/problem 支部会议记录缺少签字第{index}条 月底前"
            return Command(kind, chat_id, admin_of(group), text)
        if kind == "done":
            self._next_done[group] += 1
            number = (self._next_done[group] - 1) % busy.items_per_group + 1
            text = f"/done {number} 已补齐签字"
            return Command(kind, chat_id, owner_of(group, number), text)
        text = f"/progress {number} 已召开专题会议,补录记录{index}"
        return Command(kind, chat_id, owner_of(group, number), text)


class Replies:
    """Offers commands to the stand-in and matches the bot's answers to them."""

    def __init__(self, fake: FakeTelegram) -> None:
        self._fake = fake
        self._seen = 0
        self._waiting: dict[tuple[int, int], tuple[float, asyncio.Future[float]]] = {}
        self.throttled = 0  # 429 answers the stand-in gave, to anything
        self.kinds: Counter[str] = Counter()

    def offer(self, command: Command) -> asyncio.Future[float]:
        """Type the command; the future gives its round trip in seconds."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        offered = time.monotonic()
        message = self._fake.send_text(command.chat_id, command.user_id, command.text)
        self._waiting[(command.chat_id, message["message_id"])] = (offered, future)
        self.kinds[command.kind] += 1
        return future

    def _scan(self) -> None:
        calls = self._fake.calls
        for call in calls[self._seen :]:
            if call.status == 429:
                self.throttled += 1
            if not call.ok or call.method.lower() not in SENDING:
                continue
            result = call.result
            quoted = result.get("reply_to_message") if isinstance(result, dict) else None
            if not quoted:
                continue
            waiting = self._waiting.pop((result["chat"]["id"], quoted["message_id"]), None)
            if waiting is not None and not waiting[1].done():
                waiting[1].set_result(call.time - waiting[0])
        self._seen = len(calls)

    async def watch(self) -> None:
        """Match answers as they arrive (run as a task; cancel it when done)."""
        while True:
            self._scan()
            await self._fake.world.wait_change(1.0)


@dataclass
class Measured:
    """Round trips of one run of commands."""

    offered: int = 0
    round_trips: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0  # from the first offer to the last answer

    @property
    def lost(self) -> int:
        """Commands not answered within :data:`ANSWER_TIMEOUT`."""
        return self.offered - len(self.round_trips)

    @property
    def rate(self) -> float:
        """Answered commands per second."""
        return len(self.round_trips) / self.seconds if self.seconds else 0.0

    def add(self, kind: str, seconds: float) -> None:
        """Record one answered command."""
        self.round_trips.append(seconds)
        self.by_kind.setdefault(kind, []).append(seconds)


async def _collect(offers: list[tuple[str, asyncio.Future[float]]], measured: Measured) -> None:
    if offers:
        await asyncio.wait([future for _, future in offers], timeout=ANSWER_TIMEOUT)
    for kind, future in offers:
        if future.done() and not future.cancelled():
            measured.add(kind, future.result())
        future.cancel()


async def open_loop(
    replies: Replies,
    traffic: Traffic,
    keep_going: Callable[[float], bool],
    *,
    rate: float = OFFERED_RATE,
    first_index: int = 0,
) -> Measured:
    """Offer commands at ``rate`` whatever the answers do, while ``keep_going(elapsed)``."""
    loop = asyncio.get_running_loop()
    measured = Measured()
    offers: list[tuple[str, asyncio.Future[float]]] = []
    start = loop.time()
    while True:
        due = start + measured.offered / rate
        if not keep_going(due - start):
            break
        await asyncio.sleep(max(0.0, due - loop.time()))
        command = traffic.command(first_index + measured.offered)
        offers.append((command.kind, replies.offer(command)))
        measured.offered += 1
    await _collect(offers, measured)
    measured.seconds = loop.time() - start
    return measured


async def closed_loop(
    replies: Replies, traffic: Traffic, commands: int, *, users: int = CLOSED_USERS
) -> Measured:
    """``users`` users each type a command and wait for its answer, ``commands`` in all."""
    loop = asyncio.get_running_loop()
    measured = Measured()
    start = loop.time()
    first = 1_000_000  # other /problem texts than the open loop's

    async def user() -> None:
        while measured.offered < commands:
            index = measured.offered
            measured.offered += 1
            command = traffic.command(first + index)
            future = replies.offer(command)
            with contextlib.suppress(TimeoutError):  # unanswered: counted as lost
                measured.add(command.kind, await asyncio.wait_for(future, ANSWER_TIMEOUT))

    await asyncio.gather(*(user() for _ in range(users)))
    measured.seconds = loop.time() - start
    return measured


class LoopStalls:
    """How long the event loop went without running a task ready to run (it was busy)."""

    TICK = 0.005  # seconds between checks

    def __init__(self) -> None:
        self.stalls: list[float] = []

    async def watch(self) -> None:
        """Sleep a tick at a time and record how late each wake-up was (run as a task)."""
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self.TICK)
            self.stalls.append(max(0.0, loop.time() - before - self.TICK))

    def reset(self) -> None:
        """Forget what was recorded so far."""
        self.stalls = []

    def summary(self) -> str:
        """The longest stall and how much of the time went to stalls over 50 ms."""
        long = [s for s in self.stalls if s > 0.05]
        return (
            f"event loop stalls: longest {max(self.stalls, default=0.0) * 1000:.0f} ms, "
            f"{len(long)} over 50 ms totalling {sum(long):.1f} s"
        )
