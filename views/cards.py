"""Item cards, lists and the full ``/show`` view."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, tzinfo

from domain.deadline import NoteCode
from domain.items import (
    Display,
    DueKind,
    ItemSnapshot,
    OwnerRef,
    ProgressKind,
    ProgressView,
    Status,
    days_left,
    display_state,
)
from domain.listing import ListFilter
from domain.outcomes import Listing
from domain.settings import GroupSettings
from i18n import LANGUAGES, t
from views.callbacks import CardButton, PageButton, Prefix, ProgressPageButton, pack
from views.history import event_sentence
from views.text import (
    TELEGRAM_LIMIT,
    Button,
    Keyboard,
    Rendered,
    clip,
    esc,
    paginate,
    visible_length,
)

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
LIST_PAGE_SIZE = 20
LIST_TEXT_LIMIT = 40
LIST_OWNERS_SHOWN = 3  # a row with more owners names these and says how many in all
LIST_OWNERS_LIMIT = 60  # the names shown on a list row, so that 20 rows always fit
LIST_GROUP_LIMIT = 20  # the group's title on a row naming the group
MEASURES_INLINE_COUNT = 2
MEASURES_INLINE_CHARS = 40
HISTORY_LAST = 8
COPIES_LISTED = 8  # a dispatched item lists each branch's state up to this many branches
# /show keeps its progress to one page: the latest entries, each shortened, the rest a ◀ away.
PROGRESS_PAGE_SIZE = 20
PROGRESS_PAGE_BUDGET = 2000
PROGRESS_TEXT_LIMIT = 200
EXTENSION_REASON_LIMIT = 100
_NOT_WORD = re.compile(r"[\W_]+")
_LONG_TERM_LABELS = ("deadline.long_term", "deadline.choice.long")
_SOFT_LABELS = ("deadline.soft", "card.soft_mark")


def circled(index: int) -> str:
    """①, ②, … for the first twenty, then (21), (22), …."""
    return CIRCLED[index] if index < len(CIRCLED) else f"({index + 1})"


def mention(owner: OwnerRef, lang: str, *, link: bool = True) -> str:
    """An owner as HTML: a notifying link for users, @username, or the plain name."""
    if owner.user_id is not None and link:
        if owner.username:
            return f"@{esc(owner.username)}"
        return f'<a href="tg://user?id={owner.user_id}">{esc(owner.name)}</a>'
    if owner.user_id is not None:
        return esc(owner.name)
    if owner.username:
        return esc(f"@{owner.username}") + t(lang, "card.owner_pending")
    return esc(owner.name) + t(lang, "card.owner_unlinked")


def owners_text(owners: Sequence[OwnerRef], lang: str, *, link: bool = True) -> str:
    """Owners separated by spaces, or a dash."""
    return " ".join(mention(o, lang, link=link) for o in owners) or t(lang, "card.nobody")


def weekday(day: date, lang: str) -> str:
    """周一 … 周日 / Mon … Sun."""
    return t(lang, f"deadline.weekday.{day.weekday()}")


def date_with_weekday(day: date, lang: str) -> str:
    """``2026-11-30(周一)``."""
    return f"{day.isoformat()}({weekday(day, lang)})"


def distance(left: int, lang: str) -> str:
    """还剩4天 / 今日到期 / 逾期3天."""
    if left > 0:
        return t(lang, "deadline.days_left", days=left)
    if left == 0:
        return t(lang, "deadline.due_today")
    return t(lang, "deadline.overdue", days=-left)


def _folded(text: str) -> str:
    """``text`` without case, width, spaces or punctuation, for comparing phrases."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _is_variant(phrase: str, keys: Sequence[str]) -> bool:
    """True when ``phrase`` merely restates one of the labels ``keys`` (in any language)."""
    folded = _folded(phrase)
    if not folded:
        return True
    labels = {_folded(t(lang, key)) for lang in LANGUAGES for key in keys}
    return any(folded == label or folded in label for label in labels if label)


def _phrase(phrase: str, due: date | None, *, soft: bool = False) -> str:
    """``〔月底前〕``: the phrase as typed, unless it only repeats the date or the label."""
    if not phrase or (due is not None and phrase == due.isoformat()):
        return ""
    if due is None and _is_variant(phrase, _LONG_TERM_LABELS):
        return ""
    if soft and _is_variant(phrase, _SOFT_LABELS):
        return ""
    return f"〔{esc(phrase)}〕"


def due_text(item: ItemSnapshot, today: date, lang: str) -> str:
    """The deadline line's value: date, weekday, phrase as typed, and days left."""
    if item.due_kind is DueKind.LONG_TERM:
        return t(lang, "deadline.long_term") + _phrase(item.due_phrase, None)
    if item.due is None:
        return t(lang, "card.no_deadline")
    soft = item.due_kind is DueKind.SOFT
    text = date_with_weekday(item.due, lang) + _phrase(item.due_phrase, item.due, soft=soft)
    if soft:
        text += t(lang, "card.soft_mark")
    left = days_left(item, today)
    if left is not None and item.status is not Status.CLOSED and not item.deleted:
        text += " " + distance(left, lang)
    return text


def deadline_echo(due: date | None, phrase: str, notes: Sequence[NoteCode], lang: str) -> str:
    """How an accepted deadline is echoed: ``2026-11-30(周一)〔月底前〕`` plus any notes.

    A soft deadline is marked as on the card, ``(软时限)``, once.
    """
    if due is None:
        return t(lang, "deadline.long_term") + _phrase(phrase, None)
    soft = NoteCode.SOFT in notes
    text = date_with_weekday(due, lang) + _phrase(phrase, due, soft=soft)
    if soft:
        text += t(lang, "card.soft_mark")
    others = [t(lang, f"deadline.note.{n.value}") for n in notes if n is not NoteCode.SOFT]
    if others:
        text += " " + t(lang, "list.separator").join(others)
    return text


def state_label(item: ItemSnapshot, today: date, settings: GroupSettings, lang: str) -> str:
    """Icon and word for the derived state (🟡 临期, 🔴 逾期 …)."""
    state = display_state(item, today, settings.warn_days)
    return t(lang, f"state.{state.value}")


def _field_line(lang: str, pairs: Sequence[tuple[str, str]]) -> str:
    return "   ".join(t(lang, f"card.label.{key}") + value for key, value in pairs if value)


def _measures_lines(item: ItemSnapshot, lang: str) -> list[str]:
    """``措施:① … ② …`` on one line when short, else one indented measure per line."""
    if not item.measures:
        return []
    parts = [
        f"{circled(i)} {esc(m.text)}" + (" ✅" if m.done else "")
        for i, m in enumerate(item.measures)
    ]
    label = t(lang, "card.label.measures")
    chars = sum(len(m.text) for m in item.measures)
    if len(parts) <= MEASURES_INLINE_COUNT and chars <= MEASURES_INLINE_CHARS:
        return [label + " ".join(parts)]
    return [label.rstrip(), *(f"  {part}" for part in parts)]


def _short_time(at: datetime, zone: tzinfo) -> str:
    return at.astimezone(zone).strftime("%m-%d")


def _latest_progress_line(item: ItemSnapshot, settings: GroupSettings, lang: str) -> str:
    if not item.progress:
        return ""
    latest = item.progress[-1]
    text = esc(clip(latest.text, 200)) or t(lang, "card.attachment")
    if latest.text and latest.file_id:
        text += t(lang, "card.has_file")
    return t(
        lang,
        "card.latest_progress",
        when=_short_time(latest.at, settings.zone),
        author=esc(latest.author),
        text=text,
    )


def card_keyboard(item: ItemSnapshot, lang: str) -> Keyboard:
    """Buttons under a card: claim/progress/done while open, approve/reject while pending."""
    if item.deleted or item.status is Status.CLOSED:
        return ()
    actions: tuple[Prefix, ...]
    if item.status is Status.PENDING:
        actions = (Prefix.APPROVE, Prefix.REJECT)
    else:
        actions = (Prefix.CLAIM, Prefix.PROGRESS, Prefix.DONE)
    return (
        tuple(
            Button(t(lang, f"button.{action}"), pack(CardButton(action, item.number)))
            for action in actions
        ),
    )


def item_card(
    item: ItemSnapshot, today: date, settings: GroupSettings, lang: str, *, headline: str = ""
) -> Rendered:
    """The compact card shown after every change."""
    lines = _card_lines(item, today, settings, lang, headline=headline, with_state=True)
    return Rendered("\n".join(lines), card_keyboard(item, lang), card_overflow(item, lang))


def card_overflow(item: ItemSnapshot, lang: str) -> str:
    """The line ending a card cut to one message: how to see the whole item."""
    return t(lang, "card.overflow", number=item.number)


def _card_lines(
    item: ItemSnapshot,
    today: date,
    settings: GroupSettings,
    lang: str,
    *,
    headline: str,
    with_state: bool,
) -> list[str]:
    """The card's lines: the title (with the state label unless told otherwise), then fields."""
    title = headline or f"<b>#{item.number} {esc(item.problem)}</b>"
    if with_state:
        title += f"  {state_label(item, today, settings, lang)}"
    lines = [
        title,
        t(lang, "card.label.due") + due_text(item, today, lang),
        _field_line(
            lang,
            [
                ("owners", owners_text(item.owners, lang, link=settings.mention_owners)),
                ("lead", esc(item.lead)),
                ("unit", esc(item.unit)),
            ],
        ),
        _field_line(lang, [("category", esc(item.category))]),
        _origin_line(item, lang),
        _copies_line(item, lang),
        _extension_line(item, lang),
        *_measures_lines(item, lang),
        _latest_progress_line(item, settings, lang),
        _closed_line(item, settings, lang),
    ]
    return [line for line in lines if line]


def _origin_line(item: ItemSnapshot, lang: str) -> str:
    """交办:机关党委 #12 — on a branch's copy of a committee's item."""
    if item.origin is None:
        return ""
    origin = item.origin
    return t(lang, "card.origin", group=esc(origin.group_title), number=origin.number)


def _copies_line(item: ItemSnapshot, lang: str) -> str:
    """Where each branch stands on a dispatched item; counts only when there are many."""
    copies = [c for c in item.copies if not c.deleted]
    if not copies:
        return ""
    closed = sum(1 for c in copies if c.status is Status.CLOSED)
    if len(copies) > COPIES_LISTED:
        return t(lang, "card.copies_counted", count=len(copies), closed=closed)
    states = t(lang, "card.copies_separator").join(
        t(
            lang,
            "card.copy",
            group=esc(c.group_title),
            number=c.number,
            state=t(lang, f"state.{c.status.value}"),
        )
        for c in copies
    )
    return t(lang, "card.copies", states=states, closed=closed, count=len(copies))


def _extension_line(item: ItemSnapshot, lang: str) -> str:
    if item.extension_count == 0 and item.return_count == 0:
        return ""
    parts: list[str] = []
    if item.extension_count:
        original = item.original_due.isoformat() if item.original_due else "-"
        parts.append(t(lang, "card.extended", original=original, count=item.extension_count))
    if item.return_count:
        parts.append(t(lang, "card.returned", count=item.return_count))
    return "   ".join(parts)


def _closed_line(item: ItemSnapshot, settings: GroupSettings, lang: str) -> str:
    if item.status is not Status.CLOSED or item.closed_at is None:
        return ""
    # Without approval the owner closes the item: nobody accepted it, so no 验收人.
    key = "card.closed_by" if settings.require_approval else "card.closed_self"
    return t(
        lang,
        key,
        who=esc(item.closed_by_name),
        when=item.closed_at.astimezone(settings.zone).date().isoformat(),
    )


def item_full(
    item: ItemSnapshot, today: date, settings: GroupSettings, lang: str, *, progress_page: int = 0
) -> Rendered:
    """The ``/show`` view: the card plus detail, progress, extensions and history summary.

    A deleted item gets the 🗑 banner instead of a state label, so it says so once. Progress
    shows one page (:func:`progress_pages`), the latest by default, with ◀ ▶ when there are
    more.
    """
    lines = _card_lines(item, today, settings, lang, headline="", with_state=not item.deleted)
    if item.deleted:
        lines.insert(0, t(lang, "card.deleted_banner", number=item.number))
    if item.detail:
        lines.append(t(lang, "card.label.detail") + esc(item.detail))
    if item.source:
        lines.append(t(lang, "card.label.source") + esc(item.source))
    lines.append(
        t(
            lang,
            "card.created",
            who=esc(item.created_by_name),
            when=item.created_at.astimezone(settings.zone).date().isoformat(),
        )
    )
    pages = progress_pages(item, settings, lang)
    page = min(max(progress_page, 0), max(len(pages) - 1, 0))
    lines += _progress_block(item, pages, page, lang)
    lines += _extensions_block(item, lang)
    lines += _history_block(item, settings, lang)
    keyboard = card_keyboard(item, lang) + _progress_buttons(item.number, page, len(pages), lang)
    return Rendered("\n".join(lines), keyboard, card_overflow(item, lang))


def item_full_page(
    item: ItemSnapshot, today: date, settings: GroupSettings, lang: str, progress_page: int
) -> Rendered:
    """What ◀ ▶ under ``/show`` turn the message into: the view at that progress page.

    When the whole view is too long for one message (it was sent in several), only the
    item's headline and that page of progress, which always fit.
    """
    full = item_full(item, today, settings, lang, progress_page=progress_page)
    if visible_length(full.text) <= TELEGRAM_LIMIT:
        return full
    pages = progress_pages(item, settings, lang)
    page = min(max(progress_page, 0), max(len(pages) - 1, 0))
    title = f"<b>#{item.number} {esc(clip(item.problem, LIST_TEXT_LIMIT))}</b>"
    lines = [title, *_progress_block(item, pages, page, lang)]
    return Rendered("\n".join(lines), full.keyboard, card_overflow(item, lang))


def _progress_line(entry: ProgressView, zone: tzinfo, lang: str) -> str:
    files = t(lang, "card.has_file") if entry.file_id else ""
    kind = t(lang, "card.done_note") if entry.kind == ProgressKind.DONE else ""
    text = esc(clip(entry.text, PROGRESS_TEXT_LIMIT)) if entry.text else ""
    return t(
        lang,
        "card.progress_line",
        time=_short_time(entry.at, zone),
        author=esc(entry.author),
        kind=kind,
        text=text,
        files=files,
    )


def progress_pages(item: ItemSnapshot, settings: GroupSettings, lang: str) -> list[list[str]]:
    """The item's progress lines in pages, page 0 the latest; each page in time order."""
    newest_first = [_progress_line(p, settings.zone, lang) for p in reversed(item.progress)]
    pages = paginate(newest_first, PROGRESS_PAGE_BUDGET, PROGRESS_PAGE_SIZE)
    return [page[::-1] for page in pages]


def _progress_block(
    item: ItemSnapshot, pages: Sequence[Sequence[str]], page: int, lang: str
) -> list[str]:
    if not item.progress:
        return []
    count = len(item.progress)
    shown = pages[page]
    if len(pages) == 1:
        header = t(lang, "card.progress_header", count=count)
    elif page == 0:
        header = t(lang, "card.progress_header_latest", count=count, shown=len(shown))
    else:
        last = count - sum(len(p) for p in pages[:page])
        header = t(
            lang, "card.progress_header_page", count=count, first=last - len(shown) + 1, last=last
        )
    lines = [header, *shown]
    if any(len(" ".join(p.text.split())) > PROGRESS_TEXT_LIMIT for p in item.progress):
        lines.append(t(lang, "card.progress_clipped"))
    attachments = sum(1 for p in item.progress if p.file_id)
    if attachments:
        lines.append(t(lang, "card.attachments_hint", count=attachments, number=item.number))
    return lines


def _progress_buttons(number: int, page: int, pages: int, lang: str) -> Keyboard:
    """◀ 更早 (the next page back in time) and 更近 ▶ under a ``/show`` with many entries."""
    row: list[Button] = []
    if page < pages - 1:
        row.append(Button(t(lang, "button.older"), pack(ProgressPageButton(number, page + 1))))
    if page > 0:
        row.append(Button(t(lang, "button.newer"), pack(ProgressPageButton(number, page - 1))))
    return (tuple(row),) if row else ()


def _extensions_block(item: ItemSnapshot, lang: str) -> list[str]:
    if not item.extensions:
        return []
    lines = [t(lang, "card.extensions_header")]
    for ext in item.extensions:
        late = t(lang, "extension.after_deadline_mark") if ext.after_deadline else ""
        lines.append(
            t(
                lang,
                "card.extension_line",
                old=ext.old_due.isoformat() if ext.old_due else "-",
                new=ext.new_due.isoformat(),
                status=t(lang, f"extension.status.{ext.status}"),
                who=esc(ext.requested_by),
                reason=esc(clip(ext.reason, EXTENSION_REASON_LIMIT)),
            )
            + late
        )
    return lines


def _history_block(
    item: ItemSnapshot, settings: GroupSettings, lang: str, last: int = HISTORY_LAST
) -> list[str]:
    if not item.events:
        return []
    shown = item.events[-last:]
    count = len(item.events)
    if len(shown) < count:
        lines = [t(lang, "card.history_header_recent", shown=len(shown), count=count)]
    else:
        lines = [t(lang, "card.history_header", count=count)]
    for event in shown:
        sentence = event_sentence(event, lang, short=True)
        lines.append(f"  {_short_time(event.at, settings.zone)} {esc(event.actor)} {esc(sentence)}")
    return lines


def list_row(
    item: ItemSnapshot, today: date, settings: GroupSettings, lang: str, *, owners: bool = True
) -> str:
    """One compact line: state icon, number, problem, deadline and (unless asked not) owners."""
    state = display_state(item, today, settings.warn_days)
    icon = t(lang, f"icon.{state.value}")
    due = _list_due(item, today, state, lang)
    group = f"[{esc(clip(item.group_title, LIST_GROUP_LIMIT))}] " if item.group_title else ""
    who = f" {_list_owners(item.owners, lang)}" if owners else ""
    problem = esc(clip(item.problem, LIST_TEXT_LIMIT))
    return f"{icon} {group}#{item.number} {problem} — {due}{who}"


def _list_owners(owners: Sequence[OwnerRef], lang: str) -> str:
    """A list row's owners: all of a few, else the first few and 等50人; never too long."""
    if not owners:
        return t(lang, "card.nobody")
    many = len(owners) > LIST_OWNERS_SHOWN + 1
    shown = owners[:LIST_OWNERS_SHOWN] if many else owners
    names = esc(clip(" ".join(_owner_plain(o, lang) for o in shown), LIST_OWNERS_LIMIT))
    return names + (t(lang, "list.more_owners", count=len(owners)) if many else "")


def _owner_plain(owner: OwnerRef, lang: str) -> str:
    """An owner as :func:`mention` shows one without a link, before escaping."""
    if owner.user_id is not None:
        return owner.name
    if owner.username:
        return f"@{owner.username}" + t(lang, "card.owner_pending")
    return owner.name + t(lang, "card.owner_unlinked")


def short_day(day: date, today: date) -> str:
    """``09-15`` within ``today``'s year (the group's zone), else ``2027-09-15``."""
    return day.strftime("%m-%d") if day.year == today.year else day.isoformat()


def _list_due(item: ItemSnapshot, today: date, state: Display, lang: str) -> str:
    if item.due_kind is DueKind.LONG_TERM:
        return t(lang, "deadline.long_term")
    if item.due is None:
        return t(lang, "card.no_deadline")
    day = short_day(item.due, today)
    left = days_left(item, today)
    if state in (Display.CLOSED, Display.DELETED) or left is None:
        return day
    return f"{day} {distance(left, lang)}"


def item_list(
    items: Sequence[ItemSnapshot],
    today: date,
    settings: GroupSettings,
    lang: str,
    *,
    title: str,
    page: int,
    page_data: str,
    owners: bool = True,
) -> Rendered:
    """A page of ``/list``: 20 rows, with ◀ ▶ buttons when there are more."""
    if not items:
        return Rendered(title + "\n" + t(lang, "list.empty"))
    pages = (len(items) + LIST_PAGE_SIZE - 1) // LIST_PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    chunk = items[page * LIST_PAGE_SIZE : (page + 1) * LIST_PAGE_SIZE]
    lines = [title + t(lang, "list.count", count=len(items))]
    lines += [list_row(item, today, settings, lang, owners=owners) for item in chunk]
    if pages > 1:
        lines.append(t(lang, "list.page", page=page + 1, pages=pages))
    buttons = _page_buttons(page, pages, page_data, lang)
    return Rendered("\n".join(lines), buttons, t(lang, "list.overflow"))


def _page_buttons(page: int, pages: int, page_data: str, lang: str) -> Keyboard:
    if pages <= 1:
        return ()
    row: list[Button] = []
    if page > 0:
        row.append(Button(t(lang, "button.prev"), pack(PageButton(page_data, page - 1))))
    if page < pages - 1:
        row.append(Button(t(lang, "button.next"), pack(PageButton(page_data, page + 1))))
    return (tuple(row),)


MINE_LISTING = "mine"  # the listing key of /mine's pages
_OWNER_LISTING = "u="  # the listing key of /list @owner: u=<username> or u=<user id>
_NAME_LISTING = "n="  # the listing key of /list 李四 for a plain name: n=<name>
LISTING_NAME_LIMIT = 12  # characters of a plain name a page button keeps (64 bytes in all)


def listing_key(which: ListFilter, who: OwnerRef | None) -> str:
    """What a page button remembers of a ``/list``: the filter, or the owner listed."""
    if who is None:
        return which.value
    if who.is_plain_name:
        return f"{_NAME_LISTING}{who.name[:LISTING_NAME_LIMIT]}"
    return f"{_OWNER_LISTING}{who.username or who.user_id}"


def read_listing_key(key: str) -> tuple[ListFilter, OwnerRef | None]:
    """The filter (and owner) of a page button's listing key; an unknown key lists open items."""
    if key.startswith(_NAME_LISTING):
        return ListFilter.USER, OwnerRef(key.removeprefix(_NAME_LISTING))
    if key.startswith(_OWNER_LISTING):
        name = key.removeprefix(_OWNER_LISTING)
        if name.isdigit():
            return ListFilter.USER, OwnerRef(name=name, user_id=int(name))
        return ListFilter.USER, OwnerRef(f"@{name}", username=name)
    try:
        return ListFilter(key), None
    except ValueError:
        return ListFilter.OPEN, None


def list_page(
    listing: Listing, which: ListFilter, who: OwnerRef | None, page: int, lang: str
) -> Rendered:
    """One page of ``/list`` (also what its ◀ ▶ buttons show)."""
    title = t(lang, f"list.title.{which.value}", who=esc(who.name) if who else "")
    return item_list(
        listing.items,
        listing.today,
        listing.settings,
        lang,
        title=title,
        page=page,
        page_data=listing_key(which, who),
    )


def mine_page(listing: Listing, page: int, lang: str) -> Rendered:
    """One page of ``/mine`` (also what its ◀ ▶ buttons show)."""
    return item_list(
        listing.items,
        listing.today,
        listing.settings,
        lang,
        title=t(lang, "list.title.mine"),
        page=page,
        page_data=MINE_LISTING,
        owners=False,  # they are all the reader's own items
    )
