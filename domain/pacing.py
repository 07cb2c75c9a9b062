"""Pacing sends under Telegram's flood limits: where the next message may go, as pure arithmetic.

Telegram allows a bot about 30 messages a second overall, 20 a minute in one group and one a
second in one private chat, and answers 429 beyond. A limit here is a :class:`Rate` — at most
``count`` messages in any ``seconds`` — and the pacer keeps, per *scope* (all messages; one
chat), the instants already reserved for sending. A new message gets the earliest instant from
now on at which every scope it belongs to still holds at most its cap in every window of its
length (:func:`earliest_slot`). The check looks at every window the new instant falls in, so
instants may be reserved out of order: a reply to a user can take a free instant *before*
messages of a fan-out that were booked ahead, which is how replies keep priority.

Two allowances make a sliding-window count at Telegram's end hold in practice:

* windows are :data:`MARGIN` longer than Telegram's, so a message that leaves a few
  milliseconds late (network, a busy event loop) still counts in the right window;
* bulk messages (the reminder fan-out) keep :func:`headroom` of each cap free, so replies to
  users find room at once while the fan-out runs at full speed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MARGIN = 0.1  # windows are 10 % longer than Telegram's
HEADROOM = 0.15  # share of a cap that bulk messages leave to replies
MIN_COUNT_FOR_HEADROOM = 4  # below this a cap is too small to split
EPSILON = 1e-6  # seconds past the instant a reservation leaves a window (float rounding)


@dataclass(frozen=True)
class Rate:
    """At most ``count`` messages in any ``seconds``."""

    count: int
    seconds: float


@dataclass(frozen=True)
class SendLimits:
    """Telegram's flood limits as this deployment sees them; ``None`` switches one off."""

    overall: Rate | None = Rate(30, 1.0)
    group: Rate | None = Rate(20, 60.0)
    private: Rate | None = Rate(1, 1.0)

    @classmethod
    def off(cls) -> SendLimits:
        """No pacing at all (tests that send faster than Telegram would allow)."""
        return cls(None, None, None)

    @property
    def enabled(self) -> bool:
        """Whether any limit applies."""
        return any((self.overall, self.group, self.private))


@dataclass(frozen=True)
class Window:
    """A limit as the pacer applies it: at most ``cap`` reserved instants in any ``seconds``."""

    cap: int
    seconds: float


def headroom(count: int) -> int:
    """How many of ``count`` a bulk sender leaves free for replies."""
    if count < MIN_COUNT_FOR_HEADROOM:
        return 0
    return math.ceil(count * HEADROOM)


def window(rate: Rate, *, bulk: bool) -> Window:
    """The window the pacer keeps for ``rate``: longer by the margin, lower for bulk."""
    cap = rate.count - (headroom(rate.count) if bulk else 0)
    return Window(cap, rate.seconds * (1 + MARGIN))


def fits(times: Sequence[float], at: float, limit: Window) -> bool:
    """Whether one more instant ``at`` keeps every window holding at most ``limit.cap``.

    The windows containing ``at`` end between ``at`` and ``at + seconds``; a window's count
    only grows where it reaches a reserved instant, so checking the window ending at ``at`` and
    those ending at each later instant within reach is enough.
    """
    span = limit.seconds
    ends = [at, *(t for t in times if at < t < at + span)]
    return all(1 + sum(1 for t in times if end - span < t <= end) <= limit.cap for end in ends)


def earliest_slot(scopes: Sequence[tuple[Sequence[float], Window]], now: float) -> float:
    """The earliest instant from ``now`` on that fits every scope (its instants and window).

    Fitting can only begin at ``now``, at a reserved instant, or where one leaves a window
    (the instant plus the window's length); the last of those, past every reserved instant,
    always fits.
    """
    candidates = {now}
    for times, limit in scopes:
        candidates.update(t for t in times if t > now)
        leaving = (t + limit.seconds + EPSILON for t in times)
        candidates.update(t for t in leaving if t > now)
    for at in sorted(candidates):
        if all(fits(times, at, limit) for times, limit in scopes):
            return at
    raise AssertionError("unreachable: the last candidate always fits")  # pragma: no cover


def recent(times: Sequence[float], now: float, seconds: float) -> list[float]:
    """The instants that can still share a window with an instant from ``now`` on, sorted."""
    return sorted(t for t in times if t > now - seconds)
