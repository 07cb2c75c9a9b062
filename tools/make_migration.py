"""Write a new Alembic migration by comparing the models with a database at head.

Usage: python tools/make_migration.py "what changed"
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import Connection

from storage.engine import _alembic_config, make_engine, upgrade_schema


def _revision(connection: Connection, message: str) -> None:
    """Autogenerate one revision against ``connection``."""
    command.revision(_alembic_config(connection), message=message, autogenerate=True)


async def main(message: str) -> None:
    """Upgrade a scratch SQLite database to head, then autogenerate the difference."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(folder) / 'scratch.db'}")
        await upgrade_schema(engine)
        async with engine.begin() as connection:
            await connection.run_sync(_revision, message)
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "schema change"))
