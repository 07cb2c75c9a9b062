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


async def test_sigterm_stops_at_once_without_an_error_even_if_telegram_is_slow(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    """SIGTERM while idle: exit 0 within about a second, no ERROR and no traceback logged.

    On stopping, PTB asks Telegram once more for updates to confirm those already fetched;
    here Telegram takes 10 s to answer it. The bot does not wait for that (its long poll
    already confirmed them) beyond a short grace, and says so in one warning line.
    """
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
        await fake.say(GROUP, USER, "/start", timeout=30)
        await fake.wait_for(lambda: fake.waiting_polls > 0)  # idle: a long poll is held
        fake.fail_next("getUpdates", delay=10)
    finally:
        process.send_signal(signal.SIGTERM)
        loop = asyncio.get_running_loop()
        started = loop.time()
        output, _ = await asyncio.wait_for(process.communicate(), 30)
        took = loop.time() - started
    log = output.decode()
    assert process.returncode == 0, log
    assert "ERROR" not in log, log
    assert "Traceback" not in log, log
    assert took < 3.0, f"stopping took {took:.1f} s\n{log}"


async def test_sigterm_while_the_bot_api_is_unreachable_stops_cleanly(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Telegram gone: the process keeps running (and retrying); SIGTERM still ends it with 0."""
    fake = fake_telegram
    fake.add_user(USER, "张三", username="zhang")
    env = _environment({"BOT_TOKEN": fake.token, "BOT_API_BASE_URL": fake.base_url}, tmp_path)
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
        await fake.say(USER, USER, "/help", timeout=30)
        await fake.disconnect()
        failed = "Exception happened while polling for updates"
        await asyncio.wait_for(_read_until(process.stdout, failed, seen), 30)
        assert process.returncode is None
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = await asyncio.wait_for(process.communicate(), 30)
    output = "".join(seen) + rest.decode()
    assert process.returncode == 0, output
    assert "rectify-bot stopped" in output


async def _read_until(stream: asyncio.StreamReader, text: str, seen: list[str]) -> None:
    """Read the process's output line by line until a line holds ``text``."""
    while line := (await stream.readline()).decode():
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"the output ended before {text!r}:\n{''.join(seen)}")


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
