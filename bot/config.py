"""Configuration: ``config.toml`` (optional) plus environment overrides, validated at start."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from domain.errors import UserError
from domain.pacing import Rate, SendLimits
from domain.settings import GroupSettings, defaults_from_mapping
from domain.workdays import (
    PACKAGE_CALENDAR,
    HolidayCalendar,
    HolidayListError,
    combine,
    read_holiday_lines,
)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/rectify-bot.db"
ENV_KEYS = {
    "BOT_TOKEN": ("telegram", "token"),
    "BOT_API_BASE_URL": ("telegram", "base_url"),
    "BOT_API_BASE_FILE_URL": ("telegram", "base_file_url"),
    "DATABASE_URL": ("database", "url"),
    "WEBHOOK_URL": ("telegram", "webhook_url"),
    "WEBHOOK_SECRET": ("telegram", "webhook_secret"),
    "LOG_LEVEL": ("bot", "log_level"),
    "HEALTH_PORT": ("bot", "health_port"),
    "PLAYGROUND_PORT": ("playground", "port"),
}
INTEGER_KEYS = frozenset({("bot", "health_port")})  # environment values read as numbers
DEFAULT_PLAYGROUND_PORT = 8080


class ConfigError(Exception):
    """A missing or invalid configuration value; ``key`` names it for the operator."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


class MissingTokenError(ConfigError):
    """No bot token at all (as opposed to a malformed one): the playground may run instead."""

    def __init__(self) -> None:
        super().__init__("BOT_TOKEN", "missing: set BOT_TOKEN or [telegram] token")


@dataclass(frozen=True)
class Config:
    """The validated configuration of one bot process."""

    token: str
    base_url: str = DEFAULT_BASE_URL
    base_file_url: str = ""
    database_url: str = DEFAULT_DATABASE_URL
    mode: str = "polling"
    webhook_url: str = ""
    webhook_secret: str = ""
    listen: str = "127.0.0.1"
    port: int = 8080
    superusers: frozenset[int] = frozenset()
    log_level: str = "INFO"
    sweep_seconds: float = 60.0
    heartbeat_seconds: float = 15.0
    health_port: int = 0
    timeout_seconds: float = 10.0
    limits: SendLimits = field(default_factory=SendLimits)
    playground_port: int = DEFAULT_PLAYGROUND_PORT
    defaults: GroupSettings = field(default_factory=GroupSettings)
    calendar: HolidayCalendar = PACKAGE_CALENDAR

    @property
    def effective_base_file_url(self) -> str:
        """File download URL: derived from ``base_url`` unless set."""
        if self.base_file_url:
            return self.base_file_url
        if self.base_url.endswith("/bot"):
            return self.base_url[: -len("/bot")] + "/file/bot"
        return self.base_url.rstrip("/") + "/file/bot"

    def __repr__(self) -> str:
        # The token must never reach a log line, even through a repr.
        return f"Config(base_url={self.base_url!r}, database_url=<set>, mode={self.mode!r})"


def _read_file(path: Path | None) -> dict[str, Any]:
    """Read the TOML file, or nothing when no file is given and the default is absent."""
    if path is None:
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise ConfigError("--config", f"file not found: {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError("--config", f"not valid TOML ({error})") from error


def _merge_environment(data: dict[str, Any], environ: Mapping[str, str]) -> None:
    """Let environment variables override file values."""
    for variable, (section, key) in ENV_KEYS.items():
        value = environ.get(variable)
        if value:
            table = data.setdefault(section, {})
            if not isinstance(table, dict):
                raise ConfigError(f"[{section}]", "must be a table")
            table[key] = _number(variable, value) if (section, key) in INTEGER_KEYS else value


def _number(variable: str, value: str) -> int:
    try:
        return int(value)
    except ValueError as error:
        raise ConfigError(variable, "must be a whole number") from error


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"[{name}]", "must be a table")
    return value


def _string(section: Mapping[str, Any], name: str, key: str, default: str) -> str:
    value = section.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(name, "must be a string")
    return value.strip()


def _token(telegram: Mapping[str, Any]) -> str:
    token = _string(telegram, "BOT_TOKEN ([telegram] token)", "token", "")
    if not token:
        raise MissingTokenError()
    if ":" not in token or any(c.isspace() for c in token):
        raise ConfigError("BOT_TOKEN", "does not look like a bot token (123456:ABC...)")
    return token


def _url(section: Mapping[str, Any], name: str, key: str, default: str) -> str:
    value = _string(section, name, key, default)
    if value and not value.startswith(("http://", "https://")):
        raise ConfigError(name, "must start with http:// or https://")
    return value


def _database_url(database: Mapping[str, Any]) -> str:
    value = _string(database, "DATABASE_URL ([database] url)", "url", DEFAULT_DATABASE_URL)
    if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ConfigError(
            "DATABASE_URL",
            "must start with sqlite+aiosqlite:// or postgresql+asyncpg://",
        )
    return value


def _is_int(value: object) -> bool:
    """A TOML integer (``true`` is a bool, not 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _superusers(bot: Mapping[str, Any]) -> frozenset[int]:
    value = bot.get("superusers", [])
    if not isinstance(value, list) or not all(_is_int(v) for v in value):
        raise ConfigError("[bot] superusers", "must be a list of Telegram user ids")
    return frozenset(value)


def _mode(telegram: Mapping[str, Any], webhook_url: str) -> str:
    mode = _string(telegram, "[telegram] mode", "mode", "webhook" if webhook_url else "polling")
    if mode not in ("polling", "webhook"):
        raise ConfigError("[telegram] mode", "must be polling or webhook")
    if mode == "webhook" and not webhook_url:
        raise ConfigError("WEBHOOK_URL", "webhook mode needs [telegram] webhook_url")
    return mode


def _port(telegram: Mapping[str, Any]) -> int:
    port = telegram.get("port", 8080)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise ConfigError("[telegram] port", "must be a port number 1-65535")
    return port


def _playground_port(playground: Mapping[str, Any]) -> int:
    """``[playground] port``: a TOML integer, or digits from ``PLAYGROUND_PORT``."""
    value = playground.get("port", DEFAULT_PLAYGROUND_PORT)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not _is_int(value) or not 0 < value < 65536:
        raise ConfigError("PLAYGROUND_PORT ([playground] port)", "must be a port number 1-65535")
    return int(value)


def _log_level(bot: Mapping[str, Any]) -> str:
    level = _string(bot, "LOG_LEVEL ([bot] log_level)", "log_level", "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError("LOG_LEVEL", "must be DEBUG, INFO, WARNING or ERROR")
    return level


def _seconds(
    section: Mapping[str, Any], name: str, key: str, default: float, bounds: tuple[float, float]
) -> float:
    value = section.get(key, default)
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(name, f"must be a number of seconds from {low:g} to {high:g}")
    return float(value)


def _sweep_seconds(bot: Mapping[str, Any]) -> float:
    return _seconds(bot, "[bot] sweep_seconds", "sweep_seconds", 60, (1, 3600))


def _health_port(bot: Mapping[str, Any]) -> int:
    port = bot.get("health_port", 0)
    if not _is_int(port) or not 0 <= port < 65536:
        raise ConfigError("HEALTH_PORT ([bot] health_port)", "must be a port number, 0 for none")
    return int(port)


def _rate(limits: Mapping[str, Any], key: str, default: Rate | None) -> Rate | None:
    """``[count, seconds]`` (at most count messages in any seconds), or false for none."""
    value = limits.get(key, default and [default.count, default.seconds])
    if value is False:
        return None
    name = f"[limits] {key}"
    if not isinstance(value, list) or len(value) != 2:
        raise ConfigError(name, "must be [count, seconds] or false")
    count, seconds = value
    if not _is_int(count) or count < 1:
        raise ConfigError(name, "the count must be a whole number of at least 1")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
        raise ConfigError(name, "the seconds must be a positive number")
    return Rate(count, float(seconds))


def _limits(data: Mapping[str, Any]) -> SendLimits:
    limits = _section(data, "limits")
    unknown = sorted(set(limits) - {"overall", "group", "private"})
    if unknown:
        raise ConfigError(f"[limits] {unknown[0]}", "unknown key (overall, group, private)")
    standard = SendLimits()
    return SendLimits(
        overall=_rate(limits, "overall", standard.overall),
        group=_rate(limits, "group", standard.group),
        private=_rate(limits, "private", standard.private),
    )


def _defaults(data: Mapping[str, Any]) -> GroupSettings:
    raw = _section(data, "defaults")
    try:
        return defaults_from_mapping(raw)
    except UserError as error:
        if "value" not in error.params:  # an unknown key, not a bad value
            key = str(error.params.get("key", "?"))
            raise ConfigError(f"[defaults] {key}", "unknown setting") from error
        key = error.key.rsplit(".", 1)[-1]
        value = error.params["value"]
        raise ConfigError(f"[defaults] {key}", f"invalid value {value!r}") from error


_CALENDAR_KEYS = ("file", "days", "holidays", "workdays")


def _calendar_entries(calendar: Mapping[str, Any], key: str, word: str) -> list[str]:
    """A [calendar] list as lines of the holiday list format (``word``: 休 or 班, or none)."""
    value = calendar.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str | date) for v in value):
        raise ConfigError(f"[calendar] {key}", "must be a list of dates or date ranges")
    return [f"{entry} {word}".strip() for entry in value]


def _calendar_file(calendar: Mapping[str, Any], base: Path) -> list[str]:
    """The lines of the holiday list file, if one is named (relative to the config file)."""
    name = _string(calendar, "[calendar] file", "file", "")
    if not name:
        return []
    path = Path(name) if Path(name).is_absolute() else base / name
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ConfigError("[calendar] file", f"cannot read {path} ({error.strerror})") from error


def _calendar(data: Mapping[str, Any], path: Path | None) -> HolidayCalendar:
    """The operator's holidays and make-up working days (README: Configuration, [calendar])."""
    calendar = _section(data, "calendar")
    unknown = sorted(set(calendar) - set(_CALENDAR_KEYS))
    if unknown:
        raise ConfigError(
            f"[calendar] {unknown[0]}", "unknown key (file, days, holidays, workdays)"
        )
    parts: list[HolidayCalendar] = []
    sources = (
        ("file", _calendar_file(calendar, path.parent if path is not None else Path.cwd())),
        ("days", _calendar_entries(calendar, "days", "")),
        ("holidays", _calendar_entries(calendar, "holidays", "休")),
        ("workdays", _calendar_entries(calendar, "workdays", "班")),
    )
    for key, lines in sources:
        try:
            parts.append(read_holiday_lines(lines))
        except HolidayListError as error:
            raise ConfigError(f"[calendar] {key}", str(error)) from error
    try:
        return combine(*parts)
    except HolidayListError as error:
        raise ConfigError("[calendar]", str(error)) from error


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Read, merge and validate the configuration; raise ConfigError naming the bad key."""
    data = _read_file(path)
    _merge_environment(data, os.environ if environ is None else environ)
    telegram = _section(data, "telegram")
    bot = _section(data, "bot")
    webhook_url = _url(telegram, "WEBHOOK_URL", "webhook_url", "")
    return Config(
        token=_token(telegram),
        base_url=_url(telegram, "BOT_API_BASE_URL", "base_url", DEFAULT_BASE_URL),
        base_file_url=_url(telegram, "BOT_API_BASE_FILE_URL", "base_file_url", ""),
        database_url=_database_url(_section(data, "database")),
        mode=_mode(telegram, webhook_url),
        webhook_url=webhook_url,
        webhook_secret=_string(telegram, "WEBHOOK_SECRET", "webhook_secret", ""),
        listen=_string(telegram, "[telegram] listen", "listen", "127.0.0.1"),
        port=_port(telegram),
        superusers=_superusers(bot),
        log_level=_log_level(bot),
        sweep_seconds=_sweep_seconds(bot),
        heartbeat_seconds=_seconds(
            bot, "[bot] heartbeat_seconds", "heartbeat_seconds", 15, (0.1, 300)
        ),
        health_port=_health_port(bot),
        timeout_seconds=_seconds(telegram, "[telegram] timeout", "timeout", 10, (0.1, 300)),
        limits=_limits(data),
        playground_port=_playground_port(_section(data, "playground")),
        defaults=_defaults(data),
        calendar=_calendar(data, path),
    )
