"""What every benchmark shares: sizes, where its database lives, and how figures are printed."""

from __future__ import annotations

import math
import os
import resource
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.postgres import create_database, drop_database

# The targets (issue 12, "Benchmarks").
TARGET_P99_MS = 25.0
TARGET_FANOUT_RATIO = 1.05
TARGET_PEAK_MIB = 200.0


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark is: ``--tiny`` (seconds), the default (minutes), ``--full``."""

    name: str
    busy_groups: int  # groups the commands go to
    items_per_busy_group: int
    open_seconds: float  # how long the open loop offers commands (at OFFERED_RATE)
    closed_commands: int  # commands in the closed loop (at most 20 per group: Telegram's minute)
    during_groups: int  # further groups the Monday fan-out goes to while commands run
    fanout_groups: int
    sweep_groups: int  # 20 open items each


TINY = Sizes("tiny", 5, 20, 1.0, 10, 20, 20, 50)
DEFAULT = Sizes("default", 50, 200, 30.0, 500, 800, 500, 1_000)
FULL = Sizes("full", 50, 200, 120.0, 600, 5_000, 5_000, 5_000)


@dataclass(frozen=True)
class Backend:
    """Where a benchmark's database lives: a SQLite file, or a PostgreSQL server."""

    name: str  # "sqlite" or "postgres"
    server_url: str = ""  # PostgreSQL: the server's URL, databases are created on it

    @asynccontextmanager
    async def database(self) -> AsyncIterator[str]:
        """The URL of a new empty database, removed on leaving."""
        if self.name == "sqlite":
            with tempfile.TemporaryDirectory(prefix="rectify-bench-") as folder:
                yield f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            return
        url = await create_database(self.server_url)
        try:
            yield url
        finally:
            await drop_database(self.server_url, url)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.99 is p99); NaN without values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def peak_rss_mib() -> float:
    """The process's resident-memory high-water mark so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def verdict(label: str, figure: str, target: str, met: bool) -> None:
    """Print one figure next to its target, MET or MISSED."""
    print(f"  {label:<42} {figure:>14}   target {target:<16} {'MET' if met else 'MISSED'}")


def heading(text: str) -> None:
    """Print a benchmark's title line, with the machine's load as it starts (others' work)."""
    load = os.getloadavg()[0]
    print(f"\n== {text} (load average {load:.1f} at the start)", flush=True)
