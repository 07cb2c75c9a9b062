"""The send instants reserved per flood-limit scope, shared by every instance.

A scope is ``all`` (every message the bot sends) or ``chat:<id>`` (one chat). Its row holds
the recent reserved instants (Unix seconds) as a JSON list. A reservation reads and rewrites
the rows of its scopes in one transaction, with the rows locked (``SELECT … FOR UPDATE`` on
PostgreSQL; on SQLite every write transaction already runs alone, see ``storage.engine``), so
two instances never reserve the same room twice. Rows are locked in scope order (``all``
first), so two reservations cannot wait for each other.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import update
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.engine import upsert_insert

_TABLE = SQLModel.metadata.tables["send_pacing"]
OVERALL = "all"


def chat_scope(chat_id: int) -> str:
    """The scope of one chat."""
    return f"chat:{chat_id}"


async def _locked(session: AsyncSession, scopes: Iterable[str]) -> dict[str, list[float]]:
    wanted = sorted(scopes)
    if not wanted:
        return {}
    rows = await session.exec(
        select(_TABLE.c.scope, _TABLE.c.times_json)
        .where(_TABLE.c.scope.in_(wanted))
        .order_by(_TABLE.c.scope)
        .with_for_update()
    )
    return {scope: [float(t) for t in json.loads(times)] for scope, times in rows.all()}


async def ensure_scopes(session: AsyncSession, scopes: Sequence[str]) -> None:
    """Create the rows of scopes not seen yet (in a transaction of its own, before locking).

    Creating a row inside the reservation's transaction would make a reservation that found
    ``all`` wait for one still inserting a chat's row while holding ``all``: on PostgreSQL two
    such reservations can deadlock. Rows are never deleted, so this is needed once per scope.
    """
    await session.exec(
        upsert_insert(session)(_TABLE)
        .values([{"scope": scope, "times_json": "[]"} for scope in sorted(scopes)])
        .on_conflict_do_nothing(index_elements=["scope"])
    )


async def lock_scopes(session: AsyncSession, scopes: Sequence[str]) -> dict[str, list[float]]:
    """The reserved instants of each scope, its row locked until the transaction ends.

    The rows must exist (:func:`ensure_scopes`); they are locked in scope order.
    """
    return await _locked(session, scopes)


async def save_scopes(session: AsyncSession, times: Mapping[str, Sequence[float]]) -> None:
    """Store the reserved instants of each scope (rows locked by :func:`lock_scopes`)."""
    for scope in sorted(times):
        await session.exec(
            update(_TABLE)
            .where(_TABLE.c.scope == scope)
            .values(times_json=json.dumps(list(times[scope])))
        )
