"""Telegram's flood limits on the messages a bot sends, with a time source that tests control.

Telegram lets a bot send about 30 messages per second overall, 20 per minute to one group and
about one per second to one private chat; beyond that it answers 429 Too Many Requests with
``parameters.retry_after`` (whole seconds) and sends nothing. Each limit here is a sliding
window — at most ``count`` messages in any ``seconds`` — which is how Telegram words them.
Telegram tolerates short bursts in a private chat that this stand-in refuses; erring towards
refusing keeps a bot honest about its retries.

Only messages that would be delivered count: a refused request (bad HTML, unknown chat, a
429 itself) uses up nothing. The time source is injected (``time.monotonic`` by default) so
tests move time forward instead of sleeping.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["FloodControl", "FloodLimits", "ManualTime", "Rate"]


@dataclass(frozen=True)
class Rate:
    """At most ``count`` messages in any ``seconds``."""

    count: int
    seconds: float


@dataclass(frozen=True)
class FloodLimits:
    """Which flood limits to enforce; ``None`` turns one off."""

    overall: Rate | None = Rate(30, 1.0)
    per_group: Rate | None = Rate(20, 60.0)
    per_private_chat: Rate | None = Rate(1, 1.0)


@dataclass
class _Window:
    """The send times inside one sliding window."""

    rate: Rate
    times: deque[float] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        """Seconds until one more message fits; 0 if it fits now."""
        while self.times and self.times[0] <= now - self.rate.seconds:
            self.times.popleft()
        if len(self.times) < self.rate.count:
            return 0.0
        return self.times[0] + self.rate.seconds - now


class FloodControl:
    """Counts the bot's messages and says how long to wait when a limit is reached."""

    def __init__(
        self,
        limits: FloodLimits | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = FloodLimits() if limits is None else limits
        self._monotonic = monotonic
        self._overall = _Window(self.limits.overall) if self.limits.overall else None
        self._chats: dict[int, _Window] = {}

    def admit(self, chat_id: int, *, private: bool) -> int | None:
        """Count one message to ``chat_id``, or return ``retry_after`` (counting nothing)."""
        now = self._monotonic()
        windows = [w for w in (self._overall, self._chat_window(chat_id, private)) if w]
        wait = max((window.wait(now) for window in windows), default=0.0)
        if wait > 0:
            return max(1, math.ceil(wait))
        for window in windows:
            window.times.append(now)
        return None

    def _chat_window(self, chat_id: int, private: bool) -> _Window | None:
        rate = self.limits.per_private_chat if private else self.limits.per_group
        if rate is None:
            return None
        window = self._chats.get(chat_id)
        if window is None:
            window = self._chats[chat_id] = _Window(rate)
        return window


class ManualTime:
    """A monotonic time source that moves only when told to (for tests and demonstrations)."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        """The current time in seconds."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds
