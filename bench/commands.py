"""Benchmarks (1) and (2): command round trips through the real Application, also mid fan-out.

(1) ``commands``: 10,000 items in 50 groups; an open loop offers 5 commands/s whatever the
answers do (round trip p50/p99), then a closed loop of users who each wait for their answer
before typing again measures the most commands per second the bot answers.

(2) ``during-sweep``: the same groups plus many more that only receive the Monday digest and
summary. The open loop runs first with nothing else going on, then again while the sweep fans
out to every group: commands must not wait for the fan-out.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bench.common import (
    TARGET_P99_MS,
    Backend,
    Sizes,
    heading,
    peak_rss_mib,
    percentile,
    verdict,
)
from bench.data import OVERDUE_AND_SOON, Ledger
from bench.load import (
    CLOSED_USERS,
    OFFERED_RATE,
    LoopStalls,
    Measured,
    Replies,
    Traffic,
    closed_loop,
    open_loop,
)
from bench.world import SLOTS_DUE, Bot, running_bot

UNCHANGED = 1.10  # "unchanged during the fan-out": p99 at most 10 % above the p99 without it


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def show(label: str, measured: Measured) -> None:
    """Print one run's round trips."""
    trips = measured.round_trips
    print(
        f"  {label}: {measured.offered} commands, {len(trips)} answered"
        f"{f', {measured.lost} LOST' if measured.lost else ''}; "
        f"p50 {_ms(percentile(trips, 0.5))}, p99 {_ms(percentile(trips, 0.99))}, "
        f"max {_ms(max(trips, default=float('nan')))}; {measured.rate:.1f} answered/s"
    )
    kinds = sorted(measured.by_kind.items())
    print(
        "    p50/p99 by command: "
        + ", ".join(
            f"{kind} {percentile(t, 0.5) * 1000:.0f}/{percentile(t, 0.99) * 1000:.0f}"
            for kind, t in kinds
        )
        + " ms"
    )


@asynccontextmanager
async def _watching(bot: Bot, stalls: LoopStalls | None = None) -> AsyncIterator[Replies]:
    replies = Replies(bot.fake)
    watchers = [asyncio.create_task(replies.watch())]
    if stalls is not None:
        watchers.append(asyncio.create_task(stalls.watch()))
    try:
        yield replies
    finally:
        for watcher in watchers:
            watcher.cancel()
        await asyncio.gather(*watchers, return_exceptions=True)


async def commands(sizes: Sizes, backend: Backend) -> None:
    """Benchmark (1): round trips at 5 commands/s, and the closed-loop maximum."""
    busy = Ledger(1, sizes.busy_groups, sizes.items_per_busy_group)
    heading(
        f"commands on {backend.name}: {busy.items:,} items in {busy.groups} groups, "
        f"through the real Application and the fake Bot API over HTTP"
    )
    async with backend.database() as url, running_bot(url, [busy], busy=busy) as bot:
        async with _watching(bot) as replies:
            traffic = Traffic(busy)
            opened = await open_loop(replies, traffic, lambda elapsed: elapsed < sizes.open_seconds)
            closed = await closed_loop(replies, traffic, sizes.closed_commands)
        throttled = replies.throttled
        mix = ", ".join(f"{kind} {count}" for kind, count in sorted(replies.kinds.items()))
    show(f"open loop at {OFFERED_RATE:g} commands/s", opened)
    show(f"closed loop, {CLOSED_USERS} users", closed)
    print(f"  mix: {mix}; 429 answers: {throttled}; peak RSS {peak_rss_mib():.0f} MiB")
    p99 = percentile(opened.round_trips, 0.99) * 1000
    verdict(
        f"p99 at {OFFERED_RATE:g} commands/s", f"{p99:.1f} ms", f"≤ {TARGET_P99_MS:g} ms",
        p99 <= TARGET_P99_MS and not opened.lost,
    )  # fmt: skip
    print(f"  {'commands/s answered (closed loop)':<42} {closed.rate:>14.1f}   (no target)")


async def during_sweep(sizes: Sizes, backend: Backend) -> None:
    """Benchmark (2): round trips at 5 commands/s without, then during, the Monday fan-out."""
    busy = Ledger(1, sizes.busy_groups, sizes.items_per_busy_group)
    others = Ledger(
        busy.first_group + busy.groups, sizes.during_groups, 2, busy.items + 1, OVERDUE_AND_SOON
    )
    heading(
        f"commands during the Monday fan-out on {backend.name}: {busy.groups} groups take "
        f"commands, {busy.groups + others.groups:,} get their digest and summary"
    )
    loop = asyncio.get_running_loop()
    stalls = LoopStalls()
    async with backend.database() as url, running_bot(url, [busy, others], busy=busy) as bot:
        async with _watching(bot, stalls) as replies:
            traffic = Traffic(busy)
            without = await open_loop(
                replies, traffic, lambda elapsed: elapsed < sizes.open_seconds
            )
            stalls_without = stalls.summary()
            stalls.reset()
            bot.clock.set(SLOTS_DUE)
            mark = bot.fake.mark()
            started = loop.time()
            sweep = asyncio.create_task(bot.runtime.services.reminders.sweep())
            finished: list[float] = []
            sweep.add_done_callback(lambda _: finished.append(loop.time()))
            during = await open_loop(
                replies, traffic, lambda _: not sweep.done(), first_index=without.offered
            )
            report = await sweep
            stalls_during = stalls.summary()
        calls = bot.fake.calls[mark:]
    fanned = sum(1 for c in calls if c.ok and c.method == "sendMessage" and not _quotes(c.result))
    throttled = sum(1 for c in calls if c.status == 429)
    seconds = finished[0] - started
    show("without the fan-out", without)
    print(f"    {stalls_without}")
    show("during the fan-out ", during)
    print(f"    {stalls_during}")
    print(
        f"  fan-out: {fanned:,} messages in {seconds:.1f} s ({fanned / seconds:.1f}/s); "
        f"429 answers: {throttled}; sweep: {report}"
    )
    p99_without = percentile(without.round_trips, 0.99) * 1000
    p99_during = percentile(during.round_trips, 0.99) * 1000
    verdict(
        "p99 during the fan-out", f"{p99_during:.1f} ms", f"≤ {TARGET_P99_MS:g} ms",
        p99_during <= TARGET_P99_MS and not during.lost,
    )  # fmt: skip
    ratio = p99_during / p99_without
    verdict("p99 during / p99 without", f"{ratio:.2f}", f"≤ {UNCHANGED:.2f}", ratio <= UNCHANGED)


def _quotes(result: object) -> bool:
    """Whether a sent message answers a command (it quotes it); scheduled ones do not."""
    return isinstance(result, dict) and "reply_to_message" in result
