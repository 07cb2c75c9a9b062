"""The ledger's use cases: register, claim, assign, report, close, accept, edit, delete, read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from rectify_bot.domain import items as rules
from rectify_bot.domain.clock import Clock, local_today
from rectify_bot.domain.deadline import Deadline, DeadlineKind
from rectify_bot.domain.errors import UserError
from rectify_bot.domain.items import (
    Actor,
    DueKind,
    EventKind,
    ItemSnapshot,
    OwnerRef,
    Status,
    days_left,
)
from rectify_bot.domain.problem_form import ProblemDraft, split_measures
from rectify_bot.domain.settings import GroupSettings
from rectify_bot.services.groups import GroupContext, group_context
from rectify_bot.storage import groups as group_repo
from rectify_bot.storage import items as repo
from rectify_bot.storage.database import Database
from rectify_bot.storage.models import ExtensionRow, ItemRow, ProgressRow


class ListFilter(StrEnum):
    """What ``/list`` shows."""

    OPEN = "open"
    OVERDUE = "overdue"
    PENDING = "pending"
    DONE = "done"
    ALL = "all"
    MINE = "mine"
    USER = "user"


EDITABLE_FIELDS: dict[str, str] = {
    "problem": "problem",
    "问题": "problem",
    "category": "category",
    "类别": "category",
    "方面": "category",
    "unit": "unit",
    "责任单位": "unit",
    "lead": "lead",
    "总负责人": "lead",
    "measures": "measures",
    "措施": "measures",
    "整改措施": "measures",
    "source": "source",
    "来源": "source",
    "detail": "detail",
    "说明": "detail",
}


@dataclass(frozen=True)
class Evidence:
    """A file sent with a command: kept by its Telegram file id."""

    file_id: str
    kind: str  # "photo" or "document"


@dataclass(frozen=True)
class Outcome:
    """The result of one change: the group, the item after it, and what to tell the user."""

    group: GroupContext
    item: ItemSnapshot
    today: date
    pending_owners: tuple[str, ...] = ()
    extension_id: int | None = None
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Listing:
    """A list of items for ``/list`` or ``/mine``."""

    group: GroupContext | None
    items: tuple[ItemSnapshot, ...]
    today: date
    settings: GroupSettings


Change = Callable[[AsyncSession, GroupContext, ItemRow, ItemSnapshot], Awaitable[None]]


def _due_fields(deadline: Deadline | None) -> tuple[str, date | None, str]:
    """Map a parsed deadline onto the stored (kind, date, phrase)."""
    if deadline is None:
        return DueKind.NONE.value, None, ""
    kind = {
        DeadlineKind.DATE: DueKind.DATE,
        DeadlineKind.SOFT: DueKind.SOFT,
        DeadlineKind.LONG_TERM: DueKind.LONG_TERM,
    }[deadline.kind]
    return kind.value, deadline.due, deadline.phrase


class LedgerService:
    """Every change to the ledger goes through here; each call is one transaction."""

    def __init__(self, db: Database, clock: Clock, defaults: GroupSettings) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults

    # --- helpers ---------------------------------------------------------------------------

    async def _group(self, session: AsyncSession, chat_id: int) -> GroupContext:
        row = await group_repo.group_by_chat(session, chat_id)
        if row is None:
            raise UserError("error.group_only")
        return group_context(row, self._defaults)

    def _today(self, group: GroupContext) -> date:
        return local_today(self._clock, group.settings.zone)

    async def _resolve(
        self, session: AsyncSession, group_id: int, owners: Sequence[OwnerRef]
    ) -> list[OwnerRef]:
        """Link @usernames to users seen in this group; unknown ones stay pending."""
        resolved: list[OwnerRef] = []
        for owner in owners:
            if owner.user_id is None and owner.username:
                user = await group_repo.member_by_username(session, group_id, owner.username)
                if user is not None:
                    owner = OwnerRef(
                        name=_display(user.first_name, user.last_name) or owner.name,
                        user_id=user.user_id,
                        username=user.username,
                    )
            resolved.append(owner)
        return resolved

    async def _change(
        self, chat_id: int, number: int, change: Change, *, include_deleted: bool = False
    ) -> Outcome:
        """Load an item of this group under lock, apply ``change``, return the new snapshot."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            row = await repo.item_by_number(session, group.id, number, lock=True)
            if row is None or (row.deleted and not include_deleted):
                raise UserError("error.no_item", number=number)
            before = await repo.full_snapshot(session, row)
            await change(session, group, row, before)
            row.updated_at = now
            session.add(row)
            await session.flush()
            after = await repo.full_snapshot(session, row)
            return Outcome(group=group, item=after, today=self._today(group))

    # --- registering ----------------------------------------------------------------------

    async def register(self, chat_id: int, actor: Actor, draft: ProblemDraft) -> Outcome:
        """Create a new item from a draft; unknown @usernames become pending owners."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            owners = await self._resolve(session, group.id, draft.owners)
            kind, due, phrase = _due_fields(draft.deadline)
            row = ItemRow(
                group_id=group.id,
                number=await repo.allocate_number(session, group.id),
                problem=draft.problem,
                detail=draft.detail,
                category=draft.category,
                unit=draft.unit,
                lead=draft.lead,
                source=draft.source,
                due_kind=kind,
                due_date=due,
                due_phrase=phrase,
                original_due=due,
                created_by=actor.user_id,
                created_by_name=actor.name,
                created_at=now,
                updated_at=now,
            )
            await repo.insert_item(session, row, owners, draft.measures)
            repo.add_event(session, row, EventKind.CREATED, actor.user_id, actor.name, now)
            await session.flush()
            snapshot = await repo.full_snapshot(session, row)
            pending = tuple(o.name for o in owners if o.is_pending)
            return Outcome(group, snapshot, self._today(group), pending_owners=pending)

    async def set_deadline(
        self, chat_id: int, actor: Actor, number: int, deadline: Deadline | None, *, first: bool
    ) -> Outcome:
        """Set the deadline directly (``/due`` by an admin, or the creator's first choice)."""

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.require_not_deleted(item)
            if first and item.due_kind is not DueKind.NONE:
                raise UserError("error.deadline_already_set", number=item.number)
            if first:
                rules.require_creator_or_admin(item, actor, "due")
            else:
                rules.require_admin(actor, "due")
            old = _due_text(row)
            row.due_kind, row.due_date, row.due_phrase = _due_fields(deadline)
            if first or row.original_due is None:
                row.original_due = row.due_date
            repo.add_event(
                session,
                row,
                EventKind.DEADLINE,
                actor.user_id,
                actor.name,
                self._clock.now(),
                f"{old} → {_due_text(row)}",
            )

        return await self._change(chat_id, number, change)

    # --- owners ------------------------------------------------------------------------------

    async def claim(self, chat_id: int, actor: Actor, number: int) -> Outcome:
        """认领: the actor becomes an owner."""

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.check_claim(item, actor)
            me = OwnerRef(name=actor.name, user_id=actor.user_id, username=actor.username)
            pending = [o for o in item.owners if o.is_pending and o.same_person(me)]
            if pending:
                owners = [me if o in pending else o for o in item.owners]
                await repo.replace_owners(session, row, owners)
            else:
                await repo.add_owner(session, row, me)
            repo.add_event(
                session, row, EventKind.CLAIMED, actor.user_id, actor.name, self._clock.now()
            )

        return await self._change(chat_id, number, change)

    async def assign(
        self, chat_id: int, actor: Actor, number: int, owners: Sequence[OwnerRef]
    ) -> Outcome:
        """Set the owners of an item (admin or the item's creator)."""
        if not owners:
            raise UserError("error.assign_nobody")
        pending: list[str] = []

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.require_not_deleted(item)
            rules.require_creator_or_admin(item, actor, "assign")
            resolved = await self._resolve(session, group.id, owners)
            pending.extend(o.name for o in resolved if o.is_pending)
            await repo.replace_owners(session, row, resolved)
            repo.add_event(
                session,
                row,
                EventKind.ASSIGNED,
                actor.user_id,
                actor.name,
                self._clock.now(),
                f"{_names(item.owners)} → {_names(resolved)}",
            )

        outcome = await self._change(chat_id, number, change)
        return _with_pending(outcome, pending)

    # --- progress and closing ----------------------------------------------------------------

    async def progress(
        self, chat_id: int, actor: Actor, number: int, text: str, evidence: Evidence | None
    ) -> Outcome:
        """推进情况: an owner or admin reports progress, optionally with a file."""
        if not text.strip() and evidence is None:
            raise UserError("error.progress_empty", number=number)

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.require_not_deleted(item)
            rules.require_owner_or_admin(item, actor, "progress")
            if item.status is Status.CLOSED:
                raise UserError("error.already_closed", number=item.number)
            self._add_progress(session, row, actor, "progress", text, evidence)
            repo.add_event(
                session,
                row,
                EventKind.PROGRESS,
                actor.user_id,
                actor.name,
                self._clock.now(),
                _clip(text),
            )

        return await self._change(chat_id, number, change)

    def _add_progress(
        self,
        session: AsyncSession,
        row: ItemRow,
        actor: Actor,
        kind: str,
        text: str,
        evidence: Evidence | None,
    ) -> None:
        if row.id is None:
            raise RuntimeError("item must be flushed")
        repo.add_progress(
            session,
            ProgressRow(
                item_id=row.id,
                kind=kind,
                author_id=actor.user_id,
                author_name=actor.name,
                text=text.strip(),
                file_id=evidence.file_id if evidence else None,
                file_kind=evidence.kind if evidence else None,
                created_at=self._clock.now(),
            ),
        )

    async def done(
        self, chat_id: int, actor: Actor, number: int, note: str, evidence: Evidence | None
    ) -> Outcome:
        """申请销号: pending approval, or closed at once when the group needs no approval."""

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.check_done(item)
            rules.require_owner_or_admin(item, actor, "done")
            now = self._clock.now()
            if note.strip() or evidence is not None:
                self._add_progress(session, row, actor, "done", note, evidence)
            repo.add_event(
                session, row, EventKind.DONE, actor.user_id, actor.name, now, _clip(note)
            )
            if group.settings.require_approval:
                row.status = Status.PENDING.value
                row.pending_since = now
            else:
                _close(row, actor, now)
                repo.add_event(session, row, EventKind.APPROVED, actor.user_id, actor.name, now)

        return await self._change(chat_id, number, change)

    async def approve(self, chat_id: int, actor: Actor, number: int, comment: str) -> Outcome:
        """验收通过: an admin closes (销号) a pending item."""

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.require_admin(actor, "approve")
            rules.check_pending(item)
            now = self._clock.now()
            _close(row, actor, now)
            repo.add_event(
                session, row, EventKind.APPROVED, actor.user_id, actor.name, now, _clip(comment)
            )

        return await self._change(chat_id, number, change)

    async def reject(self, chat_id: int, actor: Actor, number: int, reason: str) -> Outcome:
        """退回: an admin returns a pending item to open, with a reason."""
        if not reason.strip():
            raise UserError("error.reason_required", command="reject", number=number)

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.require_admin(actor, "reject")
            rules.check_pending(item)
            row.status = Status.OPEN.value
            row.pending_since = None
            row.return_count += 1
            repo.add_event(
                session,
                row,
                EventKind.REJECTED,
                actor.user_id,
                actor.name,
                self._clock.now(),
                _clip(reason),
            )

        return await self._change(chat_id, number, change)

    async def reopen(self, chat_id: int, actor: Actor, number: int, reason: str) -> Outcome:
        """重新打开: an admin takes a closed item back to open, with a reason."""
        if not reason.strip():
            raise UserError("error.reason_required", command="reopen", number=number)

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.require_admin(actor, "reopen")
            rules.check_reopen(item)
            row.status = Status.OPEN.value
            row.closed_at = None
            row.closed_by_name = ""
            repo.add_event(
                session,
                row,
                EventKind.REOPENED,
                actor.user_id,
                actor.name,
                self._clock.now(),
                _clip(reason),
            )

        return await self._change(chat_id, number, change)

    # --- editing and deleting ----------------------------------------------------------------

    async def edit(
        self, chat_id: int, actor: Actor, number: int, field_name: str, value: str
    ) -> Outcome:
        """Change one field (admin or creator); the old value goes to the event log."""
        target = EDITABLE_FIELDS.get(field_name.strip().lower())
        if target is None:
            raise UserError("error.edit_field", field=field_name)

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.require_not_deleted(item)
            rules.require_creator_or_admin(item, actor, "edit")
            if target == "measures":
                old = "；".join(m.text for m in item.measures)
                await repo.replace_measures(session, row, split_measures(value))
            elif target == "problem":
                old = row.problem
                row.problem = rules.check_problem_text(value)
            else:
                old = str(getattr(row, target))
                setattr(row, target, rules.check_field_text(value, target))
            repo.add_event(
                session,
                row,
                EventKind.EDITED,
                actor.user_id,
                actor.name,
                self._clock.now(),
                f"{target}: {_clip(old)} → {_clip(value)}",
            )

        return await self._change(chat_id, number, change)

    async def delete(self, chat_id: int, actor: Actor, number: int) -> Outcome:
        """Soft delete (admin); ``undelete`` brings it back."""

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.require_admin(actor, "delete")
            row.deleted = True
            repo.add_event(
                session, row, EventKind.DELETED, actor.user_id, actor.name, self._clock.now()
            )

        return await self._change(chat_id, number, change)

    async def undelete(self, chat_id: int, actor: Actor, number: int) -> Outcome:
        """Restore a soft-deleted item (admin)."""

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.require_admin(actor, "undelete")
            if not row.deleted:
                raise UserError("error.not_deleted", number=row.number)
            row.deleted = False
            repo.add_event(
                session, row, EventKind.UNDELETED, actor.user_id, actor.name, self._clock.now()
            )

        return await self._change(chat_id, number, change, include_deleted=True)

    # --- extensions --------------------------------------------------------------------------

    async def request_extension(
        self, chat_id: int, actor: Actor, number: int, deadline: Deadline, reason: str
    ) -> Outcome:
        """延期申请: an owner asks for a new deadline with a reason; admins decide."""
        if not reason.strip():
            raise UserError("error.reason_required", command="extend", number=number)
        if deadline.due is None:
            raise UserError("error.extend_needs_date", number=number)
        new_due = deadline.due
        created: list[ExtensionRow] = []

        async def change(
            session: AsyncSession, group: GroupContext, row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.require_not_deleted(item)
            rules.require_owner_or_admin(item, actor, "extend")
            if item.status is Status.CLOSED:
                raise UserError("error.already_closed", number=item.number)
            if row.id is None or await repo.waiting_extension(session, row.id) is not None:
                raise UserError("error.extension_waiting", number=item.number)
            left = days_left(item, self._today(group))
            extension = ExtensionRow(
                item_id=row.id,
                requested_by=actor.user_id,
                requested_name=actor.name,
                old_due=row.due_date,
                new_due=new_due,
                new_phrase=deadline.phrase,
                reason=reason.strip(),
                after_deadline=left is not None and left < 0,
                created_at=self._clock.now(),
            )
            repo.add_extension(session, extension)
            await session.flush()
            created.append(extension)
            repo.add_event(
                session,
                row,
                EventKind.EXTENSION_REQUESTED,
                actor.user_id,
                actor.name,
                self._clock.now(),
                f"{_due_text(row)} → {new_due.isoformat()}: {_clip(reason)}",
            )

        outcome = await self._change(chat_id, number, change)
        return Outcome(outcome.group, outcome.item, outcome.today, extension_id=created[0].id)

    async def decide_extension(
        self, chat_id: int, actor: Actor, extension_id: int, approve: bool
    ) -> Outcome:
        """An admin approves (the deadline moves, the original is kept) or rejects a request."""
        async with self._db.transaction() as session:
            extension = await repo.extension_by_id(session, extension_id)
            row = await repo.item_by_id(session, extension.item_id) if extension else None
        if extension is None or row is None:
            raise UserError("error.no_extension")

        async def change(
            session: AsyncSession, group: GroupContext, item_row: ItemRow, item: ItemSnapshot
        ) -> None:
            rules.require_admin(actor, "extend_decide")
            current = await repo.extension_by_id(session, extension_id)
            if current is None or current.status != "waiting":
                raise UserError("error.extension_decided", number=item.number)
            now = self._clock.now()
            current.status = "approved" if approve else "rejected"
            current.decided_by_name = actor.name
            current.decided_at = now
            session.add(current)
            if approve:
                if item_row.original_due is None:
                    item_row.original_due = item_row.due_date
                item_row.due_kind = DueKind.DATE.value
                item_row.due_date = current.new_due
                item_row.due_phrase = current.new_phrase
                item_row.extension_count += 1
            kind = EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REJECTED
            repo.add_event(
                session, item_row, kind, actor.user_id, actor.name, now, current.new_due.isoformat()
            )

        return await self._change_in_group_of(chat_id, row, change)

    async def _change_in_group_of(self, chat_id: int, row: ItemRow, change: Change) -> Outcome:
        """Apply ``change`` to ``row`` only if it belongs to this chat's group."""
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
        if row.group_id != group.id:
            raise UserError("error.no_extension")
        return await self._change(chat_id, row.number, change)

    # --- reading -----------------------------------------------------------------------------

    async def show(self, chat_id: int, number: int, *, include_deleted: bool = False) -> Outcome:
        """The full card of one item of this group."""
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            row = await repo.item_by_number(session, group.id, number)
            if row is None or (row.deleted and not include_deleted):
                raise UserError("error.no_item", number=number)
            return Outcome(group, await repo.full_snapshot(session, row), self._today(group))

    async def list_items(
        self, chat_id: int, actor: Actor, which: ListFilter, who: OwnerRef | None = None
    ) -> Listing:
        """Items of this group matching ``which``, sorted by deadline."""
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            rows = await repo.items_of_groups(session, [group.id])
            snaps = await repo.snapshots(session, rows, with_latest_progress=True)
        today = self._today(group)
        chosen = [s for s in snaps if _matches(s, which, actor, who, today)]
        return Listing(group, tuple(sort_by_deadline(chosen)), today, group.settings)

    async def mine(self, actor: Actor, chat_id: int | None) -> Listing:
        """The actor's active items: in one group, or across all their groups (private chat)."""
        async with self._db.transaction() as session:
            ids = await repo.item_ids_owned_by(session, actor.user_id)
            rows = await repo.items_by_ids(session, ids)
            group: GroupContext | None = None
            if chat_id is not None:
                group = await self._group(session, chat_id)
                rows = [r for r in rows if r.group_id == group.id]
            groups = {r.group_id: await group_repo.group_by_id(session, r.group_id) for r in rows}
            titles = {gid: (g.name_override or g.title) for gid, g in groups.items() if g}
            active = {gid for gid, g in groups.items() if g and g.active}
            rows = [r for r in rows if r.group_id in active]
            snaps = await repo.snapshots(session, rows, with_latest_progress=True, titles=titles)
        settings = group.settings if group else self._defaults
        today = local_today(self._clock, settings.zone)
        chosen = [s for s in snaps if s.is_active]
        return Listing(group, tuple(sort_by_deadline(chosen)), today, settings)

    async def group_items(self, chat_id: int) -> Listing:
        """Every item of the group that is not deleted (for statistics)."""
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            rows = await repo.items_of_groups(session, [group.id])
            snaps = await repo.snapshots(session, rows)
        return Listing(group, tuple(snaps), self._today(group), group.settings)

    def now(self) -> datetime:
        """The injected clock's current instant."""
        return self._clock.now()


def _close(row: ItemRow, actor: Actor, now: datetime) -> None:
    row.status = Status.CLOSED.value
    row.closed_at = now
    row.closed_by_name = actor.name
    row.pending_since = None


def _matches(
    item: ItemSnapshot, which: ListFilter, actor: Actor, who: OwnerRef | None, today: date
) -> bool:
    left = days_left(item, today)
    checks: dict[ListFilter, Callable[[], bool]] = {
        ListFilter.OPEN: lambda: item.is_active,
        ListFilter.OVERDUE: lambda: item.is_active and left is not None and left < 0,
        ListFilter.PENDING: lambda: item.status is Status.PENDING,
        ListFilter.DONE: lambda: item.status is Status.CLOSED,
        ListFilter.ALL: lambda: True,
        ListFilter.MINE: lambda: item.is_active and item.is_owner(actor.user_id),
        ListFilter.USER: lambda: (
            item.is_active and who is not None and any(o.same_person(who) for o in item.owners)
        ),
    }
    return checks[which]()


def sort_by_deadline(items: Sequence[ItemSnapshot]) -> list[ItemSnapshot]:
    """Dated items first by date, then soft/long-term/none, ties by number."""

    def key(item: ItemSnapshot) -> tuple[int, date, int]:
        if item.due is not None:
            return (0, item.due, item.number)
        rank = 1 if item.due_kind is DueKind.NONE else 2
        return (rank, date.max, item.number)

    return sorted(items, key=key)


def _with_pending(outcome: Outcome, pending: Sequence[str]) -> Outcome:
    return Outcome(outcome.group, outcome.item, outcome.today, pending_owners=tuple(pending))


def _display(first: str, last: str) -> str:
    return " ".join(p for p in (first, last) if p)


def _names(owners: Sequence[OwnerRef]) -> str:
    return "、".join(o.name for o in owners) or "-"


def _due_text(row: ItemRow) -> str:
    if row.due_date is not None:
        return row.due_date.isoformat()
    return row.due_kind


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
