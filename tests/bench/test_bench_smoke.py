"""The benchmarks run and print their figures (at ``--tiny`` sizes; the values are not checked)."""

from __future__ import annotations

import pytest

from bench.cli import BENCHMARKS, parse, run_benchmark, runs
from bench.common import DEFAULT, FULL, TINY, Backend

# What each benchmark's output must show, whatever the figures.
SHOWN = {
    "commands": ("open loop at 5 commands/s", "closed loop", "p99 at 5 commands/s"),
    "during-sweep": ("without the fan-out", "during the fan-out", "p99 during / p99 without"),
    "fanout": ("elapsed / ideal", "429 answers", "peak RSS"),
    "sweep": ("sweep 1", "sweep 2", "sweep 3", "peak memory of a sweep"),
}


def _check(name: str, out: str) -> None:
    for expected in SHOWN[name]:
        assert expected in out, out
    assert "MET" in out or "MISSED" in out, out
    assert "LOST" not in out, out  # every command was answered


@pytest.mark.parametrize("name", list(BENCHMARKS))
async def test_each_benchmark_runs_on_sqlite(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each benchmark, tiny, on SQLite."""
    await run_benchmark(name, TINY, Backend("sqlite"))
    _check(name, capsys.readouterr().out)


@pytest.mark.parametrize("name", ["commands", "during-sweep", "fanout"])
async def test_the_database_benchmarks_run_on_postgresql(
    name: str, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The benchmarks that use the bot's database, tiny, on PostgreSQL (skipped without it)."""
    await run_benchmark(name, TINY, Backend("postgres", postgres_url))
    _check(name, capsys.readouterr().out)


def test_the_command_line_chooses_benchmarks_sizes_and_databases() -> None:
    """No names: all, on both databases, the sweep once on SQLite; --tiny/--full pick sizes."""
    args = parse([])
    assert args.sizes is DEFAULT
    assert runs(args.benchmarks, args.databases) == [
        ("commands", "sqlite"),
        ("commands", "postgres"),
        ("during-sweep", "sqlite"),
        ("during-sweep", "postgres"),
        ("fanout", "sqlite"),
        ("fanout", "postgres"),
        ("sweep", "sqlite"),
    ]
    args = parse(["fanout", "sweep", "--full", "--db", "postgres"])
    assert args.sizes is FULL
    assert runs(args.benchmarks, args.databases) == [("fanout", "postgres"), ("sweep", "postgres")]
    assert parse(["--tiny"]).sizes is TINY
    with pytest.raises(SystemExit):
        parse(["--db", "mysql"])
