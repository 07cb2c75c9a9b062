"""``rectify-bot backup``: a consistent copy of a live SQLite database; a restore serves it."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from domain.clock import FixedClock
from domain.problem_form import ProblemDraft
from domain.settings import GroupSettings
from playground.standin import FakeTelegram
from services.container import build_services
from storage.database import Database
from tests.e2e.conftest import (
    ADMIN,
    GROUP_A,
    START,
    config_for,
    populate,
    start_runtime,
    stop_runtime,
)
from tests.e2e.processes import EXECUTABLE
from tests.fortnight import ADMIN as ADMIN_ACTOR

HEAD_START = 20  # items written before the backup begins


async def backup(url: str, out: Path, cwd: Path) -> tuple[int, str]:
    """Run the installed ``rectify-bot backup`` against ``url``; its status and output."""
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "RECTIFY_CONFIG")}
    env["DATABASE_URL"] = url
    process = await asyncio.create_subprocess_exec(
        EXECUTABLE,
        "backup",
        "--out",
        str(out),
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, output.decode()


def counts(path: Path) -> tuple[str, int, int, list[int]]:
    """The copy's integrity check, its items, its events and the item numbers."""
    with sqlite3.connect(path) as connection:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        items = connection.execute("SELECT count(*) FROM items").fetchone()[0]
        events = connection.execute("SELECT count(*) FROM events").fetchone()[0]
        numbers = [row[0] for row in connection.execute("SELECT number FROM items ORDER BY id")]
    connection.close()
    return check, items, events, numbers


async def test_a_backup_taken_while_the_ledger_is_written_restores_the_same_ledger(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Items are registered without pause while the backup runs; the copy is consistent.

    The copy holds a whole prefix of the items — numbered 1…k without a gap, each with its
    event — taken between the backup's start and end. Restored (the file copied into place)
    the bot starts on it and /list shows those k items.
    """
    live = tmp_path / "live.db"
    url = f"sqlite+aiosqlite:///{live}"
    db = Database.from_url(url)
    await db.upgrade()
    services = build_services(db, FixedClock(START), GroupSettings())
    await services.groups.bot_added(GROUP_A, "supergroup", "第一党支部")
    written: list[int] = []
    head_start = asyncio.Event()
    stop = asyncio.Event()

    async def writer() -> None:
        while not stop.is_set():
            draft = ProblemDraft(f"三会一课记录不规范({len(written) + 1})", (), None)
            outcome = await services.ledger.register(GROUP_A, ADMIN_ACTOR, draft)
            written.append(outcome.item.number)
            if len(written) >= HEAD_START:
                head_start.set()

    task = asyncio.create_task(writer())
    try:
        await head_start.wait()
        before = len(written)
        code, output = await backup(url, tmp_path / "backups" / "copy.db", tmp_path)
        after = len(written)
    finally:
        stop.set()
        await task
        await db.close()
    assert code == 0, output
    assert "wrote" in output
    check, items, events, numbers = counts(tmp_path / "backups" / "copy.db")
    assert check == "ok"
    assert before <= items <= after
    assert before < after, "nothing was written while the backup ran"
    assert numbers == list(range(1, items + 1))
    assert events == items
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy(tmp_path / "backups" / "copy.db", restored / "bot.db")
    populate(fake_telegram)
    runtime = await start_runtime(config_for(fake_telegram, restored), FixedClock(START))
    try:
        await fake_telegram.settle(runtime.application.update_queue)
        listing = await fake_telegram.say(GROUP_A, ADMIN, "/list")
    finally:
        await stop_runtime(runtime)
    assert f"共{items}项" in (listing.plain_text or "")


def test_backup_of_postgresql_explains_pg_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With PostgreSQL the command writes nothing and says how to use pg_dump (no password)."""
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.delenv("RECTIFY_CONFIG", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://rectify:s3cret@db.internal/rectify")
    monkeypatch.chdir(tmp_path)
    assert main(["backup", "--out", str(tmp_path / "ledger.dump")]) == 1
    advice = capsys.readouterr().err
    assert "pg_dump --format=custom" in advice
    assert "pg_restore" in advice
    assert "s3cret" not in advice
    assert not (tmp_path / "ledger.dump").exists()


def test_backup_of_a_missing_database_fails_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No database file: exit status 1 with the reason, and no backup file."""
    monkeypatch.delenv("RECTIFY_CONFIG", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'nothing.db'}")
    monkeypatch.chdir(tmp_path)
    assert main(["backup", "--out", str(tmp_path / "copy.db")]) == 1
    assert "no database" in capsys.readouterr().err
    assert not (tmp_path / "copy.db").exists()
