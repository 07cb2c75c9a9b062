"""The bundle of services the handlers and jobs call (built once, in ``bot.app``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.clock import Clock
from domain.settings import GroupSettings
from domain.workdays import PACKAGE_CALENDAR, HolidayCalendar
from services.dispatch import DispatchService
from services.export import ExportService
from services.groups import GroupService
from services.instances import InstanceIdentity, InstanceService
from services.ledger import LedgerService
from services.plan_import import ImportService
from services.ports import Notifier
from services.reminders import ReminderService
from services.tree import TreeService
from storage.database import Database


@dataclass(frozen=True)
class Services:
    """Every use case, sharing one database and one clock."""

    groups: GroupService
    ledger: LedgerService
    plan_import: ImportService
    export: ExportService
    reminders: ReminderService
    tree: TreeService
    dispatch: DispatchService
    instances: InstanceService


def build_services(
    db: Database,
    clock: Clock,
    defaults: GroupSettings,
    notifier: Notifier | None = None,
    calendar: HolidayCalendar = PACKAGE_CALENDAR,
    *,
    identity: InstanceIdentity | None = None,
    heartbeat: timedelta = timedelta(seconds=15),
    sweep_interval: timedelta = timedelta(seconds=60),
) -> Services:
    """Construct every service around one database, clock and holiday calendar.

    ``notifier`` sends scheduled messages; without one the reminder sweep refuses to run
    (``/summary`` still works), so production passes the Telegram notifier (``bot.app``).
    ``calendar`` is the configured holidays over the package's (``[calendar]``): every service
    that reads a deadline counts working days with it. ``identity`` is this process as an
    instance (its claims on scheduled messages last as long as its ``heartbeat``); without
    one, an ad-hoc identity that is never registered.
    """
    me = identity or InstanceIdentity.ad_hoc()
    return Services(
        groups=GroupService(db, clock, defaults, calendar),
        ledger=LedgerService(db, clock, defaults, calendar),
        plan_import=ImportService(db, clock, defaults, calendar),
        export=ExportService(db, clock, defaults),
        reminders=ReminderService(db, clock, defaults, notifier, owner=me.id),
        tree=TreeService(db, clock, defaults),
        dispatch=DispatchService(db, clock, defaults),
        instances=InstanceService(
            db, clock, me, heartbeat=heartbeat, sweep_interval=sweep_interval
        ),
    )
