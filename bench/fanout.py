"""Benchmark (3): the Monday fan-out to many groups against a stand-in enforcing Telegram's limits.

Every group has an overdue item, so at Monday 09:05 each is due its digest and its weekly
summary; the sweep sends them as one message per group when they fit (they do here). The
stand-in refuses anything beyond 30 messages/s overall or 20/min in a group with 429. The ideal
is the messages sent ÷ 30 s: no sender can deliver them sooner. Sending the digest and summary
apart would make twice the messages; that ideal is printed too, for comparison.
"""

from __future__ import annotations

import time

from bench.common import (
    TARGET_FANOUT_RATIO,
    TARGET_PEAK_MIB,
    Backend,
    Sizes,
    heading,
    peak_rss_mib,
    verdict,
)
from bench.data import OVERDUE_AND_SOON, Ledger
from bench.world import SLOTS_DUE, running_bot
from bot.ratelimit import SENDING

TELEGRAM_RATE = 30.0  # messages per second, overall


async def fanout(sizes: Sizes, backend: Backend) -> None:
    """Time the sweep's fan-out; print elapsed against the ideal, 429s and peak memory."""
    ledger = Ledger(1, sizes.fanout_groups, 2, due_in_days=OVERDUE_AND_SOON)
    heading(
        f"Monday fan-out to {ledger.groups:,} groups on {backend.name}, against Telegram's "
        f"limits (30/s overall, 20/min per group)"
    )
    async with backend.database() as url, running_bot(url, [ledger], at=SLOTS_DUE) as bot:
        resident_before = peak_rss_mib()
        mark = bot.fake.mark()
        started = time.perf_counter()
        report = await bot.runtime.services.reminders.sweep()
        seconds = time.perf_counter() - started
        calls = bot.fake.calls[mark:]
    resident = peak_rss_mib()
    sent = sum(1 for c in calls if c.ok and c.method in SENDING)
    throttled = sum(1 for c in calls if c.status == 429)
    ideal = sent / TELEGRAM_RATE
    apart = report.sent / TELEGRAM_RATE  # one message per slot, digest and summary apart
    print(
        f"  {sent:,} messages for {report.sent:,} digests and summaries in {seconds:.1f} s "
        f"({sent / seconds:.1f}/s); ideal {ideal:.1f} s; sweep: {report}"
    )
    print(
        f"  peak RSS {resident:.0f} MiB (before the sweep {resident_before:.0f} MiB; the "
        f"stand-in's record of every message is in the same process)"
    )
    ratio = seconds / ideal if ideal else float("nan")
    verdict(
        "elapsed / ideal (messages ÷ 30 s)", f"{ratio:.2f}", f"≤ {TARGET_FANOUT_RATIO:.2f}",
        ratio <= TARGET_FANOUT_RATIO,
    )  # fmt: skip
    print(f"  {'elapsed / ideal of digest+summary apart':<42} {seconds / apart:>14.2f}")
    verdict("429 answers", f"{throttled}", "0", throttled == 0)
    verdict(
        "peak RSS", f"{resident:.0f} MiB", f"< {TARGET_PEAK_MIB:g} MiB", resident < TARGET_PEAK_MIB
    )
