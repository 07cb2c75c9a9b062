"""The ``rectify-bot`` console script: the bot's commands, plus ``playground``.

Without a subcommand it chooses: with a bot token (``BOT_TOKEN`` or ``[telegram] token``) it runs
the bot, as ``rectify-bot run`` does; without one it starts the playground, as
``rectify-bot playground`` does. The choice lives here, in the top layer, because only this
layer knows both the bot and the playground.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bot import cli as bot_cli
from bot.config import ConfigError, MissingTokenError, load_config
from bot.logs import setup_logging
from playground.app import DEFAULT_DATA_DIR, Playground, PlaygroundSettings
from playground.web import PageServer

EXIT_PORT_TAKEN = 2


def _add_playground(commands: bot_cli.Subcommands[argparse.ArgumentParser]) -> None:
    playground = commands.add_parser(
        "playground",
        help="try the bot in the browser, with a built-in Telegram stand-in (no token needed)",
    )
    playground.add_argument(
        "--port",
        type=int,
        default=None,
        help="port on 127.0.0.1 (default: $PLAYGROUND_PORT, [playground] port, else 8080)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The bot's commands and ``playground``."""
    return bot_cli.build_parser(_add_playground)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    bot_cli.opt_in_to_ptb_defaults()
    args = build_parser().parse_args(argv)
    if args.command == "playground":
        return _playground(args.config, args.port)
    if args.command is None and not _has_token(args.config):
        return _playground(args.config, None)
    return bot_cli.run_command(args)


def _has_token(given: Path | None) -> bool:
    """Whether a bot token is configured (a malformed one counts: ``run`` will say so)."""
    try:
        load_config(bot_cli.config_path(given))
    except MissingTokenError:
        return False
    except ConfigError:
        return True
    return True


def _playground(given: Path | None, port: int | None) -> int:
    """Load the configuration (no token needed) and serve the playground until a signal."""
    path = bot_cli.config_path(given)
    try:
        config = load_config(path, {**os.environ, "BOT_TOKEN": bot_cli.OFFLINE_TOKEN})
    except ConfigError as error:
        return bot_cli.configuration_error(error)
    if port is not None:
        if not 0 < port < 65536:
            print("rectify-bot: --port must be a port number 1-65535", file=sys.stderr)
            return bot_cli.EXIT_CONFIG
        config = replace(config, playground_port=port)
    setup_logging(config.log_level, "")
    settings = PlaygroundSettings(data_dir=DEFAULT_DATA_DIR, bot=config)
    return asyncio.run(serve(settings, config.playground_port))


async def serve(settings: PlaygroundSettings, port: int) -> int:
    """Serve the playground on 127.0.0.1:``port`` until SIGINT or SIGTERM; the exit status."""
    playground = Playground(settings)
    page = PageServer(playground, port)
    try:
        await page.start()
    except OSError as error:
        print(
            f"rectify-bot: cannot serve the playground on 127.0.0.1:{port} ({error.strerror}); "
            "is it already running? Choose another port with --port N or PLAYGROUND_PORT=N",
            file=sys.stderr,
        )
        return EXIT_PORT_TAKEN
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    try:
        await playground.start()
        print(
            f"rectify-bot playground: open {page.url} (data in {settings.data_dir}/; Ctrl-C stops)",
            flush=True,
        )
        await stop.wait()
    finally:
        await playground.stop()
        await page.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
