"""Creating an item, the same way for ``/problem`` and for ``/import``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from domain.import_drafts import DraftItem
from domain.items import Actor, EventChange, EventKind, Status
from services.owners import resolve_owners
from storage import items as repo
from storage.models import ItemRow, ProgressRow


async def create_item(
    session: AsyncSession,
    group_id: int,
    actor: Actor,
    draft: DraftItem,
    now: datetime,
    *,
    source: str = "",
    imported: bool = False,
    origin: Origin | None = None,
) -> ItemRow:
    """Insert one item with its number, owners, measures (ticks kept), progress and 'created' event.

    ``source`` is the item's 来源; ``imported`` marks the 'created' event as made by ``/import``;
    ``origin`` is the committee's item a dispatched copy comes from.
    """
    row = _item_row(draft, group_id, actor, now, source)
    row.parent_item_id = origin.item_id if origin is not None else None
    row.number = await repo.allocate_number(session, group_id)
    owners = await resolve_owners(session, group_id, draft.owners)
    await repo.insert_item(session, row, owners, [m.text for m in draft.measures])
    item_id = _flushed_id(row)
    done = [index for index, measure in enumerate(draft.measures) if measure.done]
    await repo.set_measures_done(session, item_id, done)
    if draft.progress:
        repo.add_progress(
            session,
            ProgressRow(
                item_id=item_id,
                author_id=actor.user_id,
                author_name=actor.name,
                text=draft.progress,
                created_at=now,
            ),
        )
    created = EventChange(imported=imported)
    if origin is not None:
        created = EventChange(groups=(origin.group_title,), number=origin.number)
    repo.add_event(session, row, EventKind.CREATED, actor.user_id, actor.name, now, created)
    return row


@dataclass(frozen=True)
class Origin:
    """The committee's item a branch's copy is dispatched from: its id, group and number."""

    item_id: int
    group_title: str
    number: int


def _flushed_id(row: ItemRow) -> int:
    if row.id is None:
        raise RuntimeError("item must be flushed before its id is used")
    return row.id


def _item_row(draft: DraftItem, group_id: int, actor: Actor, now: datetime, source: str) -> ItemRow:
    """The stored row of a draft (its number is allocated by the caller)."""
    closed = draft.status is Status.CLOSED
    return ItemRow(
        group_id=group_id,
        number=0,
        problem=draft.problem,
        detail=draft.detail,
        category=draft.category,
        unit=draft.unit,
        lead=draft.lead,
        source=source,
        status=draft.status.value,
        due_kind=draft.due_kind.value,
        due_date=draft.due,
        due_phrase=draft.due_phrase,
        original_due=draft.due,
        return_count=draft.return_count,
        extension_count=draft.extension_count,
        created_by=actor.user_id,
        created_by_name=actor.name,
        created_at=now,
        updated_at=now,
        pending_since=now if draft.status is Status.PENDING else None,
        closed_at=(draft.closed_at or now) if closed else None,
        closed_by_name=source if closed else "",
    )
