"""The import preview of real documents: valid HTML that Telegram accepts, warnings in words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.import_drafts import ImportPreview, drafts_from_plan
from domain.plan import parse_plan
from playground.standin.limits import checked_text
from tests.domain.test_plan_corpus import Document, documents
from views.import_preview import preview_message
from views.text import split_html

TODAY = date(2026, 11, 26)


def preview_of(text: str) -> ImportPreview | None:
    """The preview ``/import`` would show for a pasted text (None: nothing to import)."""
    plan = parse_plan(text, reference_year=TODAY.year)
    if not plan.items:
        return None
    drafts, notices = drafts_from_plan(plan, TODAY, 7)
    expires = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
    return ImportPreview(1, drafts, notices, first_number=1, expires_at=expires)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("document", documents(), ids=lambda d: f"{d.first}-{d.last}")
def test_every_corpus_preview_is_accepted(document: Document, lang: str) -> None:
    """Every page of a document's preview parses as Telegram HTML within Telegram's limit."""
    preview = preview_of(document.text)
    if preview is None:
        return
    shown: list[str] = []
    for page in range(50):  # a page past the last shows the last again: then all were seen
        rendered = preview_message(preview, lang, page)
        if shown and rendered.text == shown[-1]:
            break
        shown.append(rendered.text)
        for part in split_html(rendered.text):
            checked_text(part, "HTML", None, strict_ampersand=True)  # raises what Telegram refuses
        assert "{" not in rendered.text
        assert "None" not in rendered.text


def test_preview_names_skipped_parts_and_categories() -> None:
    """A skipped part is named in words; an item's category is shown on its line."""
    text = "\n".join(
        [
            "近年来,支部扎实推进党建工作,主要表现在:",
            "一是抓思想建设。",
            "二是抓组织建设。",
            "虽然取得了一定成绩,但仍存在一些问题,主要表现在以下几个方面。",
            "一、思想建设方面",
            "1.理论学习不够深入。",
        ]
    )
    preview = preview_of(text)
    assert preview is not None
    zh = preview_message(preview, "zh").text
    assert '"近年来,支部扎实推进党建工作,主要表现在:"起是成绩和做法(其后2段),不是问题,未导入' in zh
    assert "类别:思想建设方面" in zh
    en = preview_message(preview, "en").text
    assert "achievements (成绩和做法)" in en
    assert "category: 思想建设方面" in en
