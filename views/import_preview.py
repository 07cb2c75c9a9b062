"""``/import`` preview and outcome messages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from domain.import_drafts import PREVIEW_TTL, DraftItem, ImportPreview, Notice
from domain.items import DueKind, ItemSnapshot, OwnerRef, Status
from i18n import LANGUAGES, catalogue, t
from views.callbacks import ImportButton, ImportPageButton, pack, unpack
from views.cards import deadline_echo
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

PREVIEW_PROBLEM_LIMIT: Final = 80
_MOST_PAGES: Final = 999  # the page line is measured at its widest


def numbers_text(numbers: Sequence[int], lang: str) -> str:
    """``#1–#5``, ``#3、#5–#7``: item numbers with consecutive runs shortened."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    shown = (f"#{r[0]}" if len(r) == 1 else f"#{r[0]}–#{r[-1]}" for r in runs)
    return t(lang, "list.separator").join(shown)


def notice_text(notice: Notice, lang: str) -> str:
    """A preview warning in ``lang``, user text escaped, field names translated."""
    params: dict[str, object] = {key: esc(value) for key, value in notice.params.items()}
    if "field" in notice.params:
        params["field"] = t(lang, f"plan.field.{notice.params['field']}")
    if "what" in notice.params:
        params["what"] = t(lang, f"import.field.{notice.params['what']}")
    if "part" in notice.params:
        params["part"] = t(lang, f"plan.part.{notice.params['part']}")
    return t(lang, notice.key, item=notice.item, **params)


def _owner(owner: OwnerRef) -> str:
    return esc(owner.name)


def _due(item: DraftItem, lang: str) -> str:
    if item.due_kind is DueKind.NONE:
        return t(lang, "import.preview.no_deadline")
    due = None if item.due_kind is DueKind.LONG_TERM else item.due
    return deadline_echo(due, item.due_phrase, item.due_notes, lang)


def _item_lines(index: int, item: DraftItem, lang: str) -> str:
    label = f"{esc(item.label)} " if item.label else ""
    owners = " ".join(_owner(o) for o in item.owners) or t(lang, "import.preview.nobody")
    facts = [
        t(lang, "import.preview.measures", count=len(item.measures)),
        t(lang, "import.preview.owners", names=owners),
    ]
    if item.category:
        facts.insert(0, t(lang, "import.preview.category", name=esc(item.category)))
    if item.lead:
        facts.append(t(lang, "import.preview.lead", name=esc(item.lead)))
    if item.unit:
        facts.append(t(lang, "import.preview.unit", name=esc(item.unit)))
    facts.append(t(lang, "import.preview.due", due=_due(item, lang)))
    if item.status is not Status.OPEN:
        facts.append(t(lang, "import.preview.status", status=t(lang, f"state.{item.status.value}")))
    problem = esc(clip(item.problem, PREVIEW_PROBLEM_LIMIT))
    head = t(lang, "import.preview.item", index=index, label=label, problem=problem)
    return head + "\n   " + " · ".join(facts)


def preview_message(preview: ImportPreview, lang: str, page: int = 0) -> Rendered:
    """The preview: what will be created, every warning, and [确认导入] [取消].

    A preview too long for one message (a plan of a hundred items) is paged: one message,
    turned with ◀ ▶ and edited in place, so [确认导入] [取消] stay under it and a reply to it
    is a reply to the whole preview. Every page repeats the title and the footer.
    """
    count = len(preview.items)
    numbers = range(preview.first_number, preview.first_number + count)
    title = t(lang, "import.preview.title", count=count, numbers=numbers_text(numbers, lang))
    blocks = _blocks(preview, lang)
    minutes = int(PREVIEW_TTL.total_seconds() // 60)
    footer = "\n".join(
        [t(lang, "import.preview.correct_hint"), t(lang, "import.preview.footer", minutes=minutes)]
    )
    decision = _decision_row(preview.id, lang)
    overflow = t(lang, "import.preview.overflow")
    whole = "\n".join([title, *blocks, footer])
    if visible_length(whole) <= TELEGRAM_LIMIT:
        return Rendered(whole, (decision,), overflow)
    widest = t(lang, "import.preview.page", page=_MOST_PAGES, pages=_MOST_PAGES, count=count)
    frame = visible_length("\n".join([title, widest, footer])) + 1
    pages = paginate(blocks, TELEGRAM_LIMIT - frame)
    page = min(max(page, 0), len(pages) - 1)
    where = t(lang, "import.preview.page", page=page + 1, pages=len(pages), count=count)
    text = "\n".join([title, *pages[page], where, footer])
    return Rendered(text, (*_page_row(preview.id, page, len(pages), lang), decision), overflow)


def _blocks(preview: ImportPreview, lang: str) -> list[str]:
    """The preview's body: each item, then the warnings (or the all-clear)."""
    blocks = [_item_lines(index, item, lang) for index, item in enumerate(preview.items, 1)]
    if preview.notices:
        blocks.append(t(lang, "import.preview.warnings", count=len(preview.notices)))
        blocks += ["· " + notice_text(notice, lang) for notice in preview.notices]
    else:
        blocks.append(t(lang, "import.preview.clean"))
    return blocks


def _decision_row(preview_id: int, lang: str) -> tuple[Button, ...]:
    return (
        Button(t(lang, "import.button.confirm"), pack(ImportButton(preview_id, confirm=True))),
        Button(t(lang, "import.button.cancel"), pack(ImportButton(preview_id, confirm=False))),
    )


def _page_row(preview_id: int, page: int, pages: int, lang: str) -> Keyboard:
    row: list[Button] = []
    if page > 0:
        row.append(Button(t(lang, "button.prev"), pack(ImportPageButton(preview_id, page - 1))))
    if page < pages - 1:
        row.append(Button(t(lang, "button.next"), pack(ImportPageButton(preview_id, page + 1))))
    return (tuple(row),)


def imported_message(items: Sequence[ItemSnapshot], lang: str) -> Rendered:
    """What [确认导入] created."""
    numbers = numbers_text([item.number for item in items], lang)
    return Rendered(t(lang, "import.done", count=len(items), numbers=numbers))


def superseded_message(lang: str) -> Rendered:
    """What a preview becomes once a newer one replaced it (no buttons)."""
    return Rendered(t(lang, "import.superseded"))


def cancelled_message(lang: str) -> Rendered:
    """What [取消] did (nothing)."""
    return Rendered(t(lang, "import.cancelled"))


def corrected_message(preview: ImportPreview, lang: str) -> Rendered:
    """The short answer to a correction (the preview itself is edited in place)."""
    count = len(preview.items)
    numbers = numbers_text(range(preview.first_number, preview.first_number + count), lang)
    return Rendered(t(lang, "import.correct.done", count=count, numbers=numbers))


# --- replies to a preview -----------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewReply:
    """What a reply to one of the bot's messages is about: a preview, or one already settled.

    ``preview_id`` is set for a preview that still has its buttons; ``settled`` names the key of
    the refusal for a preview whose message already says it was imported, cancelled or expired.
    """

    preview_id: int | None = None
    settled: str | None = None


# The messages a preview becomes once settled, and the refusal a correction to one gets.
_SETTLED: Final = {
    "import.done": "import.error.confirmed",
    "import.cancelled": "import.error.cancelled",
    "import.superseded": "import.error.superseded",
    "import.error.expired": "import.error.expired",
}


@cache
def _settled_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each settled message of each language as a pattern over its plain text."""
    found: list[tuple[re.Pattern[str], str]] = []
    for lang in LANGUAGES:
        for key, refusal in _SETTLED.items():
            template = re.sub(r"<[^>]+>", "", catalogue(lang)[key])
            pieces = re.split(r"\{\w+\}", template)
            found.append((re.compile(".+?".join(re.escape(p) for p in pieces)), refusal))
    return tuple(found)


def preview_reply(text: str, buttons: Sequence[str]) -> PreviewReply | None:
    """Whether a reply to the bot's message ``text`` (with ``buttons``) is about an import."""
    for data in buttons:
        button = unpack(data)
        if isinstance(button, ImportButton):
            return PreviewReply(preview_id=button.preview_id)
    for pattern, refusal in _settled_patterns():
        if pattern.fullmatch(text.strip()):
            return PreviewReply(settled=refusal)
    return None
