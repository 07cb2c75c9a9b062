"""A group as every use case sees it: its ids, its name and its effective settings."""

from __future__ import annotations

from dataclasses import dataclass

from domain.settings import GroupSettings


@dataclass(frozen=True)
class GroupContext:
    """What every service call needs to know about the group it acts in."""

    id: int
    chat_id: int
    title: str
    settings: GroupSettings
    active: bool = True
    parent_id: int | None = None  # the committee this group reports to, if linked

    @property
    def lang(self) -> str:
        """The group's language (zh or en)."""
        return self.settings.language
