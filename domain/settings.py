"""Group settings (README: Configuration): defaults, per-group overrides and typed values."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import UserError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CHINESE_DAYS = "一二三四五六日"
# mon / monday / 周一 / 星期一 … sun / sunday / 周日 / 星期日 (and 周天 / 星期天): 0 … 6.
_WEEKDAY_NAMES: Mapping[str, int] = {
    **{name: n for names in (WEEKDAYS, _FULL_WEEKDAYS) for n, name in enumerate(names)},
    **{f"{prefix}{day}": n for n, day in enumerate(_CHINESE_DAYS) for prefix in ("周", "星期")},
    "周天": 6,
    "星期天": 6,
}


@dataclass(frozen=True)
class WeeklySlot:
    """When the weekly summary goes out: a weekday (0 = Monday) and a time."""

    weekday: int
    at: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M}"


@dataclass(frozen=True)
class GroupSettings:
    """The effective settings of one group."""

    timezone: str = "Asia/Shanghai"
    language: str = "zh"
    reminder_time: time = time(9, 0)
    remind_days_before: tuple[int, ...] = (7, 3, 1)
    escalate_after_days: int = 3
    weekly_summary: WeeklySlot | None = WeeklySlot(0, time(9, 0))
    report_day: int = 28
    require_approval: bool = True
    soft_deadline_days: int = 7
    mention_owners: bool = True
    bulletin_to_branches: bool = False  # a committee's weekly 通报 posted in its branches too

    @property
    def zone(self) -> ZoneInfo:
        """The group's time zone object."""
        return ZoneInfo(self.timezone)

    @property
    def warn_days(self) -> int:
        """The 临期 window: the widest reminder distance."""
        return max(self.remind_days_before, default=0)


SETTING_KEYS = tuple(f.name for f in fields(GroupSettings))

# The Chinese name of each setting, accepted wherever the English key is (``/settings 周报 off``).
SETTING_ALIASES: Mapping[str, str] = {
    "timezone": "时区",
    "language": "语言",
    "reminder_time": "提醒时间",
    "remind_days_before": "提前提醒天数",
    "escalate_after_days": "督办天数",
    "weekly_summary": "周报",
    "report_day": "报送日",
    "require_approval": "需要验收",
    "soft_deadline_days": "软时限天数",
    "mention_owners": "提醒责任人",
    "bulletin_to_branches": "下发通报",
}
_BY_NAME = {**{key: key for key in SETTING_KEYS}, **{v: k for k, v in SETTING_ALIASES.items()}}


def setting_names() -> str:
    """Every setting as ``key(中文名)``, for the message naming the allowed keys."""
    return ", ".join(f"{key}({SETTING_ALIASES[key]})" for key in SETTING_KEYS)


def setting_key(typed: str) -> str:
    """The English key of a setting typed in English or Chinese; a UserError naming the keys."""
    key = _BY_NAME.get(unicodedata.normalize("NFKC", typed).strip().lower())
    if key is None:
        raise UserError("settings.unknown_key", key=typed, keys=setting_names())
    return key


def _parse_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    # ZoneInfo looks the name up as a file: a folder ("America") or a name too long for the
    # file system fails with an OSError rather than ZoneInfoNotFoundError.
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise UserError("settings.bad.timezone", value=value) from error
    return value


_LANGUAGE_NAMES = {
    "zh": "zh",
    "中文": "zh",
    "汉语": "zh",
    "en": "en",
    "英文": "en",
    "english": "en",
}


def _parse_language(value: str) -> str:
    language = _LANGUAGE_NAMES.get(value.strip().lower())
    if language is None:
        raise UserError("settings.bad.language", value=value)
    return language


_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})$")


def parse_clock_time(value: str) -> time | None:
    """Read ``HH:MM`` (24-hour); None when it is not a valid time."""
    match = _TIME.match(value.strip())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _parse_time(value: str) -> time:
    parsed = parse_clock_time(value)
    if parsed is None:
        raise UserError("settings.bad.reminder_time", value=value)
    return parsed


def _parse_days_list(value: str) -> tuple[int, ...]:
    parts = [p for p in re.split(r"[,，、\s]+", value.strip()) if p]
    if not parts or not all(p.isdigit() and 0 < int(p) <= 60 for p in parts):
        raise UserError("settings.bad.remind_days_before", value=value)
    return tuple(sorted({int(p) for p in parts}, reverse=True))


def _int_in(key: str, low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        if not value.strip().isdigit() or not low <= int(value) <= high:
            raise UserError(f"settings.bad.{key}", value=value)
        return int(value)

    return parse


_WEEKLY = re.compile(r"^(\S+?)\s*(\d{1,2}[:：]\d{2})$")


def parse_weekday(word: str) -> int | None:
    """0 (Monday) … 6 (Sunday) for ``mon``/``monday``/``周一``/``星期一``; None otherwise."""
    return _WEEKDAY_NAMES.get(word.strip().lower())


def _parse_weekly(value: str) -> WeeklySlot | None:
    text = value.strip().lower()
    if text in ("off", "关", "关闭", "false", "no"):
        return None
    match = _WEEKLY.match(text)
    if match is not None:
        day, at = parse_weekday(match.group(1)), parse_clock_time(match.group(2))
        if day is not None and at is not None:
            return WeeklySlot(day, at)
    raise UserError("settings.bad.weekly_summary", value=value)


def _parse_bool(key: str) -> Callable[[str], bool]:
    def parse(value: str) -> bool:
        text = value.strip().lower()
        if text in ("true", "yes", "on", "1", "是", "开", "开启"):
            return True
        if text in ("false", "no", "off", "0", "否", "关", "关闭"):
            return False
        raise UserError(f"settings.bad.{key}", value=value)

    return parse


_PARSERS: Mapping[str, Callable[[str], Any]] = {
    "timezone": _parse_timezone,
    "language": _parse_language,
    "reminder_time": _parse_time,
    "remind_days_before": _parse_days_list,
    "escalate_after_days": _int_in("escalate_after_days", 1, 365),
    "weekly_summary": _parse_weekly,
    "report_day": _int_in("report_day", 1, 28),
    "require_approval": _parse_bool("require_approval"),
    "soft_deadline_days": _int_in("soft_deadline_days", 1, 365),
    "mention_owners": _parse_bool("mention_owners"),
    "bulletin_to_branches": _parse_bool("bulletin_to_branches"),
}


def parse_setting(key: str, value: str) -> Any:
    """Validate a value for ``key`` (English or Chinese name); a UserError names what is allowed."""
    return _PARSERS[setting_key(key)](unicodedata.normalize("NFKC", value).strip())


def encode_setting(value: Any) -> Any:
    """Turn a parsed value into JSON-friendly form for storage."""
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, WeeklySlot):
        return str(value)
    if value is None:
        return "off"
    if isinstance(value, tuple):
        return list(value)
    return value


def _decode(key: str, raw: Any) -> Any:
    """Read one stored value back (stored values were validated when written)."""
    if isinstance(raw, list):
        return tuple(int(v) for v in raw)
    if isinstance(raw, bool | int):
        return raw
    return parse_setting(key, str(raw))


def apply_overrides(defaults: GroupSettings, overrides: Mapping[str, Any]) -> GroupSettings:
    """Combine deployment defaults with one group's stored overrides (unknown keys ignored)."""
    changes = {k: _decode(k, v) for k, v in overrides.items() if k in _PARSERS}
    return replace(defaults, **changes)


def defaults_from_mapping(raw: Mapping[str, Any]) -> GroupSettings:
    """Build deployment defaults from the ``[defaults]`` table of the config file."""
    changes: dict[str, Any] = {}
    for key, value in raw.items():
        text = ",".join(str(v) for v in value) if isinstance(value, list) else str(value)
        changes[setting_key(key)] = parse_setting(key, text)
    return replace(GroupSettings(), **changes)
