"""Ledger commands: /problem, /list, /show, /claim, /assign, /progress, /done and the rest."""

from __future__ import annotations

from telegram import Message, Update

from domain.errors import UserError
from domain.items import OwnerRef, parse_item_number
from domain.listing import ListFilter, read_list_filter, wants_files
from domain.outcomes import Outcome
from domain.problem_form import parse_owner_list
from handlers.common import (
    AdminCache,
    Context,
    Request,
    caption,
    friendly,
    person_name,
    read_group_request,
    read_request,
    reply,
)
from i18n import LANGUAGES, t
from services.container import Services
from services.ledger import Evidence
from views import outcomes
from views.callbacks import Prefix
from views.cards import item_full, list_page, mine_page
from views.stats import stats_text
from views.text import esc


def evidence_of(message: Message) -> Evidence | None:
    """A photo or document sent with the command, or in the message it replies to."""
    for candidate in (message, message.reply_to_message):
        if candidate is None:
            continue
        if candidate.photo:
            return Evidence(candidate.photo[-1].file_id, "photo")
        if candidate.document is not None:
            return Evidence(candidate.document.file_id, "document")
    return None


def _number_and_rest(request: Request, usage: str) -> tuple[int, str]:
    """Split the arguments into the item number and the rest (after a space or a newline)."""
    parts = request.args.strip().split(maxsplit=1)
    if not parts:
        raise UserError("error.usage", usage=t(request.lang, f"usage.{usage}"))
    return parse_item_number(parts[0]), parts[1].strip() if len(parts) > 1 else ""


class LedgerHandlers:
    """Thin handlers: read the update, call one service, reply with rendered text."""

    def __init__(self, services: Services, admins: AdminCache) -> None:
        self.services = services
        self.admins = admins

    async def _request(self, update: Update, context: Context) -> Request:
        return await read_group_request(self.services, self.admins, update, context)

    async def _answer(self, request: Request, outcome: Outcome, event: str) -> None:
        await reply(request.message, outcomes.changed(outcome, event, request.lang))

    # --- registering ---------------------------------------------------------------------------

    @friendly
    async def problem(self, update: Update, context: Context) -> None:
        """/problem (alias /new): register an item in one of the three forms."""
        request = await self._request(update, context)
        replied = request.message.reply_to_message
        ledger = self.services.ledger
        if replied is not None and (replied.text or replied.caption):
            outcome = await self._register_reply(request, replied)
        else:
            outcome = await ledger.register_text(
                request.chat_id, request.actor, request.args, request.mentions
            )
        await reply(request.message, outcomes.registered(outcome, request.lang))

    async def _register_reply(self, request: Request, replied: Message) -> Outcome:
        """``/problem [时限]`` as a reply: the replied member's text becomes the problem."""
        author = replied.from_user
        if author is not None and author.is_bot:
            if not request.args.strip():
                raise UserError("error.reply_bot_message")
            return await self.services.ledger.register_text(
                request.chat_id, request.actor, request.args, request.mentions
            )
        owner = OwnerRef(person_name(author), author.id, author.username) if author else None
        return await self.services.ledger.register_reply(
            request.chat_id,
            request.actor,
            replied.text or replied.caption or "",
            owner,
            request.args,
            request.mentions,
        )

    # --- reading -------------------------------------------------------------------------------

    @friendly
    async def show(self, update: Update, context: Context) -> None:
        """/show N [附件]: the full card, or the item's files sent back."""
        request = await self._request(update, context)
        number, rest = _number_and_rest(request, "show")
        outcome = await self.services.ledger.show(
            request.chat_id, number, include_deleted=request.actor.is_admin
        )
        if wants_files(rest):
            await self._send_files(request, outcome)
            return
        settings = outcome.group.settings
        await reply(request.message, item_full(outcome.item, outcome.today, settings, request.lang))

    async def _send_files(self, request: Request, outcome: Outcome) -> None:
        files = [p for p in outcome.item.progress if p.file_id]
        if not files:
            raise UserError("error.no_files", number=outcome.item.number)
        for entry in files:
            text = t(
                request.lang,
                "card.file_caption",
                number=outcome.item.number,
                author=esc(entry.author),
            )
            if entry.file_kind == "photo":
                await request.message.reply_photo(entry.file_id or "", caption=caption(text))
            else:
                await request.message.reply_document(entry.file_id or "", caption=caption(text))

    @friendly
    async def list(self, update: Update, context: Context) -> None:
        """/list [open|overdue|pending|done|all|mine|@user]."""
        request = await self._request(update, context)
        which, who = _list_filter(request)
        await self.send_list(request, which, who, page=0)

    async def send_list(
        self, request: Request, which: ListFilter, who: OwnerRef | None, page: int
    ) -> None:
        """Render one page of a list as a reply."""
        listing = await self.services.ledger.list_items(request.chat_id, request.actor, which, who)
        await reply(request.message, list_page(listing, which, who, page, request.lang))

    @friendly
    async def mine(self, update: Update, context: Context) -> None:
        """/mine: my open items here, or across all my groups in a private chat."""
        request = await read_request(self.services, self.admins, update, context)
        chat_id = request.chat_id if request.is_group else None
        listing = await self.services.ledger.mine(request.actor, chat_id)
        await reply(request.message, mine_page(listing, 0, request.lang))

    @friendly
    async def stats(self, update: Update, context: Context) -> None:
        """/stats: totals, 整改率, overdue, by category, owner and unit."""
        request = await self._request(update, context)
        listing = await self.services.ledger.group_items(request.chat_id)
        text = stats_text(listing.title, listing.items, listing.today, request.lang)
        await reply(request.message, text)

    # --- changing ------------------------------------------------------------------------------

    @friendly
    async def claim(self, update: Update, context: Context) -> None:
        """/claim N: 认领."""
        request = await self._request(update, context)
        number, _ = _number_and_rest(request, "claim")
        outcome = await self.services.ledger.claim(request.chat_id, request.actor, number)
        await self._answer(request, outcome, "claimed")

    @friendly
    async def assign(self, update: Update, context: Context) -> None:
        """/assign N @a @b 张三 (or as a reply to someone's message)."""
        request = await self._request(update, context)
        number, rest = _number_and_rest(request, "assign")
        start = request.args.find(rest) if rest else 0
        owners = parse_owner_list(rest, request.mentions, start) if rest else []
        replied = request.message.reply_to_message
        if (
            not owners
            and replied is not None
            and replied.from_user
            and not replied.from_user.is_bot
        ):
            person = replied.from_user
            owners = [OwnerRef(person_name(person), person.id, person.username)]
        outcome = await self.services.ledger.assign(request.chat_id, request.actor, number, owners)
        await self._answer(request, outcome, "assigned")

    @friendly
    async def progress(self, update: Update, context: Context) -> None:
        """/progress N text (a photo or document may come with it)."""
        request = await self._request(update, context)
        number, text = _number_and_rest(request, "progress")
        evidence = evidence_of(request.message)
        outcome = await self.services.ledger.progress(
            request.chat_id, request.actor, number, text, evidence
        )
        await self._answer(request, outcome, "progress")

    @friendly
    async def done(self, update: Update, context: Context) -> None:
        """/done N [说明]: 申请销号."""
        request = await self._request(update, context)
        number, note = _number_and_rest(request, "done")
        evidence = evidence_of(request.message)
        outcome = await self.services.ledger.done(
            request.chat_id, request.actor, number, note, evidence
        )
        await self._answer(request, outcome, "done")

    @friendly
    async def tick(self, update: Update, context: Context) -> None:
        """/tick N 措施序号: mark measures done."""
        request = await self._request(update, context)
        number, typed = _number_and_rest(request, "tick")
        if not typed:
            raise UserError("error.usage", usage=t(request.lang, "usage.tick"))
        outcome = await self.services.ledger.tick(request.chat_id, request.actor, number, typed)
        await self._answer(request, outcome, "ticked")

    @friendly
    async def approve(self, update: Update, context: Context) -> None:
        """/approve N [意见]: 验收通过, 销号."""
        request = await self._request(update, context)
        number, comment = _number_and_rest(request, "approve")
        outcome = await self.services.ledger.approve(
            request.chat_id, request.actor, number, comment
        )
        await self._answer(request, outcome, "approved")

    @friendly
    async def reject(self, update: Update, context: Context) -> None:
        """/reject N 原因: 退回."""
        request = await self._request(update, context)
        number, reason = _number_and_rest(request, "reject")
        outcome = await self.services.ledger.reject(request.chat_id, request.actor, number, reason)
        await self._answer(request, outcome, "rejected")

    @friendly
    async def reopen(self, update: Update, context: Context) -> None:
        """/reopen N 原因."""
        request = await self._request(update, context)
        number, reason = _number_and_rest(request, "reopen")
        outcome = await self.services.ledger.reopen(request.chat_id, request.actor, number, reason)
        await self._answer(request, outcome, "reopened")

    @friendly
    async def edit(self, update: Update, context: Context) -> None:
        """/edit N 字段 值."""
        request = await self._request(update, context)
        number, rest = _number_and_rest(request, "edit")
        field_name, _, value = rest.replace("\n", " ", 1).partition(" ")
        if not field_name or not value.strip():
            raise UserError("error.usage", usage=t(request.lang, "usage.edit"))
        outcome = await self.services.ledger.edit(
            request.chat_id, request.actor, number, field_name, value
        )
        await self._answer(request, outcome, "edited")

    @friendly
    async def delete(self, update: Update, context: Context) -> None:
        """/delete N: soft delete."""
        request = await self._request(update, context)
        number, _ = _number_and_rest(request, "delete")
        outcome = await self.services.ledger.delete(request.chat_id, request.actor, number)
        await reply(request.message, outcomes.simple(outcome, "deleted", request.lang))

    @friendly
    async def undelete(self, update: Update, context: Context) -> None:
        """/undelete N: restore."""
        request = await self._request(update, context)
        number, _ = _number_and_rest(request, "undelete")
        outcome = await self.services.ledger.undelete(request.chat_id, request.actor, number)
        await self._answer(request, outcome, "undeleted")

    @friendly
    async def due(self, update: Update, context: Context) -> None:
        """/due N 新时限: an admin sets the deadline directly."""
        request = await self._request(update, context)
        number, phrase = _number_and_rest(request, "due")
        if not phrase:
            raise UserError("error.usage", usage=t(request.lang, "usage.due"))
        outcome = await self.services.ledger.set_deadline_text(
            request.chat_id, request.actor, number, phrase, first=False
        )
        await reply(request.message, outcomes.deadline_changed(outcome, request.lang))

    @friendly
    async def extend(self, update: Update, context: Context) -> None:
        """/extend N 新时限 原因: 延期申请, decided by admins with buttons."""
        request = await self._request(update, context)
        number, rest = _number_and_rest(request, "extend")
        if not rest:
            raise UserError("error.usage", usage=t(request.lang, "usage.extend"))
        outcome = await self.services.ledger.request_extension_text(
            request.chat_id, request.actor, number, rest
        )
        await reply(request.message, outcomes.extension_requested(outcome, request.lang))

    @friendly
    async def lang(self, update: Update, context: Context) -> None:
        """/lang zh|en (admin)."""
        request = await self._request(update, context)
        choice = request.args.strip().lower()
        if choice not in LANGUAGES:
            raise UserError("error.usage", usage=t(request.lang, "usage.lang"))
        group = await self.services.groups.change_setting(
            request.chat_id, "language", choice, actor=request.actor
        )
        await reply(request.message, t(group.lang, "lang.changed"))

    # --- replies to the bot's own messages -----------------------------------------------------

    @friendly
    async def reply_to_bot(self, update: Update, context: Context) -> None:
        """A reply to an item card or a prompt: progress, or the reason asked for."""
        message = update.effective_message
        if message is None or message.reply_to_message is None:
            return
        replied = message.reply_to_message
        if replied.from_user is None or replied.from_user.id != context.bot.id:
            return
        request = await self._request(update, context)
        target = outcomes.reply_target(replied.text or "", button_data(replied), request.lang)
        if target is None:
            return
        kind, number = target
        text = (message.text or message.caption or "").strip()
        ledger = self.services.ledger
        if kind is Prefix.REJECT:
            outcome = await ledger.reject(request.chat_id, request.actor, number, text)
        else:
            evidence = evidence_of(message)
            try:
                outcome = await ledger.progress(
                    request.chat_id, request.actor, number, text, evidence
                )
            except UserError as error:
                if error.key == "error.owner_only":
                    return  # a bystander's "收到" under a card is conversation, not a report
                raise
        await self._answer(request, outcome, "rejected" if kind is Prefix.REJECT else "progress")


def button_data(message: Message) -> list[str]:
    """The callback data of a message's inline buttons."""
    markup = message.reply_markup
    if markup is None:
        return []
    return [str(b.callback_data) for row in markup.inline_keyboard for b in row if b.callback_data]


def _list_filter(request: Request) -> tuple[ListFilter, OwnerRef | None]:
    """``/list`` argument: a filter word, an @user, or a text mention."""
    if request.mentions:
        return ListFilter.USER, request.mentions[0].owner()
    word = request.args.strip()
    if word.startswith("@") and len(word) > 1:
        return ListFilter.USER, OwnerRef(name=word, username=word[1:])
    return read_list_filter(word), None
