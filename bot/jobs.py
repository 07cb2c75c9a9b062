"""The one scheduler job: a short sweep every ``sweep_seconds`` that asks the database what is due.

No job per item or per group and no job store: the reminder service decides from the database,
so restarts and several instances need nothing from the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import Application, CallbackContext, Job

from services.reminders import ReminderService

log = logging.getLogger(__name__)

SWEEP_JOB = "reminder-sweep"
FIRST_RUN_SECONDS = 10.0  # soon after start: catches up slots missed while the bot was down

AnyApp = Application[Any, Any, Any, Any, Any, Any]
JobCallback = Callable[[CallbackContext[Any, Any, Any, Any]], Coroutine[Any, Any, None]]


def sweep_callback(reminders: ReminderService) -> JobCallback:
    """The job's body: run one sweep and log what it did."""

    async def sweep(context: CallbackContext[Any, Any, Any, Any]) -> None:
        report = await reminders.sweep()
        if report.sent or report.failed or report.gone:
            log.info("reminder sweep: %s", report)
        else:
            log.debug("reminder sweep: %s", report)

    return sweep


def install_jobs(
    application: AnyApp, reminders: ReminderService, interval_seconds: float
) -> Job[Any]:
    """Schedule the repeating sweep on the Application's JobQueue and return its job.

    APScheduler skips a run that starts more than ``misfire_grace_time`` late (1 s by default,
    easily exceeded by a busy event loop), so the grace is the whole interval; late runs are
    coalesced into one and never overlap.
    """
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    return job_queue.run_repeating(
        sweep_callback(reminders),
        interval=interval_seconds,
        first=min(FIRST_RUN_SECONDS, interval_seconds),
        name=SWEEP_JOB,
        job_kwargs={
            "misfire_grace_time": max(1, int(interval_seconds)),
            "max_instances": 1,
            "coalesce": True,
        },
    )
