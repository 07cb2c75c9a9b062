"""Ports: what the services need from the outside world, implemented in ``bot``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Delivery(StrEnum):
    """How a send ended."""

    OK = "ok"
    GONE = "gone"  # removed from the group, or the user blocked / never started the bot
    MIGRATED = "migrated"  # the group became a supergroup under ``new_chat_id``
    UNAVAILABLE = "unavailable"  # Telegram unreachable, timing out or failing (5xx): later
    FAILED = "failed"  # anything else (a refused message, a flood limit): retry on a later sweep


@dataclass(frozen=True)
class SendResult:
    """The outcome of sending the parts of one message to one chat."""

    delivery: Delivery
    new_chat_id: int | None = None
    error: str = ""

    @classmethod
    def ok(cls) -> SendResult:
        """Every part was delivered."""
        return cls(Delivery.OK)

    @classmethod
    def gone(cls, error: str = "") -> SendResult:
        """The chat is closed to the bot."""
        return cls(Delivery.GONE, error=error)

    @classmethod
    def migrated(cls, new_chat_id: int) -> SendResult:
        """The group now lives at ``new_chat_id``."""
        return cls(Delivery.MIGRATED, new_chat_id=new_chat_id)

    @classmethod
    def unavailable(cls, error: str) -> SendResult:
        """Telegram could not be reached or failed on its side, after retries; try later."""
        return cls(Delivery.UNAVAILABLE, error=error)

    @classmethod
    def failed(cls, error: str) -> SendResult:
        """Not delivered for now; worth another try later."""
        return cls(Delivery.FAILED, error=error)


class Notifier(Protocol):
    """Sends scheduled messages (HTML, already split at the length limit) to a chat."""

    async def send(self, chat_id: int, parts: Sequence[str]) -> SendResult:
        """Send ``parts`` in order; stop at the first failure and say how it ended."""
        ...


class Timer(Protocol):
    """Real elapsed time, for pacing sends and waiting between retries (not the domain clock).

    Pacing is shared by every instance, so its instants are Unix seconds; the domain clock
    (``domain.clock.Clock``) may be fixed or shifted in tests, this one runs.
    """

    def time(self) -> float:
        """Seconds since the epoch, now."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (returns at once for zero or less)."""
        ...
