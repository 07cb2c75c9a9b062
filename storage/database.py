"""One short transaction per service call."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.engine import make_engine, make_session_factory, upgrade_schema


class Database:
    """The engine and its session factory; ``transaction()`` commits or rolls back."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = make_session_factory(engine)

    @classmethod
    def from_url(cls, url: str) -> Database:
        """Open (but do not yet connect to) the database at ``url``."""
        return cls(make_engine(url))

    async def upgrade(self) -> None:
        """Apply every pending migration."""
        await upgrade_schema(self.engine)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session committed on success, rolled back on error (on SQLite: BEGIN IMMEDIATE)."""
        async with self._sessions() as session, session.begin():
            yield session

    async def close(self) -> None:
        """Release every pooled connection."""
        await self.engine.dispose()
