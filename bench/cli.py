"""``python -m bench [commands] [during-sweep] [fanout] [sweep] [--tiny|--full] [--db …]``.

With several benchmarks (or databases) each runs in a process of its own, so that its peak
memory (the process's resident high-water mark) is its own; a PostgreSQL server is started
once, here, and handed to them in ``$RECTIFY_TEST_POSTGRES_URL`` (as ``tests/postgres.py``
does). Without PostgreSQL the PostgreSQL runs are skipped with a message.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import subprocess
import sys
from collections.abc import Awaitable, Callable, Sequence
from contextlib import ExitStack

from bench.commands import commands, during_sweep
from bench.common import DEFAULT, FULL, TINY, Backend, Sizes
from bench.fanout import fanout
from bench.sweep import sweep
from tests.postgres import URL_VARIABLE, PostgresUnavailableError, ServerStartError, postgres_server

Benchmark = Callable[[Sizes, Backend], Awaitable[None]]
BENCHMARKS: dict[str, Benchmark] = {
    "commands": commands,
    "during-sweep": during_sweep,
    "fanout": fanout,
    "sweep": sweep,
}
DATABASES = ("sqlite", "postgres")
SQLITE_ONLY = frozenset({"sweep"})


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """The command line: which benchmarks, how big, on which databases."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("benchmarks", nargs="*", choices=[*BENCHMARKS, []], metavar="BENCHMARK")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--tiny", action="store_const", const=TINY, dest="sizes")
    size.add_argument("--full", action="store_const", const=FULL, dest="sizes")
    parser.add_argument("--db", default=",".join(DATABASES), help="sqlite,postgres (default)")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or DEFAULT
    args.databases = [name.strip() for name in args.db.split(",") if name.strip()]
    unknown = set(args.databases) - set(DATABASES)
    if unknown or not args.databases:
        parser.error(f"--db takes sqlite and/or postgres, not {args.db!r}")
    return args


def runs(benchmarks: Sequence[str], databases: Sequence[str]) -> list[tuple[str, str]]:
    """Every (benchmark, database) pair to run; the SQLite-only ones once, on SQLite."""
    chosen = list(benchmarks) or list(BENCHMARKS)
    pairs = []
    for name in chosen:
        for database in databases:
            if name in SQLITE_ONLY and database != "sqlite":
                if "sqlite" not in databases:
                    pairs.append((name, database))  # it prints why it does not run
                continue
            pairs.append((name, database))
    return pairs


async def run_benchmark(name: str, sizes: Sizes, backend: Backend) -> None:
    """Run one benchmark in this process."""
    await BENCHMARKS[name](sizes, backend)


def machine() -> str:
    """One line on where the figures come from."""
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def _start_postgres(stack: ExitStack) -> str | None:
    """The PostgreSQL server URL, started for the run; ``None`` (with a message) if impossible."""
    try:
        return stack.enter_context(postgres_server())
    except (PostgresUnavailableError, ServerStartError) as error:
        print(f"PostgreSQL skipped: {error}", flush=True)
        return None


def _child(name: str, sizes: Sizes, database: str, server_url: str) -> int:
    command = [sys.executable, "-m", "bench", name, "--db", database]
    if sizes is not DEFAULT:
        command.append(f"--{sizes.name}")
    env = dict(os.environ)
    if server_url:
        env[URL_VARIABLE] = server_url
    return subprocess.run(command, env=env, check=False).returncode


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks; returns the exit status (1 if one failed)."""
    args = parse(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="  log %(levelname)s %(name)s: %(message)s")
    # The benchmarks' Monday is in December: next year's holidays are not known, and need not be.
    logging.getLogger("bot.app").addFilter(
        lambda record: not str(record.msg).startswith("the public holidays of")
    )
    pairs = runs(args.benchmarks, args.databases)
    sizes: Sizes = args.sizes
    with ExitStack() as stack:
        server_url = ""
        if any(database == "postgres" for _, database in pairs):
            server_url = _start_postgres(stack) or ""
        if len(pairs) == 1:
            name, database = pairs[0]
            if database == "postgres" and not server_url:
                return 0
            asyncio.run(run_benchmark(name, sizes, Backend(database, server_url)))
            return 0
        print(f"benchmarks at {sizes.name} sizes on {machine()}", flush=True)
        failed = []
        for name, database in pairs:
            if database == "postgres" and not server_url:
                continue
            if _child(name, sizes, database, server_url) != 0:
                failed.append(f"{name} on {database}")
        if failed:
            print(f"FAILED: {', '.join(failed)}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
