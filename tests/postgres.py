"""PostgreSQL for tests: a throwaway server per session, a fresh database per test.

``postgres_url`` is ``$RECTIFY_TEST_POSTGRES_URL`` when set; otherwise the fixture runs
``initdb`` into a temp dir and starts a server on 127.0.0.1 at a free port (once per session,
as the ``postgres`` user when we are root, since PostgreSQL refuses to run as root), and stops
and removes it at the end. Without PostgreSQL the tests that need it are skipped, unless
``RECTIFY_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) turns that skip into a failure.
``pg_database_url`` gives each test its own empty database, dropped afterwards.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy.engine import URL, make_url

URL_VARIABLE = "RECTIFY_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "RECTIFY_REQUIRE_POSTGRES"
SERVER_USER = "postgres"
TEST_DATABASE = "rectify_test"
START_ATTEMPTS = 3  # a free port can be taken between finding it and the server binding it
COMMAND_TIMEOUT = 120  # seconds; pg_ctl -w itself waits up to 60 s for start-up
# A throwaway cluster needs no durability: these make initdb and every commit much faster.
SERVER_OPTIONS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")

_database_numbers = itertools.count(1)


class ServerStartError(RuntimeError):
    """initdb or pg_ctl failed although PostgreSQL is installed."""


def _unavailable(reason: str) -> NoReturn:
    """Skip the test, or fail it where PostgreSQL is required (CI)."""
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{reason} ({REQUIRE_VARIABLE}=1 requires PostgreSQL)", pytrace=False)
    pytest.skip(f"{reason}; install PostgreSQL or set {URL_VARIABLE}")


def _bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, or Debian's newest versioned folder."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Cluster:
    """One throwaway cluster in a temp dir, run by the ``postgres`` user when we are root."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.as_root = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="rectify-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        if self.as_root:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(self.root, account.pw_uid, account.pw_gid)

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        # cwd: the server user may not be allowed into the directory pytest runs in.
        done = subprocess.run(
            command,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise ServerStartError(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}{log}"
            )

    def start(self) -> None:
        """Create the cluster (trust auth), start it on a free port and create the test database."""
        self._run(
            "initdb",
            *("-D", str(self.data), "-U", SERVER_USER, "--auth=trust"),
            *("-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"),
        )
        pg_ctl = ("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w")
        for attempt in range(1, START_ATTEMPTS + 1):
            self.port = _free_port()
            settings = [
                "listen_addresses=127.0.0.1",
                f"port={self.port}",
                f"unix_socket_directories={self.root}",
                *SERVER_OPTIONS,
            ]
            options = " ".join(f"-c {setting}" for setting in settings)
            try:
                self._run(*pg_ctl, "-o", options, "start")
                break
            except ServerStartError:
                if attempt == START_ATTEMPTS:
                    raise
        self._run(
            "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", SERVER_USER, TEST_DATABASE
        )

    def stop(self) -> None:
        """Stop the server (if it runs) and remove every file of the cluster."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the test database on this cluster."""
        return f"postgresql+asyncpg://{SERVER_USER}@127.0.0.1:{self.port}/{TEST_DATABASE}"


class PostgresUnavailableError(RuntimeError):
    """No PostgreSQL here: no server binaries, no account to run them, or no asyncpg."""


def server_problem() -> str | None:
    """Why no throwaway server can be started here, or ``None`` when one can."""
    if _bin_dir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root but there is no {SERVER_USER!r} user to run the server"
    return None


@contextmanager
def postgres_server() -> Iterator[str]:
    """``$RECTIFY_TEST_POSTGRES_URL``, or the URL of a throwaway server removed on leaving.

    Raises :class:`PostgresUnavailableError` when no server can be had here, and
    :class:`ServerStartError` when one is installed but fails to start.
    """
    given = os.environ.get(URL_VARIABLE)
    if given:
        yield given
        return
    problem = server_problem()
    bin_dir = _bin_dir()
    if problem or bin_dir is None:
        raise PostgresUnavailableError(problem or "PostgreSQL server binaries not found")
    cluster = _Cluster(bin_dir)
    try:
        cluster.start()
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The SQLAlchemy URL of a PostgreSQL database the tests may create databases from."""
    problem = None if os.environ.get(URL_VARIABLE) else server_problem()
    if problem:
        _unavailable(problem)
    with postgres_server() as url:
        yield url


def _asyncpg_dsn(url: URL) -> str:
    """The same URL as asyncpg itself wants it (no ``+asyncpg`` driver suffix)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin_connection(url: URL) -> Any:
    """An asyncpg connection to ``url`` (CREATE/DROP DATABASE autocommit there)."""
    try:
        import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information
    except ImportError:
        raise PostgresUnavailableError("asyncpg is not installed (the `postgres` extra)") from None
    return await asyncpg.connect(_asyncpg_dsn(url))


async def create_database(server_url: str) -> str:
    """Create a new empty database on the server of ``server_url``; return its URL."""
    base = make_url(server_url)
    name = f"rectify_{os.getpid()}_{next(_database_numbers)}"
    admin = await _admin_connection(base)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return base.set(database=name).render_as_string(hide_password=False)


async def drop_database(server_url: str, database_url: str) -> None:
    """Drop the database of ``database_url`` (made by :func:`create_database`), even if in use."""
    admin = await _admin_connection(make_url(server_url))
    try:
        # FORCE ends connections a failed run left open, so the drop never waits on them.
        name = make_url(database_url).database
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def pg_database_url(postgres_url: str) -> AsyncIterator[str]:
    """A new empty database on the test server for one test, dropped after it."""
    try:
        url = await create_database(postgres_url)
    except PostgresUnavailableError as error:
        _unavailable(str(error))
    yield url
    await drop_database(postgres_url, url)
