"""The console script's choice between the bot and the playground, and its port message."""

from __future__ import annotations

import argparse
import socket
from pathlib import Path

import pytest

from bot import cli as bot_cli
from playground import cli
from tests.playground.conftest import settings_for


async def test_a_taken_port_is_named_with_the_way_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """When the port is in use the playground says so, names --port, and exits 2 at once."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        assert await cli.serve(settings_for(tmp_path), port) == cli.EXIT_PORT_TAKEN
    error = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in error
    assert "--port" in error
    assert not (tmp_path / "playground").exists()


def record_choice(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Stand in for the bot and the playground; the list says which ran, in order."""
    chosen: list[str] = []

    def playground(path: Path | None, port: int | None) -> int:
        chosen.append("playground")
        return 0

    def bot(args: argparse.Namespace) -> int:
        chosen.append("bot")
        return 0

    monkeypatch.setattr(cli, "_playground", playground)
    monkeypatch.setattr(bot_cli, "run_command", bot)
    return chosen


def test_the_choice_follows_the_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No subcommand: the bot with a token (even a bad one: run reports it), else the playground."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RECTIFY_CONFIG", raising=False)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    chosen = record_choice(monkeypatch)
    assert cli.main([]) == 0
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    assert cli.main([]) == 0
    monkeypatch.setenv("BOT_TOKEN", "malformed")
    assert cli.main([]) == 0
    assert cli.main(["playground", "--port", "9000"]) == 0
    assert chosen == ["playground", "bot", "bot", "playground"]


def test_a_token_in_the_configuration_file_runs_the_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No BOT_TOKEN in the environment, but one in config.toml (or --config): the bot runs."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RECTIFY_CONFIG", raising=False)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    chosen = record_choice(monkeypatch)
    (tmp_path / "config.toml").write_text('[telegram]\ntoken = "123:abc"\n', encoding="utf-8")
    assert cli.main([]) == 0
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text('[telegram]\ntoken = "456:def"\n', encoding="utf-8")
    (tmp_path / "config.toml").unlink()
    assert cli.main(["--config", str(elsewhere)]) == 0
    assert chosen == ["bot", "bot"]
