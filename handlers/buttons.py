"""Inline buttons: card actions, deadline choices, extension decisions and list pages."""

from __future__ import annotations

from telegram import CallbackQuery, ForceReply, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from domain.items import OwnerRef
from domain.listing import ListFilter
from handlers.common import (
    AdminCache,
    Context,
    actor_of,
    friendly,
    language_of,
    markup,
)
from handlers.ledger import LedgerHandlers
from i18n import t
from services.container import Services
from views import outcomes as replies
from views.text import Rendered, split_html


async def edit_in_place(query: CallbackQuery, rendered: Rendered) -> None:
    """Replace the pressed message with the new rendering (unchanged text is fine)."""
    text = split_html(rendered.text)[0]
    try:
        await query.edit_message_text(
            text, reply_markup=markup(rendered.keyboard), disable_web_page_preview=True
        )
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


CARD_EVENTS = {"claim": "claimed", "done": "done", "approve": "approved"}


class ButtonHandlers:
    """One callback handler that dispatches on the button's data."""

    def __init__(self, services: Services, admins: AdminCache, ledger: LedgerHandlers) -> None:
        self.services = services
        self.admins = admins
        self.ledger = ledger

    @friendly
    async def pressed(self, update: Update, context: Context) -> None:
        """Route a button press by the first field of its data."""
        query = update.callback_query
        chat = update.effective_chat
        if query is None or chat is None or not query.data:
            return
        action, _, rest = query.data.partition(":")
        lang = await language_of(self.services, update)
        if action in CARD_EVENTS:
            await self._card_action(update, context, query, action, int(rest), lang)
        elif action in ("progress", "reject"):
            await self._prompt(update, context, query, action, int(rest), lang)
        elif action == "setdue":
            await self._set_due(update, context, query, rest, lang)
        elif action == "ext":
            await self._decide_extension(update, context, query, rest, lang)
        elif action == "page":
            await self._page(update, context, query, rest, lang)
        else:
            await query.answer()

    async def _card_action(
        self,
        update: Update,
        context: Context,
        query: CallbackQuery,
        action: str,
        number: int,
        lang: str,
    ) -> None:
        actor = await actor_of(self.admins, context, update)
        ledger = self.services.ledger
        chat_id = _chat_id(update)
        calls = {
            "claim": lambda: ledger.claim(chat_id, actor, number),
            "done": lambda: ledger.done(chat_id, actor, number, "", None),
            "approve": lambda: ledger.approve(chat_id, actor, number, ""),
        }
        outcome = await calls[action]()
        event = CARD_EVENTS[action]
        await query.answer(t(lang, f"button.answer.{event}"))
        await edit_in_place(query, replies.changed(outcome, event, lang))

    async def _prompt(
        self,
        update: Update,
        context: Context,
        query: CallbackQuery,
        kind: str,
        number: int,
        lang: str,
    ) -> None:
        """Ask for a reply with progress or a reason, once the presser is known to be allowed."""
        actor = await actor_of(self.admins, context, update)
        await self.services.ledger.check_allowed(_chat_id(update), actor, number, kind)
        await query.answer()
        if query.message is None:
            return
        await query.get_bot().send_message(
            query.message.chat.id,
            replies.prompt(kind, number, lang),
            # Not selective: the prompt mentions nobody, so a selective box would open for no one.
            reply_markup=ForceReply(selective=False),
            reply_to_message_id=query.message.message_id,
        )

    async def _set_due(
        self, update: Update, context: Context, query: CallbackQuery, rest: str, lang: str
    ) -> None:
        number_text, _, choice = rest.partition(":")
        actor = await actor_of(self.admins, context, update)
        outcome = await self.services.ledger.set_deadline_text(
            _chat_id(update), actor, int(number_text), replies.choice_phrase(choice), first=True
        )
        answer = "deadline" if outcome.deadline is not None else "deadline_later"
        await query.answer(t(lang, f"button.answer.{answer}"))
        await edit_in_place(query, replies.deadline_changed(outcome, lang))

    async def _decide_extension(
        self, update: Update, context: Context, query: CallbackQuery, rest: str, lang: str
    ) -> None:
        ident, _, verdict = rest.partition(":")
        actor = await actor_of(self.admins, context, update)
        approve = verdict == "y"
        outcome = await self.services.ledger.decide_extension(
            _chat_id(update), actor, int(ident), approve
        )
        await query.answer(t(lang, "button.answer.extension"))
        await edit_in_place(query, replies.extension_decided(outcome, approve, actor.name, lang))

    async def _page(
        self, update: Update, context: Context, query: CallbackQuery, rest: str, lang: str
    ) -> None:
        which_text, _, page_text = rest.rpartition(":")
        actor = await actor_of(self.admins, context, update)
        page = int(page_text)
        if which_text == "mine":
            chat = update.effective_chat
            in_group = chat is not None and chat.type != ChatType.PRIVATE
            listing = await self.services.ledger.mine(actor, _chat_id(update) if in_group else None)
            await query.answer()
            await edit_in_place(query, self.ledger.mine_page(listing, page, lang))
            return
        who = _owner_from_page_data(which_text)
        which = ListFilter.USER if who else ListFilter(which_text)
        listing = await self.services.ledger.list_items(_chat_id(update), actor, which, who)
        await query.answer()
        await edit_in_place(query, self.ledger.list_page(listing, which, who, page, lang))


def _owner_from_page_data(which_text: str) -> OwnerRef | None:
    """``u=name`` or ``u=123`` in a page button names the owner being listed."""
    if not which_text.startswith("u="):
        return None
    key = which_text[2:]
    if key.isdigit():
        return OwnerRef(name=key, user_id=int(key))
    return OwnerRef(f"@{key}", username=key)


def _chat_id(update: Update) -> int:
    if update.effective_chat is None:
        raise RuntimeError("button without chat")
    return update.effective_chat.id
