"""Configuration: the TOML file, environment overrides, and errors that name the bad key."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import CLOCK_ANCHOR, CLOCK_START, ShiftedClock, SystemClock, clock_from_environment
from bot.config import (
    DEFAULT_BASE_URL,
    DEFAULT_DATABASE_URL,
    Config,
    ConfigError,
    MissingTokenError,
    load_config,
)
from domain.pacing import Rate, SendLimits
from domain.settings import GroupSettings, WeeklySlot
from domain.workdays import PACKAGE_CALENDAR

TOKEN = "123456:AAE-secret_Token"
FILE_TOKEN = "111111:from-the-file"
BASE = f'[telegram]\ntoken = "{TOKEN}"\n'


def write(tmp_path: Path, text: str) -> Path:
    """A config file holding ``text``."""
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path | None, environ: dict[str, str] | None = None) -> ConfigError:
    """The ConfigError that loading ``path`` with ``environ`` raises."""
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ or {})
    return caught.value


def test_a_token_alone_gives_the_documented_defaults(tmp_path: Path) -> None:
    """Only the token set: Telegram's API, SQLite under data/, polling, INFO, 60 s sweep."""
    config = load_config(write(tmp_path, BASE), {})
    assert config == Config(token=TOKEN)
    assert config.base_url == DEFAULT_BASE_URL
    assert config.database_url == DEFAULT_DATABASE_URL
    assert (config.mode, config.port, config.log_level, config.sweep_seconds) == (
        "polling",
        8080,
        "INFO",
        60.0,
    )


def test_no_file_reads_the_environment_only() -> None:
    """Without --config, the token from the environment is enough."""
    assert load_config(None, {"BOT_TOKEN": TOKEN}).token == TOKEN


def test_every_file_value_is_read(tmp_path: Path) -> None:
    """Each section's keys reach the config, [defaults] included."""
    path = write(
        tmp_path,
        f"""
        [telegram]
        token = "{TOKEN}"
        base_url = "http://127.0.0.1:8081/bot"
        base_file_url = "http://127.0.0.1:8081/files/bot"
        mode = "webhook"
        webhook_url = "https://bot.example.org/telegram"
        webhook_secret = "s3cret"
        listen = "0.0.0.0"
        port = 8443

        [database]
        url = "postgresql+asyncpg://rectify:pw@db/rectify"

        [bot]
        superusers = [1001, 1002]
        log_level = "debug"
        sweep_seconds = 30.5

        [defaults]
        language = "en"
        reminder_time = "08:30"
        remind_days_before = [3, 1]
        weekly_summary = "fri 17:00"
        require_approval = false
        """,
    )
    config = load_config(path, {})
    assert config == Config(
        token=TOKEN,
        base_url="http://127.0.0.1:8081/bot",
        base_file_url="http://127.0.0.1:8081/files/bot",
        database_url="postgresql+asyncpg://rectify:pw@db/rectify",
        mode="webhook",
        webhook_url="https://bot.example.org/telegram",
        webhook_secret="s3cret",
        listen="0.0.0.0",
        port=8443,
        superusers=frozenset({1001, 1002}),
        log_level="DEBUG",
        sweep_seconds=30.5,
        defaults=GroupSettings(
            language="en",
            reminder_time=time(8, 30),
            remind_days_before=(3, 1),
            weekly_summary=WeeklySlot(4, time(17, 0)),
            require_approval=False,
        ),
    )


# --- environment overrides ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "file_line", "value", "attribute", "expected"),
    [
        ("BOT_TOKEN", "", "999:from-env", "token", "999:from-env"),
        (
            "BOT_API_BASE_URL",
            'base_url = "https://file.example/bot"',
            "http://127.0.0.1:9000/bot",
            "base_url",
            "http://127.0.0.1:9000/bot",
        ),
        (
            "BOT_API_BASE_FILE_URL",
            'base_file_url = "https://file.example/file/bot"',
            "http://127.0.0.1:9000/file/bot",
            "base_file_url",
            "http://127.0.0.1:9000/file/bot",
        ),
        (
            "WEBHOOK_URL",
            'webhook_url = "https://file.example/hook"',
            "https://env.example/hook",
            "webhook_url",
            "https://env.example/hook",
        ),
        (
            "WEBHOOK_SECRET",
            'webhook_secret = "from-file"',
            "from-env",
            "webhook_secret",
            "from-env",
        ),
    ],
)
def test_environment_beats_the_telegram_section(
    tmp_path: Path, variable: str, file_line: str, value: str, attribute: str, expected: str
) -> None:
    """Each [telegram] variable set in the environment wins over the file."""
    token_line = f'token = "{FILE_TOKEN}"'
    path = write(tmp_path, f"[telegram]\n{token_line}\n{file_line}\n")
    assert getattr(load_config(path, {variable: value}), attribute) == expected


def test_database_url_from_the_environment_beats_the_file(tmp_path: Path) -> None:
    """DATABASE_URL wins over [database] url."""
    path = write(tmp_path, BASE + '[database]\nurl = "sqlite+aiosqlite:///file.db"\n')
    env = {"DATABASE_URL": "postgresql+asyncpg://u:p@h/db"}
    assert load_config(path, env).database_url == "postgresql+asyncpg://u:p@h/db"


def test_log_level_from_the_environment_beats_the_file(tmp_path: Path) -> None:
    """LOG_LEVEL wins over [bot] log_level, in any letter case."""
    path = write(tmp_path, BASE + '[bot]\nlog_level = "ERROR"\n')
    assert load_config(path, {"LOG_LEVEL": "warning"}).log_level == "WARNING"


def test_webhook_url_in_the_environment_switches_to_webhook_mode(tmp_path: Path) -> None:
    """With WEBHOOK_URL set and no mode in the file, the bot runs a webhook."""
    config = load_config(write(tmp_path, BASE), {"WEBHOOK_URL": "https://bot.example.org/tg"})
    assert config.mode == "webhook"


def test_an_empty_variable_does_not_override(tmp_path: Path) -> None:
    """BOT_TOKEN= (set but empty, as compose files do) leaves the file's token."""
    path = write(tmp_path, f'[telegram]\ntoken = "{FILE_TOKEN}"\n')
    assert load_config(path, {"BOT_TOKEN": "", "LOG_LEVEL": ""}).token == FILE_TOKEN


def test_unrelated_variables_are_ignored(tmp_path: Path) -> None:
    """Only the documented variables are read from the environment."""
    env = {"TOKEN": "1:x", "TELEGRAM_TOKEN": "2:y", "PORT": "1", "DATABASE": "mysql://x"}
    assert load_config(write(tmp_path, BASE), env) == Config(token=TOKEN)


# --- errors name their key ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "environ", "key"),
    [
        ("", {}, "BOT_TOKEN"),
        ('[telegram]\ntoken = "  "\n', {}, "BOT_TOKEN"),
        ('[telegram]\ntoken = "no-colon-here"\n', {}, "BOT_TOKEN"),
        ("", {"BOT_TOKEN": "123456:has a space"}, "BOT_TOKEN"),
        ("[telegram]\ntoken = 123456\n", {}, "BOT_TOKEN ([telegram] token)"),
        (BASE + 'base_url = "ftp://api.example/bot"\n', {}, "BOT_API_BASE_URL"),
        (BASE, {"BOT_API_BASE_URL": "api.telegram.org/bot"}, "BOT_API_BASE_URL"),
        (BASE + 'base_file_url = "file:///tmp"\n', {}, "BOT_API_BASE_FILE_URL"),
        (BASE + 'webhook_url = "bot.example.org"\n', {}, "WEBHOOK_URL"),
        (BASE + '[database]\nurl = "mysql://u:p@h/db"\n', {}, "DATABASE_URL"),
        (BASE, {"DATABASE_URL": "sqlite:///sync-driver.db"}, "DATABASE_URL"),
        (BASE, {"DATABASE_URL": "postgresql://u:p@h/db"}, "DATABASE_URL"),
        (BASE + 'mode = "webhook"\n', {}, "WEBHOOK_URL"),
        (BASE + 'mode = "push"\n', {}, "[telegram] mode"),
        (BASE + "port = 0\n", {}, "[telegram] port"),
        (BASE + "port = 65536\n", {}, "[telegram] port"),
        (BASE + 'port = "8080"\n', {}, "[telegram] port"),
        (BASE + "listen = 80\n", {}, "[telegram] listen"),
        (BASE + '[bot]\nlog_level = "verbose"\n', {}, "LOG_LEVEL"),
        (BASE, {"LOG_LEVEL": "TRACE"}, "LOG_LEVEL"),
        (BASE + "[bot]\nsweep_seconds = 0\n", {}, "[bot] sweep_seconds"),
        (BASE + "[bot]\nsweep_seconds = 3601\n", {}, "[bot] sweep_seconds"),
        (BASE + '[bot]\nsweep_seconds = "60"\n', {}, "[bot] sweep_seconds"),
        (BASE + "[bot]\nsuperusers = 1001\n", {}, "[bot] superusers"),
        (BASE + '[bot]\nsuperusers = ["@admin"]\n', {}, "[bot] superusers"),
        (BASE + "[defaults]\nreport_day = 29\n", {}, "[defaults] report_day"),
        (BASE + '[defaults]\nreminder_time = "9am"\n', {}, "[defaults] reminder_time"),
        (BASE + '[defaults]\ntimezone = "Mars/Base"\n', {}, "[defaults] timezone"),
        (BASE + "[defaults]\ncolour = 1\n", {}, "[defaults] colour"),
        ('telegram = "x"\n', {}, "[telegram]"),
        ('database = "sqlite"\n' + BASE, {}, "[database]"),
        ("bot = 1\n" + BASE, {}, "[bot]"),
        ("defaults = []\n" + BASE, {}, "[defaults]"),
    ],
)
def test_each_bad_value_names_its_key(
    tmp_path: Path, text: str, environ: dict[str, str], key: str
) -> None:
    """A missing or invalid value stops start-up with a ConfigError whose key names it."""
    error = refused(write(tmp_path, text), environ)
    assert error.key == key
    assert str(error).startswith(f"{key}: ")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    """A --config path that does not exist is refused under --config, naming the path."""
    missing = tmp_path / "nowhere.toml"
    error = refused(missing, {"BOT_TOKEN": TOKEN})
    assert error.key == "--config"
    assert str(missing) in error.problem


@pytest.mark.parametrize("text", ["[telegram\n", 'token = "unterminated\n', "a = 1\na = 2\n"])
def test_invalid_toml_is_refused(tmp_path: Path, text: str) -> None:
    """A file that is not TOML is refused under --config."""
    error = refused(write(tmp_path, text), {"BOT_TOKEN": TOKEN})
    assert error.key == "--config"
    assert "TOML" in error.problem


@pytest.mark.parametrize(
    ("text", "variable", "key"),
    [
        ('telegram = "x"\n', "BOT_TOKEN", "[telegram]"),
        ('database = "x"\n' + BASE, "DATABASE_URL", "[database]"),
        ("bot = 1\n" + BASE, "LOG_LEVEL", "[bot]"),
    ],
)
def test_non_table_section_is_named_even_with_an_environment_override(
    tmp_path: Path, text: str, variable: str, key: str
) -> None:
    """`telegram = "x"` is a ConfigError naming the section, whatever the environment holds."""
    environ = {
        "BOT_TOKEN": TOKEN,
        "DATABASE_URL": "sqlite+aiosqlite:///x.db",
        "LOG_LEVEL": "INFO",
    }
    assert refused(write(tmp_path, text), {variable: environ[variable]}).key == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (BASE + "port = true\n", "[telegram] port"),
        (BASE + "[bot]\nsweep_seconds = true\n", "[bot] sweep_seconds"),
        (BASE + "[bot]\nsuperusers = [1001, true]\n", "[bot] superusers"),
    ],
)
def test_booleans_are_not_numbers(tmp_path: Path, text: str, key: str) -> None:
    """A TOML true is refused as a port, a sweep interval or a user id (not read as 1)."""
    assert refused(write(tmp_path, text)).key == key


def test_unknown_defaults_key_is_reported_as_unknown(tmp_path: Path) -> None:
    """The operator is told the key is unknown, not that its value None is invalid."""
    error = refused(write(tmp_path, BASE + "[defaults]\ncolour = 1\n"))
    assert "None" not in error.problem


# --- derived values and secrecy -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "base_file_url", "expected"),
    [
        (DEFAULT_BASE_URL, "", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot", "", "http://127.0.0.1:8081/file/bot"),
        ("http://127.0.0.1:8081/", "", "http://127.0.0.1:8081/file/bot"),
        ("http://127.0.0.1:8081", "", "http://127.0.0.1:8081/file/bot"),
        ("http://127.0.0.1:8081/bot", "https://files.example/f/bot", "https://files.example/f/bot"),
    ],
)
def test_file_url_is_derived_from_the_base_url_unless_set(
    base_url: str, base_file_url: str, expected: str
) -> None:
    """…/bot becomes …/file/bot; an explicit base_file_url is used as given."""
    config = Config(token=TOKEN, base_url=base_url, base_file_url=base_file_url)
    assert config.effective_base_file_url == expected


def test_file_url_follows_base_url_from_the_environment(tmp_path: Path) -> None:
    """Pointing BOT_API_BASE_URL at a local server moves file downloads there too."""
    config = load_config(write(tmp_path, BASE), {"BOT_API_BASE_URL": "http://127.0.0.1:8081/bot"})
    assert config.effective_base_file_url == "http://127.0.0.1:8081/file/bot"


def test_repr_never_shows_the_token_or_database_password(tmp_path: Path) -> None:
    """repr, str and f-strings of the config hide the token and the database URL."""
    env = {
        "BOT_TOKEN": TOKEN,
        "DATABASE_URL": "postgresql+asyncpg://rectify:db-pass-42@db/rectify",
        "WEBHOOK_SECRET": "hook-secret-7",
    }
    config = load_config(write(tmp_path, ""), env)
    for shown in (repr(config), str(config), f"{config}", f"{config!r}"):
        assert TOKEN not in shown
        assert "secret_Token" not in shown
        assert "db-pass-42" not in shown
        assert "hook-secret-7" not in shown


def test_a_malformed_token_is_not_echoed_in_the_error() -> None:
    """The error for a bad token does not repeat the (possibly real) secret."""
    error = refused(None, {"BOT_TOKEN": "123456 AAE-secret"})
    assert "AAE-secret" not in str(error)


# --- [calendar] ----------------------------------------------------------------------------


def test_calendar_from_a_file_next_to_the_config(tmp_path: Path) -> None:
    """[calendar] file is read relative to the config file, in the notice's line format."""
    (tmp_path / "holidays-2027.txt").write_text(
        "# 2027\n2027-02-06 ~ 2027-02-12 春节 休\n2027-02-14 班\n", encoding="utf-8"
    )
    config = load_config(write(tmp_path, BASE + '[calendar]\nfile = "holidays-2027.txt"\n'), {})
    assert date(2027, 2, 8) in config.calendar.days_off
    assert config.calendar.work_days == {date(2027, 2, 14)}
    assert config.calendar.knows(2027)


def test_calendar_from_toml_lists(tmp_path: Path) -> None:
    """Holidays and workdays lists take dates (TOML or strings) and ranges; days takes lines."""
    path = write(
        tmp_path,
        BASE
        + "[calendar]\n"
        + 'holidays = [2027-01-01, "2027-02-06 ~ 2027-02-12"]\n'
        + 'workdays = ["2027-02-14"]\n'
        + 'days = ["2027-04-05 清明节 休", "2027-04-11 班"]\n',
    )
    calendar = load_config(path, {}).calendar
    assert {date(2027, 1, 1), date(2027, 2, 10), date(2027, 4, 5)} <= calendar.days_off
    assert calendar.work_days == {date(2027, 2, 14), date(2027, 4, 11)}


def test_no_calendar_is_the_package_calendar(tmp_path: Path) -> None:
    """Without [calendar] nothing is added to the package's calendar."""
    assert load_config(write(tmp_path, BASE), {}).calendar == PACKAGE_CALENDAR


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ('[calendar]\nfile = "missing.txt"\n', "[calendar] file"),
        ('[calendar]\nholidays = ["2027-02-30"]\n', "[calendar] holidays"),
        ("[calendar]\nworkdays = 5\n", "[calendar] workdays"),
        ('[calendar]\ndays = ["2027-02-14"]\n', "[calendar] days"),
        ('[calendar]\nholiday = ["2027-02-14"]\n', "[calendar] holiday"),
        ('[calendar]\nholidays = ["2027-02-14"]\nworkdays = ["2027-02-14"]\n', "[calendar]"),
    ],
)
def test_calendar_errors_name_the_key(tmp_path: Path, section: str, key: str) -> None:
    """A bad [calendar] value stops start-up naming the key."""
    assert refused(write(tmp_path, BASE + section)).key == key


# --- operations: heartbeat, health port, timeouts, flood limits, the test clock ----------------


def test_operations_keys_are_read(tmp_path: Path) -> None:
    """Heartbeat, health port, Telegram timeout and flood limits reach the config."""
    path = write(
        tmp_path,
        BASE
        + "timeout = 20\n"
        + "[bot]\nheartbeat_seconds = 5\nhealth_port = 8081\n"
        + "[limits]\noverall = [25, 1]\ngroup = [19, 60.5]\nprivate = false\n",
    )
    config = load_config(path, {})
    assert (config.heartbeat_seconds, config.health_port, config.timeout_seconds) == (5, 8081, 20)
    assert config.limits == SendLimits(Rate(25, 1.0), Rate(19, 60.5), None)


def test_operations_defaults_are_telegrams_limits_and_no_health_server() -> None:
    """Without the keys: a 15 s heartbeat, no health port in polling mode, Telegram's limits."""
    config = load_config(None, {"BOT_TOKEN": TOKEN})
    assert (config.heartbeat_seconds, config.health_port, config.timeout_seconds) == (15, 0, 10)
    assert config.limits == SendLimits()


def test_the_health_port_comes_from_the_environment_too(tmp_path: Path) -> None:
    """HEALTH_PORT overrides the file, as a number."""
    path = write(tmp_path, BASE + "[bot]\nhealth_port = 8081\n")
    assert load_config(path, {"HEALTH_PORT": "9090"}).health_port == 9090


@pytest.mark.parametrize(
    ("text", "environ", "key"),
    [
        (BASE + "[bot]\nheartbeat_seconds = 0\n", {}, "[bot] heartbeat_seconds"),
        (BASE + "[bot]\nhealth_port = 70000\n", {}, "HEALTH_PORT ([bot] health_port)"),
        (BASE, {"HEALTH_PORT": "http"}, "HEALTH_PORT"),
        (BASE + "timeout = -1\n", {}, "[telegram] timeout"),
        (BASE + "[limits]\noverall = 30\n", {}, "[limits] overall"),
        (BASE + "[limits]\ngroup = [0, 60]\n", {}, "[limits] group"),
        (BASE + "[limits]\nprivate = [1, 0]\n", {}, "[limits] private"),
        (BASE + "[limits]\nchannel = [1, 1]\n", {}, "[limits] channel"),
    ],
)
def test_each_bad_operations_value_names_its_key(
    tmp_path: Path, text: str, environ: dict[str, str], key: str
) -> None:
    """A bad heartbeat, port, timeout or limit stops start-up naming the key."""
    assert refused(write(tmp_path, text), environ).key == key


def test_the_test_clock_reads_its_start_at_its_anchor() -> None:
    """RECTIFY_CLOCK_START/ANCHOR shift the clock; processes given the pair agree on the time."""
    start = datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    anchor = SystemClock().now() - timedelta(seconds=30)
    environ = {CLOCK_START: start.isoformat(), CLOCK_ANCHOR: str(anchor.timestamp())}
    first, second = clock_from_environment(environ), clock_from_environment(environ)
    assert isinstance(first, ShiftedClock)
    assert isinstance(second, ShiftedClock)
    assert abs(first.offset - second.offset) < timedelta(milliseconds=1)
    assert abs(first.now() - (start + timedelta(seconds=30))) < timedelta(seconds=5)
    assert isinstance(clock_from_environment({}), SystemClock)


@pytest.mark.parametrize(
    ("environ", "key"),
    [
        ({CLOCK_START: "Monday 9am"}, CLOCK_START),
        ({CLOCK_START: "2026-11-30T09:00:00"}, CLOCK_START),
        ({CLOCK_START: "2026-11-30T09:00:00+08:00", CLOCK_ANCHOR: "yesterday"}, CLOCK_ANCHOR),
    ],
)
def test_a_bad_test_clock_is_a_configuration_error(environ: dict[str, str], key: str) -> None:
    """An unreadable start (or one without its offset) or anchor is refused, naming it."""
    with pytest.raises(ConfigError) as caught:
        clock_from_environment(environ)
    assert caught.value.key == key


def test_a_missing_token_is_told_apart_from_a_malformed_one(tmp_path: Path) -> None:
    """No token at all is MissingTokenError (the playground may run); a bad one is not."""
    assert isinstance(refused(None, {}), MissingTokenError)
    assert not isinstance(refused(None, {"BOT_TOKEN": "no-colon"}), MissingTokenError)


def test_the_playground_port(tmp_path: Path) -> None:
    """8080 by default; [playground] port in the file; PLAYGROUND_PORT overrides; checked."""
    assert load_config(write(tmp_path, BASE), {}).playground_port == 8080
    path = write(tmp_path, BASE + "[playground]\nport = 9000\n")
    assert load_config(path, {}).playground_port == 9000
    assert load_config(path, {"PLAYGROUND_PORT": "9100"}).playground_port == 9100
    for bad in ("http", "0", "70000"):
        error = refused(path, {"PLAYGROUND_PORT": bad})
        assert "PLAYGROUND_PORT" in error.key
