"""The real ``rectify-bot`` process: configuration errors, start-up, answers, SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from playground.standin import FakeTelegram

EXECUTABLE = str(Path(sys.executable).parent / "rectify-bot")
GROUP = -1001
USER = 2


def _environment(extra: dict[str, str], folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "RECTIFY_CONFIG")}
    env.update({"PTB_TIMEDELTA": "1", "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/bot.db"})
    env.update(extra)
    return env


async def _run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        EXECUTABLE,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, output.decode()


async def test_run_without_a_token_exits_2_naming_the_variable(tmp_path: Path) -> None:
    """``rectify-bot run`` without a token: exit 2, one line naming BOT_TOKEN and the playground.

    (Without a subcommand and without a token, the playground starts instead: see
    ``test_without_a_token_the_playground_serves_the_page``.)
    """
    code, output = await _run(["run"], _environment({}, tmp_path), tmp_path)
    assert code == 2
    assert "BOT_TOKEN" in output
    assert "rectify-bot playground" in output
    assert len(output.strip().splitlines()) == 1


async def test_invalid_value_exits_2_naming_the_key(tmp_path: Path) -> None:
    """A bad configuration value stops start-up with the key named."""
    config = tmp_path / "config.toml"
    config.write_text('[defaults]\nreminder_time = "25:00"\n', encoding="utf-8")
    env = _environment({"BOT_TOKEN": "1:abc"}, tmp_path)
    code, output = await _run(["--config", str(config), "check-config"], env, tmp_path)
    assert code == 2
    assert "reminder_time" in output


async def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    """``rectify-bot db upgrade`` migrates an empty database."""
    env = _environment({"BOT_TOKEN": "1:abc"}, tmp_path)
    code, output = await _run(["db", "upgrade"], env, tmp_path)
    assert code == 0, output
    assert (tmp_path / "bot.db").exists()


async def test_real_process_answers_and_stops_on_sigterm(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    """The installed command polls the fake, answers /start and /help, and exits 0 on SIGTERM."""
    fake = fake_telegram
    fake.add_user(USER, "张三", username="zhang")
    fake.add_group(GROUP, "第一党支部", with_bot=False)
    fake.add_member(GROUP, USER)
    fake.add_bot_to_group(GROUP, USER)
    env = _environment({"BOT_TOKEN": fake.token, "BOT_API_BASE_URL": fake.base_url}, tmp_path)
    process = await asyncio.create_subprocess_exec(
        EXECUTABLE,
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        group = await fake.say(GROUP, USER, "/start", timeout=30)
        assert "整改台账机器人" in (group.plain_text or "")
        private = await fake.say(USER, USER, "/help", timeout=10)
        assert "/mine" in (private.plain_text or "")
        assert fake.calls_to("setMyCommands")
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, output.decode()
    assert fake.token not in output.decode()


def _free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_without_a_token_the_playground_serves_the_page(tmp_path: Path) -> None:
    """``rectify-bot`` with no token and no subcommand serves the page; SIGTERM exits 0.

    Its data goes under ./data/playground of the working directory.
    """
    port = _free_port()
    env = _environment({"PLAYGROUND_PORT": str(port)}, tmp_path)
    process = await asyncio.create_subprocess_exec(
        EXECUTABLE,
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    seen: list[str] = []
    try:
        while not any("open http://" in line for line in seen):
            line = await asyncio.wait_for(process.stdout.readline(), 60)
            assert line, "the process ended early:\n" + "".join(seen)
            seen.append(line.decode())
        assert f"http://127.0.0.1:{port}/" in seen[-1]
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/") as response,
        ):
            assert response.status == 200
            assert 'data-testid="composer"' in await response.text()
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, "".join(seen) + rest.decode()
    assert (tmp_path / "data" / "playground" / "bot.db").exists()
    assert (tmp_path / "data" / "playground" / "world.json").exists()
