"""What every handler shares: reading the update, knowing the actor, replying in HTML."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes, filters

from domain.errors import UserError
from domain.items import Actor
from domain.people import SeenUser, join_name
from domain.problem_form import Mention
from i18n import t
from services.container import Services
from views.text import CAPTION_LIMIT, Keyboard, Rendered, esc, fit_message, split_html

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
ADMIN_CACHE_SECONDS = 300.0


class AdminCache:
    """Telegram administrators per chat, cached for a few minutes; superusers always count."""

    def __init__(
        self,
        superusers: frozenset[int],
        ttl: float = ADMIN_CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._superusers = superusers
        self._ttl = ttl
        self._monotonic = monotonic
        self._cache: dict[int, tuple[float, frozenset[int]]] = {}

    def forget(self, chat_id: int) -> None:
        """Drop a chat's cached list (a member's rights changed)."""
        self._cache.pop(chat_id, None)

    async def is_admin(self, context: Context, chat_id: int, user_id: int) -> bool:
        """True for a superuser or an administrator/creator of the chat."""
        if user_id in self._superusers:
            return True
        if chat_id > 0:
            return False
        cached = self._cache.get(chat_id)
        if cached is None or self._monotonic() - cached[0] > self._ttl:
            try:
                admins = await context.bot.get_chat_administrators(chat_id)
            except TelegramError:
                log.warning("could not read administrators of %s", chat_id, exc_info=True)
                return False
            cached = (self._monotonic(), frozenset(a.user.id for a in admins))
            self._cache[chat_id] = cached
        return user_id in cached[1]


class CaptionCommand(filters.MessageFilter):
    """A file whose caption starts with ``/name`` or ``/name@<this bot>`` (not another bot's)."""

    def __init__(self, name: str) -> None:
        super().__init__(name=f"CaptionCommand({name})")
        self._pattern = re.compile(rf"^/{re.escape(name)}(?:@(\w+))?(?:\s|$)", re.IGNORECASE)

    def filter(self, message: Message) -> bool:
        """True when the caption is this command, addressed to no bot or to this one."""
        match = self._pattern.match(message.caption or "")
        if match is None:
            return False
        addressee = match.group(1)
        return addressee is None or addressee.lower() == (message.get_bot().username or "").lower()


@dataclass(frozen=True)
class Request:
    """One command as the services need it: where, who, what was typed, and in which language."""

    chat_id: int
    is_group: bool
    actor: Actor
    args: str
    mentions: tuple[Mention, ...]
    lang: str
    message: Message


def seen_user(user: User) -> SeenUser:
    """A Telegram user as the services record it."""
    return SeenUser(
        user_id=user.id,
        first_name=user.first_name,
        last_name=user.last_name or "",
        username=user.username,
        language_code=user.language_code or "",
    )


def _python_offset(text: str, utf16_offset: int) -> int:
    """Telegram counts UTF-16 code units; Python counts code points."""
    return len(text.encode("utf-16-le")[: utf16_offset * 2].decode("utf-16-le", errors="ignore"))


def mentions_in(message: Message) -> tuple[Mention, ...]:
    """@username and text mentions of a message (text or caption) with Python offsets."""
    text = message.text or message.caption or ""
    entities = message.entities or message.caption_entities or ()
    found: list[Mention] = []
    for entity in entities:
        if entity.type not in (MessageEntity.MENTION, MessageEntity.TEXT_MENTION):
            continue
        start = _python_offset(text, entity.offset)
        end = _python_offset(text, entity.offset + entity.length)
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            user = entity.user
            found.append(
                Mention(
                    start,
                    end - start,
                    username=user.username,
                    user_id=user.id,
                    name=person_name(user),
                )
            )
        else:
            found.append(Mention(start, end - start, username=text[start + 1 : end]))
    return tuple(found)


def command_args(message: Message) -> tuple[str, int]:
    """The text after the leading ``/command`` (newlines kept) and where it starts."""
    text = message.text or message.caption or ""
    entities = message.entities or message.caption_entities or ()
    for entity in entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            end = _python_offset(text, entity.length)
            start = end + (len(text[end:]) - len(text[end:].lstrip(" \t")))
            if text[start : start + 1] == "\n":
                start += 1
            return text[start:], start
    return text, 0


def person_name(user: User) -> str:
    """A user's name as people write it (张三, not 张 三)."""
    return join_name(user.first_name, user.last_name or "")


async def actor_of(admins: AdminCache, context: Context, update: Update) -> Actor:
    """The user behind an update, with their admin right in this chat."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        raise RuntimeError("update without user or chat")
    is_admin = chat.type != ChatType.PRIVATE and await admins.is_admin(context, chat.id, user.id)
    return Actor(user_id=user.id, name=person_name(user), username=user.username, is_admin=is_admin)


async def language_of(services: Services, update: Update) -> str:
    """The language of the chat an update came from."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is not None and chat.type != ChatType.PRIVATE:
        group = await services.groups.context(chat.id)
        if group is not None:
            return group.lang
    if user is not None:
        return await services.groups.user_language(user.id)
    return services.groups.defaults.language


async def read_group_request(
    services: Services, admins: AdminCache, update: Update, context: Context
) -> Request:
    """Like ``read_request``, for commands that only make sense in a group."""
    request = await read_request(services, admins, update, context)
    if not request.is_group:
        raise UserError("error.group_only")
    return request


async def read_request(
    services: Services, admins: AdminCache, update: Update, context: Context
) -> Request:
    """Everything a command handler needs from the update."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        raise RuntimeError("command without message")
    args, offset = command_args(message)
    mentions = tuple(
        Mention(m.offset - offset, m.length, m.username, m.user_id, m.name)
        for m in mentions_in(message)
        if m.offset >= offset
    )
    return Request(
        chat_id=chat.id,
        is_group=chat.type != ChatType.PRIVATE,
        actor=await actor_of(admins, context, update),
        args=args,
        mentions=mentions,
        lang=await language_of(services, update),
        message=message,
    )


def markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    """Inline keyboard for a rendered message, or nothing."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in keyboard]
    )


async def reply(message: Message, rendered: Rendered | str) -> Message:
    """Answer a message; long answers go out as several messages, buttons on the last."""
    if isinstance(rendered, str):
        rendered = Rendered(rendered)
    parts = split_html(rendered.text)
    sent = message
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        sent = await message.reply_html(
            part,
            reply_markup=markup(rendered.keyboard) if last else None,
            disable_web_page_preview=True,
            do_quote=index == 0,
        )
    return sent


OVERFLOW_MARK = "…"  # ends a cut message whose view did not say how to see the rest


async def edit_in_place(query: CallbackQuery, rendered: Rendered) -> None:
    """Replace the pressed message with the new rendering (unchanged text is fine).

    An edited message cannot become two: a rendering too long for one message is cut at a line
    end and ends with the view's ``overflow`` line, which says how to see the rest.
    """
    text = fit_message(rendered.text, rendered.overflow or OVERFLOW_MARK)
    try:
        await query.edit_message_text(
            text, reply_markup=markup(rendered.keyboard), disable_web_page_preview=True
        )
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


def caption(text: str) -> str:
    """A caption for a photo or document, within Telegram's 1024 characters."""
    return fit_message(text, OVERFLOW_MARK, CAPTION_LIMIT)


ALERT_LIMIT = 200  # Telegram shows at most 200 characters in a callback alert


def error_text(lang: str, error: UserError, *, html: bool = True) -> str:
    """A user error in the chat's language; parameters escaped unless it is plain text."""
    quote = esc if html else str
    params = {
        key: t(lang, f"action.{value}") if key == "action" else quote(value)
        for key, value in error.params.items()
    }
    return t(lang, error.key, **params)


def alert_text(lang: str, error: UserError) -> str:
    """A user error for a callback alert: plain text, cut to Telegram's limit."""
    text = error_text(lang, error, html=False)
    return text if len(text) <= ALERT_LIMIT else text[: ALERT_LIMIT - 1] + "…"


S = TypeVar("S")


def friendly(
    method: Callable[[S, Update, Context], Coroutine[Any, Any, None]],
) -> Callable[[S, Update, Context], Coroutine[Any, Any, None]]:
    """Turn expected user errors into a reply; everything else reaches the global error handler."""

    @wraps(method)
    async def wrapper(self: S, update: Update, context: Context) -> None:
        try:
            await method(self, update, context)
        except UserError as error:
            # ``self`` is any handler class; each keeps its services in ``self.services``.
            services: Services = getattr(self, "services")  # noqa: B009 - S is a bare TypeVar
            lang = await language_of(services, update)
            if update.callback_query is not None:
                await update.callback_query.answer(alert_text(lang, error), show_alert=True)
            elif update.effective_message is not None:
                await reply(update.effective_message, error_text(lang, error))

    return wrapper
