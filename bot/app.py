"""The composition root: builds the database, services and PTB Application, wires every handler."""

from __future__ import annotations

import asyncio
import html
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Config, ConfigError
from bot.jobs import install_jobs
from bot.notifier import TelegramNotifier
from bot.ratelimit import SharedRateLimiter
from bot.updates import TolerantUpdatesRequest
from bot.web import WebServer
from domain.clock import Clock, local_today
from handlers.basics import BasicHandlers
from handlers.buttons import ButtonHandlers
from handlers.common import AdminCache, CaptionCommand, language_of
from handlers.export import ExportHandlers
from handlers.ledger import LedgerHandlers
from handlers.plan_import import ImportHandlers, PreviewReplyFilter
from handlers.settings import SettingsHandlers
from handlers.tree import TreeHandlers
from i18n import LANGUAGES, t
from services.container import Services, build_services
from services.instances import InstanceIdentity
from services.pacing import SendPacer
from services.ports import Timer
from storage.database import Database
from views import callbacks
from views.callbacks import Prefix

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
Hook = Callable[[AnyApp], Coroutine[Any, Any, None]]
ErrorCallback = Callable[[object, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]

MENU_COMMANDS = (
    "problem", "list", "show", "mine", "claim", "progress", "done", "approve", "reject",
    "extend", "summary", "stats", "branches", "import", "export", "settings", "help",
)  # fmt: skip


PROBLEM_COMMAND = r"^/(?:problem|new)(?:@\w+)?(?:\s|$)"
CLOCK_START = "RECTIFY_CLOCK_START"
CLOCK_ANCHOR = "RECTIFY_CLOCK_ANCHOR"


class SystemClock:
    """The real clock: the only place that reads the system time."""

    def now(self) -> datetime:
        """Return the current instant in UTC."""
        return datetime.now(UTC)


class ShiftedClock:
    """The system clock moved by a fixed offset: real time, from an instant a test chose."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset
        self._system = SystemClock()

    def now(self) -> datetime:
        """The system time plus the offset."""
        return self._system.now() + self.offset


class SystemTimer:
    """Real elapsed time for pacing and retries (``services.ports.Timer``)."""

    def time(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of real time."""
        await asyncio.sleep(max(0.0, seconds))


def clock_from_environment(environ: Mapping[str, str]) -> Clock:
    """The system clock, or — for tests and the playground only — a shifted one.

    ``RECTIFY_CLOCK_START`` (an ISO instant with its offset, e.g.
    ``2026-11-30T09:00:00+08:00``) makes the bot's clock read that instant at
    ``RECTIFY_CLOCK_ANCHOR`` (Unix seconds; by default, when the process starts) and run on at
    real speed from there. Processes given the same pair share one clock, so a restarted bot
    lives in the same time as the one it replaces. Never set in production.
    """
    start = environ.get(CLOCK_START, "").strip()
    if not start:
        return SystemClock()
    try:
        instant = datetime.fromisoformat(start)
    except ValueError as error:
        raise ConfigError(
            CLOCK_START, "must be an ISO instant such as 2026-11-30T09:00:00+08:00"
        ) from error
    if instant.tzinfo is None:
        raise ConfigError(CLOCK_START, "needs its UTC offset (…+08:00 or …Z)")
    anchor_text = environ.get(CLOCK_ANCHOR, "").strip()
    try:
        anchor = datetime.fromtimestamp(float(anchor_text), UTC) if anchor_text else None
    except ValueError as error:
        raise ConfigError(CLOCK_ANCHOR, "must be Unix seconds") from error
    offset = instant - (anchor or SystemClock().now())
    log.warning("the clock is shifted for testing: %s reads as %s", anchor or "now", instant)
    return ShiftedClock(offset)


def this_process() -> InstanceIdentity:
    """This process as an instance: host, pid and a random part (pids are reused)."""
    host = socket.gethostname()
    pid = os.getpid()
    return InstanceIdentity(f"{host}:{pid}:{uuid.uuid4().hex[:8]}", host, pid)


@dataclass
class Runtime:
    """What one running bot holds: the PTB application, the database and the services."""

    application: AnyApp
    db: Database
    services: Services
    config: Config
    pacer: SendPacer
    web: WebServer | None = None  # set by ``bot.run.start`` when it serves HTTP


def build_runtime(
    config: Config,
    clock: Clock | None = None,
    *,
    timer: Timer | None = None,
    identity: InstanceIdentity | None = None,
) -> Runtime:
    """Construct everything the bot needs, without starting it (``bot.run`` starts it)."""
    db = Database.from_url(config.database_url)
    timer = timer or SystemTimer()
    pacer = SendPacer(db, config.limits, timer)
    application = (
        Application.builder()
        .token(config.token)
        .base_url(config.base_url)
        .base_file_url(config.effective_base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=ZoneInfo(config.defaults.timezone)))
        .rate_limiter(SharedRateLimiter(pacer, timer))
        .get_updates_request(TolerantUpdatesRequest())
        .connect_timeout(config.timeout_seconds)
        .read_timeout(config.timeout_seconds)
        .write_timeout(config.timeout_seconds)
        .build()
    )
    notifier = TelegramNotifier(application.bot, timer)
    clock = clock or SystemClock()
    services = build_services(
        db,
        clock,
        config.defaults,
        notifier,
        config.calendar,
        identity=identity or this_process(),
        heartbeat=timedelta(seconds=config.heartbeat_seconds),
        sweep_interval=timedelta(seconds=config.sweep_seconds),
    )
    _warn_unknown_holidays(config, clock)
    # The hooks need the services, and the services need the application's bot.
    application.post_init = _on_start(db, services)
    application.post_shutdown = _on_stop(db, services)
    admins = AdminCache(config.superusers, chats_above=services.tree.chats_above)
    register_handlers(application, services, admins)
    application.add_error_handler(_error_handler(services))
    install_jobs(application, services, config.sweep_seconds, config.heartbeat_seconds)
    return Runtime(application, db, services, config, pacer)


def _warn_unknown_holidays(config: Config, clock: Clock) -> None:
    """Say in the log when this year's or next year's holidays are not known yet."""
    today = local_today(clock, ZoneInfo(config.defaults.timezone))
    missing = config.calendar.unknown_years(today)
    if missing:
        log.warning(
            "the public holidays of %s are not known: add them under [calendar] in the "
            "configuration (see the README); until then working days are counted Monday to Friday",
            ", ".join(str(year) for year in missing),
        )


def register_handlers(application: AnyApp, services: Services, admins: AdminCache) -> None:
    """Every handler, in one visible block."""
    basics = BasicHandlers(services, admins)
    ledger = LedgerHandlers(services, admins)
    buttons = ButtonHandlers(services, admins)
    settings = SettingsHandlers(services, admins)
    imports = ImportHandlers(services, admins)
    export = ExportHandlers(services, admins)
    tree = TreeHandlers(services, admins)
    commands = {
        ("start", "help"): basics.start,
        ("problem", "new"): ledger.problem,
        ("list",): ledger.list,
        ("show",): ledger.show,
        ("claim",): ledger.claim,
        ("assign",): ledger.assign,
        ("progress",): ledger.progress,
        ("done",): ledger.done,
        ("tick",): ledger.tick,
        ("approve",): ledger.approve,
        ("reject",): ledger.reject,
        ("reopen",): ledger.reopen,
        ("edit",): ledger.edit,
        ("delete",): ledger.delete,
        ("undelete",): ledger.undelete,
        ("due",): ledger.due,
        ("extend",): ledger.extend,
        ("mine",): ledger.mine,
        ("stats",): ledger.stats,
        ("lang",): ledger.lang,
        ("settings",): settings.settings,
        ("summary",): settings.summary,
        ("import",): imports.import_plan,
        ("export",): export.export,
        ("link",): tree.link,
        ("join",): tree.join,
        ("unlink",): tree.unlink,
        ("branches",): tree.branches,
        ("dispatch",): tree.dispatch,
    }
    buttons_by_prefix = {
        Prefix.CLAIM: buttons.card_action,
        Prefix.DONE: buttons.card_action,
        Prefix.APPROVE: buttons.card_action,
        Prefix.PROGRESS: buttons.prompt,
        Prefix.REJECT: buttons.prompt,
        Prefix.DEADLINE: buttons.set_deadline,
        Prefix.PICK_DEADLINE: buttons.pick_deadline,
        Prefix.EXTENSION: buttons.decide_extension,
        Prefix.PAGE: buttons.page,
        Prefix.IMPORT: imports.pressed,
        Prefix.DISPATCH: tree.dispatch_pressed,
        Prefix.PROGRESS_PAGE: buttons.progress_page,
    }
    caption_commands = {
        "progress": ledger.progress,
        "done": ledger.done,
        "import": imports.import_plan,
    }
    application.add_handler(TypeHandler(Update, basics.record), group=-1)
    application.add_handler(
        ChatMemberHandler(basics.bot_membership, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(ChatMemberHandler(basics.member_changed, ChatMemberHandler.CHAT_MEMBER))
    # Only new messages: editing a sent command must not run it a second time.
    new = filters.UpdateType.MESSAGE
    for names, callback in commands.items():
        application.add_handler(CommandHandler(list(names), callback, filters=new))
    for name, callback in caption_commands.items():
        with_file = filters.PHOTO | filters.Document.ALL
        application.add_handler(MessageHandler(new & with_file & CaptionCommand(name), callback))
    for prefix, pressed in buttons_by_prefix.items():
        application.add_handler(CallbackQueryHandler(pressed, pattern=callbacks.pattern(prefix)))
    application.add_handler(CallbackQueryHandler(buttons.unknown))
    replies = new & filters.REPLY & filters.ChatType.GROUPS & ~filters.COMMAND
    # A reply to an import preview corrects it; any other reply to the bot goes to the ledger.
    application.add_handler(
        MessageHandler(replies & filters.TEXT & PreviewReplyFilter(), imports.correct)
    )
    application.add_handler(
        MessageHandler(
            replies
            & ~filters.CaptionRegex(r"^/")
            & (filters.TEXT | filters.PHOTO | filters.Document.ALL),
            ledger.reply_to_bot,
        )
    )
    application.add_handler(MessageHandler(new & filters.COMMAND, basics.unknown))
    # Editing a sent /problem changes nothing: say so once, and how to change the item.
    edited_problem = filters.UpdateType.EDITED_MESSAGE & filters.Regex(PROBLEM_COMMAND)
    application.add_handler(MessageHandler(edited_problem, ledger.problem_edited))


def _on_start(db: Database, services: Services) -> Hook:
    async def on_start(application: AnyApp) -> None:
        await db.upgrade()
        await services.instances.start()
        try:
            await set_command_menu(application)
        except TelegramError:  # the menu is a convenience; Telegram may be down right now
            log.warning("could not set the command menu", exc_info=True)
        log.info("rectify-bot started as @%s", application.bot.username)

    return on_start


def _on_stop(db: Database, services: Services) -> Hook:
    async def on_stop(application: AnyApp) -> None:
        try:
            await services.instances.stop()
        finally:
            await db.close()
        log.info("rectify-bot stopped")

    return on_stop


async def set_command_menu(application: AnyApp) -> None:
    """Register the command menu: Chinese by default, English for English-speaking clients."""
    for lang in LANGUAGES:
        commands = [BotCommand(name, t(lang, f"menu.{name}")) for name in MENU_COMMANDS]
        await application.bot.set_my_commands(
            commands, language_code=None if lang == "zh" else lang
        )


def _error_handler(services: Services) -> ErrorCallback:
    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log every unexpected failure with its traceback and tell the user something failed."""
        error = context.error
        if isinstance(error, Forbidden):
            log.warning("forbidden: %s", error)
            return
        log.error("unhandled error while handling an update", exc_info=error)
        if isinstance(update, Update):
            await _tell_user(services, update, type(error).__name__)

    return on_error


async def _tell_user(services: Services, update: Update, detail: str) -> None:
    """Say that something failed (and stop a pressed button's spinner); never raise again."""
    try:
        lang = await language_of(services, update)
    except Exception:  # the database may be what failed: fall back to the default language
        lang = services.groups.defaults.language
    text = t(lang, "error.internal", detail=html.escape(detail))
    message = update.effective_message
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(html.unescape(text)[:200], show_alert=True)
        elif message is not None and (message.text or message.caption or "").startswith("/"):
            # Only someone who asked for something is told; ordinary chatter that failed to be
            # recorded (say, a locked database) must not draw an answer.
            await message.reply_text(text)
    except TelegramError:
        log.warning("could not report the error to the chat", exc_info=True)
