"""The ledger's use cases: register, claim, assign, report, close, accept, edit, delete, read.

Each change to an item is one unit of work (:mod:`services.item_change`): load and lock the
item, check and apply a transition from :mod:`domain.transitions`, log what changed as an
:class:`~domain.items.EventChange`, commit, and hand back the item after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from domain import items as rules
from domain import transitions
from domain.clock import Clock, local_today
from domain.deadline import Deadline
from domain.errors import UserError
from domain.groups import GroupContext
from domain.import_drafts import draft_from_problem
from domain.items import (
    Actor,
    DueKind,
    DueValue,
    EventChange,
    EventKind,
    OwnerRef,
    ProgressKind,
    Status,
)
from domain.listing import ListFilter, matches, sort_by_closing, sort_by_deadline
from domain.outcomes import Listing, Outcome
from domain.problem_form import (
    Mention,
    ProblemDraft,
    choose_deadline,
    read_deadline,
    read_extension,
    read_problem,
    read_reply,
    split_measures,
)
from domain.settings import GroupSettings
from domain.tree import Branch, match_branch
from domain.vocabulary import field_to_edit
from domain.workdays import PACKAGE_CALENDAR, HolidayCalendar
from services.creation import create_item
from services.dispatch import dispatch_by_unit
from services.groups import load_group
from services.item_change import ItemChange, change_item
from services.owners import members_by_name, resolve_owners
from services.tree import Subtree, subtree_in
from storage import groups as group_repo
from storage import items as repo
from storage import tree as tree_repo
from storage.database import Database
from storage.models import ProgressRow
from views.text import clip


@dataclass(frozen=True)
class Evidence:
    """A file sent with a command: kept by its Telegram file id."""

    file_id: str
    kind: str  # "photo" or "document"


class LedgerService:
    """Every change to the ledger goes through here; each call is one transaction."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        defaults: GroupSettings,
        calendar: HolidayCalendar = PACKAGE_CALENDAR,
    ) -> None:
        self._db = db
        self._clock = clock
        self._defaults = defaults
        self._calendar = calendar  # working days for deadlines typed in the groups

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

    def _change(
        self,
        chat_id: int,
        actor: Actor,
        number: int | None = None,
        *,
        extension_id: int | None = None,
        include_deleted: bool = False,
    ) -> AbstractAsyncContextManager[ItemChange]:
        """Item ``#number`` of this group (or the item of an extension request), locked."""
        return change_item(
            self._db,
            self._clock,
            self._defaults,
            chat_id,
            actor,
            number,
            extension_id=extension_id,
            include_deleted=include_deleted,
        )

    # --- registering ----------------------------------------------------------------------

    async def register(self, chat_id: int, actor: Actor, draft: ProblemDraft) -> Outcome:
        """Create a new item from a draft; unknown @usernames become pending owners.

        In a committee, a 责任单位 naming its branches hands the item down in the same
        transaction (:attr:`Outcome.dispatch`).
        """
        now = self._clock.now()
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            item = draft_from_problem(draft)
            same = await repo.open_item_with_problem(session, group.id, item.problem)
            row = await create_item(session, group.id, actor, item, now, source=draft.source)
            handed = None
            if row.unit:  # a committee's 责任单位 may name its branches: handed down at once
                handed = await dispatch_by_unit(session, group, row, actor, now, self._defaults)
            await session.flush()
            snapshot = await repo.full_snapshot(session, row)
            pending = tuple(o.name for o in snapshot.owners if o.is_pending)
            outcome = Outcome(
                group,
                snapshot,
                self._today(group),
                pending_owners=pending,
                deadline=draft.deadline,
                deadline_choices=draft.deadline_choices,
                named_owners=draft.named_owners,
                same_problem=same,
            )
            return (
                outcome if handed is None else replace(outcome, dispatch=handed.dispatch(outcome))
            )

    async def register_text(
        self, chat_id: int, actor: Actor, text: str, mentions: Sequence[Mention]
    ) -> Outcome:
        """``/problem …``: read the one-line or labelled form with the group's calendar.

        In the one-line form, a word that is a member's display name makes them an owner.
        """
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            members = await members_by_name(session, group.id)
        soft = group.settings.soft_deadline_days
        draft = read_problem(
            text,
            mentions,
            self._today(group),
            soft_days=soft,
            members=members,
            calendar=self._calendar,
        )
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
        draft = read_reply(
            replied, author, args, mentions, today, soft_days=soft, calendar=self._calendar
        )
        return await self.register(chat_id, actor, draft)

    # --- deadlines ---------------------------------------------------------------------------

    async def set_deadline(
        self, chat_id: int, actor: Actor, number: int, deadline: Deadline | None, *, first: bool
    ) -> Outcome:
        """Set the deadline directly (``/due`` by an admin, or the creator's first choice)."""
        async with self._change(chat_id, actor, number) as change:
            if deadline is None:  # the creator chose 暂不设定: allowed, nothing changes
                transitions.check_set_deadline(change.item, actor, first=first)
            else:
                new_state = transitions.set_deadline(
                    change.item, actor, deadline, first=first, today=change.today
                )
                change.apply(new_state)
                if not first:  # the admin's new deadline answers any request waiting
                    change.withdraw_waiting()
                old, new = transitions.due_of(change.item), transitions.due_of_deadline(deadline)
                change.log(EventKind.DEADLINE, EventChange(old_due=old, new_due=new))
        return replace(change.outcome, deadline=deadline)

    async def set_deadline_text(
        self, chat_id: int, actor: Actor, number: int, phrase: str | None, *, first: bool
    ) -> Outcome:
        """``/due N 时限`` or a deadline button: read the phrase, then set it (None: not now)."""
        today, soft = await self.today_and_soft_days(chat_id)
        deadline = read_deadline(phrase, today, soft, self._calendar) if phrase else None
        return await self.set_deadline(chat_id, actor, number, deadline, first=first)

    async def choose_deadline(self, chat_id: int, actor: Actor, number: int, index: int) -> Outcome:
        """The creator (or an admin) picks one of the deadlines the item's line named.

        The chosen phrase becomes the deadline; every offered phrase leaves the problem's text
        (the change is logged as an edit, so the text as typed stays in the history).
        """
        async with self._change(chat_id, actor, number) as change:
            soft_days = change.group.settings.soft_deadline_days
            deadline, problem = choose_deadline(
                change.item.problem, index, change.today, soft_days, self._calendar
            )
            change.apply(transitions.set_deadline(change.item, actor, deadline, first=True))
            old_due, new_due = (
                transitions.due_of(change.item),
                transitions.due_of_deadline(deadline),
            )
            change.log(EventKind.DEADLINE, EventChange(old_due=old_due, new_due=new_due))
            if problem != change.item.problem:
                change.row.problem = problem
                edited = EventChange(
                    field="problem",
                    old_value=_logged(change.item.problem),
                    new_value=_logged(problem),
                )
                change.log(EventKind.EDITED, edited)
        return replace(change.outcome, deadline=deadline)

    # --- owners ------------------------------------------------------------------------------

    async def claim(self, chat_id: int, actor: Actor, number: int) -> Outcome:
        """认领: the actor becomes an owner (taking the place of their pending or plain name)."""
        async with self._change(chat_id, actor, number) as change:
            owners = transitions.claim(change.item, actor)
            await repo.replace_owners(change.session, change.row, owners)
            change.log(EventKind.CLAIMED)
        return change.outcome

    async def assign(
        self, chat_id: int, actor: Actor, number: int, owners: Sequence[OwnerRef]
    ) -> Outcome:
        """Set the owners of an item (admin or the item's creator)."""
        async with self._change(chat_id, actor, number) as change:
            transitions.check_assign(change.item, actor, len(owners))
            resolved = await resolve_owners(change.session, change.group.id, owners)
            await repo.replace_owners(change.session, change.row, resolved)
            before, after = _names(change.item.owners), _names(resolved)
            change.log(EventKind.ASSIGNED, EventChange(old_owners=before, new_owners=after))
        pending = tuple(o.name for o in resolved if o.is_pending)
        return replace(change.outcome, pending_owners=pending)

    # --- progress and closing ----------------------------------------------------------------

    async def check_allowed(self, chat_id: int, actor: Actor, number: int, action: str) -> None:
        """Refuse early, before asking the user to type: ``progress`` or ``reject``."""
        outcome = await self.show(chat_id, number)
        transitions.require_active(outcome.item)
        if action == "reject":
            rules.require_admin(actor, "reject")
            transitions.check_pending(outcome.item)
        else:
            rules.require_owner_or_admin(outcome.item, actor, "progress")

    async def progress(
        self, chat_id: int, actor: Actor, number: int, text: str, evidence: Evidence | None
    ) -> Outcome:
        """推进情况: an owner or admin reports progress, optionally with a file."""
        async with self._change(chat_id, actor, number) as change:
            rules.require_owner_or_admin(change.item, actor, "progress")
            transitions.require_active(change.item)
            if not text.strip() and evidence is None:
                raise UserError("error.progress_empty", number=number)
            _add_progress(change, ProgressKind.PROGRESS, text, evidence)
            change.log(EventKind.PROGRESS, EventChange(text=_logged(text)))
        return change.outcome

    async def acknowledge(self, chat_id: int, actor: Actor, number: int, text: str) -> Outcome:
        """已签收: an owner or admin acknowledges the item (收到, 👍 …); no progress is recorded."""
        async with self._change(chat_id, actor, number) as change:
            rules.require_owner_or_admin(change.item, actor, "progress")
            transitions.require_active(change.item)
            change.log(EventKind.ACKNOWLEDGED, EventChange(text=_logged(text)))
        return change.outcome

    async def done(
        self, chat_id: int, actor: Actor, number: int, note: str, evidence: Evidence | None
    ) -> Outcome:
        """申请销号: pending approval, or closed at once when the group needs no approval."""
        async with self._change(chat_id, actor, number) as change:
            needs_approval = change.group.settings.require_approval
            state = transitions.submit(
                change.item, actor, change.now, needs_approval=needs_approval
            )
            if note.strip() or evidence is not None:
                _add_progress(change, ProgressKind.DONE, note, evidence)
            change.apply(state)
            change.log(EventKind.DONE, EventChange(text=_logged(note)))
            if state.status is Status.CLOSED:
                change.log(EventKind.APPROVED)
        return change.outcome

    async def approve(self, chat_id: int, actor: Actor, number: int, comment: str) -> Outcome:
        """验收通过: an admin closes (销号) a pending item."""
        async with self._change(chat_id, actor, number) as change:
            change.apply(transitions.approve(change.item, actor, change.now))
            change.log(EventKind.APPROVED, EventChange(text=_logged(comment)))
        return change.outcome

    async def reject(self, chat_id: int, actor: Actor, number: int, reason: str) -> Outcome:
        """退回: an admin returns a pending item to open, with a reason."""
        async with self._change(chat_id, actor, number) as change:
            change.apply(transitions.reject(change.item, actor, reason))
            change.log(EventKind.REJECTED, EventChange(text=_logged(reason)))
        return change.outcome

    async def reopen(self, chat_id: int, actor: Actor, number: int, reason: str) -> Outcome:
        """重新打开: an admin takes a closed item back to open, with a reason."""
        async with self._change(chat_id, actor, number) as change:
            change.apply(transitions.reopen(change.item, actor, reason))
            change.log(EventKind.REOPENED, EventChange(text=_logged(reason)))
        return change.outcome

    async def tick(self, chat_id: int, actor: Actor, number: int, typed: str) -> Outcome:
        """Mark measures done (an owner or admin): ``/tick 12 2`` ticks the second measure."""
        async with self._change(chat_id, actor, number) as change:
            rules.require_owner_or_admin(change.item, actor, "tick")
            transitions.require_active(change.item)
            positions = rules.measures_to_tick(change.item, typed)
            await repo.set_measures_done(change.session, change.item.id, positions)
            ticked = tuple(position + 1 for position in positions)
            change.log(EventKind.MEASURE_DONE, EventChange(measures=ticked))
        return change.outcome

    # --- editing and deleting ----------------------------------------------------------------

    async def edit(
        self, chat_id: int, actor: Actor, number: int, field_name: str, value: str
    ) -> Outcome:
        """Change one field (admin or creator); the old and new values go to the event log."""
        target = field_to_edit(field_name, number)
        async with self._change(chat_id, actor, number) as change:
            rules.require_creator_or_admin(change.item, actor, "edit")
            transitions.require_not_deleted(change.item)
            old, new = await _set_field(change, target, value)
            if old == new:  # nothing to log; the change is rolled back with the error
                raise UserError("error.edit_unchanged", number=number, field_key=target)
            edited = EventChange(field=target, old_value=_logged(old), new_value=_logged(new))
            change.log(EventKind.EDITED, edited)
        # A new 责任单位 names units; the branches holding copies stay what they were.
        unit_of_dispatched = target == "unit" and rules.is_dispatched(change.item)
        return replace(change.outcome, redispatch_hint=unit_of_dispatched)

    async def delete(self, chat_id: int, actor: Actor, number: int) -> Outcome:
        """Soft delete (admin); ``undelete`` brings it back."""
        async with self._change(chat_id, actor, number) as change:
            change.apply(transitions.delete(change.item, actor))
            change.log(EventKind.DELETED)
        return change.outcome

    async def undelete(self, chat_id: int, actor: Actor, number: int) -> Outcome:
        """Restore a soft-deleted item (admin)."""
        async with self._change(chat_id, actor, number, include_deleted=True) as change:
            change.apply(transitions.undelete(change.item, actor))
            await _refuse_a_second_copy(change)
            change.log(EventKind.UNDELETED)
        return change.outcome

    # --- extensions --------------------------------------------------------------------------

    async def request_extension(
        self, chat_id: int, actor: Actor, number: int, deadline: Deadline, reason: str
    ) -> Outcome:
        """延期申请: an owner asks for a later deadline with a reason; admins decide."""
        async with self._change(chat_id, actor, number) as change:
            request = transitions.request_extension(
                change.item, actor, deadline, reason, change.today
            )
            extension_id = await repo.add_extension(
                change.session, change.row, request, actor, change.now
            )
            asked = EventChange(
                text=_logged(request.reason),
                old_due=transitions.due_of(change.item),
                new_due=DueValue(DueKind.DATE, request.new_due),
            )
            change.log(EventKind.EXTENSION_REQUESTED, asked)
        return replace(change.outcome, extension_id=extension_id, deadline=deadline)

    async def request_extension_text(
        self, chat_id: int, actor: Actor, number: int, text: str
    ) -> Outcome:
        """``/extend N 新时限 原因``: the deadline phrase, and the words around it as the reason."""
        today, soft = await self.today_and_soft_days(chat_id)
        deadline, reason = read_extension(text, today, soft, self._calendar)
        if deadline is None:
            raise UserError("error.extend_needs_date", number=number)
        return await self.request_extension(chat_id, actor, number, deadline, reason)

    async def remember_extension_message(
        self, chat_id: int, extension_id: int, message_id: int
    ) -> None:
        """Keep the message carrying a request's buttons, to take them away when it is withdrawn."""
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            await repo.set_extension_message(session, group.id, extension_id, message_id)

    async def decide_extension(
        self, chat_id: int, actor: Actor, extension_id: int, approve: bool
    ) -> Outcome:
        """An admin approves (the deadline moves, the original is kept) or rejects a request."""
        async with self._change(chat_id, actor, extension_id=extension_id) as change:
            decision = transitions.decide_extension(
                change.item, actor, extension_id, approve=approve
            )
            change.apply(decision.state)
            await repo.decide_extension(
                change.session, extension_id, decision.status, actor.name, change.now
            )
            asked_for = DueValue(DueKind.DATE, decision.extension.new_due)
            change.log(decision.event, EventChange(new_due=asked_for))
        return change.outcome

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

    async def show_below(
        self, chat_id: int, group_name: str, number: int, *, include_deleted: bool = False
    ) -> Outcome:
        """``/show 第一党支部#3`` in a committee: the card of an item of a group below it."""
        async with self._db.transaction() as session:
            scope = await subtree_in(session, chat_id, self._defaults)
            group = _group_named(scope, group_name)
            row = await repo.item_by_number(session, group.id, number)
            if row is None:
                raise UserError("tree.error.no_item_below", group=group.title, number=number)
            if row.deleted and not include_deleted:
                raise UserError("error.deleted", number=number)
            snapshot = replace(await repo.full_snapshot(session, row), group_title=group.title)
            return Outcome(group, snapshot, self._today(group))

    async def list_items(
        self, chat_id: int, actor: Actor, which: ListFilter, who: OwnerRef | None = None
    ) -> Listing:
        """Items of this group (and of the groups below it) matching ``which``, by deadline."""
        async with self._db.transaction() as session:
            scope = await subtree_in(session, chat_id, self._defaults)
            group = scope.group
            rows = await repo.items_of_groups(session, scope.ids)
            snaps = await repo.snapshots(
                session, rows, with_latest_progress=True, titles=_titles(scope)
            )
        today = self._today(group)
        chosen = [s for s in snaps if matches(s, which, actor.user_id, who, today)]
        ordered = sort_by_closing(chosen) if which is ListFilter.DONE else sort_by_deadline(chosen)
        return Listing(tuple(ordered), today, group.settings, group.title)

    async def person_named(self, chat_id: int, name: str) -> OwnerRef | None:
        """Whom ``/list 李四`` means: a member of that display name, else a plain-name owner."""
        async with self._db.transaction() as session:
            group = await self._group(session, chat_id)
            member = (await members_by_name(session, group.id)).get(name.strip())
            if member is not None:
                return member
            rows = await repo.items_of_groups(session, [group.id])
            snaps = await repo.snapshots(session, rows)
        named = any(owner.named(name) for item in snaps for owner in item.owners)
        return OwnerRef(name.strip()) if named else None

    async def mine(self, actor: Actor, chat_id: int | None) -> Listing:
        """The actor's active items: in one group (and the groups below it), or everywhere.

        In a private chat, "everywhere" is every group the bot knows the actor's items in.
        """
        async with self._db.transaction() as session:
            scope = await subtree_in(session, chat_id, self._defaults) if chat_id else None
            group = scope.group if scope is not None else None
            ids = await repo.item_ids_owned_by(session, actor.user_id)
            rows = [
                r for r in await repo.items_by_ids(session, ids) if r.status != Status.CLOSED.value
            ]
            if scope is not None:
                rows = [r for r in rows if r.group_id in scope.ids]
            groups = await group_repo.groups_by_ids(session, {r.group_id for r in rows})
            rows = [r for r in rows if groups[r.group_id].active]
            titles = {gid: g.name_override or g.title for gid, g in groups.items()}
            if scope is not None:
                titles = _titles(scope) or {}
            snaps = await repo.snapshots(
                session, rows, with_latest_progress=True, titles=titles or None
            )
        settings = group.settings if group else self._defaults
        today = local_today(self._clock, settings.zone)
        return Listing(tuple(sort_by_deadline(snaps)), today, settings)

    async def group_items(self, chat_id: int) -> Listing:
        """Every item of the group (and of the groups below it) not deleted, for statistics."""
        async with self._db.transaction() as session:
            scope = await subtree_in(session, chat_id, self._defaults)
            group = scope.group
            rows = await repo.items_of_groups(session, scope.ids)
            snaps = await repo.snapshots(session, rows, titles=_titles(scope))
        return Listing(tuple(snaps), self._today(group), group.settings, group.title)


def _titles(scope: Subtree) -> dict[int, str] | None:
    """A committee names each item's group on every line; a group alone does not."""
    return scope.titles if scope.has_branches else None


def _group_named(scope: Subtree, name: str) -> GroupContext:
    """The group below the committee that ``name`` names (forgivingly); refuses otherwise."""
    match = match_branch(name, [Branch(g.id, g.title) for g in scope.below])
    if match.ambiguous:
        names = tuple(b.title for b in match.branches)
        raise UserError("tree.error.ambiguous", name=name, names=names)
    if match.branch is None:
        raise UserError("tree.error.no_such_branch", name=name)
    return next(g for g in scope.below if g.id == match.branch.group_id)


def _add_progress(
    change: ItemChange, kind: ProgressKind, text: str, evidence: Evidence | None
) -> None:
    repo.add_progress(
        change.session,
        ProgressRow(
            item_id=change.item.id,
            kind=kind,
            author_id=change.actor.user_id,
            author_name=change.actor.name,
            text=text.strip(),
            file_id=evidence.file_id if evidence else None,
            file_kind=evidence.kind if evidence else None,
            created_at=change.now,
        ),
    )


async def _set_field(change: ItemChange, target: str, value: str) -> tuple[str, str]:
    """Set one editable field of the item; returns its old and new value as text."""
    if target == "measures":
        measures = split_measures(value)
        old = "；".join(m.text for m in change.item.measures)
        await _replace_measures(change, measures)
        return old, "；".join(measures)
    old = str(getattr(change.row, target))
    if target == "problem":
        new = rules.check_problem_text(value)
    else:
        new = rules.check_field_text(value, target)
    setattr(change.row, target, new)
    return old, new


async def _replace_measures(change: ItemChange, measures: Sequence[str]) -> None:
    """New measures; one whose text is unchanged keeps its ✅."""
    done = {m.text for m in change.item.measures if m.done}
    await repo.replace_measures(change.session, change.row, measures)
    kept = [i for i, text in enumerate(measures) if text in done]
    await repo.set_measures_done(change.session, change.item.id, kept)


def _names(owners: Sequence[OwnerRef]) -> tuple[str, ...]:
    return tuple(o.name for o in owners)


def _logged(text: str) -> str:
    """Free text as the event log keeps it: one line, at most 200 characters."""
    return clip(text, 200)


async def _refuse_a_second_copy(change: ItemChange) -> None:
    """A deleted copy is not restored where the committee has since handed the item down again."""
    parent_id, item = change.row.parent_item_id, change.item
    if parent_id is None:
        return
    other = await tree_repo.live_copy_number(change.session, parent_id, item.group_id, item.id)
    if other is not None:
        raise UserError("error.copy_exists", number=item.number, other=other)
