"""The playground's clock: presets, forward-only jumps, and resuming after a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from domain.clock import FixedClock
from playground.clock import BackwardsError, PlaygroundClock, Preset, parse_local, preset_instant

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(text: str) -> datetime:
    """A Shanghai wall time as an aware UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(UTC)


@pytest.mark.parametrize(
    ("now", "preset", "report_day", "expected"),
    [
        ("2026-11-26 10:00", Preset.MORNING, 28, "2026-11-27 09:00"),
        ("2026-11-26 08:59", Preset.MORNING, 28, "2026-11-26 09:00"),
        ("2026-11-26 09:00", Preset.MORNING, 28, "2026-11-27 09:00"),
        ("2026-11-26 10:00", Preset.MONDAY, 28, "2026-11-30 09:00"),
        ("2026-11-30 08:00", Preset.MONDAY, 28, "2026-11-30 09:00"),
        ("2026-11-30 09:00", Preset.MONDAY, 28, "2026-12-07 09:00"),
        ("2026-11-26 10:00", Preset.REPORT_DAY, 28, "2026-11-28 09:00"),
        ("2026-11-28 10:00", Preset.REPORT_DAY, 28, "2026-12-28 09:00"),
        ("2026-12-29 10:00", Preset.REPORT_DAY, 28, "2027-01-28 09:00"),
        ("2027-02-01 10:00", Preset.REPORT_DAY, 1, "2027-03-01 09:00"),
    ],
)
def test_presets_are_the_next_such_morning(
    now: str, preset: Preset, report_day: int, expected: str
) -> None:
    """Each preset is the next 09:00 of its kind, strictly after now, in the group time zone."""
    assert preset_instant(preset, local(now), SHANGHAI, report_day) == local(expected)


def test_jumps_go_forward_only() -> None:
    """A jump moves the clock, which then runs on with real time; going back is refused."""
    real = FixedClock(local("2026-11-26 10:00"))
    clock = PlaygroundClock(real)
    assert clock.now() == local("2026-11-26 10:00")
    clock.jump(local("2026-11-30 09:00"))
    real.set(local("2026-11-26 10:05"))
    assert clock.now() == local("2026-11-30 09:05")
    with pytest.raises(BackwardsError) as refused:
        clock.jump(local("2026-11-30 09:00"))
    assert refused.value.now == local("2026-11-30 09:05")
    assert clock.now() == local("2026-11-30 09:05")
    clock.jump(clock.now())  # standing still is allowed


def test_a_restart_resumes_at_the_later_of_saved_and_real_time(tmp_path: Path) -> None:
    """Saved Monday 09:00 with real time at Thursday: Monday 09:00; real time past it: real time."""
    path = tmp_path / "clock.json"
    real = FixedClock(local("2026-11-26 10:00"))
    PlaygroundClock(real, path).jump(local("2026-11-30 09:00"))
    assert PlaygroundClock(real, path).now() == local("2026-11-30 09:00")
    later = FixedClock(local("2026-12-02 10:00"))
    assert PlaygroundClock(later, path).now() == local("2026-12-02 10:00")


def test_an_unreadable_clock_file_is_ignored(tmp_path: Path) -> None:
    """A damaged clock file means real time, not a crash."""
    path = tmp_path / "clock.json"
    path.write_text("{not json", encoding="utf-8")
    real = FixedClock(local("2026-11-26 10:00"))
    assert PlaygroundClock(real, path).now() == real.now()


def test_typed_times_are_read_in_the_group_time_zone() -> None:
    """``2026-11-30 09:00`` and ``2026-11-30T09:00:30`` are Shanghai times; words are refused."""
    assert parse_local(" 2026-11-30  09:00 ", SHANGHAI) == local("2026-11-30 09:00")
    assert parse_local("2026-11-30T09:00:30", SHANGHAI) == local("2026-11-30 09:00") + timedelta(
        seconds=30
    )
    with pytest.raises(ValueError, match="2026-11-30 09:00"):
        parse_local("next monday", SHANGHAI)
