"""The bot's commands of ``rectify-bot``: run, check-config, db upgrade, export, backup.

The console script itself is :func:`playground.cli.main`, one layer up: it adds the
``playground`` command and, without a subcommand, chooses between the bot and the playground.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.app import SystemClock, clock_from_environment
from bot.config import Config, ConfigError, MissingTokenError, load_config
from bot.logs import setup_logging
from bot.run import serve
from domain.errors import UserError
from services.export import ExportService
from storage.backup import BackupError, backup_sqlite, pg_dump_advice, sqlite_path
from storage.database import Database

log = logging.getLogger(__name__)
DEFAULT_CONFIG = Path("config.toml")
EXIT_CONFIG = 2
OFFLINE_TOKEN = "0:offline"  # stands in for the token where no Telegram call is made
OFFLINE_COMMANDS = frozenset({"export", "backup"})  # need the database, never Telegram
PLAYGROUND_HINT = "to try the bot without Telegram, run `rectify-bot playground` (or `make run`)"


# argparse names the handle on subcommands privately; typeshed types it.
Subcommands = argparse._SubParsersAction


def build_parser(
    more_commands: Callable[[Subcommands[argparse.ArgumentParser]], None] | None = None,
) -> argparse.ArgumentParser:
    """The argument parser of the bot's commands; ``more_commands`` adds others (the playground)."""
    parser = argparse.ArgumentParser(
        prog="rectify-bot", description="Telegram bot for rectification ledgers (整改台账)."
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="path to config.toml (default: $RECTIFY_CONFIG, else ./config.toml if present)",
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="start the bot (needs a bot token)")
    commands.add_parser("check-config", help="validate the configuration and exit")
    db = commands.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"], help="upgrade: apply pending migrations")
    export = commands.add_parser("export", help="write a group's ledger as .xlsx (no Telegram)")
    export.add_argument("--chat", type=int, required=True, help="the group's Telegram chat id")
    export.add_argument(
        "--out", type=Path, required=True, help="the .xlsx file (or a folder) to write"
    )
    backup = commands.add_parser(
        "backup", help="copy the live SQLite database consistently (PostgreSQL: how to pg_dump)"
    )
    backup.add_argument("--out", type=Path, required=True, help="the backup file to write")
    if more_commands is not None:
        more_commands(commands)
    return parser


def config_path(given: Path | None) -> Path | None:
    """The configuration file: ``--config``, else ``$RECTIFY_CONFIG``, else ./config.toml if any."""
    if given is not None:
        return given
    env = os.environ.get("RECTIFY_CONFIG")
    if env:
        return Path(env)
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None


def run_bot(config: Config) -> None:
    """Start polling (or the webhook server) until SIGINT/SIGTERM."""
    asyncio.run(serve(config, clock_from_environment(os.environ)))


def _load(path: Path | None, command: str) -> Config:
    """The configuration; ``export`` and ``backup`` need no bot token (no Telegram call)."""
    try:
        return load_config(path)
    except ConfigError as error:
        if command not in OFFLINE_COMMANDS or error.key != "BOT_TOKEN":
            raise
    return load_config(path, {**os.environ, "BOT_TOKEN": OFFLINE_TOKEN})


async def _export(config: Config, chat_id: int, out: Path) -> Path:
    db = Database.from_url(config.database_url)
    try:
        service = ExportService(db, SystemClock(), config.defaults)
        return await service.export_to_file(chat_id, out)
    finally:
        await db.close()


def export_ledger(config: Config, chat_id: int, out: Path) -> int:
    """``rectify-bot export``: write the group's workbook; exit status 1 for an unknown group."""
    try:
        written = asyncio.run(_export(config, chat_id, out))
    except UserError:
        print(f"rectify-bot: no group with chat id {chat_id} in the database", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(f"rectify-bot: cannot read the database: {error}", file=sys.stderr)
        return 1
    print(f"wrote {written}")
    return 0


def backup_database(config: Config, out: Path) -> int:
    """``rectify-bot backup``: copy a live SQLite database; for PostgreSQL, explain pg_dump."""
    source = sqlite_path(config.database_url)
    if source is None:
        print(pg_dump_advice(config.database_url, out), file=sys.stderr)
        return 1
    try:
        result = backup_sqlite(source, out)
    except BackupError as error:
        print(f"rectify-bot: {error}", file=sys.stderr)
        return 1
    print(f"wrote {result.path} ({result.pages} pages, {result.items} items)")
    return 0


async def _upgrade(config: Config) -> None:
    db = Database.from_url(config.database_url)
    try:
        await db.upgrade()
    finally:
        await db.close()


def configuration_error(error: ConfigError) -> int:
    """Say what is wrong with the configuration in one line; return the exit status."""
    hint = f"; {PLAYGROUND_HINT}" if isinstance(error, MissingTokenError) else ""
    print(f"rectify-bot: configuration error: {error}{hint}", file=sys.stderr)
    return EXIT_CONFIG


def opt_in_to_ptb_defaults() -> None:
    """Opt in to PTB's timedelta durations now (the coming default).

    Otherwise handling a 429 logs a deprecation warning on every flood-limit answer.
    """
    os.environ.setdefault("PTB_TIMEDELTA", "1")


def run_command(args: argparse.Namespace) -> int:
    """Run one of the bot's commands (``run`` when none is given); return the exit status."""
    command = args.command or "run"
    try:
        config = _load(config_path(args.config), command)
    except ConfigError as error:
        return configuration_error(error)
    setup_logging(config.log_level, config.token)
    if command == "check-config":
        print("configuration OK")
        return 0
    if command == "db":
        asyncio.run(_upgrade(config))
        print("database is up to date")
        return 0
    if command == "export":
        return export_ledger(config, args.chat, args.out)
    if command == "backup":
        return backup_database(config, args.out)
    try:
        run_bot(config)
    except ConfigError as error:
        return configuration_error(error)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The bot's commands alone (no playground); returns the exit status."""
    opt_in_to_ptb_defaults()
    return run_command(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
