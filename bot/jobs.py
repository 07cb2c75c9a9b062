"""The scheduler jobs: the reminder sweep and this instance's heartbeat.

A short sweep every ``sweep_seconds`` asks the database what is due. No job per item or per
group and no job store: the reminder service decides from the database, so restarts and
several instances need nothing from the scheduler. The heartbeat (every
``heartbeat_seconds``) keeps this instance's claims on scheduled messages alive
(``services.instances``); it touches only the database, so it keeps beating while Telegram is
unreachable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import Application, CallbackContext, Job

from services.container import Services
from services.reminders import ReminderService

log = logging.getLogger(__name__)

SWEEP_JOB = "reminder-sweep"
HEARTBEAT_JOB = "instance-heartbeat"
FIRST_RUN_SECONDS = 10.0  # soon after start: catches up slots missed while the bot was down

AnyApp = Application[Any, Any, Any, Any, Any, Any]
JobCallback = Callable[[CallbackContext[Any, Any, Any, Any]], Coroutine[Any, Any, None]]


def sweep_callback(reminders: ReminderService) -> JobCallback:
    """The job's body: run one sweep and log what it did."""

    async def sweep(context: CallbackContext[Any, Any, Any, Any]) -> None:
        report = await reminders.sweep()
        if report.sent or report.failed or report.gone or report.deferred:
            log.info("reminder sweep: %s", report)
        else:
            log.debug("reminder sweep: %s", report)

    return sweep


def heartbeat_callback(services: Services) -> JobCallback:
    """The heartbeat's body: this instance is alive (and when it last swept)."""

    async def beat(context: CallbackContext[Any, Any, Any, Any]) -> None:
        await services.instances.beat(services.reminders.status().last_finished_at)

    return beat


def _repeating(interval_seconds: float) -> dict[str, Any]:
    """APScheduler options of a repeating job.

    APScheduler skips a run that starts more than ``misfire_grace_time`` late (1 s by default,
    easily exceeded by a busy event loop), so the grace is the whole interval; late runs are
    coalesced into one and never overlap.
    """
    return {
        "misfire_grace_time": max(1, int(interval_seconds)),
        "max_instances": 1,
        "coalesce": True,
    }


def install_jobs(
    application: AnyApp,
    services: Services,
    interval_seconds: float,
    heartbeat_seconds: float = 15.0,
) -> Job[Any]:
    """Schedule the repeating sweep and the heartbeat on the JobQueue; return the sweep's job."""
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    job_queue.run_repeating(
        heartbeat_callback(services),
        interval=heartbeat_seconds,
        first=heartbeat_seconds,
        name=HEARTBEAT_JOB,
        job_kwargs=_repeating(heartbeat_seconds),
    )
    return job_queue.run_repeating(
        sweep_callback(services.reminders),
        interval=interval_seconds,
        first=min(FIRST_RUN_SECONDS, interval_seconds),
        name=SWEEP_JOB,
        job_kwargs=_repeating(interval_seconds),
    )
