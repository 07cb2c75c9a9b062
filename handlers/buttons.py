"""Inline buttons under cards and lists: one method per callback prefix (``views.callbacks``)."""

from __future__ import annotations

from typing import TypeVar

from telegram import CallbackQuery, ForceReply, Update
from telegram.constants import ChatType

from domain.outcomes import Outcome
from handlers.common import (
    AdminCache,
    Context,
    actor_of,
    edit_in_place,
    follow_up,
    friendly,
    language_of,
)
from i18n import t
from services.container import Services
from views import outcomes
from views.callbacks import (
    ButtonData,
    CardButton,
    DeadlineButton,
    DeadlinePickButton,
    ExtensionButton,
    PageButton,
    Prefix,
    ProgressPageButton,
    unpack,
)
from views.cards import MINE_LISTING, item_full_page, list_page, mine_page, read_listing_key

B = TypeVar("B", bound=ButtonData)

# What a card button does, and the word its headline and its answer use.
CARD_EVENTS = {Prefix.CLAIM: "claimed", Prefix.DONE: "done", Prefix.APPROVE: "approved"}


def _pressed(update: Update, kind: type[B]) -> tuple[CallbackQuery, B] | None:
    """The query and its unpacked data, when the data is of the expected kind."""
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return None
    button = unpack(query.data)
    return (query, button) if isinstance(button, kind) else None


def _chat_id(update: Update) -> int:
    if update.effective_chat is None:
        raise RuntimeError("button without chat")
    return update.effective_chat.id


class ButtonHandlers:
    """Thin handlers: unpack the button, call one service, edit the message in place."""

    def __init__(self, services: Services, admins: AdminCache) -> None:
        self.services = services
        self.admins = admins

    @friendly
    async def card_action(self, update: Update, context: Context) -> None:
        """[认领] [申请销号] [通过]: act on the card's item and redraw the card."""
        pressed = _pressed(update, CardButton)
        if pressed is None or pressed[1].action not in CARD_EVENTS:
            await self.unknown(update, context)
            return
        query, button = pressed
        outcome = await self._card_call(update, context, button)
        event = CARD_EVENTS[button.action]
        lang = await language_of(self.services, update)
        await query.answer(t(lang, f"button.answer.{event}"))
        await edit_in_place(query, outcomes.changed(outcome, event, lang))
        await follow_up(query.get_bot(), self.services, [outcome])

    async def _card_call(self, update: Update, context: Context, button: CardButton) -> Outcome:
        actor = await actor_of(self.admins, context, update)
        ledger, chat_id, number = self.services.ledger, _chat_id(update), button.number
        if button.action is Prefix.CLAIM:
            return await ledger.claim(chat_id, actor, number)
        if button.action is Prefix.DONE:
            return await ledger.done(chat_id, actor, number, "", None)
        return await ledger.approve(chat_id, actor, number, "")

    @friendly
    async def prompt(self, update: Update, context: Context) -> None:
        """[报进展] [退回]: ask for a reply with progress or a reason, if the presser may."""
        pressed = _pressed(update, CardButton)
        if pressed is None:
            await self.unknown(update, context)
            return
        query, button = pressed
        actor = await actor_of(self.admins, context, update)
        await self.services.ledger.check_allowed(
            _chat_id(update), actor, button.number, button.action.value
        )
        await query.answer()
        if query.message is None:
            return
        lang = await language_of(self.services, update)
        await query.get_bot().send_message(
            query.message.chat.id,
            outcomes.prompt(button.action, button.number, lang),
            # Not selective: the prompt mentions nobody, so a selective box would open for no one.
            reply_markup=ForceReply(selective=False),
            reply_to_message_id=query.message.message_id,
        )

    @friendly
    async def set_deadline(self, update: Update, context: Context) -> None:
        """本周内 / 月底前 / … / 暂不设定 under a new card without a deadline."""
        pressed = _pressed(update, DeadlineButton)
        if pressed is None:
            await self.unknown(update, context)
            return
        query, button = pressed
        actor = await actor_of(self.admins, context, update)
        phrase = outcomes.choice_phrase(button.choice)
        outcome = await self.services.ledger.set_deadline_text(
            _chat_id(update), actor, button.number, phrase, first=True
        )
        lang = await language_of(self.services, update)
        answer = "deadline" if outcome.deadline is not None else "deadline_later"
        await query.answer(t(lang, f"button.answer.{answer}"))
        await edit_in_place(query, outcomes.deadline_changed(outcome, lang))
        await follow_up(query.get_bot(), self.services, [outcome])

    @friendly
    async def pick_deadline(self, update: Update, context: Context) -> None:
        """One of the deadlines a /problem line named: it becomes the deadline."""
        pressed = _pressed(update, DeadlinePickButton)
        if pressed is None:
            await self.unknown(update, context)
            return
        query, button = pressed
        actor = await actor_of(self.admins, context, update)
        outcome = await self.services.ledger.choose_deadline(
            _chat_id(update), actor, button.number, button.index
        )
        lang = await language_of(self.services, update)
        await query.answer(t(lang, "button.answer.deadline"))
        await edit_in_place(query, outcomes.deadline_changed(outcome, lang))
        await follow_up(query.get_bot(), self.services, [outcome])

    @friendly
    async def decide_extension(self, update: Update, context: Context) -> None:
        """[同意] [驳回] under an extension request (admins)."""
        pressed = _pressed(update, ExtensionButton)
        if pressed is None:
            await self.unknown(update, context)
            return
        query, button = pressed
        actor = await actor_of(self.admins, context, update)
        outcome = await self.services.ledger.decide_extension(
            _chat_id(update), actor, button.extension_id, button.approve
        )
        lang = await language_of(self.services, update)
        await query.answer(t(lang, "button.answer.extension"))
        rendered = outcomes.extension_decided(outcome, button.approve, actor.name, lang)
        await edit_in_place(query, rendered)
        await follow_up(query.get_bot(), self.services, [outcome])

    @friendly
    async def page(self, update: Update, context: Context) -> None:
        """◀ ▶ under ``/list`` and ``/mine``: show another page of the same listing."""
        pressed = _pressed(update, PageButton)
        if pressed is None:
            await self.unknown(update, context)
            return
        query, button = pressed
        actor = await actor_of(self.admins, context, update)
        lang = await language_of(self.services, update)
        ledger = self.services.ledger
        if button.listing == MINE_LISTING:
            chat = update.effective_chat
            in_group = chat is not None and chat.type != ChatType.PRIVATE
            listing = await ledger.mine(actor, _chat_id(update) if in_group else None)
            await query.answer()
            await edit_in_place(query, mine_page(listing, button.page, lang))
            return
        which, who = read_listing_key(button.listing)
        listing = await ledger.list_items(_chat_id(update), actor, which, who)
        await query.answer()
        await edit_in_place(query, list_page(listing, which, who, button.page, lang))

    @friendly
    async def progress_page(self, update: Update, context: Context) -> None:
        """◀ 更早 / 更近 ▶ under ``/show``: the same item with another page of its progress."""
        pressed = _pressed(update, ProgressPageButton)
        if pressed is None:
            await self.unknown(update, context)
            return
        query, button = pressed
        actor = await actor_of(self.admins, context, update)
        outcome = await self.services.ledger.show(
            _chat_id(update), button.number, include_deleted=actor.is_admin
        )
        lang = await language_of(self.services, update)
        settings = outcome.group.settings
        await query.answer()
        await edit_in_place(
            query, item_full_page(outcome.item, outcome.today, settings, lang, button.page)
        )

    async def unknown(self, update: Update, context: Context) -> None:
        """A button whose data this bot does not know (another version's, or forged): no-op."""
        if update.callback_query is not None:
            await update.callback_query.answer()
