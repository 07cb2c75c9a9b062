"""Group settings: reading typed values, storing overrides, and deployment defaults."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from datetime import time
from typing import Any

import pytest

from domain.errors import UserError
from domain.settings import (
    SETTING_KEYS,
    GroupSettings,
    WeeklySlot,
    apply_overrides,
    defaults_from_mapping,
    encode_setting,
    parse_setting,
)

VALID: list[tuple[str, str, object]] = [
    ("timezone", "Asia/Shanghai", "Asia/Shanghai"),
    ("timezone", "Europe/Berlin", "Europe/Berlin"),
    ("timezone", "UTC", "UTC"),
    ("language", "zh", "zh"),
    ("language", "en", "en"),
    ("reminder_time", "08:30", time(8, 30)),
    ("reminder_time", "8:30", time(8, 30)),
    ("reminder_time", "08：30", time(8, 30)),
    ("reminder_time", " 23:59 ", time(23, 59)),
    ("reminder_time", "00:00", time(0, 0)),
    ("remind_days_before", "7,3,1", (7, 3, 1)),
    ("remind_days_before", "1，3，7", (7, 3, 1)),
    ("remind_days_before", "7 3 1", (7, 3, 1)),
    ("remind_days_before", "3、1", (3, 1)),
    ("remind_days_before", "7,7,3", (7, 3)),
    ("remind_days_before", "60", (60,)),
    ("escalate_after_days", "1", 1),
    ("escalate_after_days", "365", 365),
    ("escalate_after_days", "３", 3),
    ("weekly_summary", "mon 09:00", WeeklySlot(0, time(9, 0))),
    ("weekly_summary", "Fri 17:30", WeeklySlot(4, time(17, 30))),
    ("weekly_summary", "sunday 8:00", WeeklySlot(6, time(8, 0))),
    ("weekly_summary", "off", None),
    ("weekly_summary", "OFF", None),
    ("weekly_summary", "关闭", None),
    ("report_day", "1", 1),
    ("report_day", "28", 28),
    ("require_approval", "true", True),
    ("require_approval", "Yes", True),
    ("require_approval", "是", True),
    ("require_approval", "false", False),
    ("require_approval", "0", False),
    ("require_approval", "否", False),
    ("soft_deadline_days", "1", 1),
    ("soft_deadline_days", "365", 365),
    ("mention_owners", "on", True),
    ("mention_owners", "开启", True),
    ("mention_owners", "off", False),
    ("mention_owners", "关", False),
    ("bulletin_to_branches", "是", True),
    ("bulletin_to_branches", "false", False),
]

INVALID: list[tuple[str, str]] = [
    ("timezone", "Asia/Nowhere"),
    ("timezone", "Beijing"),
    ("timezone", "../etc/passwd"),
    ("timezone", ""),
    # Found by fuzzing: ZoneInfo raises OSError for a folder or a name too long for a file.
    ("timezone", "America"),
    ("timezone", "责任单位:" * 300),
    ("language", "fr"),
    ("language", "chinese"),
    ("language", ""),
    ("reminder_time", "24:00"),
    ("reminder_time", "09:60"),
    ("reminder_time", "9"),
    ("reminder_time", "9am"),
    ("reminder_time", ""),
    ("remind_days_before", "0"),
    ("remind_days_before", "61"),
    ("remind_days_before", "7,x"),
    ("remind_days_before", "-1"),
    ("remind_days_before", ""),
    ("escalate_after_days", "0"),
    ("escalate_after_days", "366"),
    ("escalate_after_days", "-1"),
    ("escalate_after_days", "1.5"),
    ("escalate_after_days", "three"),
    ("weekly_summary", "mon"),
    ("weekly_summary", "09:00"),
    ("weekly_summary", "someday 09:00"),
    ("weekly_summary", "mon 25:00"),
    ("weekly_summary", ""),
    ("report_day", "0"),
    ("report_day", "29"),
    ("report_day", "31"),
    ("require_approval", "maybe"),
    ("require_approval", ""),
    ("soft_deadline_days", "0"),
    ("soft_deadline_days", "366"),
    ("mention_owners", "2"),
    ("mention_owners", "sometimes"),
    ("bulletin_to_branches", "maybe"),
]


def test_every_setting_has_valid_and_invalid_examples() -> None:
    """The tables below cover every key of GroupSettings."""
    assert {key for key, _, _ in VALID} == set(SETTING_KEYS)
    assert {key for key, _ in INVALID} == set(SETTING_KEYS)


@pytest.mark.parametrize(("key", "typed", "value"), VALID)
def test_valid_values_are_read(key: str, typed: str, value: object) -> None:
    """Each typed value becomes the setting's value (full-width forms included)."""
    assert parse_setting(key, typed) == value


@pytest.mark.parametrize(("key", "typed"), INVALID)
def test_invalid_values_are_refused_naming_the_key_and_value(key: str, typed: str) -> None:
    """A bad value is UserError settings.bad.<key> carrying the value as typed."""
    with pytest.raises(UserError) as caught:
        parse_setting(key, typed)
    assert caught.value.key == f"settings.bad.{key}"
    assert caught.value.params["value"] == typed


@pytest.mark.parametrize("key", ["Reminder_Time", "  reminder_time  ", "REMINDER_TIME"])
def test_keys_are_read_in_any_case_and_spacing(key: str) -> None:
    """English keys are case-insensitive and surrounding spaces are ignored."""
    assert parse_setting(key, "07:45") == time(7, 45)


@pytest.mark.parametrize("key", ["colour", "reminder", "weekly", ""])
def test_unknown_key_is_refused_listing_the_keys(key: str) -> None:
    """An unknown key is settings.unknown_key naming the key typed and every valid key."""
    with pytest.raises(UserError) as caught:
        parse_setting(key, "1")
    assert caught.value.key == "settings.unknown_key"
    assert caught.value.params["key"] == key
    listed = str(caught.value.params["keys"])
    assert all(name in listed for name in SETTING_KEYS)


@pytest.mark.parametrize(
    ("key", "typed", "value"), [("language", " en", "en"), ("timezone", "UTC ", "UTC")]
)
def test_surrounding_spaces_are_ignored_for_every_key(key: str, typed: str, value: str) -> None:
    """Spaces around a value are ignored for text values as for numbers and times."""
    assert parse_setting(key, typed) == value


# --- storing overrides --------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "typed", "value"), VALID)
def test_encoded_values_round_trip_through_json_storage(
    key: str, typed: str, value: object
) -> None:
    """Encoding, storing as JSON and applying as an override gives back the parsed value."""
    stored = json.loads(json.dumps({key: encode_setting(parse_setting(key, typed))}))
    changes: dict[str, Any] = {key: value}
    assert apply_overrides(GroupSettings(), stored) == replace(GroupSettings(), **changes)


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (time(8, 5), "08:05"),
        (WeeklySlot(4, time(17, 30)), "fri 17:30"),
        (None, "off"),
        ((7, 3, 1), [7, 3, 1]),
        (True, True),
        (28, 28),
        ("Asia/Shanghai", "Asia/Shanghai"),
    ],
)
def test_encoded_values_are_json_friendly(value: object, encoded: object) -> None:
    """Times as HH:MM, weekly slots as 'day HH:MM', off as 'off', tuples as lists."""
    assert encode_setting(value) == encoded


def test_overrides_change_only_their_keys() -> None:
    """A group's overrides replace those keys and keep the deployment's other defaults."""
    defaults = replace(GroupSettings(), timezone="Europe/Berlin", report_day=20)
    merged = apply_overrides(defaults, {"language": "en", "remind_days_before": [5, 2]})
    assert merged == replace(defaults, language="en", remind_days_before=(5, 2))


@pytest.mark.parametrize(
    "overrides", [{}, {"colour": "red"}, {"removed_setting": 3}], ids=["none", "unknown", "old"]
)
def test_unknown_stored_keys_are_ignored(overrides: dict[str, Any]) -> None:
    """Keys no longer (or never) known are skipped, so old rows never break a group."""
    assert apply_overrides(GroupSettings(), overrides) == GroupSettings()


# --- deployment defaults ------------------------------------------------------------------------


def test_defaults_from_a_toml_table_with_every_kind_of_value() -> None:
    """Strings, integers, lists and booleans as TOML gives them become the defaults."""
    raw = tomllib.loads(
        """
        timezone = "Europe/Berlin"
        language = "en"
        reminder_time = "08:30"
        remind_days_before = [1, 3, 7]
        escalate_after_days = 5
        weekly_summary = "fri 17:00"
        report_day = 25
        require_approval = false
        soft_deadline_days = 10
        mention_owners = true
        """
    )
    assert defaults_from_mapping(raw) == GroupSettings(
        timezone="Europe/Berlin",
        language="en",
        reminder_time=time(8, 30),
        remind_days_before=(7, 3, 1),
        escalate_after_days=5,
        weekly_summary=WeeklySlot(4, time(17, 0)),
        report_day=25,
        require_approval=False,
        soft_deadline_days=10,
        mention_owners=True,
    )


@pytest.mark.parametrize("toml", ["weekly_summary = false", 'weekly_summary = "off"'])
def test_weekly_summary_can_be_turned_off_in_the_defaults(toml: str) -> None:
    """A TOML false or "off" switches the weekly summary off."""
    assert defaults_from_mapping(tomllib.loads(toml)).weekly_summary is None


def test_an_empty_defaults_table_gives_the_built_in_defaults() -> None:
    """No [defaults] keys: GroupSettings() as is."""
    assert defaults_from_mapping({}) == GroupSettings()


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("report_day = 29", "settings.bad.report_day"),
        ("remind_days_before = []", "settings.bad.remind_days_before"),
        ("remind_days_before = [7, 0]", "settings.bad.remind_days_before"),
        ("require_approval = 2", "settings.bad.require_approval"),
        ('language = "fr"', "settings.bad.language"),
        ("colour = 1", "settings.unknown_key"),
    ],
)
def test_bad_defaults_are_refused(toml: str, key: str) -> None:
    """A bad value or an unknown key in [defaults] raises the same UserError as /settings."""
    with pytest.raises(UserError) as caught:
        defaults_from_mapping(tomllib.loads(toml))
    assert caught.value.key == key
