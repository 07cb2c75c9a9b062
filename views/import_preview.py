"""``/import`` preview and outcome messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from domain.import_drafts import PREVIEW_TTL, DraftItem, ImportPreview, Notice
from domain.items import DueKind, ItemSnapshot, OwnerRef, Status
from i18n import t
from views.callbacks import ImportButton, ImportPageButton, pack
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


def numbers_text(numbers: Sequence[int]) -> str:
    """``#1–#5``, ``#3、#5–#7``: item numbers with consecutive runs shortened."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return "、".join(f"#{r[0]}" if len(r) == 1 else f"#{r[0]}–#{r[-1]}" for r in runs)


def notice_text(notice: Notice, lang: str) -> str:
    """A preview warning in ``lang``, user text escaped, field names translated."""
    params: dict[str, object] = {key: esc(value) for key, value in notice.params.items()}
    if "field" in notice.params:
        params["field"] = t(lang, f"plan.field.{notice.params['field']}")
    if "what" in notice.params:
        params["what"] = t(lang, f"import.field.{notice.params['what']}")
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
    title = t(lang, "import.preview.title", count=count, numbers=numbers_text(numbers))
    blocks = _blocks(preview, lang)
    minutes = int(PREVIEW_TTL.total_seconds() // 60)
    footer = t(lang, "import.preview.footer", minutes=minutes)
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
    numbers = numbers_text([item.number for item in items])
    return Rendered(t(lang, "import.done", count=len(items), numbers=numbers))


def cancelled_message(lang: str) -> Rendered:
    """What [取消] did (nothing)."""
    return Rendered(t(lang, "import.cancelled"))
