"""HTML helpers: escaping user text, counting what Telegram counts, splitting long messages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.standin.formatting import parse_html, utf16_len
from views.text import (
    MAX_BUTTONS,
    TELEGRAM_LIMIT,
    Button,
    Rendered,
    esc,
    fit_message,
    paginate,
    split_html,
    visible_length,
)

LINK = '<a href="https://example.org/item?id=1&amp;tab=2">'


def plain(part: str) -> str:
    """The text Telegram shows for ``part``; raises if Telegram would refuse the markup."""
    return parse_html(part)[0]


def without_whitespace(text: str) -> str:
    """``text`` with every whitespace character removed."""
    return "".join(text.split())


# --- esc ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<b>粗体</b>", "&lt;b&gt;粗体&lt;/b&gt;"),
        ("A & B", "A &amp; B"),
        ('说 "好"', "说 &quot;好&quot;"),
        ("it's", "it&#x27;s"),
        ("&amp;", "&amp;amp;"),
        ("会议记录不全", "会议记录不全"),
        (42, "42"),
        (None, "None"),
    ],
)
def test_esc_escapes_markup_characters(raw: object, escaped: str) -> None:
    """Markup characters and both quotes become entities; non-strings are stringified."""
    assert esc(raw) == escaped


@settings(deadline=None)
@given(st.text())
def test_escaped_text_shows_exactly_what_the_user_typed(text: str) -> None:
    """Any text, escaped, is accepted by Telegram's HTML parser and shown unchanged."""
    assert plain(esc(text)) == text


# --- visible_length -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "length"),
    [
        ("", 0),
        ("abc", 3),
        ("会议记录", 4),
        ("<b>abc</b>", 3),
        ("&amp;&lt;&gt;&quot;", 4),
        ("&#128512;&#x4e2d;", 3),
        (f"{LINK}link</a>", 4),
        ('<pre><code class="language-python">x = 1</code></pre>', 5),
        ("line\n", 5),
        ("😀𠀀", 4),
        ("👍🏽", 4),
    ],
)
def test_visible_length_counts_entities_as_one_and_tags_as_none(fragment: str, length: int) -> None:
    """Tags count nothing, an entity counts what it stands for, in UTF-16 units as Telegram does.

    A character outside the Basic Multilingual Plane (an emoji, a rare Chinese character)
    counts two, whether typed or written as a numeric entity.
    """
    assert visible_length(fragment) == length


# --- split_html: examples -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("", 10),
        ("short", 10),
        ("<b>exactly10</b>!", 10),
        ("&amp;" * 10, 10),
        ("line\nline", 9),
    ],
)
def test_text_within_the_limit_is_returned_unchanged(text: str, limit: int) -> None:
    """A message of at most ``limit`` visible characters is one part, byte for byte."""
    assert split_html(text, limit) == [text]


def test_split_happens_at_line_ends() -> None:
    """Lines that fit are kept whole; the newline at a cut is dropped."""
    assert split_html("aaa\nbbb\nccc", 8) == ["aaa\nbbb", "ccc"]


def test_many_short_lines_fill_each_part_without_breaking_a_line() -> None:
    """Thirty 9-character lines at limit 25 give parts of two whole lines each."""
    lines = [f"第{n:02d}条整改事项。" for n in range(30)]
    parts = split_html("\n".join(lines), 25)
    assert all(len(plain(part)) <= 25 for part in parts)
    assert [line for part in parts for line in part.split("\n")] == lines


def test_a_line_longer_than_the_limit_is_cut_inside_the_line() -> None:
    """One line of ten characters at limit 3 becomes 3 + 3 + 3 + 1 characters."""
    assert split_html("一二三四五六七八九十", 3) == ["一二三", "四五六", "七八九", "十"]


def test_bold_open_at_a_cut_is_closed_and_reopened() -> None:
    """Every part of a long bold run is itself bold."""
    parts = split_html("<b>" + "重" * 10 + "</b>", 4)
    assert [plain(part) for part in parts] == ["重重重重", "重重重重", "重重"]
    for part in parts:
        assert part.startswith("<b>")
        assert part.endswith("</b>")


def test_link_open_at_a_cut_is_reopened_with_the_same_address() -> None:
    """A link cut in two points to the same href in both parts."""
    parts = split_html(f"{LINK}查看整改台账详情</a>", 4)
    assert [plain(part) for part in parts] == ["查看整改", "台账详情"]
    for part in parts:
        assert part.startswith(LINK)
        assert parse_html(part)[1][0]["url"] == "https://example.org/item?id=1&tab=2"


def test_pre_block_is_reopened_with_its_language() -> None:
    """A code block cut at a line end continues as a code block with the same language."""
    opening = '<pre><code class="language-python">'
    text = f"{opening}x = 1\ny = 2\nz = 3</code></pre>"
    parts = split_html(text, 6)
    assert [plain(part) for part in parts] == ["x = 1", "y = 2", "z = 3"]
    for part in parts:
        assert part.startswith(opening)
        assert parse_html(part)[1] == [
            {"offset": 0, "length": 5, "type": "pre", "language": "python"}
        ]


def test_nested_tags_are_closed_innermost_first() -> None:
    """<b><i>…</i></b> cut in the middle closes </i></b> and reopens <b><i>."""
    parts = split_html("<b><i>" + "x" * 6 + "</i></b>", 3)
    assert parts[0] == "<b><i>xxx</i></b>"
    assert parts[1].startswith("<b><i>")


def test_entities_are_never_cut_in_half() -> None:
    """&amp; and friends stay whole and each counts as one character."""
    parts = split_html("&lt;&gt;&amp;&quot;" * 3, 5)
    assert [plain(part) for part in parts] == ['<>&"<', '>&"<>', '&"']


def test_default_limit_is_telegrams() -> None:
    """Without a limit, every part fits in one Telegram message of 4096 characters."""
    text = "\n".join(f"<b>{n}</b>. {esc('<会议记录>')} 整改中" for n in range(600))
    parts = split_html(text)
    assert len(parts) > 1
    assert all(utf16_len(plain(part)) <= TELEGRAM_LIMIT for part in parts)
    assert "\n".join(plain(part) for part in parts) == plain(text)


def test_emoji_count_twice_as_telegram_counts_them() -> None:
    """4096 emoji are 8192 UTF-16 units: two messages of 2048, never one Telegram refuses."""
    parts = split_html("😀" * TELEGRAM_LIMIT)
    assert [utf16_len(plain(part)) for part in parts] == [TELEGRAM_LIMIT, TELEGRAM_LIMIT]


def test_an_emoji_is_never_split_across_the_limit() -> None:
    """At an odd limit a two-unit emoji that would straddle it moves to the next part."""
    assert split_html("a😀😀", 2) == ["a", "😀", "😀"]
    assert split_html("&#128512;&#128512;", 3) == ["&#128512;", "&#128512;"]


def test_whitespace_only_pieces_are_not_sent() -> None:
    """A cut that would leave only blank lines produces no part for them."""
    parts = split_html("   \n" + "x" * 6, 4)
    assert all(plain(part).strip() for part in parts)
    assert "".join(plain(part) for part in parts).strip() == "x" * 6


def test_whitespace_inside_tags_is_not_sent_as_a_part() -> None:
    """A piece that is only whitespace inside reopened tags is dropped, as Telegram refuses it."""
    parts = split_html("<blockquote>会议记录\n</blockquote>", 4)
    assert all(plain(part).strip() for part in parts)


# --- split_html: properties ---------------------------------------------------------------------

_TEXT_PIECES = ["a", "Z", " ", "会", "议", "😀", "𠀀", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
_WRAPPERS = [
    ("<b>", "</b>"),
    ("<i>", "</i>"),
    ("<u>", "</u>"),
    ("<s>", "</s>"),
    ('<span class="tg-spoiler">', "</span>"),
    ("<blockquote>", "</blockquote>"),
    (LINK, "</a>"),
]


def _text(newlines: bool) -> st.SearchStrategy[str]:
    pieces = [*_TEXT_PIECES, "\n"] if newlines else _TEXT_PIECES
    return st.lists(st.sampled_from(pieces), max_size=12).map("".join)


def _markup(newlines: bool) -> st.SearchStrategy[str]:
    """Well-formed Telegram HTML: text, nested formatting, links and code blocks."""
    text = _text(newlines)
    code = text.map(lambda body: f"<code>{body}</code>")
    pre = text.map(lambda body: f'<pre><code class="language-python">{body}</code></pre>')
    leaf = st.one_of(text, code, pre)

    def wrap(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda tags, inner: tags[0] + "".join(inner) + tags[1],
            st.sampled_from(_WRAPPERS),
            st.lists(children, min_size=1, max_size=3),
        )

    return st.lists(st.recursive(leaf, wrap, max_leaves=8), max_size=5).map("".join)


@settings(deadline=None)
@given(_markup(newlines=True), st.integers(min_value=2, max_value=40))
def test_every_part_is_well_formed_and_within_the_limit(text: str, limit: int) -> None:
    """Each part parses as Telegram HTML and fits the limit as Telegram measures it (UTF-16).

    No visible text is lost. The limit starts at 2: one emoji alone is two units.
    """
    parts = split_html(text, limit)
    shown = [plain(part) for part in parts]
    assert all(utf16_len(part) <= limit for part in shown)
    # Blank parts are covered by test_whitespace_inside_tags_is_not_sent_as_a_part.
    # Only newlines at cuts and whitespace-only pieces may go; every other character stays,
    # in order.
    assert without_whitespace("".join(shown)) == without_whitespace(plain(text))


@st.composite
def _fitting_lines(draw: st.DrawFn) -> tuple[str, int]:
    """Non-blank lines, each shorter than the limit, some partly formatted, joined by newlines."""
    limit = draw(st.integers(min_value=2, max_value=30))
    # Every piece here is one UTF-16 unit, so a line of n pieces is n units long.
    narrow = [piece for piece in _TEXT_PIECES if utf16_len(plain(piece)) == 1]
    pieces = st.lists(st.sampled_from(narrow), min_size=1, max_size=limit - 1).filter(
        lambda line: any(piece != " " for piece in line)
    )
    lines: list[str] = []
    for line in draw(st.lists(pieces, min_size=1, max_size=8)):
        cut = draw(st.integers(min_value=0, max_value=len(line)))
        opening, closing = draw(st.sampled_from(_WRAPPERS))
        lines.append("".join(line[:cut]) + opening + "".join(line[cut:]) + closing)
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = f"<b>{text}</b>"
    return text, limit


@settings(deadline=None)
@given(_fitting_lines())
def test_lines_that_fit_are_never_broken(case: tuple[str, int]) -> None:
    """When every line fits, parts are runs of whole lines that rejoin to the original text."""
    text, limit = case
    shown = [plain(part) for part in split_html(text, limit)]
    assert all(utf16_len(part) <= limit for part in shown)
    assert "\n".join(shown) == plain(text)


# --- fit_message --------------------------------------------------------------------------------


def test_a_message_that_fits_is_kept_whole() -> None:
    """fit_message changes nothing when the text is within the limit."""
    assert fit_message("<b>#12</b> 会议记录不全", "…", 20) == "<b>#12</b> 会议记录不全"


def test_a_message_too_long_ends_with_the_overflow_line() -> None:
    """Cut at a line end, closed tags, then the line that says how to see the rest."""
    text = "<b>" + "\n".join(f"第{n}行" for n in range(10)) + "</b>"
    fitted = fit_message(text, "发送 /show 12 查看全部", 30)
    assert utf16_len(plain(fitted)) <= 30
    assert plain(fitted).endswith("发送 /show 12 查看全部")
    assert plain(fitted).startswith("第0行\n第1行")


@settings(deadline=None)
@given(_markup(newlines=True), st.integers(min_value=12, max_value=60))
def test_fit_message_always_fits(text: str, limit: int) -> None:
    """Whatever the markup, the fitted message is valid HTML within the limit."""
    assert utf16_len(plain(fit_message(text, "…更多", limit))) <= limit


# --- paginate -----------------------------------------------------------------------------------


def test_pages_hold_whole_blocks_within_the_budget() -> None:
    """Blocks go to the next page rather than past the budget, in order."""
    pages = paginate(["一" * 5, "二" * 5, "三" * 3, "四"], 10)
    assert pages == [["一" * 5], ["二" * 5, "三" * 3], ["四"]]


def test_pages_hold_at_most_so_many_blocks() -> None:
    """``most`` caps the blocks on a page even when more would fit."""
    assert paginate(["a", "b", "c", "d", "e"], 100, most=2) == [["a", "b"], ["c", "d"], ["e"]]


def test_a_block_longer_than_a_page_continues_on_the_next() -> None:
    """A block over the budget is split over pages, never cut."""
    pages = paginate(["短", "长" * 25], 10)
    shown = "".join(plain(block) for page in pages for block in page)
    assert shown == "短" + "长" * 25
    assert all(visible_length("\n".join(page)) <= 10 for page in pages)


@settings(deadline=None)
@given(
    st.lists(_markup(newlines=False), max_size=30),
    st.integers(min_value=4, max_value=80),
    st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
)
def test_every_page_fits_and_nothing_is_lost(
    blocks: list[str], budget: int, most: int | None
) -> None:
    """Any blocks, any budget: every page is valid HTML within it; the text survives whole."""
    pages = paginate(blocks, budget, most)
    for page in pages:
        assert utf16_len(plain("\n".join(page))) <= budget
        assert most is None or len(page) <= most
    shown = "".join(plain(block) for page in pages for block in page)
    assert without_whitespace(shown) == without_whitespace("".join(plain(b) for b in blocks))


# --- keyboards ----------------------------------------------------------------------------------


def test_a_keyboard_of_more_than_a_hundred_buttons_is_refused() -> None:
    """Telegram refuses a keyboard of over 100 buttons: building one is a programming error."""
    row = tuple(Button(str(n), f"page:open:{n}") for n in range(10))
    assert len(Rendered("ok", (row,) * 10).keyboard) == 10
    with pytest.raises(ValueError, match="buttons"):
        Rendered("too many", (row,) * 10 + ((Button("x", "page:open:0"),),))
    assert MAX_BUTTONS == 100
