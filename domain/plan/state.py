"""The parser's state: a few dataclasses, each about one thing.

* :class:`~domain.plan.layout.Layout` — what the prepass learnt (read-only);
* :class:`Output` — what the pass has produced: problems, their runs, notes for warnings;
* :class:`Cursor` — where the pass is: the mode, the current problem, the section around it;
* :class:`Measures` — the measures list being collected and the problems it belongs to;
* :class:`FieldTargets` — the problems a block of fields belongs to, and the lines it used.

:class:`State` holds one of each; the modules :mod:`.problems`, :mod:`.measures`,
:mod:`.fields` and :mod:`.paragraphs` say what each kind of token does to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Final

from domain.plan.blocks import Block, Measure, Run
from domain.plan.dates import past_schedules
from domain.plan.layout import Layout
from domain.plan.numbering import Style, format_label
from domain.plan.results import PlanField, PlanWarningCode
from domain.plan.sections import Section
from domain.plan.text import Text, excerpt
from domain.plan.tokens import Token

# A plain line longer than this is prose, not a field value or a forgotten label.
FIELD_LINE_MAX: Final = 60


class Mode(Enum):
    """Where the parser is inside the plan."""

    PREAMBLE = "preamble"  # before the first problem of a section
    PROBLEM = "problem"  # after a problem's numbered line: its detail
    MEASURES = "measures"  # inside a measures list (see Measures)
    FIELDS = "fields"  # inside a block of labelled fields (see FieldTargets)
    SKIP = "skip"  # inside a part that is not imported (保障措施, 成绩, 原因分析 …)


@dataclass(frozen=True)
class Note:
    """A warning before item indexes are known."""

    line: int
    code: PlanWarningCode
    block: Block | None
    params: tuple[tuple[str, str], ...]


def note_order(numbered: tuple[int, Note]) -> tuple[int, int]:
    """Sort key: an item's warnings stay together at its first line, others at their own."""
    sequence, note = numbered
    return (note.block.token.line if note.block is not None else note.line, sequence)


@dataclass
class Output:
    """What the pass has produced so far, and how it records warnings."""

    year: int  # the reference year: earlier years are past dates
    blocks: list[Block] = field(default_factory=list)  # every problem, in text order
    runs: list[Run] = field(default_factory=list)  # the same problems by numbering sequence
    notes: list[Note] = field(default_factory=list)

    def note(self, code: PlanWarningCode, block: Block | None, line: int, **params: str) -> None:
        """Record a warning."""
        self.notes.append(Note(line, code, block, tuple(params.items())))

    def skip(self, text: Text, line: int) -> None:
        """Report a paragraph that is not an item (and any past schedule in it)."""
        self.note(PlanWarningCode.NOT_AN_ITEM, None, line, excerpt=excerpt(text))
        self.scan_skipped(text, line)

    def scan_skipped(self, text: Text, line: int) -> None:
        """Report past schedules in text that is not imported."""
        for value in past_schedules(text, self.year):
            self.note(PlanWarningCode.PAST_DATE, None, line, value=value)

    def check_number(self, block: Block | None, token: Token, last: int | None) -> None:
        """Warn about a mistyped label or a number that does not follow ``last``."""
        assert token.style is not None
        if token.typo:
            expected = format_label(token.style, token.number)
        elif last is not None and token.number != last + 1:
            expected = format_label(token.style, last + 1)
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

    def flag(
        self, block: Block, kind: PlanField, code: PlanWarningCode, line: int, **params: str
    ) -> None:
        """Warn about a field and remember it, so no generic 'missing' warning repeats it."""
        block.flagged.add(kind)
        self.note(code, block, line, **params)


@dataclass
class Quiet:
    """A part skipped as a whole (achievements, causes): one warning says so at its end."""

    section: Section
    index: int  # the token that opened it
    line: int
    excerpt: str
    size: int = 0  # the lines skipped after the opening one


@dataclass
class Cursor:
    """Where the pass is: the mode, the current problem and the section it sits in."""

    mode: Mode = Mode.PREAMBLE
    part: Section | None = None  # the part of the document announced last (None: not yet)
    quiet: Quiet | None = None  # in SKIP mode: the part skipped as a whole, if it is one
    current: Block | None = None  # the last problem opened in this section
    category: str | None = None  # the category heading the new problems fall under
    # The problems since the last heading: a measures heading pairs its entries with them.
    section_blocks: list[Block] = field(default_factory=list)
    heading_since_block: bool = False  # a heading came after the last problem: a new run
    skip_level: Style = Style.CN_DUN  # in SKIP mode, inner numbering stays skipped
    skip_open: bool = False  # a skipped numbered block is open: its detail goes with it


@dataclass
class Measures:
    """The measures list being collected; a new one starts at each 整改措施 label or heading."""

    targets: list[Block] = field(default_factory=list)  # the problems it is for
    in_section: bool = False  # opened by a measures heading: always paired by number
    paired: bool = False  # entries pair with the targets by number, not all to the last one
    # Paired by order (the n-th entry with the n-th problem) when the problems' numbers do not
    # tell them apart (a problem without a number, two runs under one heading).
    by_order: bool = False
    entries: int = 0  # numbered entries read, paired or not (to compare with the targets)
    style: Style | None = None  # the numbering style of its entries, set by the first one
    last_number: int = 0  # the last entry's number, for numbering warnings
    measure: Measure | None = None  # the entry that continuation lines join
    block: Block | None = None  # the problem that entry belongs to
    assigned: set[Block] = field(default_factory=set)  # targets that got their paired entry

    @classmethod
    def collecting(cls, targets: list[Block], *, in_section: bool) -> Measures:
        """An empty list for ``targets``, paired from the start when a heading opened it."""
        numbers = {block.token.number for block in targets}
        by_order = len(numbers) != len(targets) or 0 in numbers
        return cls(targets=targets, in_section=in_section, paired=in_section, by_order=by_order)

    def target(self, number: int) -> Block | None:
        """The problem entry ``number`` belongs to: by number (or order) when paired.

        Unpaired, every entry goes to the last target; so does every entry when there is one.
        """
        if not self.paired or len(self.targets) == 1:
            return self.targets[-1] if self.targets else None
        for block in self.targets:
            fits = self.by_order or block.token.number == number
            if fits and block not in self.assigned:
                self.assigned.add(block)
                return block
        return None


@dataclass
class FieldTargets:
    """Whom the current block of labelled fields belongs to."""

    blocks: list[Block] = field(default_factory=list)  # in FIELDS mode: the problems it sets
    consumed: set[int] = field(default_factory=set)  # token indexes read as a bare label's value


@dataclass
class State:
    """Everything the pass reads and changes."""

    layout: Layout
    out: Output
    cursor: Cursor = field(default_factory=Cursor)
    measures: Measures = field(default_factory=Measures)
    fields: FieldTargets = field(default_factory=FieldTargets)
