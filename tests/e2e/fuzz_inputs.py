"""What the fuzzing types: arbitrary Unicode mixed with the words, labels and markup that matter.

Pure ``st.text()`` rarely hits a deadline phrase or a field label, so the strategies here mix
it with fragments the bot reads specially (labels, numbering, deadlines, @mentions), markup
Telegram would misread if it went out unescaped, characters that are hard to measure (emoji,
joiners, combining marks, right-to-left overrides), empty and huge inputs.
"""

from __future__ import annotations

import io
from typing import Final

import docx
from hypothesis import strategies as st
from openpyxl import Workbook

from domain.settings import SETTING_ALIASES, SETTING_KEYS
from domain.spreadsheet import COLUMNS
from domain.vocabulary import LABELS

USER_LIMIT: Final = 4096  # Telegram's own limit on what a user can send, in UTF-16 units

WORDS: Final = (
    "三会一课记录不规范", "会议记录缺少签到表", "党费收缴不及时", "组织生活会", "整改",
    "第一党支部", "王书记", "张三", "李四、王五", "张三,李四", "张三 李四", "某某",
)  # fmt: skip
DEADLINES: Final = (
    "月底前", "本周内", "下周五", "本季度末", "年底前", "2026年12月31日前", "12月31日",
    "2027-03-01", "3个月内", "两周内", "长期坚持", "长期", "尽快", "立行立改", "xx月xx日",
    "每月28日前", "2月30日", "2025年1月1日前", "明年3月底", "十二月底前", "下周", "today",
    "end of month", "next Friday", "31/12/2026",
)  # fmt: skip
NUMBERING: Final = ("1.", "2、", "3.", "(一)", "（二）", "一、", "二是", "①", "(3)", "10.", "100.")
MENTIONS: Final = (
    "@zhang", "@ZHANG", "＠zhang", "@member_11", "@member_19", "@nobody_here", "@", "@@zhang",
    "@li", "@wang", "@" + "a" * 70, "@a:b:1", "@😀",
)  # fmt: skip
MARKUP: Final = (
    "<b>", "</b>", "<i>斜体</i>", "<u>下划线</u>", "<s>删</s>", '<a href="https://example.org">链接</a>',
    "<tg-spoiler>剧透</tg-spoiler>", '<span class="tg-spoiler">x</span>', "<pre>代码</pre>",
    "<blockquote>引用</blockquote>", "<code>", "</code>", "&", "&amp;", "&lt;", "&gt;",
    "&#128512;", "&#0;", "&foo;", "&#x110000;", "<", ">", '"', "'", "<br>", "<script>",
)  # fmt: skip
HARD: Final = (
    "😀", "👍🏽", "👨\u200d👩\u200d👧", "🇨🇳", "𠀀", "\u200b", "\u200d", "\ufeff", "\u202e",
    "\u0301",
    "\u3000", "\t", "\n", "\n\n", "\r\n", " ", "\u00a0", "\u2028", "\x7f", "ｆｕｌｌ", "：", "，",
    "（", "）", "/problem", "/show 1", "#1", "第1条", "Ⅳ", "🏳️‍🌈",
)  # fmt: skip
LABEL_WORDS: Final = tuple(
    f"{label}{colon}"
    for labels in LABELS.values()
    for label in labels.all()[:3]
    for colon in (":", "：")
)
FRAGMENTS: Final = (*WORDS, *DEADLINES, *NUMBERING, *MENTIONS, *MARKUP, *HARD, *LABEL_WORDS)


def utf16_units(text: str) -> int:
    """The length Telegram gives ``text``."""
    return len(text.encode("utf-16-le")) // 2


def within(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-16 units (never inside a character)."""
    while utf16_units(text) > limit:
        text = text[: len(text) - max(1, (utf16_units(text) - limit) // 2)]
    return text


def pieces(max_size: int = 12) -> st.SearchStrategy[str]:
    """A short run of fragments and arbitrary Unicode."""
    piece = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8))
    return st.lists(piece, max_size=max_size).map("".join)


def huge() -> st.SearchStrategy[str]:
    """One fragment repeated to (nearly) the most Telegram lets a user send."""
    return st.builds(
        lambda fragment, times: within(fragment * times, USER_LIMIT - 40),
        st.sampled_from((*FRAGMENTS, "很长的问题描述")),
        st.integers(min_value=200, max_value=4000),
    )


def user_text() -> st.SearchStrategy[str]:
    """What a member might type after a command: empty, ordinary, weird, or huge."""
    return st.one_of(
        st.just(""),
        st.sampled_from((" ", "\n", "\u200b", "\u3000")),
        pieces(),
        pieces(max_size=40),
        huge(),
    ).map(lambda text: within(text, USER_LIMIT - 40))


def owners_text() -> st.SearchStrategy[str]:
    """Owners as typed: @usernames, names, separators, sometimes many of them."""
    one = st.one_of(st.sampled_from(MENTIONS), st.sampled_from(WORDS), pieces(3))
    separator = st.sampled_from((" ", "、", ",", ",", ";", " 和 ", "\u3000"))
    return st.builds(
        lambda names, sep: sep.join(names),
        st.lists(one, max_size=40),
        separator,
    )


def numbered(values: st.SearchStrategy[str], most: int = 8) -> st.SearchStrategy[str]:
    """Measures as typed: ``1.… 2.…`` on one line or several."""
    return st.builds(
        lambda items, sep: sep.join(f"{n}.{v}" for n, v in enumerate(items, 1)),
        st.lists(values, max_size=most),
        st.sampled_from((" ", "\n", "；", ";")),
    )


@st.composite
def labelled_form(draw: st.DrawFn) -> str:
    """The labelled form of ``/problem``: ``问题:…`` ``措施:…`` ``责任人:…`` ``时限:…`` lines."""
    fields = [
        ("问题:", draw(st.one_of(user_text(), st.sampled_from(WORDS)))),
        (
            draw(st.sampled_from(("措施:", "整改措施：", "measures:"))),
            draw(numbered(pieces(), most=draw(st.sampled_from((3, 60))))),
        ),
        (draw(st.sampled_from(("责任人:", "负责人：", "owner:"))), draw(owners_text())),
        (draw(st.sampled_from(("时限:", "落实时限：", "due:"))), draw(st.sampled_from(DEADLINES))),
        (draw(st.sampled_from(LABEL_WORDS)), draw(pieces())),
    ]
    chosen = draw(st.lists(st.sampled_from(fields), max_size=6))
    return within("\n".join(label + value for label, value in chosen), USER_LIMIT - 40)


def one_line_form() -> st.SearchStrategy[str]:
    """The one-line form of ``/problem``: words, owners and a deadline in any order."""
    part = st.one_of(pieces(4), st.sampled_from(MENTIONS), st.sampled_from(DEADLINES))
    return st.one_of(
        user_text(),
        st.lists(part, max_size=10).map(" ".join).map(lambda t: within(t, USER_LIMIT - 40)),
    )


def item_number(numbers: st.SearchStrategy[int]) -> st.SearchStrategy[str]:
    """An item number as typed: a real one, or something that is not."""
    odd = st.sampled_from(("0", "-1", "99999999999999999999", "#1", "一", "1.5", "１", "", "x"))
    return st.one_of(numbers.map(str), numbers.map(lambda n: f"#{n}"), odd)


def setting_words() -> st.SearchStrategy[tuple[str, str]]:
    """A setting's name (English, Chinese or neither) and a value (sensible or not)."""
    names = st.one_of(
        st.sampled_from(SETTING_KEYS), st.sampled_from(tuple(SETTING_ALIASES.values())), pieces(2)
    )
    values = st.one_of(
        st.sampled_from(
            ("off", "on", "关", "开", "是", "否", "true", "en", "zh", "Asia/Shanghai", "Mars/Base",
             "09:00", "25:61", "周五 17:00", "Fri 17:00", "1,3,7", "0", "-5", "99999", "3", "28",
             "32", "yes", "no", "")
        ),
        user_text(),
    )  # fmt: skip
    return st.tuples(names, values)


# --- plans and files -----------------------------------------------------------------------------


@st.composite
def plan_text(draw: st.DrawFn, most_items: int = 12) -> str:
    """A rectification plan: headings, numbered problems, labelled fields, noise."""
    lines: list[str] = []
    for _ in range(draw(st.integers(min_value=0, max_value=most_items))):
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(NUMBERING)) + draw(pieces(3)))
        lines.append(draw(st.sampled_from(NUMBERING)) + draw(st.one_of(pieces(4), huge())))
        for label in draw(st.lists(st.sampled_from(LABEL_WORDS), max_size=4)):
            lines.append(label + draw(st.one_of(pieces(4), st.sampled_from(DEADLINES))))
    if draw(st.booleans()):
        lines.insert(0, draw(user_text()))
    return "\n".join(lines)


def long_plan(items: int) -> str:
    """A well-formed plan of ``items`` items in sections of ten (too long to paste)."""
    lines: list[str] = []
    for n in range(items):
        if n % 10 == 0:
            lines.append(f"{'一二三四五六七八九十'[n // 10 % 10]}、第{n // 10 + 1}方面<的>问题")
        lines += [
            f"({'一二三四五六七八九十'[n % 10]})记录不规范😀<{n + 1}>&",
            "整改措施:1.建台账 2.每月检查",
            "责任人:张三、@member_11",
            "落实时限:月底前",
        ]
    return "\n".join(lines)


def docx_bytes(text: str) -> bytes:
    """``text`` as a Word document, a paragraph per line."""
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(_xml_safe(line))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """A workbook of one sheet: ``header`` then ``rows``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([_xml_safe(cell) for cell in header])
    for row in rows:
        sheet.append([_xml_safe(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xml_safe(text: str) -> str:
    """Word and Excel files cannot hold control characters: a real file never has them."""
    return "".join(
        c
        for c in text
        if c in "\t\n"
        or (ord(c) >= 0x20 and not 0xD800 <= ord(c) <= 0xDFFF and c not in "\ufffe\uffff")
    )


@st.composite
def spreadsheet(draw: st.DrawFn) -> bytes:
    """An .xlsx: the ledger's columns (some), then rows of anything."""
    columns = list(COLUMNS)
    header = draw(st.lists(st.sampled_from(columns), min_size=1, max_size=8, unique=True))
    header += draw(st.lists(pieces(2), max_size=2))
    cell = st.one_of(pieces(3), st.sampled_from(DEADLINES), st.sampled_from(MENTIONS), huge())
    rows = draw(st.lists(st.lists(cell, max_size=len(header)), max_size=15))
    return xlsx_bytes(header, rows)


@st.composite
def upload(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file sent with ``/import``: its name and bytes, well-formed or not."""
    kind = draw(st.sampled_from(("txt", "txt-gbk", "txt-bytes", "docx", "xlsx", "bad-docx", "pdf")))
    if kind == "txt":
        return "plan.txt", draw(plan_text()).encode("utf-8", "surrogatepass")
    if kind == "txt-gbk":
        return "方案.txt", draw(plan_text()).encode("gbk", errors="ignore")
    if kind == "txt-bytes":
        return "plan.txt", draw(st.binary(max_size=2000))
    if kind == "docx":
        return "整改方案.docx", docx_bytes(draw(plan_text()))
    if kind == "xlsx":
        return "台账.xlsx", draw(spreadsheet())
    if kind == "bad-docx":
        return "broken.docx", draw(st.binary(max_size=500))
    return "plan.pdf", b"%PDF-1.4"
