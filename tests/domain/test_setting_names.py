"""Settings typed in Chinese: 时区 … 提醒责任人 as names, 周一 … 周日 as weekdays."""

from __future__ import annotations

from datetime import time

import pytest

from domain.errors import UserError
from domain.settings import (
    SETTING_ALIASES,
    SETTING_KEYS,
    WeeklySlot,
    parse_setting,
    setting_key,
)


def test_every_setting_has_one_chinese_name() -> None:
    """Each key has a Chinese name, and no two keys share one."""
    assert set(SETTING_ALIASES) == set(SETTING_KEYS)
    assert len(set(SETTING_ALIASES.values())) == len(SETTING_KEYS)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("时区", "timezone"),
        ("语言", "language"),
        ("提醒时间", "reminder_time"),
        ("提前提醒天数", "remind_days_before"),
        ("督办天数", "escalate_after_days"),
        ("周报", "weekly_summary"),
        ("报送日", "report_day"),
        ("需要验收", "require_approval"),
        ("软时限天数", "soft_deadline_days"),
        ("提醒责任人", "mention_owners"),
        ("Reminder_Time", "reminder_time"),
        (" weekly_summary ", "weekly_summary"),
    ],
)
def test_chinese_names_and_english_keys_name_the_same_setting(typed: str, key: str) -> None:
    """A Chinese name is an alias of the English key (which is case-insensitive)."""
    assert setting_key(typed) == key


def test_a_value_can_be_given_under_the_chinese_name() -> None:
    """parse_setting takes the Chinese name like the key."""
    assert parse_setting("提醒时间", "08:30") == time(8, 30)
    assert parse_setting("提前提醒天数", "5,2") == (5, 2)


def test_an_unknown_name_lists_the_keys_with_their_chinese_names() -> None:
    """The refusal names every setting both ways."""
    with pytest.raises(UserError) as raised:
        setting_key("颜色")
    assert raised.value.key == "settings.unknown_key"
    assert "weekly_summary(周报)" in str(raised.value.params["keys"])


@pytest.mark.parametrize(
    ("typed", "slot"),
    [
        ("周五 17:00", WeeklySlot(4, time(17, 0))),
        ("星期一 09:00", WeeklySlot(0, time(9, 0))),
        ("星期日 20:30", WeeklySlot(6, time(20, 30))),
        ("周日 8:00", WeeklySlot(6, time(8, 0))),
        ("星期天 8:00", WeeklySlot(6, time(8, 0))),
        ("周三18:00", WeeklySlot(2, time(18, 0))),
        ("周二 18：00", WeeklySlot(1, time(18, 0))),
        ("fri 17:00", WeeklySlot(4, time(17, 0))),
        ("Friday 17:00", WeeklySlot(4, time(17, 0))),
        ("off", None),
        ("关闭", None),
    ],
)
def test_weekly_summary_accepts_chinese_weekday_names(typed: str, slot: WeeklySlot | None) -> None:
    """周一…周日 and 星期一…星期日 work like mon…sun (and 周五17:00 without a space)."""
    assert parse_setting("周报", typed) == slot


@pytest.mark.parametrize("typed", ["周八 17:00", "周五", "month 09:00", "周五 25:00", "每周五"])
def test_a_bad_weekly_summary_is_refused_with_an_example(typed: str) -> None:
    """Anything else is refused with the message naming the allowed values."""
    with pytest.raises(UserError) as raised:
        parse_setting("weekly_summary", typed)
    assert raised.value.key == "settings.bad.weekly_summary"


@pytest.mark.parametrize(("typed", "language"), [("中文", "zh"), ("英文", "en"), ("English", "en")])
def test_languages_by_their_chinese_or_english_names(typed: str, language: str) -> None:
    """/settings 语言 中文 (or 英文, English) picks the language."""
    assert parse_setting("语言", typed) == language
