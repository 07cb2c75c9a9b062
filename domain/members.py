"""Owners as typed, linked to the members seen in the group: one rule for every entry point.

``/problem`` (both forms), ``/assign`` and ``/import`` name owners as an ``@username`` (or
``＠username``, the full-width at sign of Chinese keyboards) or as a plain name.  Each is linked
to the member it names — by username, or by display name when exactly one member has that name —
so that a member without a username becomes a linked owner (a text mention) however the owner
was written.  Names that match nobody, or several members, stay plain names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from domain.items import OwnerRef
from domain.people import SeenUser
from domain.vocabulary import has_placeholder

AT_SIGNS: Final = "@＠"
# A one-character name (张) found inside free text would match too many words.
MIN_NAME_LENGTH: Final = 2
_USERNAME: Final = r"[@＠]([A-Za-z0-9_]{2,32})"
_TYPED_USERNAME: Final = re.compile(rf"^{_USERNAME}$")
# 张三(@zhang), 张三（＠zhang）: how the export writes a member (domain.spreadsheet.owner_cell).
_NAMED_USERNAME: Final = re.compile(rf"^(.*?)\s*[(（]\s*{_USERNAME}\s*[)）]$")


def typed_username(word: str) -> str | None:
    """The username of ``@zhang`` or ``＠zhang``; None for anything else."""
    match = _TYPED_USERNAME.match(word.strip())
    return match.group(1) if match is not None else None


def owner_of(typed: str) -> OwnerRef:
    """An owner as written in a plan or a cell: ``@zhang``, ``张三(@zhang)`` or a plain name.

    ``张三(@zhang)`` is one person, 张三 with the username zhang (linked by the username).
    """
    typed = typed.strip()
    username = typed_username(typed)
    if username is not None:
        return OwnerRef(name=f"@{username}", username=username)
    match = _NAMED_USERNAME.match(typed)
    if match is not None:
        name, username = match.group(1).strip(), match.group(2)
        return OwnerRef(name=name or f"@{username}", username=username)
    return OwnerRef(name=typed)


def placeholder_owner(typed: str) -> bool:
    """Whether an owner as written is a template's placeholder (xx, 某某, ××), not a person.

    An ``@username`` names a person whatever its letters (``@li_si``: ``_`` is no blank here).
    """
    owner = owner_of(typed)
    return owner.username is None and has_placeholder(owner.name)


def name_key(name: str) -> str:
    """How names are compared: NFKC, without spaces, case-insensitive (王 芳 is 王芳)."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _owner(member: SeenUser, typed: str) -> OwnerRef:
    return OwnerRef(member.display_name or typed, member.user_id, member.username)


@dataclass(frozen=True)
class Members:
    """The users seen writing in one group."""

    users: tuple[SeenUser, ...] = ()

    @classmethod
    def of(cls, users: Iterable[SeenUser]) -> Members:
        """The members from any iterable of users."""
        return cls(tuple(users))

    def with_username(self, username: str) -> SeenUser | None:
        """The member seen with this @username (case-insensitive)."""
        wanted = username.lower()
        found = [u for u in self.users if u.username and u.username.lower() == wanted]
        return found[0] if found else None

    def named(self, name: str) -> SeenUser | None:
        """The one member whose display name is ``name``; None for nobody or several."""
        key = name_key(name)
        found = [u for u in self.users if key and name_key(u.display_name) == key]
        return found[0] if len(found) == 1 else None

    def link(self, owner: OwnerRef) -> OwnerRef:
        """The owner linked to the member it names, or as given when it names nobody."""
        if owner.user_id is not None:
            return owner
        member = self.with_username(owner.username) if owner.username else self.named(owner.name)
        return _owner(member, owner.name) if member is not None else owner

    def by_display_name(self) -> Mapping[str, OwnerRef]:
        """Display names that can be spotted in free text (李四 → the user), one member each."""
        found: dict[str, OwnerRef] = {}
        shared: set[str] = set()
        for user in self.users:
            name = user.display_name.strip()
            if len(name) < MIN_NAME_LENGTH:
                continue
            if name in found:
                shared.add(name)
            found[name] = _owner(user, name)
        return {name: owner for name, owner in found.items() if name not in shared}


def link_all(owners: Iterable[OwnerRef], members: Members) -> list[OwnerRef]:
    """Every owner linked where it can be, each person once (``@li`` and 李四 may be one user)."""
    linked: list[OwnerRef] = []
    for owner in owners:
        owner = members.link(owner)
        if not any(owner.same_person(other) for other in linked):
            linked.append(owner)
    return linked
