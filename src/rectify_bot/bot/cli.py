"""The ``rectify-bot`` command: run, check-config, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from telegram import Update

from rectify_bot.bot.app import build_runtime
from rectify_bot.bot.config import Config, ConfigError, load_config
from rectify_bot.bot.logs import setup_logging
from rectify_bot.storage.database import Database

log = logging.getLogger("rectify_bot")
DEFAULT_CONFIG = Path("config.toml")
EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
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
    commands.add_parser("run", help="start the bot (the default)")
    commands.add_parser("check-config", help="validate the configuration and exit")
    db = commands.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"], help="upgrade: apply pending migrations")
    return parser


def _config_path(given: Path | None) -> Path | None:
    if given is not None:
        return given
    env = os.environ.get("RECTIFY_CONFIG")
    if env:
        return Path(env)
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None


def run_bot(config: Config) -> None:
    """Start polling (or the webhook server) until SIGINT/SIGTERM."""
    runtime = build_runtime(config)
    stop_signals = (signal.SIGINT, signal.SIGTERM)
    if config.mode == "webhook":
        runtime.application.run_webhook(
            listen=config.listen,
            port=config.port,
            url_path="telegram",
            webhook_url=config.webhook_url,
            secret_token=config.webhook_secret or None,
            allowed_updates=Update.ALL_TYPES,
            stop_signals=stop_signals,
        )
    else:
        runtime.application.run_polling(
            allowed_updates=Update.ALL_TYPES, stop_signals=stop_signals, close_loop=False
        )


async def _upgrade(config: Config) -> None:
    db = Database.from_url(config.database_url)
    try:
        await db.upgrade()
    finally:
        await db.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    # Opt in to PTB's timedelta durations now (the coming default) so that handling a 429
    # does not log a deprecation warning on every flood-limit answer.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = _parser().parse_args(argv)
    try:
        config = load_config(_config_path(args.config))
    except ConfigError as error:
        print(f"rectify-bot: configuration error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(config.log_level, config.token)
    command = args.command or "run"
    if command == "check-config":
        print("configuration OK")
        return 0
    if command == "db":
        asyncio.run(_upgrade(config))
        print("database is up to date")
        return 0
    run_bot(config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
