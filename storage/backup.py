"""Backups: a consistent copy of a live SQLite database; PostgreSQL's own tool for PostgreSQL.

SQLite's online backup API (``sqlite3.Connection.backup``) copies the database page by page
through an ordinary connection. Done in one step, it holds one read transaction for the whole
copy; in WAL mode (``storage.engine``) that neither blocks the bot's writers nor sees their
half-done work, so the copy is the database as of one commit, whatever the bot is doing. The
copy is written next to the target and renamed into place only once it is complete and passes
``PRAGMA integrity_check``, so a failed backup never leaves a half-written file under the name.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

BUSY_TIMEOUT_SECONDS = 30.0


class BackupError(Exception):
    """The backup could not be made; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    """A finished backup: where it is and what it holds."""

    path: Path
    pages: int
    items: int


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL, or None for another database (or memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def backup_sqlite(source: Path, target: Path) -> BackupResult:
    """Copy the live database ``source`` to ``target`` consistently (see the module)."""
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    reader = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
    writer = sqlite3.connect(partial)
    try:
        reader.backup(writer)  # pages=-1: the whole database in one step, one snapshot
        check = writer.execute("PRAGMA integrity_check").fetchone()
        if check is None or check[0] != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
        pages = int(writer.execute("PRAGMA page_count").fetchone()[0])
        items = int(writer.execute("SELECT count(*) FROM items").fetchone()[0])
    except (sqlite3.Error, BackupError) as error:
        writer.close()
        partial.unlink(missing_ok=True)
        raise BackupError(f"copying {source} failed: {error}") from error
    finally:
        reader.close()
        writer.close()
    os.replace(partial, target)
    return BackupResult(target, pages, items)


def pg_dump_advice(url: str, target: Path) -> str:
    """How to back up (and restore) a PostgreSQL database with its own tools."""
    parsed: URL = make_url(url)
    conninfo = parsed.set(drivername="postgresql", password=None).render_as_string()
    return (
        "PostgreSQL is backed up with its own tool, pg_dump, which takes a consistent snapshot "
        "while the bot runs:\n"
        f"  pg_dump --format=custom --file={target} '{conninfo}'\n"
        "(the password from ~/.pgpass or PGPASSWORD). Restore into an empty database with:\n"
        f"  pg_restore --no-owner --dbname='{conninfo}' {target}"
    )
