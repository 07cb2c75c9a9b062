"""People as the bot sees them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeenUser:
    """A Telegram user as an update shows them."""

    user_id: int
    first_name: str
    last_name: str = ""
    username: str | None = None
    language_code: str = ""

    @property
    def display_name(self) -> str:
        """First and last name as Telegram shows them."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)
