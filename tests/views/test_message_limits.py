"""Every message fits Telegram's limits at the sizes real users reach, in both languages.

A message is checked as Telegram checks it (the stand-in's parser): valid HTML, at most 4,096
UTF-16 units after entity parsing, at most 100 buttons of at most 64 bytes of data each.
Nothing is cut silently: what does not fit one message is split over several or paged.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.groups import GroupContext
from domain.import_drafts import DraftItem, ImportPreview, Notice, drafts_from_plan
from domain.items import (
    DueKind,
    EventKind,
    EventView,
    ItemSnapshot,
    MeasureView,
    OwnerRef,
    ProgressView,
    Status,
)
from domain.listing import ListFilter
from domain.outcomes import Listing, Outcome
from domain.plan import parse_plan
from domain.reminders import SentDigest, build_digest, private_copies, weekly_summary
from domain.settings import GroupSettings
from domain.vocabulary import cn_numeral
from i18n import LANGUAGES
from playground.standin.formatting import parse_html, strip_with_entities, utf16_len
from tests.views.test_digest import summary_parts
from views import outcomes
from views.callbacks import ImportPageButton, ProgressPageButton, unpack
from views.cards import item_card, item_full, item_full_page, list_page, mine_page
from views.digest import digest_parts, private_parts
from views.import_preview import preview_message
from views.text import (
    MAX_BUTTONS,
    TELEGRAM_LIMIT,
    Rendered,
    esc,
    fit_message,
    paginate,
    split_html,
)

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 2, tzinfo=UTC)
# Hard cases for a measure: Chinese, emoji (two UTF-16 units each), markup-like user text.
PROBLEM = "三会一课记录不规范,会议记录缺少签到表😀 <b>&amp;</b> 未整改"


def shown(html_text: str) -> str:
    """What Telegram shows for ``html_text``; fails where Telegram would refuse the markup."""
    plain, entities = parse_html(html_text)
    return strip_with_entities(plain, entities)[0]


def assert_fits(text: str, limit: int = TELEGRAM_LIMIT) -> str:
    """The text is one message Telegram accepts; returns what it shows."""
    plain = shown(text)
    assert plain.strip(), "Telegram refuses an empty message"
    assert utf16_len(plain) <= limit, f"{utf16_len(plain)} UTF-16 units > {limit}"
    return plain


def assert_sendable(rendered: Rendered) -> str:
    """Text within the limits and a keyboard Telegram accepts; returns what it shows."""
    buttons = [button for row in rendered.keyboard for button in row]
    assert len(buttons) <= MAX_BUTTONS
    assert all(1 <= len(b.data.encode()) <= 64 for b in buttons)
    return assert_fits(rendered.text)


def owners(count: int) -> tuple[OwnerRef, ...]:
    """Many owners: users with links, pending usernames and plain names."""
    kinds = (
        lambda n: OwnerRef(f"成员{n}号😀", 1000 + n),
        lambda n: OwnerRef(f"@member_{n}", username=f"member_{n}"),
        lambda n: OwnerRef(f"张<三>{n}"),
    )
    return tuple(kinds[n % 3](n) for n in range(count))


def item(number: int, **changes: object) -> ItemSnapshot:
    """An open item with a deadline five days ago; ``changes`` override fields."""
    values: dict[str, object] = {
        "id": number,
        "group_id": 1,
        "number": number,
        "problem": f"{PROBLEM}{number}",
        "status": Status.OPEN,
        "due_kind": DueKind.DATE,
        "due": TODAY - timedelta(days=5),
        "due_phrase": "月底前",
        "created_at": NOW - timedelta(days=30),
        "created_by": 1,
        "created_by_name": "王书记",
        "owners": owners(3),
        "measures": (MeasureView("建立会议记录台账"), MeasureView("每月检查一次", True)),
    }
    values.update(changes)
    return ItemSnapshot(**values)  # type: ignore[arg-type]  # the fields of one dataclass


def group_settings(lang: str) -> GroupSettings:
    """The default settings in ``lang``."""
    return GroupSettings(language=lang)


# --- the import preview of a 100-item plan ------------------------------------------------------


def hundred_item_plan() -> str:
    """A plan of ten sections of ten items each, with user text Telegram would misread."""
    lines: list[str] = []
    for section in range(1, 11):
        lines.append(f"{cn_numeral(section)}、第{section}方面<存在>的问题")
        for n in range(1, 11):
            lines += [
                f"({cn_numeral(n)}){PROBLEM}第{section}-{n}项",
                "整改措施:",
                "1.建立会议记录台账",
                "2.每月检查一次 & 通报",
                "责任人:张三、李四、@wang_wu",
                f"落实时限:2026年12月{n + 1}日前",
            ]
    return "\n".join(lines)


def hundred_item_preview() -> ImportPreview:
    """The preview of :func:`hundred_item_plan`, with a warning for every item."""
    plan = parse_plan(hundred_item_plan(), reference_year=2026)
    drafts, notices = drafts_from_plan(plan, TODAY, 3)
    assert len(drafts) == 100
    every = tuple(
        Notice("import.deadline.unrecognised", n, {"phrase": f"<尽快>{n}"}) for n in range(1, 101)
    )
    return ImportPreview(
        id=7,
        items=drafts,
        notices=notices + every,
        first_number=1,
        expires_at=NOW + timedelta(minutes=30),
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_hundred_item_preview_is_paged_and_shows_everything(lang: str) -> None:
    """Each page fits one message; turning the pages shows every item and warning once."""
    preview = hundred_item_preview()
    first = preview_message(preview, lang)
    pages = [first]
    while (
        nxt := [b for b in unpack_all(pages[-1]) if isinstance(b, ImportPageButton) and b.page >= 1]
    ) and nxt[-1].page == len(pages):
        pages.append(preview_message(preview, lang, nxt[-1].page))
    assert len(pages) > 1
    texts = [assert_sendable(page) for page in pages]
    items = [int(n) for text in texts for n in re.findall(r"^(\d+)\. ", text, re.M)]
    assert items == list(range(1, 101))
    warnings = [n for text in texts for n in re.findall(r"<尽快>(\d+)", text)]
    assert warnings == [str(n) for n in range(1, 101)]
    for page in pages:
        decision = [b.data for b in page.keyboard[-1]]
        assert decision == ["import:7:ok", "import:7:no"]


def unpack_all(rendered: Rendered) -> list[object]:
    """Every button of a rendering, read back."""
    return [unpack(button.data) for row in rendered.keyboard for button in row]


def test_each_preview_page_has_the_arrows_it_needs() -> None:
    """The first page only ▶, the last only ◀, the ones between both."""
    preview = hundred_item_preview()
    first = preview_message(preview, "zh")
    count = int(re.search(r"第1/(\d+)页", first.text).group(1))  # type: ignore[union-attr]
    arrows = [
        [b.data for b in preview_message(preview, "zh", page).keyboard[0]] for page in range(count)
    ]
    assert arrows[0] == ["import:7:p1"]
    assert arrows[-1] == [f"import:7:p{count - 2}"]
    assert all(len(row) == 2 for row in arrows[1:-1])
    assert (
        preview_message(preview, "zh", 999).text == preview_message(preview, "zh", count - 1).text
    )


def test_a_preview_that_fits_stays_one_page() -> None:
    """Ten items: one message, no arrows, no page line, exactly as before paging existed."""
    preview = hundred_item_preview()
    small = ImportPreview(7, preview.items[:10], (), 1, preview.expires_at)
    rendered = preview_message(small, "zh")
    assert [[b.data for b in row] for row in rendered.keyboard] == [["import:7:ok", "import:7:no"]]
    assert "页" not in shown(rendered.text).split("\n")[-2]


# --- an item with 200 progress entries ----------------------------------------------------------


def busy_item(entries: int = 200, text: str = "已召开支部委员会,补齐会议记录") -> ItemSnapshot:
    """An item with ``entries`` progress reports and as many events."""
    progress = tuple(
        ProgressView(f"成员{n % 7}😀", f"{text}第{n + 1}次<b>", NOW - timedelta(hours=entries - n))
        for n in range(entries)
    )
    events = tuple(
        EventView(EventKind.PROGRESS, f"成员{n % 7}", NOW - timedelta(hours=entries - n))
        for n in range(entries)
    )
    return item(1, progress=progress, events=events, owners=owners(30))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_show_with_200_progress_entries_shows_the_latest_and_pages_back(lang: str) -> None:
    """/show fits one message: the latest 20, how many there are, and ◀ back to the first."""
    entry = busy_item()
    rendered = item_full(entry, TODAY, group_settings(lang), lang)
    text = assert_sendable(rendered)
    assert ("共200条,显示最近20条" if lang == "zh" else "200 in all, latest 20 shown") in text
    seen: list[int] = []
    page = 0
    while True:
        view = item_full_page(entry, TODAY, group_settings(lang), lang, page)
        entries = re.findall(r"^  .*第(\d+)次<b>", assert_sendable(view), re.M)
        seen = [int(n) for n in entries] + seen
        older = [b for b in unpack_all(view) if isinstance(b, ProgressPageButton) and b.page > page]
        if not older:
            break
        page = older[0].page
    assert seen == list(range(1, 201))


def test_long_progress_reports_are_shortened_on_the_card_and_say_so() -> None:
    """Twenty reports of 4,000 characters: one message, the reports cut with "…", ◀ for more."""
    entry = busy_item(20, "进展" * 2000)
    rendered = item_full(entry, TODAY, group_settings("zh"), "zh")
    text = assert_sendable(rendered)
    reports = re.findall(r"^  \d\d-\d\d 成员.*?:([进展]+…)$", text, re.M)
    assert len(reports) >= 5
    assert all(len(report) == 200 for report in reports)
    assert "完整内容见 /export" in text
    assert "plog:1:1" in [b.data for row in rendered.keyboard for b in row]


def test_a_view_too_long_to_edit_in_place_falls_back_to_its_progress() -> None:
    """A huge problem and many reports: pressing ◀ shows that page of progress, which fits."""
    entry = busy_item()
    entry = item(1, problem="😀" * 4000, progress=entry.progress, events=entry.events)
    assert len(split_html(item_full(entry, TODAY, group_settings("zh"), "zh").text)) > 1
    view = item_full_page(entry, TODAY, group_settings("zh"), "zh", 3)
    text = assert_sendable(view)
    assert "显示第" in text
    assert [b.data for b in view.keyboard[0]] == ["claim:1", "progress:1", "done:1"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_card_cut_to_one_message_says_how_to_see_the_rest(lang: str) -> None:
    """An edited card too long for one message ends with the way to see it whole."""
    entry = item(
        12, problem="😀" * 4000, measures=tuple(MeasureView("措施" * 40) for _ in range(60))
    )
    rendered = item_card(entry, TODAY, group_settings(lang), lang)
    text = assert_fits(fit_message(rendered.text, rendered.overflow))
    assert "/show 12" in text.split("\n")[-1]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_card_edited_in_place_says_how_to_see_the_rest(lang: str) -> None:
    """Each answer a button edits in place carries the /show line for when it is cut."""
    entry = item(12, problem="😀" * 4000)
    outcome = Outcome(GroupContext(1, -1, "支部", group_settings(lang)), entry, TODAY, ("@nobody",))
    renderings = [
        outcomes.changed(outcome, "claimed", lang),
        outcomes.registered(outcome, lang),
        outcomes.deadline_changed(outcome, lang),
        outcomes.extension_decided(outcome, True, "王书记", lang),
    ]
    for rendered in renderings:
        assert "/show 12" in rendered.overflow
        text = assert_fits(fit_message(rendered.text, rendered.overflow))
        assert text.endswith(shown(rendered.overflow))


# --- lists with long rows -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_list_page_of_long_rows_fits(lang: str) -> None:
    """Twenty rows, each with a long problem, a long group title and thirty owners: one message."""
    rows = [
        item(n, problem="很长的问题" * 800, owners=owners(30), group_title="第一党支部" * 30)
        for n in range(1, 61)
    ]
    listing = Listing(items=tuple(rows), today=TODAY, settings=group_settings(lang), title="支部")
    assert_sendable(list_page(listing, ListFilter.ALL, None, 1, lang))
    assert_sendable(mine_page(listing, 2, lang))


# --- digests and summaries of one group with hundreds of items -----------------------------------


def mixed_items(count: int) -> list[ItemSnapshot]:
    """Overdue, due today, due soon and pending items with long problems and many owners."""
    result = []
    for n in range(1, count + 1):
        due = TODAY + timedelta(days=(n % 5) - 2)
        status = Status.PENDING if n % 7 == 0 else Status.OPEN
        result.append(
            item(
                n,
                problem=f"{PROBLEM}" * 5 + str(n),
                due=due,
                status=status,
                owners=owners(1 + n % 12),
                pending_since=NOW if status is Status.PENDING else None,
            )
        )
    return result


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_digest_of_hundreds_of_items_is_split_and_loses_none(lang: str) -> None:
    """600 items: every part fits, every line of the digest is in exactly one part."""
    items = mixed_items(600)
    digest = build_digest(items, [], TODAY, group_settings(lang))
    assert digest is not None
    parts = digest_parts(digest, "第一<党>支部" * 10, group_settings(lang))
    assert len(parts) > 1
    texts = [assert_fits(part) for part in parts]
    numbers = sorted(int(n) for text in texts for n in re.findall(r"#(\d+) ", text))
    listed = [
        *(line.item for line in digest.overdue),
        *digest.due_today,
        *(line.item for line in digest.due_soon),
        *digest.pending,
    ]
    assert len(listed) > 400
    assert numbers == sorted(entry.number for entry in listed)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_private_copies_of_many_items_fit(lang: str) -> None:
    """An owner of hundreds of items gets their private copy in parts that fit."""
    items = [item(n, owners=(OwnerRef("张三", 2, "zhang"),)) for n in range(1, 501)]
    digest = build_digest(items, [], TODAY, group_settings(lang))
    assert digest is not None
    (copy,) = private_copies([SentDigest(1, "支部" * 50, group_settings(lang), digest)])
    parts = private_parts(copy)
    assert len(parts) > 1
    for part in parts:
        assert_fits(part)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_weekly_summary_of_hundreds_of_items_is_split(lang: str) -> None:
    """A week that closed 300 items with 300 more overdue: every part fits, none lost."""
    closed = [
        item(n, status=Status.CLOSED, closed_at=NOW - timedelta(days=1), closed_by_name="王书记")
        for n in range(1, 301)
    ]
    overdue = [item(n) for n in range(301, 601)]
    summary = weekly_summary(
        closed + overdue, TODAY - timedelta(days=6), TODAY, TODAY, zone=group_settings(lang).zone
    )
    parts = summary_parts(summary, "第一党支部", group_settings(lang))
    texts = [assert_fits(part) for part in parts]
    numbers = sorted(int(n) for text in texts for n in re.findall(r"#(\d+) ", text))
    assert numbers == list(range(1, 601))


# --- a roll-up over many branches (the committee summary uses the same helpers) ------------------


@pytest.mark.parametrize("branches", [1, 80, 300])
def test_a_roll_up_of_many_branches_splits_or_pages_at_any_size(branches: int) -> None:
    """Blocks of several lines per branch: split into messages or paged, every branch once."""
    blocks = [
        f"<b>{esc(f'第{n}党支部<{n}>')}</b>\n  共{n * 3}项 已销号{n}项 逾期{n % 4}项 😀\n"
        + "\n".join(f"  #{k} {esc(PROBLEM)}" for k in range(n % 6))
        for n in range(1, branches + 1)
    ]
    parts = split_html("\n".join(blocks))
    split_names = [m for part in parts for m in re.findall(r"第(\d+)党支部", assert_fits(part))]
    assert split_names == [str(n) for n in range(1, branches + 1)]
    pages = paginate(blocks, TELEGRAM_LIMIT - 100, most=20)
    paged_names = [
        m for page in pages for m in re.findall(r"第(\d+)党支部", assert_fits("\n".join(page)))
    ]
    assert paged_names == split_names


# --- any item, any text -------------------------------------------------------------------------

_ANY_TEXT = st.text(max_size=60) | st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(("😀", "<b>&", "会议", "\n", "👨\u200d👩\u200d👧", "a")),
    st.integers(min_value=1, max_value=4000),
)


@st.composite
def any_item(draw: st.DrawFn) -> ItemSnapshot:
    """An item whose every text field is anything, with many owners, measures and reports."""
    names = st.lists(_ANY_TEXT.filter(str.strip).map(lambda n: n[:64]), max_size=50)
    return item(
        draw(st.integers(min_value=1, max_value=999_999)),
        problem=draw(_ANY_TEXT.map(lambda p: p[:4000])),
        detail=draw(_ANY_TEXT.map(lambda p: p[:500])),
        unit=draw(_ANY_TEXT.map(lambda p: p[:500])),
        lead=draw(_ANY_TEXT.map(lambda p: p[:500])),
        group_title=draw(_ANY_TEXT.map(lambda p: p[:128])),
        owners=tuple(OwnerRef(name) for name in draw(names)),
        measures=tuple(MeasureView(m[:500]) for m in draw(st.lists(_ANY_TEXT, max_size=60))),
        progress=tuple(
            ProgressView(author[:64], text, NOW)
            for author, text in draw(st.lists(st.tuples(_ANY_TEXT, _ANY_TEXT), max_size=50))
        ),
    )


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(entry=any_item(), lang=st.sampled_from(LANGUAGES), page=st.integers(0, 5))
def test_any_item_renders_to_messages_telegram_accepts(
    entry: ItemSnapshot, lang: str, page: int
) -> None:
    """Card, /show, a /show page and a list row: split, fitted or paged, always sendable."""
    group = group_settings(lang)
    for rendered in (item_card(entry, TODAY, group, lang), item_full(entry, TODAY, group, lang)):
        for part in split_html(rendered.text):
            assert_fits(part)
        assert_fits(fit_message(rendered.text, rendered.overflow))
    assert_sendable(item_full_page(entry, TODAY, group, lang, page))
    listing = Listing(items=(entry,) * 20, today=TODAY, settings=group_settings(lang))
    assert_sendable(list_page(listing, ListFilter.ALL, None, 0, lang))


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    drafts=st.lists(
        st.builds(
            DraftItem,
            problem=_ANY_TEXT.map(lambda p: p[:4000]),
            label=_ANY_TEXT.map(lambda p: p[:20]),
            owners=st.lists(_ANY_TEXT.map(lambda n: OwnerRef(n[:64])), max_size=30).map(tuple),
            lead=_ANY_TEXT.map(lambda p: p[:500]),
            unit=_ANY_TEXT.map(lambda p: p[:500]),
        ),
        min_size=1,
        max_size=120,
    ),
    phrases=st.lists(_ANY_TEXT, max_size=30),
    lang=st.sampled_from(LANGUAGES),
    page=st.integers(0, 30),
)
def test_any_preview_page_is_sendable(
    drafts: list[DraftItem], phrases: list[str], lang: str, page: int
) -> None:
    """Whatever the drafts and warnings, every page of the preview is one sendable message."""
    notices = tuple(
        Notice("import.deadline.unrecognised", n % len(drafts) + 1, {"phrase": phrase})
        for n, phrase in enumerate(phrases)
    )
    preview = ImportPreview(3, tuple(drafts), notices, 1, NOW)
    rendered = preview_message(preview, lang, page)
    assert_sendable(rendered)
    assert [b.data for b in rendered.keyboard[-1]] == ["import:3:ok", "import:3:no"]
