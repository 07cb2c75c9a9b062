"""The committee → branch tree: link with one-time codes, unlink, and read a group's subtree.

A committee's admin sends ``/link`` and gets a code (:meth:`TreeService.issue_code`); a branch's
admin sends ``/join CODE`` (:meth:`TreeService.join`); either side's admin can ``/unlink``.
Every link and unlink is logged as an event of both groups. The subtree of a group (itself and
every group below it) is what the committee's views and its digests cover
(:meth:`TreeService.subtree`); the groups above it lend their admins to it
(:meth:`TreeService.chats_above`).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.clock import Clock, local_today
from domain.errors import UserError
from domain.figures import ledger_figures
from domain.groups import GroupContext
from domain.items import Actor, EventChange, EventKind, ItemSnapshot, require_admin
from domain.outcomes import BranchesReport, BranchFigures
from domain.settings import GroupSettings
from domain.tree import (
    LINK_CODE_ALPHABET,
    LINK_CODE_LENGTH,
    LINK_CODE_TTL,
    Branch,
    ancestors,
    check_link,
    check_link_code,
    descendants,
    match_branch,
    read_link_code,
)
from services.groups import group_context, load_group
from storage import groups as group_repo
from storage import items as item_repo
from storage import tree as repo
from storage.database import Database
from storage.models import GroupRow


@dataclass(frozen=True)
class IssuedCode:
    """A link code handed out by ``/link``: the code and when it stops working."""

    group: GroupContext
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class Link:
    """Two groups that were just linked (or unlinked): the parent and the branch."""

    parent: GroupContext
    branch: GroupContext


@dataclass(frozen=True)
class Subtree:
    """A group and every group below it, with their titles (the committee's view)."""

    group: GroupContext
    below: tuple[GroupContext, ...]

    @property
    def ids(self) -> list[int]:
        """The group's id first, then those below it."""
        return [self.group.id, *(g.id for g in self.below)]

    @property
    def titles(self) -> dict[int, str]:
        """Group id → title, for naming the group on every line."""
        return {g.id: g.title for g in (self.group, *self.below)}

    @property
    def has_branches(self) -> bool:
        """True when any group is linked below."""
        return bool(self.below)


async def subtree_in(session: AsyncSession, chat_id: int, defaults: GroupSettings) -> Subtree:
    """The group of ``chat_id`` and every group below it, in an open transaction."""
    group = await load_group(session, chat_id, defaults)
    below = descendants(group.id, await repo.parent_map(session))
    rows = await repo.groups_in(session, below)
    return Subtree(group, tuple(group_context(row, defaults) for row in rows))


def new_link_code() -> str:
    """Eight characters from the code alphabet, from the system's secure random source."""
    return "".join(secrets.choice(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))


def branch_of(row: GroupRow) -> Branch:
    """A stored group as far as matching its name is concerned."""
    if row.id is None:
        raise RuntimeError("group must be flushed")
    return Branch(row.id, row.name_override or row.title or str(row.chat_id))


class TreeService:
    """Linking groups into a tree, and reading it."""

    def __init__(self, db: Database, clock: Clock, defaults: GroupSettings) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults

    async def _contexts(self, session: AsyncSession, ids: Sequence[int]) -> list[GroupContext]:
        return [group_context(row, self._defaults) for row in await repo.groups_in(session, ids)]

    # --- linking -----------------------------------------------------------------------------

    async def issue_code(self, chat_id: int, actor: Actor) -> IssuedCode:
        """``/link`` (admin): a one-time code, valid 24 hours, to link a branch below."""
        require_admin(actor, "link")
        now = self._clock.now()
        async with self._db.transaction() as session:
            group = await load_group(session, chat_id, self._defaults)
            code, expires_at = new_link_code(), now + LINK_CODE_TTL
            await repo.add_link_code(session, code, group.id, actor, now, expires_at)
        return IssuedCode(group, code, expires_at)

    async def join(self, chat_id: int, actor: Actor, typed: str) -> Link:
        """``/join CODE`` (admin of the branch): link this group below the code's group."""
        require_admin(actor, "join")
        code = read_link_code(typed)
        if not code:
            raise UserError("tree.error.code_missing")
        now = self._clock.now()
        async with self._db.transaction() as session:
            branch_row = await group_repo.group_by_chat(session, chat_id)
            if branch_row is None or branch_row.id is None:
                raise UserError("error.group_only")
            stored = await repo.link_code(session, code)
            checked = check_link_code(repo.link_code_value(stored), now)
            assert stored is not None  # check_link_code refuses a missing code
            # Both groups locked before the tree is read: of two /join that would make a
            # cycle (A under B, B under A), the second sees the first and is refused.
            await repo.lock_groups(session, [checked.parent_group_id, branch_row.id])
            check_link(checked.parent_group_id, branch_row.id, await repo.parent_map(session))
            repo.set_parent(branch_row, checked.parent_group_id, now)
            repo.use_link_code(stored, branch_row.id, now)
            session.add_all([branch_row, stored])
            parent, branch = await self._contexts(session, [checked.parent_group_id, branch_row.id])
            self._log_link(session, parent, branch, actor, now, joined=True)
        return Link(parent, branch)

    async def unlink(self, chat_id: int, actor: Actor, name: str) -> Link:
        """``/unlink`` in a branch, or ``/unlink 第一党支部`` in its parent (an admin of either)."""
        require_admin(actor, "unlink")
        now = self._clock.now()
        async with self._db.transaction() as session:
            here = await group_repo.group_by_chat(session, chat_id)
            if here is None or here.id is None:
                raise UserError("error.group_only")
            branch_row = await self._branch_to_unlink(session, here, name)
            parent_id = branch_row.parent_id
            assert parent_id is not None
            assert branch_row.id is not None
            repo.set_parent(branch_row, None, now)
            session.add(branch_row)
            parent, branch = await self._contexts(session, [parent_id, branch_row.id])
            self._log_link(session, parent, branch, actor, now, joined=False)
        return Link(parent, branch)

    async def _branch_to_unlink(self, session: AsyncSession, here: GroupRow, name: str) -> GroupRow:
        """This group itself (no name given), or the branch of this group the name names."""
        if not name.strip():
            if here.parent_id is None:
                raise UserError("tree.error.no_parent")
            return here
        assert here.id is not None
        rows = await repo.branches_of(session, here.id)
        match = match_branch(name, [branch_of(row) for row in rows])
        if match.ambiguous:
            names = tuple(b.title for b in match.branches)
            raise UserError("tree.error.ambiguous", name=name, names=names)
        if match.branch is None:
            raise UserError("tree.error.no_such_branch", name=name)
        return next(row for row in rows if row.id == match.branch.group_id)

    @staticmethod
    def _log_link(
        session: AsyncSession, parent: GroupContext, branch: GroupContext, actor: Actor,
        now: datetime, *, joined: bool,
    ) -> None:  # fmt: skip
        """Log the link (or unlink) as an event of both groups."""
        kinds = (
            (EventKind.JOINED_PARENT, EventKind.BRANCH_JOINED)
            if joined
            else (EventKind.LEFT_PARENT, EventKind.BRANCH_LEFT)
        )
        repo.add_group_event(
            session, branch.id, kinds[0], actor, now, EventChange(groups=(parent.title,))
        )
        repo.add_group_event(
            session, parent.id, kinds[1], actor, now, EventChange(groups=(branch.title,))
        )

    # --- reading the tree --------------------------------------------------------------------

    async def subtree(self, chat_id: int) -> Subtree:
        """The group of ``chat_id`` and every group below it."""
        async with self._db.transaction() as session:
            return await subtree_in(session, chat_id, self._defaults)

    async def chats_above(self, chat_id: int) -> list[int]:
        """The chat ids of the groups above this one that still have the bot, nearest first."""
        async with self._db.transaction() as session:
            row = await group_repo.group_by_chat(session, chat_id)
            if row is None or row.id is None or row.parent_id is None:
                return []
            above = ancestors(row.id, await repo.parent_map(session))
            rows = await repo.groups_in(session, above)
            return [row.chat_id for row in rows if row.active]

    async def branches(self, chat_id: int) -> BranchesReport:
        """``/branches``: each branch's figures, and the totals of the branches below it."""
        async with self._db.transaction() as session:
            group = await load_group(session, chat_id, self._defaults)
            tree = await repo.parent_map(session)
            children = list(await self._contexts(session, _children(group.id, tree)))
            everyone = {
                gid for child in children for gid in [child.id, *descendants(child.id, tree)]
            }
            items = await _items_by_group(session, sorted(everyone))
        today = local_today(self._clock, group.settings.zone)
        lines = [_branch_figures(child, tree, items, today) for child in children]
        return BranchesReport(group, tuple(lines), today)


def _children(group_id: int, tree: dict[int, int | None]) -> list[int]:
    return sorted(child for child, parent in tree.items() if parent == group_id)


async def _items_by_group(
    session: AsyncSession, group_ids: Sequence[int]
) -> dict[int, list[ItemSnapshot]]:
    """Every item (not deleted) of these groups, by group."""
    found: dict[int, list[ItemSnapshot]] = {gid: [] for gid in group_ids}
    rows = await item_repo.items_of_groups(session, group_ids) if group_ids else []
    for snap in await item_repo.snapshots(session, rows):
        found[snap.group_id].append(snap)
    return found


def _branch_figures(
    child: GroupContext,
    tree: dict[int, int | None],
    items: dict[int, list[ItemSnapshot]],
    today: date,
) -> BranchFigures:
    below = descendants(child.id, tree)
    below_items = [item for gid in below for item in items.get(gid, [])]
    return BranchFigures(
        group=child,
        own=ledger_figures(items.get(child.id, []), today),
        below=ledger_figures(below_items, today) if below else None,
        below_count=len(below),
    )
