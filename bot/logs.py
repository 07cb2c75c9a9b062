"""Logging to stdout, with the bot token redacted from every line."""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes the token (URLs and tracebacks included)."""

    def __init__(self, token: str) -> None:
        super().__init__(FORMAT)
        self._token = token

    def format(self, record: logging.LogRecord) -> str:
        """The formatted line with the token replaced by ``<token>``."""
        line = super().format(record)
        return line.replace(self._token, "<token>") if self._token else line


class SkippedRunFilter(logging.Filter):
    """Drops APScheduler's warning that a run was skipped because the last one still runs.

    A Monday fan-out paced at Telegram's rate outlasts the sweep interval by design; the next
    sweep starts when it is due after that, so the skip is expected, not a problem.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """False for the skipped-run warning, True for everything else."""
        return "maximum number of running instances reached" not in record.getMessage()


def setup_logging(level: str, token: str) -> None:
    """Configure the root logger once: stdout, %-style, httpx quiet, token redacted."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(RedactingFormatter(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    scheduler = logging.getLogger("apscheduler.scheduler")
    if not any(isinstance(f, SkippedRunFilter) for f in scheduler.filters):
        scheduler.addFilter(SkippedRunFilter())
