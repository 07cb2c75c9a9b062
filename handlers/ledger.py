"""Ledger commands: /problem, /list, /show, /claim, /assign, /progress, /done and the rest."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Message, Update

from domain.acknowledgements import is_acknowledgement
from domain.deadline import is_month_day
from domain.errors import UserError
from domain.items import (
    OwnerRef,
    names_items,
    parse_item_number,
    parse_item_numbers,
    reply_about_item,
    split_item_ref,
)
from domain.listing import ListFilter, read_list_filter, wants_files
from domain.members import typed_username
from domain.outcomes import Outcome
from domain.problem_form import parse_owner_list
from handlers.common import (
    AdminCache,
    Context,
    Request,
    caption,
    error_text,
    follow_up,
    friendly,
    is_anonymous_admin,
    language_of,
    notify_branches,
    person_name,
    read_group_request,
    read_request,
    reply,
    typed_text,
)
from i18n import LANGUAGES, t
from services.container import Services
from services.ledger import Evidence
from views import outcomes
from views.callbacks import Prefix
from views.cards import item_full, list_page, mine_page
from views.stats import stats_text
from views.text import esc
from views.tree import below_card, registered_and_dispatched


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


def _number_and_rest(
    request: Request, usage: str, *, numbers_follow: bool = False, date_follows: bool = False
) -> tuple[int, str]:
    """Split the arguments into the item number and the rest (after a space or a newline).

    These commands act on one item: more item numbers after the first are refused with an
    example, unless numbers follow by design (``/tick 12 1 3`` names measures). After a command
    that takes a date (``date_follows``), ``12-31`` is December 31, not the items 12 to 31.
    """
    parts = request.args.strip().split(maxsplit=1)
    if not parts:
        raise UserError("error.usage", usage=t(request.lang, f"usage.{usage}"))
    rest = parts[1].strip() if len(parts) > 1 else ""
    a_date = date_follows and is_month_day(rest.split(maxsplit=1)[0] if rest else "")
    if not numbers_follow and not a_date and names_items(rest):
        example = t(request.lang, f"usage.{usage}")
        raise UserError("error.one_item", command=usage, given=rest, usage=example)
    return parse_item_number(parts[0]), rest


def _numbers_and_rest(request: Request, usage: str) -> tuple[tuple[int, ...], str]:
    """The items named (``1 2 3``, ``3-5``) and the rest, for commands that take several."""
    if not request.args.strip():
        raise UserError("error.usage", usage=t(request.lang, f"usage.{usage}"))
    return parse_item_numbers(request.args)


V = TypeVar("V")
ItemAction = Callable[[int, str], Awaitable[Outcome]]  # an item's number, the words after
REMEMBERED_MESSAGES = 1000  # /problem messages whose item an edit can name


class RegisteredMessages:
    """Which item each recent /problem message registered, and which edits were answered.

    Kept in memory: after a restart (or on another instance) an edit is still answered, with
    ``/edit 编号`` in general words instead of the item's number.
    """

    def __init__(self, size: int = REMEMBERED_MESSAGES) -> None:
        self._size = size
        self._numbers: OrderedDict[tuple[int, int], int] = OrderedDict()
        self._answered: OrderedDict[tuple[int, int], None] = OrderedDict()

    def registered(self, chat_id: int, message_id: int, number: int) -> None:
        """Message ``message_id`` registered item ``number``."""
        self._keep(self._numbers, (chat_id, message_id), number)

    def first_edit(self, chat_id: int, message_id: int) -> bool:
        """True the first time an edit of this message is seen."""
        key = (chat_id, message_id)
        if key in self._answered:
            return False
        self._keep(self._answered, key, None)
        return True

    def number(self, chat_id: int, message_id: int) -> int | None:
        """The item this message registered, if remembered."""
        return self._numbers.get((chat_id, message_id))

    def _keep(self, table: OrderedDict[tuple[int, int], V], key: tuple[int, int], value: V) -> None:
        table[key] = value
        while len(table) > self._size:
            table.popitem(last=False)


class LedgerHandlers:
    """Thin handlers: read the update, call one service, reply with rendered text."""

    def __init__(self, services: Services, admins: AdminCache) -> None:
        self.services = services
        self.admins = admins
        self.registered = RegisteredMessages()

    async def _request(self, update: Update, context: Context) -> Request:
        return await read_group_request(self.services, self.admins, update, context)

    async def _answer(self, request: Request, outcome: Outcome, event: str) -> None:
        await reply(request.message, outcomes.changed(outcome, event, request.lang))
        await self._tidy(request, outcome)

    async def _each(self, request: Request, usage: str, event: str, act: ItemAction) -> None:
        """Act on every item named (``/delete 1 2 3``, ``/approve 3-5 同意``) and report each.

        One item gets the usual answer; several get one answer with a line for each, a refusal
        for one item not stopping the others (each is its own change).
        """
        numbers, rest = _numbers_and_rest(request, usage)
        if len(numbers) == 1:
            outcome = await act(numbers[0], rest)
            if event == "deleted":
                await reply(request.message, outcomes.simple(outcome, event, request.lang))
            else:
                await reply(request.message, outcomes.changed(outcome, event, request.lang))
            await self._tidy(request, outcome)
            return
        lines: list[str] = []
        done: list[Outcome] = []
        for number in numbers:
            try:
                outcome = await act(number, rest)
            except UserError as error:
                lines.append(
                    t(request.lang, "batch.refused", reason=error_text(request.lang, error))
                )
                continue
            done.append(outcome)
            lines.append(outcomes.batch_line(outcome, event, request.lang))
        summary = outcomes.batch(usage, event, len(numbers), len(done), lines, request.lang)
        await reply(request.message, summary)
        await follow_up(request.message.get_bot(), self.services, done)

    async def _tidy(self, request: Request, outcome: Outcome) -> None:
        """Remove the buttons the change made moot; tell the branches whose copies closed."""
        await follow_up(request.message.get_bot(), self.services, [outcome])

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
        message_id = request.message.message_id
        self.registered.registered(request.chat_id, message_id, outcome.item.number)
        dispatch = outcome.dispatch  # a committee's 责任单位 naming branches handed it down
        await reply(request.message, registered_and_dispatched(outcome, dispatch, request.lang))
        if dispatch is not None:
            await notify_branches(context, self.services, dispatch)

    async def problem_edited(self, update: Update, context: Context) -> None:
        """An edited /problem message: say once that edits are not applied, and how to edit."""
        message = update.edited_message
        if message is None or not _addressed_to(message, context.bot.username):
            return
        if not self.registered.first_edit(message.chat_id, message.message_id):
            return
        lang = await language_of(self.services, update)
        number = self.registered.number(message.chat_id, message.message_id)
        if number is None:
            await reply(message, t(lang, "edit.not_applied_unknown"))
        else:
            await reply(message, t(lang, "edit.not_applied", number=number))

    async def _register_reply(self, request: Request, replied: Message) -> Outcome:
        """``/problem [时限]`` as a reply: the replied member's text becomes the problem."""
        author = replied.from_user
        anonymous = is_anonymous_admin(replied, request.chat_id)  # a person, but nobody named
        if author is not None and author.is_bot and not anonymous:
            if not request.args.strip():
                raise UserError("error.reply_bot_message")
            return await self.services.ledger.register_text(
                request.chat_id, request.actor, request.args, request.mentions
            )
        owner = None
        if author is not None and not anonymous:
            owner = OwnerRef(person_name(author), author.id, author.username)
        return await self.services.ledger.register_reply(
            request.chat_id,
            request.actor,
            typed_text(replied),
            owner,
            request.args,
            request.mentions,
        )

    # --- reading -------------------------------------------------------------------------------

    @friendly
    async def show(self, update: Update, context: Context) -> None:
        """/show N [附件]: the full card, or the item's files sent back."""
        request = await self._request(update, context)
        if not request.args.strip():
            raise UserError("error.usage", usage=t(request.lang, "usage.show"))
        group, number, rest = split_item_ref(request.args)
        if names_items(rest):
            usage = t(request.lang, "usage.show")
            raise UserError("error.one_item", command="show", given=rest, usage=usage)
        ledger, deleted_too = self.services.ledger, request.actor.is_admin
        if group:
            outcome = await ledger.show_below(
                request.chat_id, group, number, include_deleted=deleted_too
            )
        else:
            outcome = await ledger.show(request.chat_id, number, include_deleted=deleted_too)
        if wants_files(rest):
            await self._send_files(request, outcome)
            return
        settings = outcome.group.settings
        card = item_full(outcome.item, outcome.today, settings, request.lang)
        await reply(request.message, card if not group else below_card(card, outcome, request.lang))

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
        which, who = await self._list_filter(request)
        await self.send_list(request, which, who, page=0)

    async def _list_filter(self, request: Request) -> tuple[ListFilter, OwnerRef | None]:
        """``/list`` argument: a filter word, an @user, a text mention, or a member's name."""
        if request.mentions:
            return ListFilter.USER, request.mentions[0].owner()
        word = request.args.strip()
        username = typed_username(word)
        if username is not None:
            return ListFilter.USER, OwnerRef(name=f"@{username}", username=username)
        try:
            return read_list_filter(word), None
        except UserError:
            who = await self.services.ledger.person_named(request.chat_id, word)
            if who is None:
                raise
            return ListFilter.USER, who

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
        """/claim N (or several: /claim 1 2, /claim 3-5): 认领."""
        request = await self._request(update, context)
        ledger, chat_id, actor = self.services.ledger, request.chat_id, request.actor
        await self._each(request, "claim", "claimed", lambda n, _: ledger.claim(chat_id, actor, n))

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
        await self._report(request, number, text, evidence_of(request.message))

    async def _report(
        self, request: Request, number: int, text: str, evidence: Evidence | None
    ) -> None:
        """推进情况 — or, for a text that only acknowledges (收到, 👍 …), 已签收."""
        ledger = self.services.ledger
        if evidence is None and is_acknowledgement(text):
            outcome = await ledger.acknowledge(request.chat_id, request.actor, number, text)
            await reply(request.message, outcomes.acknowledged(outcome, request.lang))
            return
        outcome = await ledger.progress(request.chat_id, request.actor, number, text, evidence)
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
        number, typed = _number_and_rest(request, "tick", numbers_follow=True)
        if not typed:
            raise UserError("error.usage", usage=t(request.lang, "usage.tick"))
        outcome = await self.services.ledger.tick(request.chat_id, request.actor, number, typed)
        await self._answer(request, outcome, "ticked")

    @friendly
    async def approve(self, update: Update, context: Context) -> None:
        """/approve N [意见] (or several: /approve 3-5): 验收通过, 销号."""
        request = await self._request(update, context)
        ledger, chat_id, actor = self.services.ledger, request.chat_id, request.actor
        await self._each(
            request,
            "approve",
            "approved",
            lambda n, comment: ledger.approve(chat_id, actor, n, comment),
        )

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
        """/delete N (or several: /delete 1 2 3): soft delete."""
        request = await self._request(update, context)
        ledger, chat_id, actor = self.services.ledger, request.chat_id, request.actor
        await self._each(
            request, "delete", "deleted", lambda n, _: ledger.delete(chat_id, actor, n)
        )

    @friendly
    async def undelete(self, update: Update, context: Context) -> None:
        """/undelete N (or several: /undelete 1-3): restore."""
        request = await self._request(update, context)
        ledger, chat_id, actor = self.services.ledger, request.chat_id, request.actor
        await self._each(
            request, "undelete", "undeleted", lambda n, _: ledger.undelete(chat_id, actor, n)
        )

    @friendly
    async def due(self, update: Update, context: Context) -> None:
        """/due N 新时限: an admin sets the deadline directly."""
        request = await self._request(update, context)
        number, phrase = _number_and_rest(request, "due", date_follows=True)
        if not phrase:
            raise UserError("error.usage", usage=t(request.lang, "usage.due"))
        outcome = await self.services.ledger.set_deadline_text(
            request.chat_id, request.actor, number, phrase, first=False
        )
        await reply(request.message, outcomes.deadline_changed(outcome, request.lang))
        await self._tidy(request, outcome)

    @friendly
    async def extend(self, update: Update, context: Context) -> None:
        """/extend N 新时限 原因: 延期申请, decided by admins with buttons."""
        request = await self._request(update, context)
        number, rest = _number_and_rest(request, "extend", date_follows=True)
        if not rest:
            raise UserError("error.usage", usage=t(request.lang, "usage.extend"))
        ledger = self.services.ledger
        outcome = await ledger.request_extension_text(request.chat_id, request.actor, number, rest)
        sent = await reply(request.message, outcomes.extension_requested(outcome, request.lang))
        if outcome.extension_id is not None:
            await ledger.remember_extension_message(
                request.chat_id, outcome.extension_id, sent.message_id
            )

    @friendly
    async def lang(self, update: Update, context: Context) -> None:
        """/lang zh|en (admin)."""
        request = await self._request(update, context)
        choice = request.args.strip().lower()
        if choice not in LANGUAGES:
            raise UserError("error.usage", usage=t(request.lang, "usage.lang"))
        group = await self.services.groups.change_setting(
            request.chat_id, "language", choice, actor=request.actor, action="lang"
        )
        await reply(request.message, t(group.lang, "lang.changed"))

    # --- replies to the bot's own messages -----------------------------------------------------

    @friendly
    async def reply_to_bot(self, update: Update, context: Context) -> None:
        """A reply to an item card or a prompt: progress, an acknowledgement, or the reason."""
        message = update.effective_message
        if message is None or message.reply_to_message is None:
            return
        replied = message.reply_to_message
        if replied.from_user is None or replied.from_user.id != context.bot.id:
            return
        request = await self._request(update, context)
        buttons = button_data(replied)
        target = outcomes.reply_target(replied.text or "", buttons, request.lang)
        if target is None:
            await self._hint_command(request, typed_text(message))
            return
        kind, number = target
        text = typed_text(message).strip()
        if kind is Prefix.REJECT:
            outcome = await self.services.ledger.reject(
                request.chat_id, request.actor, number, text
            )
            await self._answer(request, outcome, "rejected")
            return
        try:
            await self._report(request, number, text, evidence_of(message))
        except UserError as error:
            under_card = outcomes.card_number(buttons) is not None
            if error.key == "error.owner_only" and under_card:
                return  # a bystander's words under a card are conversation, not a report
            raise  # a prompt asked for this reply: say why it cannot be taken

    async def _hint_command(self, request: Request, text: str) -> None:
        """A reply to a digest or list that names an item first (``3 已完成``): say the command.

        Anything else under such a message is conversation and gets no answer.
        """
        about = reply_about_item(text)
        if about is not None:
            await reply(request.message, outcomes.command_hint(*about, request.lang))


def _addressed_to(message: Message, username: str) -> bool:
    """True for ``/command`` or ``/command@<this bot>``, not another bot's command."""
    command = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    _, _, addressee = command.partition("@")
    return not addressee or addressee.lower() == username.lower()


def button_data(message: Message) -> list[str]:
    """The callback data of a message's inline buttons."""
    markup = message.reply_markup
    if markup is None:
        return []
    return [str(b.callback_data) for row in markup.inline_keyboard for b in row if b.callback_data]
