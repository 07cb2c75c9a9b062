"""What the reminder sweep reads and adds for committees: 督办, 报送 and the weekly 通报.

:class:`TreeView` is the tree as one sweep sees it (every group, linked or not, active or not);
:func:`read_tree_inputs` reads, in the sweep's transaction, only what the claimed slots of
committees need; :func:`tree_digest_for` and :func:`rollup_for` assemble the pure values of
:mod:`domain.tree_reports` from them. A group without branches adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.groups import GroupContext
from domain.items import ItemSnapshot
from domain.reminders import is_report_reminder_day, summary_period
from domain.settings import GroupSettings
from domain.tree import descendants, report_missed_day
from domain.tree_reports import (
    BranchLedger,
    GroupBelow,
    Rollup,
    TreeDigest,
    rollup,
    tree_digest,
)
from services.groups import group_context
from storage import items as item_repo
from storage import sweep_reads
from storage import tree as tree_repo
from storage.models import GroupRow

ESCALATION_DEPTH = 2  # a committee hears of its branches' items and of their branches'


@dataclass(frozen=True)
class TreeView:
    """Every group and its parent, as one sweep sees them."""

    groups: dict[int, GroupContext]
    parent_of: dict[int, int | None]

    def children(self, group_id: int) -> list[int]:
        """The groups linked directly below ``group_id``."""
        return sorted(g for g, parent in self.parent_of.items() if parent == group_id)

    def has_branches(self, group_id: int) -> bool:
        """True when a group has any group below it."""
        return any(parent == group_id for parent in self.parent_of.values())

    def below(self, group_id: int, depth: int) -> list[tuple[int, int]]:
        """(group id, distance) of the groups up to ``depth`` levels below ``group_id``."""
        found: list[tuple[int, int]] = []
        level = [group_id]
        for distance in range(1, depth + 1):
            level = [child for parent in level for child in self.children(parent)]
            found += [(child, distance) for child in level]
        return found

    def subtree(self, group_id: int) -> list[int]:
        """A group and every group below it."""
        return [group_id, *descendants(group_id, self.parent_of)]


async def read_tree(session: AsyncSession, defaults: GroupSettings) -> TreeView:
    """Every group (active or not) with its settings, and the tree."""
    rows: Iterable[GroupRow] = await tree_repo.groups_in(
        session, sorted(await tree_repo.parent_map(session))
    )
    groups = {context.id: context for context in (group_context(r, defaults) for r in rows)}
    return TreeView(groups, {gid: g.parent_id for gid, g in groups.items()})


@dataclass
class TreeInputs:
    """Items of the groups below the committees whose slots are being composed, by group."""

    overdue: dict[int, list[ItemSnapshot]] = field(default_factory=lambda: defaultdict(list))
    reporting: dict[int, list[ItemSnapshot]] = field(default_factory=lambda: defaultdict(list))
    everything: dict[int, list[ItemSnapshot]] = field(default_factory=lambda: defaultdict(list))
    rows_read: int = 0


def report_related(today: date, settings: GroupSettings) -> bool:
    """True three days before a committee's report day and the day after it."""
    return is_report_reminder_day(today, settings.report_day) or report_missed_day(
        today, settings.report_day
    )


async def read_tree_inputs(
    session: AsyncSession,
    tree: TreeView,
    digests: Collection[tuple[int, date]],
    rollups: Collection[int],
) -> TreeInputs:
    """What the committees' digests (group id, today) and roll-ups (group id) need."""
    inputs = TreeInputs()
    escalating = {g for gid, _ in digests for g, _ in tree.below(gid, ESCALATION_DEPTH)}
    if escalating:
        latest = max(today for _, today in digests)
        rows = await sweep_reads.overdue_item_rows(session, sorted(escalating), latest)
        _add(inputs.overdue, await item_repo.snapshots(session, rows), inputs)
    reporting = {
        child
        for gid, today in digests
        if report_related(today, tree.groups[gid].settings)
        for child in tree.children(gid)
    }
    if reporting:
        rows = await sweep_reads.open_item_rows(session, sorted(reporting))
        snaps = await item_repo.snapshots(session, rows, with_latest_progress=True)
        _add(inputs.reporting, snaps, inputs)
    whole = {g for gid in rollups for child in tree.children(gid) for g in tree.subtree(child)}
    if whole:
        inputs_read = await sweep_reads.summary_inputs(session, sorted(whole))
        for group_id, items in inputs_read.items.items():
            inputs.everything[group_id] += items
        inputs.rows_read += inputs_read.rows_read
    return inputs


def _add(
    target: dict[int, list[ItemSnapshot]], snaps: list[ItemSnapshot], inputs: TreeInputs
) -> None:
    for snap in snaps:
        target[snap.group_id].append(snap)
    inputs.rows_read += len(snaps)


def tree_digest_for(
    group_id: int, today: date, tree: TreeView, inputs: TreeInputs
) -> TreeDigest | None:
    """A committee's digest sections about the groups below it (None: nothing, or no branches)."""
    below = []
    for gid, distance in tree.below(group_id, ESCALATION_DEPTH):
        group = tree.groups[gid]
        items = inputs.overdue.get(gid, []) + inputs.reporting.get(gid, [])
        unique = {item.id: item for item in items}
        below.append(GroupBelow(gid, group.title, group.settings, distance, tuple(unique.values())))
    if not below:
        return None
    return tree_digest(tree.groups[group_id].settings, below, today)


def rollup_for(group_id: int, today: date, tree: TreeView, inputs: TreeInputs) -> Rollup | None:
    """A committee's weekly 通报 over the period of ``today`` (None: it has no branches)."""
    branches = []
    for child in tree.children(group_id):
        items = tuple(
            (tree.groups[gid].title, item)
            for gid in tree.subtree(child)
            for item in inputs.everything.get(gid, [])
        )
        branches.append(BranchLedger(tree.groups[child].title, items))
    start, end = summary_period(today)
    zone = tree.groups[group_id].settings.zone
    return rollup(branches, start, end, today, zone)
