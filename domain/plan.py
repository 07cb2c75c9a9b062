"""Read a pasted rectification plan (整改方案) into items and warnings.

:func:`parse_plan` is pure: the caller passes the text and the current year and gets back a
:class:`ParsedPlan`.  It never guesses: whatever it cannot place is reported as a
:class:`PlanWarning` (a code plus parameters; the wording lives in the ``plan`` i18n section,
see :attr:`PlanWarning.message_key`).

How a plan is read:

* Matching runs on a copy of each line whose full-width forms (``，：（）．；＊`` digits,
  letters, the ideographic space) are folded to ASCII one character for one character, so
  positions agree and every output field is a slice of the text **as typed** (full-width stays
  full-width).  Compare outputs after folding if the punctuation does not matter.
* Numbering styles, outermost first: ``一、`` ``(一)`` ``1.``/``1、`` ``(1)``/``1)`` ``①``
  and inline ``一是…二是…``.  The *item style* is the style of the first numbered line that is
  not a section heading; lines of an outer style are headings (category, 存在问题, 整改措施,
  保障措施…), lines of an inner style are measures, sub-points or detail.
* Problems and measures pair up in two layouts: measures under an ``整改措施`` label directly
  below their problem, or a list of problems followed by one measures block (a ``整改措施``
  label or a ``二、整改措施`` heading) whose entries pair with the problems **by number**.
* Field blocks (责任人, 总负责人, 责任单位, 落实时限…) belong to the problem (or the paired group
  of problems) they follow; ``责任人:张三`` may also sit inline, e.g. in parentheses after a
  measure.
* A numbering run that restarts without a heading and holds no measures and no fields, after
  runs that did, is how the work is organised or a conclusion (ex4's 保障措施, ex5's last group):
  its blocks are reported as :attr:`PlanWarningCode.NOT_AN_ITEM`, not imported.
* Placeholders (``xx`` ``×`` ``**`` ``某``…) and incomplete deadlines (``底前``) are never stored:
  the field is left empty (``None``) and a warning carries the value.
* Text fields keep their own punctuation; field values lose surrounding spaces, trailing
  ``。,;`` and unbalanced brackets.  A measure's continuation lines are joined with newlines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum, IntEnum, StrEnum
from types import MappingProxyType
from typing import Final


class PlanWarningCode(StrEnum):
    """What a plan warning is about; each has a ``plan.warning.<code>`` message."""

    # A preamble, 保障措施 block, intro or conclusion that was skipped (param: excerpt).
    NOT_AN_ITEM = "not_an_item"
    # A field holds xx / × / ** / 某 and was not stored (params: field, value).
    PLACEHOLDER = "placeholder"
    # A line among an item's fields that has no label (param: excerpt).
    UNLABELLED_FIELD = "unlabelled_field"
    # A deadline such as 底前 that lost its month or year; not stored (param: value).
    INCOMPLETE_DEADLINE = "incomplete_deadline"
    # A label without a value, e.g. 落实时限: (param: field).
    EMPTY_FIELD = "empty_field"
    # Numbering skips (1 → 3), repeats or is mistyped (2..) (params: expected, found).
    NUMBERING_GAP = "numbering_gap"
    NO_MEASURES = "no_measures"
    NO_OWNER = "no_owner"  # neither 责任人 nor 总负责人 given
    NO_DEADLINE = "no_deadline"
    # A year before reference_year in a deadline or a schedule phrase (param: value).
    PAST_DATE = "past_date"
    # A paired measure with no problem of its number (item None; params: label, excerpt), or a
    # problem of a paired group that got no measure (item set; param: label).
    UNPAIRED = "unpaired"
    # A second, different value for 总负责人/责任单位/落实时限; the first is kept
    # (params: field, value — the ignored one).
    DUPLICATE_FIELD = "duplicate_field"
    # Nothing in the text looks like a numbered problem; no items at all.
    NO_ITEMS = "no_items"


class PlanField(StrEnum):
    """The labelled fields of an item; each has a ``plan.field.<value>`` name."""

    OWNERS = "owners"
    LEAD = "lead"
    UNIT = "unit"
    DEADLINE = "deadline"
    MEASURES = "measures"


# Codes that occur both for an item and for the plan as a whole; the whole-plan message has
# its own key because it cannot name an item.
_DUAL_CODES: Final = frozenset({PlanWarningCode.PAST_DATE, PlanWarningCode.UNPAIRED})


@dataclass(frozen=True)
class PlanWarning:
    """One thing the preview should point out; ``item`` is 1-based, None for the whole plan."""

    code: PlanWarningCode
    item: int | None = None
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # A private read-only copy keeps the frozen dataclass honest.
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def message_key(self) -> str:
        """The i18n key of this warning's message (``{item}`` plus ``params`` fill it)."""
        if self.item is None and self.code in _DUAL_CODES:
            return f"plan.warning.{self.code}.general"
        return f"plan.warning.{self.code}"


@dataclass(frozen=True)
class PlanItem:
    """One problem of the plan with what the plan says about it."""

    label: str
    problem: str
    detail: str
    category: str | None
    measures: tuple[str, ...]
    owners: tuple[str, ...]
    lead: str | None
    unit: str | None
    deadline_phrase: str | None


@dataclass(frozen=True)
class ParsedPlan:
    """The items read from a plan and everything the preview should warn about."""

    items: tuple[PlanItem, ...]
    warnings: tuple[PlanWarning, ...]


# --- text --------------------------------------------------------------------------------------

_FOLD: Final = str.maketrans(
    {chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " ", "〔": "(", "〕": ")"}
)


@dataclass(frozen=True)
class _Text:
    """A piece of the user's text with its folded twin; same length, so slices line up."""

    orig: str
    norm: str

    @classmethod
    def of(cls, orig: str) -> _Text:
        """Pair ``orig`` with its folded copy."""
        return cls(orig, orig.translate(_FOLD))

    def cut(self, start: int, end: int | None = None) -> _Text:
        """Slice both strings alike."""
        return _Text(self.orig[start:end], self.norm[start:end])

    def strip(self) -> _Text:
        """Drop surrounding whitespace."""
        start, end = 0, len(self.norm)
        while start < end and self.norm[start].isspace():
            start += 1
        while end > start and self.norm[end - 1].isspace():
            end -= 1
        return self.cut(start, end)


_EDGE: Final = frozenset("。.,;:、!?")


def _trim(text: _Text) -> _Text:
    """Strip spaces, edge punctuation and unbalanced brackets from a field value."""
    norm, start, end = text.norm, 0, len(text.norm)
    opened, closed = norm.count("("), norm.count(")")
    while start < end:
        first, last = norm[start], norm[end - 1]
        if first.isspace() or first in _EDGE or (first == "(" and opened > closed):
            start += 1
            opened -= first == "("
        elif last.isspace() or last in _EDGE or (last == ")" and closed > opened):
            end -= 1
            closed -= last == ")"
        else:
            break
    return text.cut(start, end)


def _core(text: _Text) -> str:
    """The folded text without edge punctuation, for keyword tests."""
    return _trim(text).norm


_EXCERPT_MAX: Final = 40


def _excerpt(text: _Text) -> str:
    """The start of a paragraph, for a warning."""
    orig = text.strip().orig
    return orig if len(orig) <= _EXCERPT_MAX else orig[:_EXCERPT_MAX] + "…"


# --- numbering ---------------------------------------------------------------------------------


class _Style(IntEnum):
    """Numbering styles, from the outermost level to the innermost."""

    CN_DUN = 0  # 一、
    CN_PAREN = 1  # (一)
    ARABIC = 2  # 1.  1、
    ARABIC_PAREN = 3  # (1)  1)
    CIRCLED = 4  # ①
    YISHI = 5  # 一是


_CN_DIGITS: Final = "一二三四五六七八九"


def _cn_to_int(numeral: str) -> int | None:
    """Read 一 … 九十九; None for anything else."""
    if numeral.count("十") > 1:
        return None
    if "十" not in numeral:
        return _CN_DIGITS.index(numeral) + 1 if len(numeral) == 1 else None
    tens_part, ones_part = numeral.split("十")
    if len(tens_part) > 1 or len(ones_part) > 1:
        return None
    tens = _CN_DIGITS.index(tens_part) + 1 if tens_part else 1
    ones = _CN_DIGITS.index(ones_part) + 1 if ones_part else 0
    return tens * 10 + ones


def _int_to_cn(number: int) -> str:
    """Write 1 … 99 in Chinese numerals."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _CN_DIGITS[ones - 1]
    head = "" if tens == 1 else _CN_DIGITS[tens - 1]
    return head + "十" + (_CN_DIGITS[ones - 1] if ones else "")


def _format_label(style: _Style, number: int) -> str:
    """The canonical label of ``number`` in ``style``, for numbering warnings."""
    if style is _Style.CN_DUN:
        return f"{_int_to_cn(number)}、"
    if style is _Style.CN_PAREN:
        return f"({_int_to_cn(number)})"
    if style is _Style.ARABIC_PAREN:
        return f"({number})"
    if style is _Style.CIRCLED and 0 < number <= 20:
        return chr(0x2460 + number - 1)
    if style is _Style.YISHI:
        return f"{_int_to_cn(number)}是"
    return f"{number}."


_CN: Final = "[一二三四五六七八九十]"
_NUMBERING: Final = (
    (_Style.CN_DUN, re.compile(rf"({_CN}{{1,3}})([、.]+)(?![0-9])")),
    (_Style.CN_PAREN, re.compile(rf"\(\s*({_CN}{{1,3}})\s*\)([、.]*)")),
    (_Style.ARABIC_PAREN, re.compile(r"\(\s*([0-9]{1,2})\s*\)([、.]*)")),
    (_Style.ARABIC_PAREN, re.compile(r"([0-9]{1,2})\)()")),
    (_Style.ARABIC, re.compile(r"([0-9]{1,2})([.、]+)(?![0-9])")),
    (_Style.YISHI, re.compile(rf"({_CN}{{1,2}})(是)(?=\S)")),
)
# Enclosed numerals each stand for a whole label: (first code point, style).
_ENCLOSED: Final = (
    (0x2460, 20, _Style.CIRCLED),  # ①…⑳
    (0x2474, 20, _Style.ARABIC_PAREN),  # ⑴…⒇
    (0x2488, 20, _Style.ARABIC),  # ⒈…⒛
    (0x2776, 10, _Style.CIRCLED),  # ❶…❿
    (0x2780, 10, _Style.CIRCLED),  # ➀…➉
    (0x3220, 10, _Style.CN_PAREN),  # ㈠…㈩
)


@dataclass(frozen=True)
class _Numbering:
    """A line's leading number: style, value, where the label ends, and a doubled separator."""

    style: _Style
    number: int
    end: int
    typo: bool


def _number_value(style: _Style, digits: str) -> int | None:
    """The value of a captured numeral."""
    if style in (_Style.ARABIC, _Style.ARABIC_PAREN):
        return int(digits)
    return _cn_to_int(digits)


def _numbering(norm: str) -> _Numbering | None:
    """Recognise the numbering at the start of a folded line."""
    if norm:
        code = ord(norm[0])
        for first, count, style in _ENCLOSED:
            if first <= code < first + count:
                return _Numbering(style, code - first + 1, 1, typo=False)
    for style, pattern in _NUMBERING:
        match = pattern.match(norm)
        if match is None:
            continue
        number = _number_value(style, match.group(1))
        if number is None or number == 0:
            continue
        typo = style in (_Style.CN_DUN, _Style.ARABIC) and len(match.group(2)) > 1
        return _Numbering(style, number, match.end(), typo)
    return None


# --- labels ------------------------------------------------------------------------------------

_FIELD_WORDS: Final = {
    PlanField.MEASURES: "整改措施|整改举措|具体措施|主要措施|整改办法|措施",
    PlanField.LEAD: "总负责人|第一责任人|牵头领导|责任领导|分管领导",
    PlanField.UNIT: "(?:整改)?责任单位|牵头单位|(?:整改)?责任部门|牵头部门|责任科室|主责单位",
    PlanField.OWNERS: "(?:整改|具体|直接)?责任人|负责人",
    PlanField.DEADLINE: "(?:落实|整改|完成)(?:时限|期限|时间)|时限",
}
_FIELD_GROUPS: Final = "|".join(f"(?P<{name}>{words})" for name, words in _FIELD_WORDS.items())
_LABEL_AT_START: Final = re.compile(
    rf"[(\[【]?\s*(?:{_FIELD_GROUPS})\s*[)\]】]?\s*(?:如下)?\s*(?:[:。]|(?=\s)|$)"
)
# Inside a line a label needs a colon and must follow a boundary, so prose is not cut up.
_INLINE_LABEL: Final = re.compile(
    rf"(?<=[\s,;。、()\[\]【】])[\[【]?(?:{_FIELD_GROUPS})[\]】]?\s*:"
)


def _label_field(match: re.Match[str]) -> PlanField:
    """Which field a label match names."""
    return PlanField(match.lastgroup or PlanField.MEASURES)


# --- tokens ------------------------------------------------------------------------------------


class _Kind(Enum):
    """What a piece of a line is."""

    TEXT = "text"
    NUMBERED = "numbered"
    FIELD = "field"
    MEASURES_LABEL = "measures_label"


@dataclass(frozen=True)
class _Token:
    """A line, or a labelled part of one."""

    kind: _Kind
    text: _Text  # the whole piece as typed
    line: int
    body: _Text = _Text("", "")  # after the numbering or the label
    style: _Style | None = None
    number: int = 0
    label: str = ""  # the numbering as typed
    typo: bool = False
    field_name: PlanField | None = None
    inline: bool = False  # a field that shares its line with other content


def _content_token(text: _Text, line: int) -> _Token:
    """A numbered line or plain text."""
    numbering = _numbering(text.norm)
    if numbering is None:
        return _Token(_Kind.TEXT, text, line, body=text)
    return _Token(
        _Kind.NUMBERED,
        text,
        line,
        body=text.cut(numbering.end).strip(),
        style=numbering.style,
        number=numbering.number,
        label=text.orig[: numbering.end].strip(),
        typo=numbering.typo,
    )


def _strip_open_bracket(text: _Text) -> _Text:
    """Drop what an inline field group leaves at the end of the text before it."""
    text = text.strip()
    while text.norm and (text.norm[-1] in "([【;," or text.norm[-1].isspace()):
        text = text.cut(0, -1)
    return text


def _line_tokens(line: _Text, line_no: int) -> list[_Token]:
    """Split one line into content and labelled fields."""
    cuts = sorted(
        {m.start() for m in _INLINE_LABEL.finditer(line.norm)}
        | ({0} if _LABEL_AT_START.match(line.norm) else set())
    )
    tokens: list[_Token] = []
    head = line.cut(0, cuts[0]) if cuts else line
    if cuts:
        head = _strip_open_bracket(head)
    if head.norm:
        tokens.append(_content_token(head, line_no))
    ends = [*cuts[1:], len(line.norm)] if cuts else []
    for start, end in zip(cuts, ends, strict=True):
        piece = line.cut(start, end).strip()
        match = _LABEL_AT_START.match(piece.norm)
        if match is None:  # cannot happen: every cut is where a label matched
            continue
        value = piece.cut(match.end()).strip()
        kind = _label_field(match)
        if kind is PlanField.MEASURES:
            tokens.append(_Token(_Kind.MEASURES_LABEL, piece, line_no, body=value))
            value = _strip_open_bracket(value) if end < len(line.norm) else value
            if value.norm:
                tokens.append(_content_token(value, line_no))
            continue
        inline = any(token.kind is not _Kind.FIELD for token in tokens)
        tokens.append(
            _Token(_Kind.FIELD, piece, line_no, body=value, field_name=kind, inline=inline)
        )
    return tokens


def _tokenize(text: str) -> list[_Token]:
    """Turn the pasted text into tokens, skipping blank lines."""
    tokens: list[_Token] = []
    for line_no, raw in enumerate(text.splitlines()):
        line = _Text.of(raw).strip()
        if line.norm:
            tokens.extend(_line_tokens(line, line_no))
    return tokens


# --- inline enumerations -----------------------------------------------------------------------

_ENUMERATIONS: Final = (
    (_Style.YISHI, re.compile(rf"(?:(?<=[。;,:!?\s])|^)({_CN}{{1,2}})是")),
    (_Style.CIRCLED, re.compile(r"([①-⑳])")),
    (_Style.ARABIC_PAREN, re.compile(r"\(([0-9]{1,2})\)")),
    (_Style.ARABIC, re.compile(r"(?:(?<=[。;:!?\s])|^)([0-9]{1,2})[.、](?![0-9])")),
)


def _enum_value(style: _Style, numeral: str) -> int | None:
    """The value of an inline enumeration marker."""
    if style is _Style.CIRCLED:
        return ord(numeral) - 0x2460 + 1
    return _number_value(style, numeral)


def _chain(style: _Style, pattern: re.Pattern[str], norm: str) -> list[tuple[int, int]]:
    """Spans of the markers 1, 2, 3… of one style, in order."""
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(norm):
        if _enum_value(style, match.group(1)) == len(spans) + 1:
            spans.append((match.start(), match.end()))
    return spans


def _enumeration(text: _Text, line: int) -> tuple[_Text, list[_Token]]:
    """Split ``一是…二是…`` / ``①…②…`` / ``1.…2.…`` in one paragraph; (text, []) if none."""
    best: tuple[_Style, list[tuple[int, int]]] | None = None
    for style, pattern in _ENUMERATIONS:
        spans = _chain(style, pattern, text.norm)
        if len(spans) >= 2 and (best is None or spans[0][0] < best[1][0][0]):
            best = (style, spans)
    if best is None:
        return text, []
    style, spans = best
    parts: list[_Token] = []
    ends = [start for start, _ in spans[1:]] + [len(text.norm)]
    for number, ((start, label_end), end) in enumerate(zip(spans, ends, strict=True), 1):
        body = _strip_open_bracket(text.cut(label_end, end))
        piece = text.cut(start, end).strip()
        label = text.orig[start:label_end].strip()
        parts.append(
            _Token(_Kind.NUMBERED, piece, line, body=body, style=style, number=number, label=label)
        )
    return text.cut(0, spans[0][0]).strip(), parts


# --- keywords ----------------------------------------------------------------------------------


class _Section(Enum):
    """What a heading opens."""

    CATEGORY = "category"
    PROBLEMS = "problems"
    MEASURES = "measures"
    SKIP = "skip"


_SKIP_WORDS: Final = (
    "保障措施|保障机制|组织保障|工作保障|组织领导|工作要求|有关要求|相关要求|总体要求|整改要求|"
    "指导思想|工作目标|整改目标|目标任务|方法步骤|实施步骤|工作步骤|整改步骤|时间安排|进度安排|"
    "步骤安排|基本原则|工作原则|领导小组|组织机构|工作机构"
)
_SKIP_HEADING: Final = re.compile(_SKIP_WORDS)
_SKIP_PARAGRAPH: Final = re.compile(rf"(?:整改|工作)?(?:{_SKIP_WORDS})")
_MEASURES_HEADING: Final = re.compile("措施|举措|整改方向|整改思路|努力方向")
_HEADING_MAX: Final = 16
_CATEGORY_MAX: Final = 30
_CONCLUSION: Final = re.compile(
    "以上|总之|综上|今后|下一步|我们将|我们要|我支部将|支部将|党委将|党支部将|在今后|"
    "通过(?:本次|这次|此次)?整改"
)


def _keyword_section(core: str) -> _Section | None:
    """The kind of section a heading's words announce, if any."""
    if len(core) <= _HEADING_MAX and _SKIP_HEADING.search(core):
        return _Section.SKIP
    if len(core) <= _HEADING_MAX - 4 and _MEASURES_HEADING.search(core):
        return _Section.MEASURES
    if "方面" in core and len(core) <= _CATEGORY_MAX:
        return _Section.CATEGORY
    if len(core) <= _HEADING_MAX and "问题" in core:
        return _Section.PROBLEMS
    return None


def _has_children(tokens: Sequence[_Token], index: int) -> bool:
    """Whether the next structural token is numbered in an inner style."""
    style = tokens[index].style
    assert style is not None
    for token in tokens[index + 1 :]:
        if token.kind is _Kind.TEXT or token.style is _Style.YISHI:
            continue
        return token.kind is _Kind.NUMBERED and token.style is not None and token.style > style
    return False


def _prepass_headings(tokens: Sequence[_Token]) -> tuple[set[int], _Style | None]:
    """Numbered lines that are headings, and the item style (first non-heading numbering)."""
    headings: set[int] = set()
    item_style: _Style | None = None
    in_skip = False
    for index, token in enumerate(tokens):
        if token.kind is not _Kind.NUMBERED or token.style in (None, _Style.YISHI):
            continue
        kind = _keyword_section(_core(token.body))
        outermost = token.style is _Style.CN_DUN
        if (outermost and kind in (_Section.SKIP, _Section.MEASURES)) or (
            (outermost or kind in (_Section.CATEGORY, _Section.PROBLEMS))
            and _has_children(tokens, index)
        ):
            headings.add(index)
            in_skip = kind is _Section.SKIP
        elif outermost:
            in_skip = False
        if index not in headings and item_style is None and not in_skip:
            item_style = token.style
    return headings, item_style


# --- dates -------------------------------------------------------------------------------------

_YEAR: Final = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
_DATE: Final = (
    r"(?<![0-9])(?:19|20)[0-9]{2}\s*年(?:\s*[0-9]{1,2}\s*月)?(?:\s*[0-9]{1,2}\s*[日号])?"
    r"(?:底|末|初|上旬|中旬|下旬)?"
)
_SCHEDULE: Final = re.compile(
    rf"(?P<pre>自|从|于|至|到|截至|截止)?\s*(?P<date>{_DATE})\s*"
    r"(?P<post>以前|之前|前|开始|起|至|到|以内|内|基本完成|全面完成|全部完成|完成|结束|止)?"
)
_SENTENCE_END: Final = re.compile(r"[。;!?\n]|\.(?![0-9])")
_TITLE_END: Final = re.compile(r"[。!?]|\.(?![0-9])")
_INCOMPLETE_DEADLINE: Final = re.compile(
    "(?:底|末|前|之前|以前|日|号|止|上旬|中旬|下旬)(?:前|之前|以前|完成)?"
)
_PLACEHOLDER: Final = re.compile(r"(?<![A-Za-z])[xX]+(?![A-Za-z])|[×*]+|某|[○□_]{2,}|\?+")


def _sentences(text: _Text) -> list[_Text]:
    """Split a paragraph at sentence ends."""
    pieces: list[_Text] = []
    start = 0
    for match in _SENTENCE_END.finditer(text.norm):
        pieces.append(text.cut(start, match.start()))
        start = match.end()
    pieces.append(text.cut(start))
    return pieces


def _past_schedules(text: _Text, reference_year: int) -> list[str]:
    """Schedule phrases (自2019年7月开始, 2019年12月底前…) that lie before reference_year."""
    found: list[str] = []
    for sentence in _sentences(text):
        hits = [
            match
            for match in _SCHEDULE.finditer(sentence.norm)
            if match.group("pre") or match.group("post")
        ]
        if any(int(match.group("date")[:4]) < reference_year for match in hits):
            found.append(sentence.cut(hits[0].start(), hits[-1].end()).strip().orig)
    return found


def _is_past_deadline(phrase: str, reference_year: int) -> bool:
    """Whether a deadline names a year before reference_year."""
    return any(int(year) < reference_year for year in _YEAR.findall(phrase.translate(_FOLD)))


# --- building blocks ---------------------------------------------------------------------------

_OWNER_SEPARATORS: Final = re.compile(r"[、,;/\s]+")
_OWNER_AND: Final = re.compile("以及|和|及|与")
_SHORTEST_NAME: Final = 2
_FIELD_LINE_MAX: Final = 60
_TITLE_MAX: Final = 200
_LOOKAHEAD: Final = 200


def _split(text: _Text, separator: re.Pattern[str]) -> list[_Text]:
    """Split at a pattern (matched on the folded text), dropping empty parts."""
    parts: list[_Text] = []
    start = 0
    for match in separator.finditer(text.norm):
        parts.append(text.cut(start, match.start()))
        start = match.end()
    parts.append(text.cut(start))
    return [part for part in (_trim(part) for part in parts) if part.norm]


def _owner_names(value: _Text) -> list[_Text]:
    """Names in a 责任人 value; 和/及 split only when every side is a plausible name."""
    names: list[_Text] = []
    for part in _split(value, _OWNER_SEPARATORS):
        pieces = _split(part, _OWNER_AND)
        if len(pieces) > 1 and all(len(piece.norm) >= _SHORTEST_NAME for piece in pieces):
            names.extend(pieces)
        else:
            names.append(part)
    return names


def _split_title(text: _Text) -> tuple[str, str]:
    """A problem's first sentence (at most _TITLE_MAX characters) and the rest."""
    match = _TITLE_END.search(text.norm)
    title, rest = (text.cut(0, match.start()), text.cut(match.end())) if match else (text, None)
    if len(title.norm) > _TITLE_MAX:
        mark = max(title.norm.rfind(sep, 0, _TITLE_MAX) for sep in ",;、")
        cut = mark if mark > _TITLE_MAX // 4 else _TITLE_MAX
        rest = text.cut(cut + 1 if cut == mark else cut)
        title = title.cut(0, cut)
    return _trim(title).orig, rest.strip().orig if rest is not None else ""


@dataclass(eq=False)
class _Measure:
    """A measure being collected: its lines, whether it was numbered."""

    parts: list[str]
    numbered: bool


@dataclass(eq=False)
class _Block:
    """A problem being collected (identity-hashed)."""

    token: _Token
    category: str | None
    last_line: int
    details: list[_Text] = field(default_factory=list)
    measures: list[_Measure] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    values: dict[PlanField, str] = field(default_factory=dict)
    flagged: set[PlanField] = field(default_factory=set)
    has_fields: bool = False
    paired: bool = False

    def texts(self) -> list[_Text]:
        """The problem's own paragraphs: the numbered line's text, then its detail lines."""
        return [text for text in (self.token.body, *self.details) if text.norm]

    def build(self) -> PlanItem:
        """Freeze into a PlanItem."""
        texts = self.texts()
        title, rest = _split_title(texts[0]) if texts else ("", "")
        detail = "\n".join(part for part in (rest, *(t.orig for t in texts[1:])) if part)
        return PlanItem(
            label=self.token.label,
            problem=title,
            detail=detail,
            category=self.category,
            measures=tuple(
                joined for joined in ("\n".join(m.parts).strip() for m in self.measures) if joined
            ),
            owners=tuple(self.owners),
            lead=self.values.get(PlanField.LEAD),
            unit=self.values.get(PlanField.UNIT),
            deadline_phrase=self.values.get(PlanField.DEADLINE),
        )


@dataclass(eq=False)
class _Run:
    """Problems numbered in one sequence; ``has_heading`` if a heading opened it."""

    has_heading: bool
    blocks: list[_Block] = field(default_factory=list)


@dataclass(frozen=True)
class _Note:
    """A warning before item indexes are known."""

    line: int
    code: PlanWarningCode
    block: _Block | None
    params: tuple[tuple[str, str], ...]


def _note_order(numbered: tuple[int, _Note]) -> tuple[int, int]:
    """Sort key: an item's warnings stay together at its first line, others at their own."""
    sequence, note = numbered
    return (note.block.token.line if note.block is not None else note.line, sequence)


class _Mode(Enum):
    """Where the parser is inside the plan."""

    PREAMBLE = "preamble"  # before the first problem of a section
    PROBLEM = "problem"
    MEASURES = "measures"
    FIELDS = "fields"
    SKIP = "skip"


# --- the parser --------------------------------------------------------------------------------


class _Parser:
    """One pass over the tokens; a small state machine."""

    def __init__(self, tokens: list[_Token], reference_year: int) -> None:
        self.tokens = tokens
        self.year = reference_year
        self.headings, self.item_style = _prepass_headings(tokens)
        self.has_measure_markers = any(
            token.kind is _Kind.MEASURES_LABEL
            or (index in self.headings and _keyword_section(_core(token.body)) is _Section.MEASURES)
            for index, token in enumerate(tokens)
        )
        structural = [i for i, token in enumerate(tokens) if token.kind is not _Kind.TEXT]
        self.tail_start = structural[-1] + 1 if structural else 0
        self.notes: list[_Note] = []
        self.blocks: list[_Block] = []
        self.runs: list[_Run] = []
        self.section_blocks: list[_Block] = []
        self.category: str | None = None
        self.heading_since_block = False
        self.mode = _Mode.PREAMBLE
        self.skip_level = _Style.CN_DUN
        self.skip_open = False
        self.current: _Block | None = None
        self.consumed: set[int] = set()
        self.field_targets: list[_Block] = []
        self._reset_measures([], in_section=False)

    # -- output ---------------------------------------------------------------------------------

    def note(self, code: PlanWarningCode, block: _Block | None, line: int, **params: str) -> None:
        """Record a warning."""
        self.notes.append(_Note(line, code, block, tuple(params.items())))

    def skip(self, text: _Text, line: int) -> None:
        """Report a paragraph that is not an item (and any past schedule in it)."""
        self.note(PlanWarningCode.NOT_AN_ITEM, None, line, excerpt=_excerpt(text))
        self.scan_skipped(text, line)

    def scan_skipped(self, text: _Text, line: int) -> None:
        """Report past schedules in text that is not imported."""
        for value in _past_schedules(text, self.year):
            self.note(PlanWarningCode.PAST_DATE, None, line, value=value)

    # -- driving --------------------------------------------------------------------------------

    def run(self) -> ParsedPlan:
        """Parse every token, then assemble the result."""
        if self.item_style is None:
            return ParsedPlan((), (PlanWarning(PlanWarningCode.NO_ITEMS),))
        for index, token in enumerate(self.tokens):
            if index in self.consumed:
                continue
            if token.kind is _Kind.NUMBERED:
                self.on_numbered(index, token)
            elif token.kind is _Kind.MEASURES_LABEL:
                self.on_measures_label(token)
            elif token.kind is _Kind.FIELD:
                self.on_field(index, token)
            else:
                self.on_text(index, token)
        return self.finish()

    # -- headings -------------------------------------------------------------------------------

    def heading_kind(self, index: int, token: _Token) -> _Section | None:
        """The section a numbered line opens, or None if it is not a heading."""
        assert token.style is not None
        assert self.item_style is not None
        if token.style is _Style.YISHI:
            return None
        if index not in self.headings and token.style >= self.item_style:
            return None
        return _keyword_section(_core(token.body)) or _Section.CATEGORY

    def on_heading(self, kind: _Section, token: _Token) -> None:
        """Open a category, problems, measures or skipped section."""
        self.heading_since_block = True
        self.skip_open = False
        if kind is _Section.MEASURES:
            targets = [block for block in self.section_blocks if not block.measures]
            self.start_measures(targets, in_section=True)
            return
        self._reset_measures([], in_section=False)
        self.section_blocks = []
        self.current = None
        if kind is _Section.SKIP:
            self.mode = _Mode.SKIP
            self.skip_level = token.style if token.style is not None else _Style.CN_DUN
            return
        self.mode = _Mode.PREAMBLE
        self.category = _trim(token.body).orig or None if kind is _Section.CATEGORY else None

    # -- numbered lines -------------------------------------------------------------------------

    def on_numbered(self, index: int, token: _Token) -> None:
        """Place a numbered line: heading, problem, measure, sub-point or detail."""
        assert token.style is not None
        if self.mode is _Mode.SKIP and token.style > self.skip_level:
            self.skip_numbered(token)
            return
        kind = self.heading_kind(index, token)
        if kind is not None:
            self.on_heading(kind, token)
            return
        if self.mode is _Mode.SKIP:
            self.skip_numbered(token)
        elif token.style is self.item_style and self.starts_problem(index, token):
            self.new_problem(token)
        elif self.mode is _Mode.MEASURES:
            self.on_measure_line(token)
        elif self.current is not None and (
            self.mode is _Mode.FIELDS
            or (not self.has_measure_markers and token.style is not _Style.YISHI)
        ):
            # Without any 整改措施 marker in the plan, inner numbering under a problem is its
            # measures; with markers it is the problem's own enumeration.
            self.start_measures([self.current], in_section=False)
            self.on_measure_line(token)
        elif self.mode is _Mode.PROBLEM and self.current is not None:
            self.current.details.append(token.text)
        else:
            self.skip(token.text, token.line)

    def skip_numbered(self, token: _Token) -> None:
        """Skip a numbered block of a skipped section; its detail lines go with it."""
        self.skip(token.text, token.line)
        self.skip_open = True

    def starts_problem(self, index: int, token: _Token) -> bool:
        """Whether an item-style line opens a problem rather than continuing a measures list."""
        if self.mode is not _Mode.MEASURES:
            return True
        if self.in_section:
            return False
        last_problem = self.current.token.number if self.current is not None else 0
        if self.measure_style is None:
            return token.number != 1 and token.number == last_problem + 1
        if self.measure_style is not self.item_style:
            return True
        if token.number == 1:
            return True
        fits_measure = token.number == self.last_measure_number + 1
        fits_problem = token.number == last_problem + 1
        if fits_measure != fits_problem:
            return fits_problem
        return _core(token.body).endswith("问题") or self.problems_follow(index)

    def problems_follow(self, index: int) -> bool:
        """Whether the consecutive item-style run starting here is followed by 整改措施."""
        expected = self.tokens[index].number + 1
        for token in self.tokens[index + 1 : index + _LOOKAHEAD]:
            if token.kind is _Kind.TEXT:
                continue
            if token.kind is _Kind.NUMBERED and token.style is self.item_style:
                if token.number != expected:
                    return False
                expected += 1
                continue
            if token.kind is _Kind.NUMBERED:
                continue
            return token.kind is _Kind.MEASURES_LABEL
        return False

    def new_problem(self, token: _Token) -> None:
        """Open a problem block, starting a new run when the numbering restarts."""
        run = self.runs[-1] if self.runs else None
        last = run.blocks[-1].token.number if run is not None and run.blocks else 0
        restart = run is None or self.heading_since_block or (token.number == 1 and last > 0)
        if restart:
            run = _Run(has_heading=self.heading_since_block)
            self.runs.append(run)
        assert run is not None
        block = _Block(token=token, category=self.category, last_line=token.line)
        self.check_number(block, token, None if restart else last)
        run.blocks.append(block)
        self.blocks.append(block)
        self.section_blocks.append(block)
        self.current = block
        self.mode = _Mode.PROBLEM
        self.heading_since_block = False
        self._reset_measures([], in_section=False)

    def check_number(self, block: _Block | None, token: _Token, last: int | None) -> None:
        """Warn about a mistyped label or a number that does not follow ``last``."""
        assert token.style is not None
        if token.typo:
            expected = _format_label(token.style, token.number)
        elif last is not None and token.number != last + 1:
            expected = _format_label(token.style, last + 1)
        else:
            return
        if block is not None:
            self.note(
                PlanWarningCode.NUMBERING_GAP,
                block,
                token.line,
                expected=expected,
                found=token.label,
            )

    # -- measures -------------------------------------------------------------------------------

    def _reset_measures(self, targets: list[_Block], *, in_section: bool) -> None:
        self.targets = targets
        self.in_section = in_section
        self.paired = in_section
        self.measure_style: _Style | None = None
        self.last_measure_number = 0
        self.measure: _Measure | None = None
        self.measure_block: _Block | None = None
        self.assigned: set[_Block] = set()

    def start_measures(self, targets: list[_Block], *, in_section: bool) -> None:
        """Collect measures for ``targets`` (paired by number when in a measures section)."""
        self._reset_measures(targets, in_section=in_section)
        self.mode = _Mode.MEASURES
        for block in targets:
            block.paired = block.paired or in_section

    def on_measures_label(self, token: _Token) -> None:
        """整改措施: measures follow for the trailing problems that have none yet."""
        if self.mode is _Mode.SKIP or self.current is None:
            return
        if self.mode is _Mode.MEASURES and self.in_section:
            return
        pending: list[_Block] = []
        for block in reversed(self.runs[-1].blocks):
            if block.measures or block.has_fields:
                break
            pending.insert(0, block)
        self.start_measures(pending or [self.current], in_section=False)

    def on_measure_line(self, token: _Token) -> None:
        """A numbered line inside a measures list (maybe holding several inline measures)."""
        intro, parts = _enumeration(token.text, token.line)
        if len(parts) >= 2 and not intro.norm and parts[0].style is token.style:
            for part in parts:
                self.add_measure(part, token.line)
            return
        self.add_measure(token, token.line)

    def add_measure(self, token: _Token, line: int) -> None:
        """Add a numbered measure to its problem, or a sub-point to the current measure."""
        if self.measure_style is None:
            self.measure_style = token.style
            if not self.in_section:
                self.paired = len(self.targets) >= 2 and token.style is self.item_style
                for block in self.targets:
                    block.paired = block.paired or self.paired
        if token.style is not self.measure_style:
            self.continue_measure(token.text.orig)
            return
        target = self.measure_target(token.number)
        if target is None:
            self.note(
                PlanWarningCode.UNPAIRED,
                None,
                line,
                label=token.label,
                excerpt=_excerpt(token.body),
            )
            self.measure = None
        else:
            self.check_number(target, token, self.last_measure_number)
            self.measure = _Measure([token.body.orig], numbered=True)
            self.measure_block = target
            target.measures.append(self.measure)
            target.last_line = line
        self.last_measure_number = token.number

    def measure_target(self, number: int) -> _Block | None:
        """The problem a measure belongs to: by number when paired, else the last target."""
        if not self.paired:
            return self.targets[-1] if self.targets else None
        for block in self.targets:
            if block.token.number == number and block not in self.assigned:
                self.assigned.add(block)
                return block
        return None

    def continue_measure(self, text: str) -> None:
        """Append a sub-point or continuation line to the current measure."""
        if self.measure is not None:
            self.measure.parts.append(text)
        elif not self.paired and self.targets:
            self.add_plain_measure(text)

    def add_plain_measure(self, text: str) -> None:
        """Add an unnumbered measure to the last target."""
        block = self.targets[-1]
        self.measure = _Measure([text], numbered=False)
        self.measure_block = block
        block.measures.append(self.measure)

    def plain_measures(self, token: _Token) -> None:
        """An unnumbered paragraph under 整改措施: one measure, or several if enumerated."""
        intro, parts = _enumeration(token.text, token.line)
        if not parts:
            self.add_plain_measure(token.text.orig)
            return
        if intro.norm and not intro.norm.endswith(":"):
            self.add_plain_measure(intro.orig)
        for part in parts:
            self.add_measure(part, token.line)

    # -- fields ---------------------------------------------------------------------------------

    def on_field(self, index: int, token: _Token) -> None:
        """Apply a labelled field to the problem (or paired group) it belongs to."""
        if self.mode is _Mode.SKIP:
            return
        if token.inline and self.mode in (_Mode.PROBLEM, _Mode.MEASURES):
            block = self.measure_block if self.mode is _Mode.MEASURES else self.current
            if block is not None:
                self.apply_field(block, token, self.value_of(index, token))
                return
        targets = self.targets_for_fields()
        if not targets:
            self.skip(token.text, token.line)
            return
        value = self.value_of(index, token)
        self.field_targets = targets
        self.mode = _Mode.FIELDS
        for block in targets:
            self.apply_field(block, token, value)

    def targets_for_fields(self) -> list[_Block]:
        """Who a field block belongs to in the current state."""
        if self.mode is _Mode.FIELDS:
            return self.field_targets
        if self.mode is _Mode.MEASURES and self.targets:
            return list(self.targets) if self.paired else [self.targets[-1]]
        return [self.current] if self.current is not None else []

    def value_of(self, index: int, token: _Token) -> _Text:
        """A field's value; a bare label takes a short plain line right below it."""
        value = _trim(token.body)
        following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        if (
            not value.norm
            and not token.inline
            and following is not None
            and following.kind is _Kind.TEXT
            and len(following.text.norm) <= _FIELD_LINE_MAX
            and not _CONCLUSION.match(following.text.norm)
        ):
            self.consumed.add(index + 1)
            value = _trim(following.text)
        return value

    def apply_field(self, block: _Block, token: _Token, value: _Text) -> None:
        """Store one field value, or flag it."""
        kind = token.field_name
        assert kind is not None
        block.has_fields = True
        block.last_line = max(block.last_line, token.line)
        line = token.line
        if not value.norm:
            self.flag(block, kind, PlanWarningCode.EMPTY_FIELD, line, field=kind.value)
        elif kind is PlanField.OWNERS:
            self.apply_owners(block, value, line)
        elif _PLACEHOLDER.search(value.norm):
            self.flag(
                block, kind, PlanWarningCode.PLACEHOLDER, line, field=kind.value, value=value.orig
            )
        elif kind is PlanField.DEADLINE and _INCOMPLETE_DEADLINE.fullmatch(value.norm):
            self.flag(block, kind, PlanWarningCode.INCOMPLETE_DEADLINE, line, value=value.orig)
        elif kind not in block.values:
            block.values[kind] = value.orig
        elif block.values[kind] != value.orig:
            self.note(
                PlanWarningCode.DUPLICATE_FIELD, block, line, field=kind.value, value=value.orig
            )

    def apply_owners(self, block: _Block, value: _Text, line: int) -> None:
        """Add the names of a 责任人 value; placeholders are flagged, not stored."""
        for name in _owner_names(value):
            if _PLACEHOLDER.search(name.norm):
                self.flag(
                    block,
                    PlanField.OWNERS,
                    PlanWarningCode.PLACEHOLDER,
                    line,
                    field=PlanField.OWNERS.value,
                    value=name.orig,
                )
            elif name.orig not in block.owners:
                block.owners.append(name.orig)

    def flag(
        self, block: _Block, kind: PlanField, code: PlanWarningCode, line: int, **params: str
    ) -> None:
        """Warn about a field and remember it, so no generic 'missing' warning repeats it."""
        block.flagged.add(kind)
        self.note(code, block, line, **params)

    # -- plain text -----------------------------------------------------------------------------

    def on_text(self, index: int, token: _Token) -> None:
        """Place a plain paragraph: detail, measure, continuation, stray field or skipped."""
        text = token.text
        if _SKIP_PARAGRAPH.fullmatch(_core(text)):
            self.on_heading(_Section.SKIP, token)
            return
        if self.mode is _Mode.SKIP:
            if self.skip_open and not _CONCLUSION.match(text.norm):
                self.scan_skipped(text, token.line)
            else:
                self.skip(text, token.line)
            return
        tail = index >= self.tail_start
        if tail and _CONCLUSION.match(text.norm):
            self.skip(text, token.line)
        elif self.mode is _Mode.MEASURES:
            self.text_in_measures(token, tail=tail)
        elif self.mode is _Mode.PROBLEM and self.current is not None:
            self.current.details.append(text)
        elif self.mode is _Mode.FIELDS and len(text.norm) <= _FIELD_LINE_MAX:
            for block in self.field_targets:
                self.note(
                    PlanWarningCode.UNLABELLED_FIELD, block, token.line, excerpt=_excerpt(text)
                )
        else:
            self.skip(text, token.line)

    def text_in_measures(self, token: _Token, *, tail: bool) -> None:
        """A plain paragraph inside a measures list."""
        text = token.text
        if self.measure is not None and self.measure.numbered:
            if tail:
                self.skip(text, token.line)
            else:
                self.measure.parts.append(text.orig)
        elif self.measure is None and text.norm.endswith(":"):
            return  # an intro such as 具体措施如下:
        elif self.paired or not self.targets:
            self.skip(text, token.line)
        else:
            self.plain_measures(token)

    # -- result ---------------------------------------------------------------------------------

    def dropped_blocks(self) -> set[_Block]:
        """Blocks of restarted runs with no measures or fields after runs that had them."""
        dropped: set[_Block] = set()
        seen_work = False
        for run in self.runs:
            if any(block.measures or block.has_fields for block in run.blocks):
                seen_work = True
            elif seen_work and not run.has_heading:
                dropped.update(run.blocks)
        return dropped

    def finish(self) -> ParsedPlan:
        """Index the items and turn notes into warnings, in text order."""
        dropped = self.dropped_blocks()
        for block in dropped:
            self.skip(block.token.text, block.token.line)
            for detail in block.details:
                self.scan_skipped(detail, block.token.line)
        kept = [block for block in self.blocks if block not in dropped]
        for block in kept:
            self.final_checks(block)
        index = {block: number for number, block in enumerate(kept, 1)}
        ordered = sorted(enumerate(self.notes), key=_note_order)
        warnings: list[PlanWarning] = [] if kept else [PlanWarning(PlanWarningCode.NO_ITEMS)]
        seen: set[tuple[PlanWarningCode, int | None, tuple[tuple[str, str], ...]]] = set()
        for _, note in ordered:
            if note.block is not None and note.block not in index:
                continue
            item = index[note.block] if note.block is not None else None
            if (note.code, item, note.params) not in seen:
                seen.add((note.code, item, note.params))
                warnings.append(PlanWarning(note.code, item, dict(note.params)))
        return ParsedPlan(tuple(block.build() for block in kept), tuple(warnings))

    def final_checks(self, block: _Block) -> None:
        """Warn about what an item lacks and about past dates in it."""
        line = block.last_line
        if not block.measures:
            if block.paired:
                self.note(PlanWarningCode.UNPAIRED, block, line, label=block.token.label)
            else:
                self.note(PlanWarningCode.NO_MEASURES, block, line)
        named = block.owners or PlanField.LEAD in block.values
        if not named and not block.flagged & {PlanField.OWNERS, PlanField.LEAD}:
            self.note(PlanWarningCode.NO_OWNER, block, line)
        deadline = block.values.get(PlanField.DEADLINE)
        if deadline is None and PlanField.DEADLINE not in block.flagged:
            self.note(PlanWarningCode.NO_DEADLINE, block, line)
        if deadline is not None and _is_past_deadline(deadline, self.year):
            self.note(PlanWarningCode.PAST_DATE, block, line, value=deadline)
        texts = [*block.texts(), *(_Text.of(part) for m in block.measures for part in m.parts)]
        for text in texts:
            for value in _past_schedules(text, self.year):
                self.note(PlanWarningCode.PAST_DATE, block, line, value=value)


def parse_plan(text: str, *, reference_year: int) -> ParsedPlan:
    """Parse a pasted plan; never raises on any str."""
    return _Parser(_tokenize(text), reference_year).run()
