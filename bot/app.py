"""The composition root: builds the database, services and PTB Application, wires every handler."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
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

from bot.config import Config
from bot.jobs import install_jobs
from bot.notifier import TelegramNotifier
from domain.clock import Clock
from handlers.basics import BasicHandlers
from handlers.buttons import ButtonHandlers
from handlers.common import AdminCache, CaptionCommand, language_of
from handlers.export import ExportHandlers
from handlers.ledger import LedgerHandlers
from handlers.plan_import import ImportHandlers
from handlers.settings import SettingsHandlers
from i18n import LANGUAGES, t
from services.container import Services, build_services
from storage.database import Database
from views import callbacks
from views.callbacks import Prefix

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
Hook = Callable[[AnyApp], Coroutine[Any, Any, None]]
ErrorCallback = Callable[[object, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]

MENU_COMMANDS = (
    "problem", "list", "show", "mine", "claim", "progress", "done", "approve", "reject",
    "extend", "summary", "stats", "import", "export", "settings", "help",
)  # fmt: skip


class SystemClock:
    """The real clock: the only place that reads the system time."""

    def now(self) -> datetime:
        """Return the current instant in UTC."""
        return datetime.now(UTC)


@dataclass
class Runtime:
    """What one running bot holds: the PTB application, the database and the services."""

    application: AnyApp
    db: Database
    services: Services


def build_runtime(config: Config, clock: Clock | None = None) -> Runtime:
    """Construct everything the bot needs, without starting it."""
    db = Database.from_url(config.database_url)
    application = (
        Application.builder()
        .token(config.token)
        .base_url(config.base_url)
        .base_file_url(config.effective_base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=ZoneInfo(config.defaults.timezone)))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(_on_start(db))
        .post_shutdown(_on_stop(db))
        .build()
    )
    notifier = TelegramNotifier(application.bot)
    services = build_services(db, clock or SystemClock(), config.defaults, notifier)
    register_handlers(application, services, AdminCache(config.superusers))
    application.add_error_handler(_error_handler(services))
    install_jobs(application, services.reminders, config.sweep_seconds)
    return Runtime(application, db, services)


def register_handlers(application: AnyApp, services: Services, admins: AdminCache) -> None:
    """Every handler, in one visible block."""
    basics = BasicHandlers(services, admins)
    ledger = LedgerHandlers(services, admins)
    buttons = ButtonHandlers(services, admins)
    settings = SettingsHandlers(services, admins)
    imports = ImportHandlers(services, admins)
    export = ExportHandlers(services, admins)
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
    }
    buttons_by_prefix = {
        Prefix.CLAIM: buttons.card_action,
        Prefix.DONE: buttons.card_action,
        Prefix.APPROVE: buttons.card_action,
        Prefix.PROGRESS: buttons.prompt,
        Prefix.REJECT: buttons.prompt,
        Prefix.DEADLINE: buttons.set_deadline,
        Prefix.EXTENSION: buttons.decide_extension,
        Prefix.PAGE: buttons.page,
        Prefix.IMPORT: imports.pressed,
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
    application.add_handler(
        MessageHandler(
            new
            & filters.REPLY
            & filters.ChatType.GROUPS
            & ~filters.COMMAND
            & ~filters.CaptionRegex(r"^/")
            & (filters.TEXT | filters.PHOTO | filters.Document.ALL),
            ledger.reply_to_bot,
        )
    )
    application.add_handler(MessageHandler(new & filters.COMMAND, basics.unknown))


def _on_start(db: Database) -> Hook:
    async def on_start(application: AnyApp) -> None:
        await db.upgrade()
        await set_command_menu(application)
        log.info("rectify-bot started as @%s", application.bot.username)

    return on_start


def _on_stop(db: Database) -> Hook:
    async def on_stop(application: AnyApp) -> None:
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
