"""The ledger's use cases: register, claim, assign, report, close, accept, edit, delete, read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from domain import items as rules
from domain.clock import Clock, local_today
from domain.deadline import Deadline
from domain.errors import UserError
from domain.groups import GroupContext
from domain.import_drafts import draft_from_problem
from domain.items import (
    Actor,
    DueKind,
    EventKind,
    ExtensionStatus,
    ItemSnapshot,
    OwnerRef,
    ProgressKind,
    Status,
    days_left,
    due_kind_of,
)
from domain.listing import ListFilter, matches, sort_by_closing, sort_by_deadline
from domain.outcomes import Listing, Outcome
from domain.problem_form import (
    Mention,
    ProblemDraft,
    read_deadline,
    read_extension,
    read_problem,
    read_reply,
    split_measures,
)
from domain.settings import GroupSettings
from domain.vocabulary import field_to_edit
from services.creation import create_item
from services.groups import load_group
from services.owners import resolve_owners
from storage import groups as group_repo
from storage import items as repo
from storage.database import Database
from storage.models import ExtensionRow, ItemRow, ProgressRow


@dataclass(frozen=True)
class Evidence:
    """A file sent with a command: kept by its Telegram file id."""

    file_id: str
    kind: str  # "photo" or "document"


@dataclass
class Step:
    """One change in progress: the transaction, the item before it, who acts and when."""

    session: AsyncSession
    group: GroupContext
    row: ItemRow
    item: ItemSnapshot
    actor: Actor
    now: datetime
    today: date

    def log(self, kind: EventKind, detail: str = "") -> None:
        """Append one line to the item's event log in this transaction."""
        repo.add_event(
            self.session, self.row, kind, self.actor.user_id, self.actor.name, self.now, detail
        )


Change = Callable[[Step], Awaitable[None]]


def _due_fields(deadline: Deadline | None) -> tuple[str, date | None, str]:
    """Map a parsed deadline onto the stored (kind, date, phrase)."""
    if deadline is None:
        return DueKind.NONE.value, None, ""
    return due_kind_of(deadline).value, deadline.due, deadline.phrase


def due_token(row: ItemRow) -> str:
    """The deadline as the event log keeps it: an ISO date, ``soft:<date>``, or a kind."""
    if row.due_date is None:
        return row.due_kind
    if row.due_kind == DueKind.SOFT.value:
        return f"soft:{row.due_date.isoformat()}"
    return row.due_date.isoformat()


class LedgerService:
    """Every change to the ledger goes through here; each call is one transaction."""

    def __init__(self, db: Database, clock: Clock, defaults: GroupSettings) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults

    # --- helpers ---------------------------------------------------------------------------

    async def _group(self, session: AsyncSession, chat_id: int) -> GroupContext:
        return await load_group(session, chat_id, self._defaults)

    def _today(self, group: GroupContext) -> date:
        return local_today(self._clock, group.settings.zone)

    async def today_and_soft_days(self, chat_id: int) -> tuple[date, int]:
        """The group's today and its soft-deadline days (to read typed deadlines)."""
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
        return self._today(group), group.settings.soft_deadline_days

    async def _change(
        self,
        chat_id: int,
        actor: Actor,
        number: int,
        change: Change,
        *,
        include_deleted: bool = False,
    ) -> Outcome:
        """Load an item of this group under lock, apply ``change``, return the new snapshot."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            row = await repo.item_by_number(session, group.id, number, lock=True)
            if row is None:
                raise UserError("error.no_item", number=number)
            if row.deleted and not include_deleted:
                raise UserError("error.deleted", number=number)
            item = await repo.full_snapshot(session, row)
            today = self._today(group)
            await change(Step(session, group, row, item, actor, now, today))
            row.updated_at = now
            session.add(row)
            await session.flush()
            after = await repo.full_snapshot(session, row)
            return Outcome(group=group, item=after, today=today)

    # --- registering ----------------------------------------------------------------------

    async def register(self, chat_id: int, actor: Actor, draft: ProblemDraft) -> Outcome:
        """Create a new item from a draft; unknown @usernames become pending owners."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            item = draft_from_problem(draft)
            row = await create_item(session, group.id, actor, item, now, source=draft.source)
            await session.flush()
            snapshot = await repo.full_snapshot(session, row)
            pending = tuple(o.name for o in snapshot.owners if o.is_pending)
            return Outcome(
                group, snapshot, self._today(group), pending_owners=pending, deadline=draft.deadline
            )

    async def register_text(
        self, chat_id: int, actor: Actor, text: str, mentions: Sequence[Mention]
    ) -> Outcome:
        """``/problem …``: read the one-line or labelled form with the group's calendar."""
        today, soft = await self.today_and_soft_days(chat_id)
        draft = read_problem(text, mentions, today, soft_days=soft)
        return await self.register(chat_id, actor, draft)

    async def register_reply(
        self,
        chat_id: int,
        actor: Actor,
        replied: str,
        author: OwnerRef | None,
        args: str,
        mentions: Sequence[Mention],
    ) -> Outcome:
        """``/problem [owners] [时限]`` replying to a message: its text becomes the problem."""
        today, soft = await self.today_and_soft_days(chat_id)
        draft = read_reply(replied, author, args, mentions, today, soft_days=soft)
        return await self.register(chat_id, actor, draft)

    # --- deadlines ---------------------------------------------------------------------------

    async def set_deadline(
        self, chat_id: int, actor: Actor, number: int, deadline: Deadline | None, *, first: bool
    ) -> Outcome:
        """Set the deadline directly (``/due`` by an admin, or the creator's first choice)."""

        async def change(step: Step) -> None:
            rules.require_active(step.item)
            if first:
                rules.require_creator_or_admin(step.item, actor, "due")
                if step.item.due_kind is not DueKind.NONE:
                    raise UserError("error.deadline_already_set", number=step.item.number)
            else:
                rules.require_admin(actor, "due")
            if deadline is None:
                return
            old = due_token(step.row)
            step.row.due_kind, step.row.due_date, step.row.due_phrase = _due_fields(deadline)
            if first or step.row.original_due is None:
                step.row.original_due = step.row.due_date
            step.log(EventKind.DEADLINE, f"{old} → {due_token(step.row)}")

        outcome = await self._change(chat_id, actor, number, change)
        return replace(outcome, deadline=deadline)

    async def set_deadline_text(
        self, chat_id: int, actor: Actor, number: int, phrase: str | None, *, first: bool
    ) -> Outcome:
        """``/due N 时限`` or a deadline button: read the phrase, then set it (None: not now)."""
        today, soft = await self.today_and_soft_days(chat_id)
        deadline = read_deadline(phrase, today, soft) if phrase else None
        return await self.set_deadline(chat_id, actor, number, deadline, first=first)

    # --- owners ------------------------------------------------------------------------------

    async def claim(self, chat_id: int, actor: Actor, number: int) -> Outcome:
        """认领: the actor becomes an owner (taking the place of their pending or plain name)."""

        async def change(step: Step) -> None:
            rules.check_claim(step.item, actor)
            me = OwnerRef(name=actor.name, user_id=actor.user_id, username=actor.username)
            stand_in = next(
                (
                    o
                    for o in step.item.owners
                    if (o.is_pending and o.same_person(me)) or o.named(actor.name)
                ),
                None,
            )
            if stand_in is None:
                await repo.add_owner(step.session, step.row, me)
            else:
                owners = [me if o is stand_in else o for o in step.item.owners]
                await repo.replace_owners(step.session, step.row, owners)
            step.log(EventKind.CLAIMED)

        return await self._change(chat_id, actor, number, change)

    async def assign(
        self, chat_id: int, actor: Actor, number: int, owners: Sequence[OwnerRef]
    ) -> Outcome:
        """Set the owners of an item (admin or the item's creator)."""
        pending: list[str] = []

        async def change(step: Step) -> None:
            rules.require_creator_or_admin(step.item, actor, "assign")
            rules.require_active(step.item)
            if not owners:
                raise UserError("error.assign_nobody")
            resolved = await resolve_owners(step.session, step.group.id, owners)
            pending.extend(o.name for o in resolved if o.is_pending)
            await repo.replace_owners(step.session, step.row, resolved)
            step.log(EventKind.ASSIGNED, f"{_names(step.item.owners)} → {_names(resolved)}")

        outcome = await self._change(chat_id, actor, number, change)
        return replace(outcome, pending_owners=tuple(pending))

    # --- progress and closing ----------------------------------------------------------------

    async def check_allowed(self, chat_id: int, actor: Actor, number: int, action: str) -> None:
        """Refuse early, before asking the user to type: ``progress`` or ``reject``."""
        outcome = await self.show(chat_id, number)
        rules.require_active(outcome.item)
        if action == "reject":
            rules.require_admin(actor, "reject")
            rules.check_pending(outcome.item)
        else:
            rules.require_owner_or_admin(outcome.item, actor, "progress")

    async def progress(
        self, chat_id: int, actor: Actor, number: int, text: str, evidence: Evidence | None
    ) -> Outcome:
        """推进情况: an owner or admin reports progress, optionally with a file."""

        async def change(step: Step) -> None:
            rules.require_owner_or_admin(step.item, actor, "progress")
            rules.require_active(step.item)
            if not text.strip() and evidence is None:
                raise UserError("error.progress_empty", number=number)
            _add_progress(step, ProgressKind.PROGRESS, text, evidence)
            step.log(EventKind.PROGRESS, _clip(text))

        return await self._change(chat_id, actor, number, change)

    async def done(
        self, chat_id: int, actor: Actor, number: int, note: str, evidence: Evidence | None
    ) -> Outcome:
        """申请销号: pending approval, or closed at once when the group needs no approval."""

        async def change(step: Step) -> None:
            rules.require_owner_or_admin(step.item, actor, "done")
            rules.check_done(step.item)
            if note.strip() or evidence is not None:
                _add_progress(step, ProgressKind.DONE, note, evidence)
            step.log(EventKind.DONE, _clip(note))
            if step.group.settings.require_approval:
                step.row.status = Status.PENDING.value
                step.row.pending_since = step.now
            else:
                _close(step)

        return await self._change(chat_id, actor, number, change)

    async def approve(self, chat_id: int, actor: Actor, number: int, comment: str) -> Outcome:
        """验收通过: an admin closes (销号) a pending item."""

        async def change(step: Step) -> None:
            rules.require_admin(actor, "approve")
            rules.check_pending(step.item)
            _close(step, _clip(comment))

        return await self._change(chat_id, actor, number, change)

    async def reject(self, chat_id: int, actor: Actor, number: int, reason: str) -> Outcome:
        """退回: an admin returns a pending item to open, with a reason."""

        async def change(step: Step) -> None:
            rules.require_admin(actor, "reject")
            rules.check_pending(step.item)
            _require_reason(reason, "reject", number)
            step.row.status = Status.OPEN.value
            step.row.pending_since = None
            step.row.return_count += 1
            step.log(EventKind.REJECTED, _clip(reason))

        return await self._change(chat_id, actor, number, change)

    async def reopen(self, chat_id: int, actor: Actor, number: int, reason: str) -> Outcome:
        """重新打开: an admin takes a closed item back to open, with a reason."""

        async def change(step: Step) -> None:
            rules.require_admin(actor, "reopen")
            rules.check_reopen(step.item)
            _require_reason(reason, "reopen", number)
            step.row.status = Status.OPEN.value
            step.row.closed_at = None
            step.row.closed_by_name = ""
            step.log(EventKind.REOPENED, _clip(reason))

        return await self._change(chat_id, actor, number, change)

    async def tick(self, chat_id: int, actor: Actor, number: int, typed: str) -> Outcome:
        """Mark measures done (an owner or admin): ``/tick 12 2`` ticks the second measure."""

        async def change(step: Step) -> None:
            rules.require_owner_or_admin(step.item, actor, "progress")
            rules.require_active(step.item)
            positions = rules.measure_positions(step.item, typed)
            await repo.set_measures_done(step.session, step.item.id, positions)
            step.log(EventKind.MEASURE_DONE, " ".join(str(p + 1) for p in positions))

        return await self._change(chat_id, actor, number, change)

    # --- editing and deleting ----------------------------------------------------------------

    async def edit(
        self, chat_id: int, actor: Actor, number: int, field_name: str, value: str
    ) -> Outcome:
        """Change one field (admin or creator); the old value goes to the event log."""
        target = field_to_edit(field_name, number)

        async def change(step: Step) -> None:
            rules.require_creator_or_admin(step.item, actor, "edit")
            rules.require_not_deleted(step.item)
            if target == "measures":
                old = "；".join(m.text for m in step.item.measures)
                await _replace_measures(step, split_measures(value))
            elif target == "problem":
                old = step.row.problem
                step.row.problem = rules.check_problem_text(value)
            else:
                old = str(getattr(step.row, target))
                setattr(step.row, target, rules.check_field_text(value, target))
            step.log(EventKind.EDITED, f"{target}: {_clip(old)} → {_clip(value)}")

        return await self._change(chat_id, actor, number, change)

    async def delete(self, chat_id: int, actor: Actor, number: int) -> Outcome:
        """Soft delete (admin); ``undelete`` brings it back."""

        async def change(step: Step) -> None:
            rules.require_admin(actor, "delete")
            step.row.deleted = True
            step.log(EventKind.DELETED)

        return await self._change(chat_id, actor, number, change)

    async def undelete(self, chat_id: int, actor: Actor, number: int) -> Outcome:
        """Restore a soft-deleted item (admin)."""

        async def change(step: Step) -> None:
            rules.require_admin(actor, "undelete")
            if not step.row.deleted:
                raise UserError("error.not_deleted", number=step.row.number)
            step.row.deleted = False
            step.log(EventKind.UNDELETED)

        return await self._change(chat_id, actor, number, change, include_deleted=True)

    # --- extensions --------------------------------------------------------------------------

    async def request_extension(
        self, chat_id: int, actor: Actor, number: int, deadline: Deadline, reason: str
    ) -> Outcome:
        """延期申请: an owner asks for a later deadline with a reason; admins decide."""
        created: list[int] = []

        async def change(step: Step) -> None:
            rules.require_owner_or_admin(step.item, actor, "extend")
            if deadline.due is None:
                raise UserError("error.extend_needs_date", number=number)
            rules.check_extension(step.item, deadline.due)
            if not reason.strip():
                raise UserError("error.extend_reason", number=number)
            if await repo.waiting_extension(step.session, step.item.id) is not None:
                raise UserError("error.extension_waiting", number=number)
            left = days_left(step.item, step.today)
            extension = ExtensionRow(
                item_id=step.item.id,
                requested_by=actor.user_id,
                requested_name=actor.name,
                old_due=step.row.due_date,
                new_due=deadline.due,
                new_phrase=deadline.phrase,
                reason=reason.strip(),
                after_deadline=left is not None and left < 0,
                created_at=step.now,
            )
            step.session.add(extension)
            await step.session.flush()
            created.append(extension.id or 0)
            detail = f"{due_token(step.row)} → {deadline.due.isoformat()}: {_clip(reason)}"
            step.log(EventKind.EXTENSION_REQUESTED, detail)

        outcome = await self._change(chat_id, actor, number, change)
        return replace(outcome, extension_id=created[0], deadline=deadline)

    async def request_extension_text(
        self, chat_id: int, actor: Actor, number: int, text: str
    ) -> Outcome:
        """``/extend N 新时限 原因``: the deadline phrase, and the words around it as the reason."""
        today, soft = await self.today_and_soft_days(chat_id)
        deadline, reason = read_extension(text, today, soft)
        if deadline is None:
            raise UserError("error.extend_needs_date", number=number)
        return await self.request_extension(chat_id, actor, number, deadline, reason)

    async def decide_extension(
        self, chat_id: int, actor: Actor, extension_id: int, approve: bool
    ) -> Outcome:
        """An admin approves (the deadline moves, the original is kept) or rejects a request."""
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            extension = await repo.extension_by_id(session, extension_id)
            row = await repo.item_by_id(session, extension.item_id) if extension else None
        if row is None or row.group_id != group.id:
            raise UserError("error.no_extension")

        async def change(step: Step) -> None:
            rules.require_admin(actor, "extend_decide")
            current = await repo.extension_by_id(step.session, extension_id)
            if current is None or current.status != ExtensionStatus.WAITING:
                raise UserError("error.extension_decided", number=step.item.number)
            if approve:
                rules.require_active(step.item)
            current.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
            current.decided_by_name = actor.name
            current.decided_at = step.now
            step.session.add(current)
            if approve:
                _move_deadline(step.row, current)
            kind = EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REJECTED
            step.log(kind, current.new_due.isoformat())

        return await self._change(chat_id, actor, row.number, change)

    # --- reading -----------------------------------------------------------------------------

    async def show(self, chat_id: int, number: int, *, include_deleted: bool = False) -> Outcome:
        """The full card of one item of this group."""
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            row = await repo.item_by_number(session, group.id, number)
            if row is None:
                raise UserError("error.no_item", number=number)
            if row.deleted and not include_deleted:
                raise UserError("error.deleted", number=number)
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
        chosen = [s for s in snaps if matches(s, which, actor.user_id, who, today)]
        ordered = sort_by_closing(chosen) if which is ListFilter.DONE else sort_by_deadline(chosen)
        return Listing(tuple(ordered), today, group.settings, group.title)

    async def mine(self, actor: Actor, chat_id: int | None) -> Listing:
        """The actor's active items: in one group, or across all their groups (private chat)."""
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id) if chat_id is not None else None
            ids = await repo.item_ids_owned_by(session, actor.user_id)
            rows = [
                r for r in await repo.items_by_ids(session, ids) if r.status != Status.CLOSED.value
            ]
            if group is not None:
                rows = [r for r in rows if r.group_id == group.id]
            groups = await group_repo.groups_by_ids(session, {r.group_id for r in rows})
            rows = [r for r in rows if groups[r.group_id].active]
            titles = {gid: g.name_override or g.title for gid, g in groups.items()}
            snaps = await repo.snapshots(
                session, rows, with_latest_progress=True, titles=None if group else titles
            )
        settings = group.settings if group else self._defaults
        today = local_today(self._clock, settings.zone)
        return Listing(tuple(sort_by_deadline(snaps)), today, settings)

    async def group_items(self, chat_id: int) -> Listing:
        """Every item of the group that is not deleted (for statistics)."""
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            rows = await repo.items_of_groups(session, [group.id])
            snaps = await repo.snapshots(session, rows)
        return Listing(tuple(snaps), self._today(group), group.settings, group.title)


def _add_progress(step: Step, kind: ProgressKind, text: str, evidence: Evidence | None) -> None:
    repo.add_progress(
        step.session,
        ProgressRow(
            item_id=step.item.id,
            kind=kind,
            author_id=step.actor.user_id,
            author_name=step.actor.name,
            text=text.strip(),
            file_id=evidence.file_id if evidence else None,
            file_kind=evidence.kind if evidence else None,
            created_at=step.now,
        ),
    )


def _close(step: Step, comment: str = "") -> None:
    """销号: closed now by the actor (an admin's acceptance, or a group without approval)."""
    step.row.status = Status.CLOSED.value
    step.row.closed_at = step.now
    step.row.closed_by_name = step.actor.name
    step.row.pending_since = None
    step.log(EventKind.APPROVED, comment)


async def _replace_measures(step: Step, measures: Sequence[str]) -> None:
    """New measures; one whose text is unchanged keeps its ✅."""
    done = {m.text for m in step.item.measures if m.done}
    await repo.replace_measures(step.session, step.row, measures)
    kept = [i for i, text in enumerate(measures) if text in done]
    await repo.set_measures_done(step.session, step.item.id, kept)


def _move_deadline(row: ItemRow, extension: ExtensionRow) -> None:
    """An approved extension: the new date, the original kept, one more extension counted."""
    if row.original_due is None:
        row.original_due = row.due_date
    row.due_kind = DueKind.DATE.value
    row.due_date = extension.new_due
    row.due_phrase = extension.new_phrase
    row.extension_count += 1


def _require_reason(reason: str, command: str, number: int) -> None:
    if not reason.strip():
        raise UserError("error.reason_required", command=command, number=number)


def _names(owners: Sequence[OwnerRef]) -> str:
    return "、".join(o.name for o in owners)


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
