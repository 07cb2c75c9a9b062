"""Item cards, lists and the full ``/show`` view."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo

from rectify_bot.domain.deadline import NoteCode
from rectify_bot.domain.items import (
    Display,
    DueKind,
    ItemSnapshot,
    OwnerRef,
    Status,
    days_left,
    display_state,
)
from rectify_bot.domain.settings import GroupSettings
from rectify_bot.i18n import t
from rectify_bot.views.text import Button, Keyboard, Rendered, esc

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
LIST_PAGE_SIZE = 20
LIST_TEXT_LIMIT = 40


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


def due_text(item: ItemSnapshot, today: date, lang: str) -> str:
    """The deadline line's value: date, weekday, phrase as typed, and days left."""
    if item.due_kind is DueKind.LONG_TERM:
        phrase = f"〔{esc(item.due_phrase)}〕" if item.due_phrase else ""
        return t(lang, "deadline.long_term") + phrase
    if item.due is None:
        return t(lang, "card.no_deadline")
    text = date_with_weekday(item.due, lang)
    if item.due_phrase and item.due_phrase != item.due.isoformat():
        text += f"〔{esc(item.due_phrase)}〕"
    if item.due_kind is DueKind.SOFT:
        text += t(lang, "card.soft_mark")
    left = days_left(item, today)
    if left is not None and item.status is not Status.CLOSED:
        text += " " + distance(left, lang)
    return text


def deadline_echo(due: date | None, phrase: str, notes: Sequence[NoteCode], lang: str) -> str:
    """How an accepted deadline is echoed: ``2026-11-30(周一)〔月底前〕`` plus any notes."""
    if due is None:
        return t(lang, "deadline.long_term")
    text = date_with_weekday(due, lang)
    if phrase and phrase != due.isoformat():
        text += f"〔{esc(phrase)}〕"
    if notes:
        text += " " + "、".join(t(lang, f"deadline.note.{n.value}") for n in notes)
    return text


def state_label(item: ItemSnapshot, today: date, settings: GroupSettings, lang: str) -> str:
    """Icon and word for the derived state (🟡 临期, 🔴 逾期 …)."""
    state = display_state(item, today, settings.warn_days)
    return t(lang, f"state.{state.value}")


def _field_line(lang: str, pairs: Sequence[tuple[str, str]]) -> str:
    return "   ".join(t(lang, f"card.label.{key}") + value for key, value in pairs if value)


def _measures_line(item: ItemSnapshot, lang: str) -> str:
    parts = [
        f"{circled(i)} {esc(m.text)}" + (" ✅" if m.done else "")
        for i, m in enumerate(item.measures)
    ]
    return t(lang, "card.label.measures") + " ".join(parts) if parts else ""


def _short_time(at: datetime, zone: tzinfo) -> str:
    return at.astimezone(zone).strftime("%m-%d")


def _latest_progress_line(item: ItemSnapshot, settings: GroupSettings, lang: str) -> str:
    if not item.progress:
        return ""
    latest = item.progress[-1]
    text = esc(_clip(latest.text, 200)) or t(lang, "card.attachment")
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
    n = item.number
    if item.status is Status.PENDING:
        return (
            (
                Button(t(lang, "button.approve"), f"approve:{n}"),
                Button(t(lang, "button.reject"), f"reject:{n}"),
            ),
        )
    return (
        (
            Button(t(lang, "button.claim"), f"claim:{n}"),
            Button(t(lang, "button.progress"), f"progress:{n}"),
            Button(t(lang, "button.done"), f"done:{n}"),
        ),
    )


def item_card(
    item: ItemSnapshot, today: date, settings: GroupSettings, lang: str, *, headline: str = ""
) -> Rendered:
    """The compact card shown after every change."""
    title = headline or f"<b>#{item.number} {esc(item.problem)}</b>"
    lines = [
        f"{title}  {state_label(item, today, settings, lang)}",
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
        _extension_line(item, lang),
        _measures_line(item, lang),
        _latest_progress_line(item, settings, lang),
        _closed_line(item, settings, lang),
    ]
    return Rendered("\n".join(line for line in lines if line), card_keyboard(item, lang))


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
    return t(
        lang,
        "card.closed_by",
        who=esc(item.closed_by_name),
        when=item.closed_at.astimezone(settings.zone).date().isoformat(),
    )


def item_full(item: ItemSnapshot, today: date, settings: GroupSettings, lang: str) -> Rendered:
    """The ``/show`` view: the card plus detail, progress, extensions and history summary."""
    card = item_card(item, today, settings, lang)
    lines = [card.text]
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
    lines += _progress_block(item, settings, lang)
    lines += _extensions_block(item, lang)
    lines += _history_block(item, settings, lang)
    return Rendered("\n".join(lines), card.keyboard)


def _progress_block(item: ItemSnapshot, settings: GroupSettings, lang: str) -> list[str]:
    if not item.progress:
        return []
    lines = [t(lang, "card.progress_header", count=len(item.progress))]
    for entry in item.progress:
        files = t(lang, "card.has_file") if entry.file_id else ""
        kind = t(lang, "card.done_note") if entry.kind == "done" else ""
        lines.append(
            f"  {_short_time(entry.at, settings.zone)} {esc(entry.author)}{kind}:"
            f"{esc(entry.text)}{files}"
        )
    attachments = sum(1 for p in item.progress if p.file_id)
    if attachments:
        lines.append(t(lang, "card.attachments_hint", count=attachments, number=item.number))
    return lines


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
                reason=esc(ext.reason),
            )
            + late
        )
    return lines


def _history_block(
    item: ItemSnapshot, settings: GroupSettings, lang: str, last: int = 8
) -> list[str]:
    if not item.events:
        return []
    shown = item.events[-last:]
    lines = [t(lang, "card.history_header", count=len(item.events))]
    for event in shown:
        detail = f":{esc(_clip(event.detail, 80))}" if event.detail else ""
        lines.append(
            f"  {_short_time(event.at, settings.zone)} {esc(event.actor)} "
            f"{t(lang, f'event.{event.kind.value}')}{detail}"
        )
    return lines


def list_row(item: ItemSnapshot, today: date, settings: GroupSettings, lang: str) -> str:
    """One compact line: state icon, number, problem, deadline and owners."""
    state = display_state(item, today, settings.warn_days)
    icon = t(lang, f"icon.{state.value}")
    due = _list_due(item, today, state, lang)
    group = f"[{esc(item.group_title)}] " if item.group_title else ""
    owners = owners_text(item.owners, lang, link=False)
    return (
        f"{icon} {group}#{item.number} {esc(_clip(item.problem, LIST_TEXT_LIMIT))} — {due} {owners}"
    )


def _list_due(item: ItemSnapshot, today: date, state: Display, lang: str) -> str:
    if item.due_kind is DueKind.LONG_TERM:
        return t(lang, "deadline.long_term")
    if item.due is None:
        return t(lang, "card.no_deadline")
    left = days_left(item, today)
    if state is Display.CLOSED or left is None:
        return item.due.strftime("%m-%d")
    return f"{item.due.strftime('%m-%d')} {distance(left, lang)}"


def item_list(
    items: Sequence[ItemSnapshot],
    today: date,
    settings: GroupSettings,
    lang: str,
    *,
    title: str,
    page: int,
    page_data: str,
) -> Rendered:
    """A page of ``/list``: 20 rows, with ◀ ▶ buttons when there are more."""
    if not items:
        return Rendered(title + "\n" + t(lang, "list.empty"))
    pages = (len(items) + LIST_PAGE_SIZE - 1) // LIST_PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    chunk = items[page * LIST_PAGE_SIZE : (page + 1) * LIST_PAGE_SIZE]
    lines = [title + t(lang, "list.count", count=len(items))]
    lines += [list_row(item, today, settings, lang) for item in chunk]
    if pages > 1:
        lines.append(t(lang, "list.page", page=page + 1, pages=pages))
    return Rendered("\n".join(lines), _page_buttons(page, pages, page_data, lang))


def _page_buttons(page: int, pages: int, page_data: str, lang: str) -> Keyboard:
    if pages <= 1:
        return ()
    row: list[Button] = []
    if page > 0:
        row.append(Button(t(lang, "button.prev"), f"page:{page_data}:{page - 1}"))
    if page < pages - 1:
        row.append(Button(t(lang, "button.next"), f"page:{page_data}:{page + 1}"))
    return (tuple(row),)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
