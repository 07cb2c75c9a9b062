"""The bundle of services the handlers and jobs call (built once, in ``bot.app``)."""

from __future__ import annotations

from dataclasses import dataclass

from rectify_bot.domain.clock import Clock
from rectify_bot.domain.settings import GroupSettings
from rectify_bot.services.groups import GroupService
from rectify_bot.services.ledger import LedgerService
from rectify_bot.storage.database import Database


@dataclass(frozen=True)
class Services:
    """Every use case, sharing one database and one clock."""

    groups: GroupService
    ledger: LedgerService
    clock: Clock


def build_services(db: Database, clock: Clock, defaults: GroupSettings) -> Services:
    """Construct every service around one database and clock."""
    return Services(
        groups=GroupService(db, clock, defaults),
        ledger=LedgerService(db, clock, defaults),
        clock=clock,
    )
