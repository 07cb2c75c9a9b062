"""Benchmark (3): the Monday fan-out to many groups against a stand-in enforcing Telegram's limits.

The bot runs as the installed ``rectify-bot run`` process (as the crash test runs it), so that
its peak memory is its own: the stand-in, which keeps a record of every message, runs in this
process. The bot's clock is shifted to Monday 09:05 (``RECTIFY_CLOCK_START``) and it sweeps
every second. Every group has an overdue item, so each is due its digest and its weekly
summary, which the sweep sends as one message per group when they fit (they do here). The
stand-in refuses anything beyond 30 messages/s overall or 20/min in a group with 429.

Elapsed is from the first scheduled message to the last, as the stand-in received them; the
ideal is the same number of messages at exactly 30 a second. Sending the digest and summary
apart would make twice the messages; that ideal is printed too, for comparison.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    TARGET_FANOUT_RATIO,
    TARGET_PEAK_MIB,
    Backend,
    Sizes,
    heading,
    peak_rss_mib,
    verdict,
)
from bench.data import OVERDUE_AND_SOON, Ledger, chat_id_of, fill
from bench.world import MONDAY, SLOTS_DUE
from playground.standin import FakeTelegram, FloodLimits
from storage.database import Database
from tests.e2e.processes import BotProcess, environment, shared_clock, start_bot

TELEGRAM_RATE = 30.0  # messages per second, overall
# A sweep every second (the first one second after the start; a sweep still running when the
# next is due makes it wait): the fan-out begins at once instead of after the usual 10 s.
CONFIG = """
[bot]
sweep_seconds = 1
"""
STARTUP_SECONDS = 60.0  # allowance for the process to start and its first sweep to begin


@dataclass
class Delivered:
    """Scheduled messages the stand-in accepted so far, and the 429s it answered."""

    messages: int = 0
    throttled: int = 0
    first: float = 0.0
    last: float = 0.0
    seen: int = 0

    def scan(self, fake: FakeTelegram) -> None:
        """Count the calls recorded since the last scan."""
        calls = fake.calls
        for call in calls[self.seen :]:
            if call.status == 429:
                self.throttled += 1
            elif call.ok and call.method == "sendMessage":
                self.messages += 1
                self.first = self.first or call.time
                self.last = call.time
        self.seen = len(calls)


def peak_memory_mib(process: BotProcess) -> float:
    """The process's resident-memory high-water mark (``VmHWM``), in MiB."""
    status = Path(f"/proc/{process.process.pid}/status").read_text(encoding="utf-8")
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


async def fanout(sizes: Sizes, backend: Backend) -> None:
    """Run the fan-out in a bot process; print elapsed against the ideal, 429s and peak memory."""
    ledger = Ledger(1, sizes.fanout_groups, 2, due_in_days=OVERDUE_AND_SOON)
    heading(
        f"Monday fan-out to {ledger.groups:,} groups on {backend.name}, against Telegram's "
        f"limits (30/s overall, 20/min per group), the bot in a process of its own"
    )
    async with backend.database() as url:
        db = Database.from_url(url)
        try:
            await fill(db, [ledger], MONDAY)
        finally:
            await db.close()
        with tempfile.TemporaryDirectory(prefix="rectify-bench-") as name:
            folder = Path(name)
            config = folder / "config.toml"
            config.write_text(CONFIG, encoding="utf-8")
            async with FakeTelegram(flood_limits=FloodLimits()) as fake:
                for group_id in ledger.group_ids:
                    fake.add_group(chat_id_of(group_id), f"第{group_id}党支部")
                env = environment(fake, url, config) | shared_clock(SLOTS_DUE)
                bot = await start_bot(env, folder, "bot")
                delivered = Delivered()

                def done() -> bool:
                    delivered.scan(fake)
                    return delivered.messages >= ledger.groups

                try:
                    timeout = STARTUP_SECONDS + 2 * ledger.groups / TELEGRAM_RATE
                    await fake.wait_for(done, timeout=timeout)
                    memory = peak_memory_mib(bot)
                finally:
                    status = await bot.terminate()
                if status != 0:
                    print(bot.output()[-3000:])
                    raise RuntimeError(f"rectify-bot exited with {status}")
    sent = delivered.messages
    seconds = delivered.last - delivered.first
    ideal = (sent - 1) / TELEGRAM_RATE
    apart = (2 * ledger.groups - 1) / TELEGRAM_RATE  # one message per slot
    print(
        f"  {sent:,} messages for {2 * ledger.groups:,} digests and summaries in {seconds:.1f} s "
        f"({sent / seconds if seconds else 0:.1f}/s); ideal {ideal:.1f} s"
    )
    print(
        f"  the bot's peak RSS {memory:.0f} MiB; this process (the stand-in and its record of "
        f"every message) {peak_rss_mib():.0f} MiB"
    )
    ratio = seconds / ideal if ideal else float("nan")
    verdict(
        "elapsed / ideal (messages ÷ 30 s)", f"{ratio:.2f}", f"≤ {TARGET_FANOUT_RATIO:.2f}",
        ratio <= TARGET_FANOUT_RATIO,
    )  # fmt: skip
    print(f"  {'elapsed / ideal of digest+summary apart':<42} {seconds / apart:>14.2f}")
    verdict("429 answers", f"{delivered.throttled}", "0", delivered.throttled == 0)
    verdict(
        "the bot's peak RSS", f"{memory:.0f} MiB", f"< {TARGET_PEAK_MIB:g} MiB",
        memory < TARGET_PEAK_MIB,
    )  # fmt: skip
