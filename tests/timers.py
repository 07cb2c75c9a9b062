"""Timers for tests: real time, but retries and 429 waits take no real time."""

from __future__ import annotations

import asyncio
import time


class InstantTimer:
    """A ``services.ports.Timer`` whose waits return at once and are recorded.

    The clock is real (pacing instants are compared with it), but a pause before a retry or
    after a 429 does not hold the test up; ``waits`` keeps what was asked for, so a test can
    check the back-off without sleeping.
    """

    def __init__(self) -> None:
        self.waits: list[float] = []

    def time(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    async def sleep(self, seconds: float) -> None:
        """Record the wait and let other tasks run once."""
        self.waits.append(seconds)
        await asyncio.sleep(0)
