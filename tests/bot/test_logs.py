"""Logging: the bot token never reaches a log line, whatever carries it."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bot.logs import FORMAT, RedactingFormatter, SkippedRunFilter, setup_logging

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
URL = f"https://api.telegram.org/bot{TOKEN}/getUpdates"


@contextmanager
def captured(token: str) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A private logger writing through a RedactingFormatter into a string buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter(token))
    logger = logging.getLogger(f"tests.bot.logs.{id(stream)}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)


def test_token_in_the_message_is_redacted() -> None:
    """A token written into the message itself is replaced by <token>."""
    with captured(TOKEN) as (log, out):
        log.info(f"polling {URL}")
    assert TOKEN not in out.getvalue()
    assert "polling https://api.telegram.org/bot<token>/getUpdates" in out.getvalue()


def test_token_in_percent_arguments_is_redacted() -> None:
    """A token passed as a %-style argument (httpx logs URLs this way) is redacted."""
    with captured(TOKEN) as (log, out):
        log.warning('HTTP Request: %s %s "%s"', "POST", URL, "HTTP/1.1 409 Conflict")
    line = out.getvalue()
    assert TOKEN not in line
    assert "POST https://api.telegram.org/bot<token>/getUpdates" in line
    assert "409 Conflict" in line


def test_every_occurrence_is_redacted() -> None:
    """Several copies of the token in one line are all replaced."""
    with captured(TOKEN) as (log, out):
        log.error("%s and %s and %s", TOKEN, URL, TOKEN)
    assert TOKEN not in out.getvalue()
    assert out.getvalue().count("<token>") == 3


def test_token_in_a_traceback_is_redacted() -> None:
    """An exception whose text or chain contains the token is logged with it redacted."""
    with captured(TOKEN) as (log, out):
        try:
            try:
                raise ConnectionError(f"cannot reach {URL}")
            except ConnectionError as error:
                raise RuntimeError(f"request to {URL} failed") from error
        except RuntimeError:
            log.exception("sweep failed")
    text = out.getvalue()
    assert TOKEN not in text
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: request to https://api.telegram.org/bot<token>/getUpdates" in text
    assert "ConnectionError: cannot reach https://api.telegram.org/bot<token>" in text


def test_token_in_stack_info_is_redacted() -> None:
    """stack_info=True output is redacted like the rest of the line."""
    with captured(TOKEN) as (log, out):
        log.info("where am I, %s", TOKEN, stack_info=True)
    assert "Stack (most recent call last)" in out.getvalue()
    assert TOKEN not in out.getvalue()


def test_lines_without_the_token_are_unchanged() -> None:
    """Redaction changes nothing else: the line is what the plain format gives."""
    record = logging.LogRecord("rectify_bot", logging.INFO, __file__, 1, "sent %d", (3,), None)
    assert RedactingFormatter(TOKEN).format(record) == logging.Formatter(FORMAT).format(record)


def test_an_empty_token_redacts_nothing() -> None:
    """With no token configured, lines are left alone (not '<token>' between every letter)."""
    record = logging.LogRecord("rectify_bot", logging.INFO, __file__, 1, "sent %d", (3,), None)
    assert RedactingFormatter("").format(record) == logging.Formatter(FORMAT).format(record)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger and the quietened loggers back as they were."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    noisy = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "apscheduler")}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, old in noisy.items():
            logging.getLogger(name).setLevel(old)


@pytest.mark.usefixtures("restore_logging")
def test_setup_logging_writes_redacted_lines_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    """After setup, root logging goes to stdout at the level asked, token redacted."""
    setup_logging("INFO", TOKEN)
    logging.getLogger("rectify_bot.test").debug("hidden %s", TOKEN)
    logging.getLogger("rectify_bot.test").info("calling %s", URL)
    out = capsys.readouterr().out
    assert "hidden" not in out
    assert "INFO rectify_bot.test: calling https://api.telegram.org/bot<token>/getUpdates" in out
    assert TOKEN not in out


@pytest.mark.usefixtures("restore_logging")
def test_setup_logging_quietens_http_and_scheduler_chatter() -> None:
    """httpx, httpcore and apscheduler log warnings only, even at DEBUG."""
    setup_logging("DEBUG", TOKEN)
    assert logging.getLogger().level == logging.DEBUG
    for name in ("httpx", "httpcore", "apscheduler"):
        assert logging.getLogger(name).level == logging.WARNING


def test_a_sweep_outlasting_its_interval_is_not_warned_about() -> None:
    """APScheduler's "skipped: maximum number of running instances" is dropped; others pass."""
    skipped = logging.LogRecord(
        "apscheduler.scheduler",
        logging.WARNING,
        __file__,
        1,
        'Execution of job "%s" skipped: maximum number of running instances reached (%d)',
        ("reminder-sweep", 1),
        None,
    )
    other = logging.LogRecord(
        "apscheduler.scheduler", logging.WARNING, __file__, 1, "Run time was missed", (), None
    )
    assert not SkippedRunFilter().filter(skipped)
    assert SkippedRunFilter().filter(other)
