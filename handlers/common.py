"""What every handler shares: reading the update, knowing the actor, replying in HTML."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import ContextTypes, filters

from domain.errors import UserError
from domain.items import Actor, item_number_error
from domain.outcomes import Dispatch, DispatchedCopy, MessageRef, Outcome
from domain.people import SeenUser, join_name
from domain.problem_form import Mention
from domain.typed import CleanText, clean
from i18n import DEFAULT_LANGUAGE, t
from services.container import Services
from views.text import CAPTION_LIMIT, Keyboard, Rendered, esc, fit_message, split_html
from views.tree import dispatch_notice, followed_committee_notice, imported_notice

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
ADMIN_CACHE_SECONDS = 300.0
# A group above that cannot be asked (the bot left it, Telegram failing) is not asked again on
# every command of every branch below it for this long.
ABOVE_FAILURE_SECONDS = 60.0


class AdminCache:
    """Who acts as an admin in a chat, its administrators cached for a few minutes.

    That is the chat's Telegram administrators, the administrators of every group above it in
    the committee tree (``chats_above``), and the configured superusers.
    """

    def __init__(
        self,
        superusers: frozenset[int],
        ttl: float = ADMIN_CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        chats_above: Callable[[int], Awaitable[list[int]]] | None = None,
    ) -> None:
        self._superusers = superusers
        self._ttl = ttl
        self._monotonic = monotonic
        self._chats_above = chats_above
        self._cache: dict[int, tuple[float, frozenset[int]]] = {}  # chat: (expires, admins)

    def forget(self, chat_id: int) -> None:
        """Drop a chat's cached list (a member's rights changed)."""
        self._cache.pop(chat_id, None)

    async def is_admin(self, context: Context, chat_id: int, user_id: int) -> bool:
        """True for a superuser, or an administrator of the chat or of a group above it."""
        if user_id in self._superusers:
            return True
        if chat_id > 0:
            return False
        if user_id in await self._administrators(context, chat_id):
            return True
        above = await self._chats_above(chat_id) if self._chats_above is not None else []
        for parent_chat in above:
            if user_id in await self._administrators(context, parent_chat, above=True):
                return True
        return False

    async def _administrators(
        self, context: Context, chat_id: int, *, above: bool = False
    ) -> frozenset[int]:
        """The chat's administrators, from the cache or from Telegram (none if it fails).

        A failure is remembered for a group ``above`` (for a minute), not for the chat itself.
        """
        cached = self._cache.get(chat_id)
        if cached is None or self._monotonic() > cached[0]:
            try:
                admins = await context.bot.get_chat_administrators(chat_id)
            except TelegramError:
                log.warning("could not read administrators of %s", chat_id, exc_info=True)
                if above:
                    self._cache[chat_id] = (self._monotonic() + ABOVE_FAILURE_SECONDS, frozenset())
                return frozenset()
            cached = (self._monotonic() + self._ttl, frozenset(a.user.id for a in admins))
            self._cache[chat_id] = cached
        return cached[1]


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
    end = _command_end(message, text)
    if end is None:
        return text, 0
    start = _args_start(text, end)
    return text[start:], start


def _command_end(message: Message, text: str) -> int | None:
    """Where the leading ``/command`` ends (Python offset), None without one."""
    entities = message.entities or message.caption_entities or ()
    for entity in entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            return _python_offset(text, entity.length)
    return None


def _args_start(text: str, end: int) -> int:
    """Where the arguments start after a command ending at ``end``: spaces and a newline skipped."""
    start = end + (len(text[end:]) - len(text[end:].lstrip(" \t")))
    return start + 1 if text[start : start + 1] == "\n" else start


def _moved(mention: Mention, cleaned: CleanText, start: int) -> Mention:
    """A mention's span on the text as typed, moved onto the cleaned text after ``start``."""
    first = cleaned.position(mention.offset)
    last = cleaned.position(mention.offset + mention.length)
    username = clean(mention.username).text if mention.username else mention.username
    return Mention(first - start, last - first, username, mention.user_id, mention.name)


def typed_args(message: Message) -> tuple[str, tuple[Mention, ...]]:
    """A command's arguments as read, and the mentions in them (offsets from their start).

    Every input is read without its invisible format characters (:mod:`domain.typed`). Telegram
    counts entity offsets on the text as typed, so the spans are found there first and then
    moved onto the cleaned text.
    """
    text = message.text or message.caption or ""
    cleaned = clean(text)
    end = _command_end(message, text)
    start = 0 if end is None else _args_start(cleaned.text, cleaned.position(end))
    mentions = [_moved(m, cleaned, start) for m in mentions_in(message) if m.offset >= (end or 0)]
    return cleaned.text[start:], tuple(m for m in mentions if m.offset >= 0)


def typed_text(message: Message) -> str:
    """A message's text or caption as read: without invisible format characters."""
    return clean(message.text or message.caption or "").text


def person_name(user: User) -> str:
    """A user's name as people write it (张三, not 张 三)."""
    return join_name(user.first_name, user.last_name or "")


def is_anonymous_admin(message: Message | None, chat_id: int) -> bool:
    """True for a message an administrator posted as the group itself (from GroupAnonymousBot).

    Only administrators may post anonymously, and Telegram then names the group as the sender.
    """
    return (
        message is not None
        and message.sender_chat is not None
        and (message.sender_chat.id == chat_id and chat_id < 0)
    )


def anonymous_admin(chat_id: int, lang: str) -> Actor:
    """An anonymous administrator: an admin, named 匿名管理员, identified by the group's id."""
    return Actor(
        user_id=chat_id, name=t(lang, "actor.anonymous_admin"), is_admin=True, anonymous=True
    )


async def actor_of(
    admins: AdminCache, context: Context, update: Update, lang: str = DEFAULT_LANGUAGE
) -> Actor:
    """The user behind an update, with their admin right in this chat.

    ``lang`` names an anonymous administrator (button presses always come from a person).
    """
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        raise RuntimeError("update without user or chat")
    if is_anonymous_admin(update.message or update.edited_message, chat.id):
        return anonymous_admin(chat.id, lang)
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
    args, mentions = typed_args(message)
    lang = await language_of(services, update)
    return Request(
        chat_id=chat.id,
        is_group=chat.type != ChatType.PRIVATE,
        actor=await actor_of(admins, context, update, lang),
        args=args,
        mentions=mentions,
        lang=lang,
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


async def remove_buttons(bot: Bot, messages: Iterable[MessageRef]) -> None:
    """Take the buttons off messages whose buttons no longer apply (a withdrawn request …)."""
    for message in messages:
        chat_id, message_id = message.chat_id, message.message_id
        try:
            await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
        except TelegramError as error:  # deleted meanwhile, too old to edit, or the bot left
            log.info("buttons of message %s in %s stay: %s", message_id, chat_id, error)


async def follow_up(bot: Bot, services: Services, outcomes: Iterable[Outcome]) -> None:
    """After changes: buttons that no longer apply come off; branches whose copy moved are told."""
    for outcome in outcomes:
        await remove_buttons(bot, outcome.stale_messages)
        for followed in outcome.followed_copies:
            notice = followed_committee_notice(followed)
            await send_to_chat(bot, services, followed.branch.chat_id, Rendered(notice))


async def rewrite_messages(
    bot: Bot, chat_id: int, message_ids: Iterable[int], rendered: Rendered
) -> None:
    """Replace messages whose content no longer applies (a superseded preview …), buttons too."""
    for message_id in message_ids:
        try:
            await bot.edit_message_text(
                fit_message(rendered.text, rendered.overflow or OVERFLOW_MARK),
                chat_id,
                message_id,
                reply_markup=markup(rendered.keyboard),
                disable_web_page_preview=True,
            )
        except TelegramError as error:  # deleted meanwhile, too old to edit, or the bot left
            log.info("message %s in %s stays as it was: %s", message_id, chat_id, error)


def caption(text: str) -> str:
    """A caption for a photo or document, within Telegram's 1024 characters."""
    return fit_message(text, OVERFLOW_MARK, CAPTION_LIMIT)


ALERT_LIMIT = 200  # Telegram shows at most 200 characters in a callback alert


def error_text(lang: str, error: UserError, *, html: bool = True) -> str:
    """A user error in the chat's language; parameters escaped unless it is plain text."""
    quote = esc if html else str

    def shown(key: str, value: object) -> str:
        if key == "action":
            return t(lang, f"action.{value}")
        if key == "field_key":  # a field's name, in the chat's language
            return t(lang, f"field.{value}")
        if isinstance(value, tuple):  # names, joined as the language lists them
            return t(lang, "list.separator").join(quote(str(part)) for part in value)
        return quote(str(value))

    return t(lang, error.key, **{key: shown(key, value) for key, value in error.params.items()})


def alert_text(lang: str, error: UserError) -> str:
    """A user error for a callback alert: plain text, cut to Telegram's limit."""
    text = error_text(lang, error, html=False)
    return text if len(text) <= ALERT_LIMIT else text[: ALERT_LIMIT - 1] + "…"


def _naming_the_command(error: UserError, message: Message | None) -> UserError:
    """A bad item number's example shows the command the member typed, not always /show."""
    text = (message.text or message.caption or "") if message is not None else ""
    if error.key != "error.item_number" or not text.startswith("/"):
        return error
    command = text.split(maxsplit=1)[0][1:].partition("@")[0]
    return item_number_error(command, str(error.params.get("given", ""))) if command else error


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
            typed = update.effective_message if update.callback_query is None else None
            error = _naming_the_command(error, typed)
            # ``self`` is any handler class; each keeps its services in ``self.services``.
            services: Services = getattr(self, "services")  # noqa: B009 - S is a bare TypeVar
            lang = await language_of(services, update)
            if update.callback_query is not None:
                await update.callback_query.answer(alert_text(lang, error), show_alert=True)
            elif update.effective_message is not None:
                await reply(update.effective_message, error_text(lang, error))

    return wrapper


async def tell_chat(
    context: Context, services: Services, chat_id: int, rendered: Rendered | str
) -> bool:
    """Send a message to another group the bot is in; False (and logged) when it cannot.

    A group that removed the bot is marked inactive, like the reminder sweep does.
    """
    if isinstance(rendered, str):
        rendered = Rendered(rendered)
    return await send_to_chat(context.bot, services, chat_id, rendered)


async def send_to_chat(
    bot: Bot, services: Services, chat_id: int, rendered: Rendered, *, follow: bool = True
) -> bool:
    """:func:`tell_chat` with the bot at hand (no handler context needed).

    A group that became a supergroup unnoticed is followed once: its ledger moves to the new
    chat id and the message is sent there.
    """
    try:
        await _send_parts(bot, chat_id, rendered)
    except ChatMigrated as moved:
        if not follow:
            log.warning("chat %s migrated again, to %s; not followed", chat_id, moved.new_chat_id)
            return False
        await services.groups.migrated(chat_id, moved.new_chat_id)
        return await send_to_chat(bot, services, moved.new_chat_id, rendered, follow=False)
    except Forbidden:
        await services.groups.bot_removed(chat_id)
        return False
    except TelegramError:
        log.warning("could not write to chat %s", chat_id, exc_info=True)
        return False
    return True


async def _send_parts(bot: Bot, chat_id: int, rendered: Rendered) -> None:
    """Send ``rendered`` split to Telegram's length, its keyboard under the last part."""
    parts = split_html(rendered.text)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await bot.send_message(
            chat_id,
            part,
            reply_markup=markup(rendered.keyboard) if last else None,
            disable_web_page_preview=True,
        )


async def notify_branches(context: Context, services: Services, dispatch: Dispatch) -> None:
    """Tell each branch of a dispatch what it received, with the card's buttons to claim it."""
    committee = dispatch.outcome
    for copy in dispatch.copies:
        notice = dispatch_notice(
            copy.item, committee.group.title, committee.item.number, copy.branch
        )
        await tell_chat(context, services, copy.branch.chat_id, notice)


async def notify_imported_copies(
    context: Context, services: Services, copies: Sequence[DispatchedCopy]
) -> None:
    """Tell each branch, in one message, what a committee's import handed down to it."""
    by_branch: dict[int, list[DispatchedCopy]] = {}
    for copy in copies:
        by_branch.setdefault(copy.branch.id, []).append(copy)
    for received in by_branch.values():
        await tell_chat(context, services, received[0].branch.chat_id, imported_notice(received))
