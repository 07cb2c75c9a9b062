"""The async engine, sessions and schema migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """WAL, a busy timeout, foreign keys; and SQLAlchemy, not pysqlite, emits BEGIN."""
    # pysqlite would send BEGIN only before the first write, so a transaction's reads ran
    # outside it and two read-modify-write transactions could both succeed (a lost update).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Take SQLite's write lock at BEGIN, so transactions run one after another.

    SQLite has no row locks (``with_for_update`` is a no-op there). With BEGIN IMMEDIATE a
    transaction waits (up to the busy timeout) until the current writer commits, and then
    reads what it committed; a deferred transaction that read first would instead fail with
    SQLITE_BUSY at its first write, without waiting.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> AsyncEngine:
    """Create the async engine for a SQLite or PostgreSQL URL (creating SQLite's folder)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def upsert_insert(session: AsyncSession) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL alike).

    Rows that two instances may create at the same moment (users, memberships, groups,
    dispatch keys) are written in one statement so that neither instance fails.
    """
    name = session.bind.dialect.name if session.bind is not None else "sqlite"
    return postgresql.insert if name == "postgresql" else sqlite.insert


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep attribute values after commit (no lazy loads in async code)."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def _alembic_config(connection: Connection) -> Config:
    """An Alembic configuration bound to an open connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    """Run the pending migrations up to ``revision`` on ``connection``."""
    command.upgrade(_alembic_config(connection), revision)


def _downgrade(connection: Connection, revision: str) -> None:
    """Undo the migrations after ``revision`` on ``connection``."""
    command.downgrade(_alembic_config(connection), revision)


async def upgrade_schema(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database schema up to ``revision`` (by default the newest migration)."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


async def downgrade_schema(engine: AsyncEngine, revision: str) -> None:
    """Take the database schema back down to ``revision``, converting the data on the way."""
    async with engine.begin() as connection:
        await connection.run_sync(_downgrade, revision)
