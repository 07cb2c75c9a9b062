"""The outline of a document: where its parts begin, and which numbered runs are the problems.

A run is a sequence of lines numbered in one style, 1, 2, 3…, at one level: a top-level run, or
one nested under an item of an outer style.  Headings and introducing paragraphs (:mod:`.wording`)
announce parts; where a report lost its headings, the runs' wording decides:

* before anything is announced, a run of achievements (``抓思想建设`` …) followed later by a run
  of shortcomings is not imported: a part of achievements begins at its first line;
* inside an announced or assumed part of achievements, a run that reads as shortcomings begins
  the problems (``述职如下`` … ``一是系统研究不够深入``);
* a run that reads as measures and restarts right after a run of problems or causes (only text
  between them, no label, field or heading) is the measures of those problems.

The problems' numbering style is the style of the first numbered line of the first part of
problems; a heading or category with a paragraph but no numbered line makes that paragraph a
problem of its own (a *lone* paragraph).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from domain.plan.numbering import Style
from domain.plan.sections import (
    ANNOUNCED_SECTION,
    SKIP_PARAGRAPH,
    Section,
    Start,
    keyword_section,
)
from domain.plan.text import core, excerpt
from domain.plan.tokens import Kind, Token
from domain.plan.wording import Leaning, announced, leaning

_TITLE_MAX: Final = 40
_TITLE_ENDS: Final = "。.:;!?,"
_LOOSE: Final = frozenset({None, Section.ACHIEVEMENTS})  # where a problem run may begin


@dataclass(eq=False)
class _Run:
    """Lines numbered 1, 2, 3… in one style at one level."""

    style: Style
    lines: list[int]
    numbers: list[int]
    parent: _Run | None
    after_work: bool  # a label or field came between the previous top-level run and this one
    after_cue: bool  # a heading or an introducing paragraph came before it
    work: bool = False  # labels, fields or inner numbering under its items
    leanings: list[Leaning] = field(default_factory=list)

    @property
    def first(self) -> int:
        """The index of its first line."""
        return self.lines[0]

    def root(self) -> _Run:
        """The top-level run it belongs to."""
        run = self
        while run.parent is not None:
            run = run.parent
        return run

    def leaning(self) -> Leaning:
        """How the run reads: problems when half its items name shortcomings."""
        problems = self.leanings.count(Leaning.PROBLEM)
        active = self.leanings.count(Leaning.MEASURE) + self.leanings.count(Leaning.ACHIEVEMENT)
        if problems and 2 * problems >= len(self.leanings):
            return Leaning.PROBLEM
        if 2 * active > len(self.leanings):
            return Leaning.MEASURE
        return Leaning.NEUTRAL


@dataclass(frozen=True)
class Outline:
    """What :func:`outline` found."""

    starts: dict[int, Start]
    lone: frozenset[int]
    measure_lines: frozenset[int]  # lines of a run that was read as measures
    problems_from: int | None  # where the first part of problems begins


def _is_title(tokens: Sequence[Token], index: int) -> bool:
    """The document's first line when it reads as a title (short, no closing punctuation)."""
    text = tokens[index].text.norm.strip()
    return index == 0 and len(text) <= _TITLE_MAX and not text.endswith(tuple(_TITLE_ENDS))


def _own_paragraph(tokens: Sequence[Token], index: int) -> bool:
    """A line of plain text on its own (not a label's value or the rest of a numbered line)."""
    token = tokens[index]
    previous = tokens[index - 1] if index else None
    return token.kind is Kind.TEXT and (previous is None or previous.line != token.line)


def find_cues(tokens: Sequence[Token], headings: frozenset[int], tail: int) -> dict[int, Section]:
    """Headings and introducing paragraphs, with the part each announces."""
    cues: dict[int, Section] = {}
    for index, token in enumerate(tokens):
        if index in headings:
            cues[index] = keyword_section(core(token.body)) or Section.CATEGORY
        elif _own_paragraph(tokens, index) and index < tail and not _is_title(tokens, index):
            if SKIP_PARAGRAPH.fullmatch(core(token.text)):
                cues[index] = Section.SKIP
                continue
            found = announced(token.text.norm)
            if found is not None:
                cues[index] = ANNOUNCED_SECTION[found]
    return cues


def find_runs(
    tokens: Sequence[Token], headings: frozenset[int], cues: dict[int, Section]
) -> list[_Run]:
    """Every run, in the order of its first line."""
    runs: list[_Run] = []
    stack: list[_Run] = []
    after_work = after_cue = False
    for index, token in enumerate(tokens):
        if index in cues:
            stack.clear()
            after_cue = True
            continue
        if token.kind in (Kind.FIELD, Kind.MEASURES_LABEL):
            if stack:
                stack[0].work = True
            after_work = True
            continue
        if token.kind is not Kind.NUMBERED or token.style is None or index in headings:
            continue
        style = token.style
        while stack and stack[-1].style > style:
            stack.pop()
        if stack and stack[-1].style is style and token.number > stack[-1].numbers[-1]:
            stack[-1].lines.append(index)
            stack[-1].numbers.append(token.number)
            stack[-1].leanings.append(leaning(token.body.norm))
            continue
        if stack and stack[-1].style is style:
            stack.pop()
        parent = stack[-1] if stack else None
        if parent is not None and style is not Style.YISHI:
            parent.root().work = True
        run = _Run(style, [index], [token.number], parent, after_work, after_cue)
        run.leanings.append(leaning(token.body.norm))
        if parent is None:
            after_work = after_cue = False
        stack.append(run)
        runs.append(run)
    return runs


def _promotable(run: _Run) -> bool:
    """A nested run that reads as problems under items that do not: a lost heading."""
    return (
        run.parent is not None
        and run.numbers[0] == 1
        and len(run.lines) >= 2
        and run.leaning() is Leaning.PROBLEM
        and run.root().leaning() is not Leaning.PROBLEM
    )


def _candidate(run: _Run) -> bool:
    """A run that may hold the problems (not one under a 整改措施 label)."""
    if run.parent is None:
        return run.leaning() is Leaning.PROBLEM and not run.after_work
    return _promotable(run)


def _answers(problems: _Run, run: _Run) -> bool:
    """Whether ``run`` is the measures of the run of problems (or causes) right before it."""
    return (
        run.numbers[0] == 1
        and not run.after_work
        and not run.after_cue
        and not problems.work
        and run.leaning() is Leaning.MEASURE
        and problems.leaning() is not Leaning.MEASURE
        and (run.style <= problems.style or problems.style is Style.YISHI)
    )


class _Walk:
    """The walk over cues and runs that places the parts the headings do not announce."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.starts: dict[int, Start] = {}
        self.measure_lines: set[int] = set()
        self.part: Section | None = None
        self.last_top: _Run | None = None
        self.category_at: int | None = None
        self.problems_from: int | None = None
        self.problem_parts: list[int] = []  # where a part (or category) of problems begins

    def start(self, index: int, section: Section) -> None:
        """A part begins at ``index``."""
        self.starts[index] = Start(section, excerpt(self.tokens[index].text))
        self.part = section
        if section is Section.PROBLEMS:
            self.problem_parts.append(index)
            if self.problems_from is None:
                self.problems_from = index

    def on_cue(self, index: int, section: Section) -> None:
        """A heading or an introducing paragraph."""
        self.last_top = None
        if section is Section.CATEGORY:
            self.category_at = index
            if self.part in (None, Section.PROBLEMS):
                self.problem_parts.append(index)
            return
        self.category_at = None
        self.part = section
        if section is Section.PROBLEMS:
            self.problem_parts.append(index)
            if self.problems_from is None:
                self.problems_from = index

    def on_top_run(self, run: _Run, problems_later: bool) -> None:
        """A top-level run: problems, skipped achievements, or the measures of the last run."""
        if self.part in _LOOSE:
            if run.leaning() is Leaning.PROBLEM and not run.after_work:
                if self.part is Section.ACHIEVEMENTS:
                    at = self.category_at if self.category_at is not None else run.first
                    self.start(at, Section.PROBLEMS)
                self.part = Section.PROBLEMS
                if self.problems_from is None:
                    self.problems_from = run.first
            elif self.part is None and problems_later and run.leaning() is Leaning.MEASURE:
                self.start(run.first, Section.ACHIEVEMENTS)
        elif (
            self.part in (Section.PROBLEMS, Section.CAUSES)
            and self.last_top is not None
            and _answers(self.last_top, run)
        ):
            self.start(run.first, Section.MEASURES)
            self.measure_lines.update(run.lines)
        self.last_top = run

    def on_nested_run(self, run: _Run) -> None:
        """A nested run that reads as problems begins them where achievements were."""
        if self.part in _LOOSE and _promotable(run):
            self.start(run.first, Section.PROBLEMS)
            self.last_top = run


def _lone(
    tokens: Sequence[Token], parts: Sequence[int], bounds: set[int], headings: frozenset[int]
) -> set[int]:
    """The first paragraph of each part of problems that holds no numbered line of its own."""
    lone: set[int] = set()
    ends = sorted(bounds | set(parts))
    for begin in parts:
        later = [index for index in ends if index > begin]
        end = later[0] if later else len(tokens)
        # A numbered line of the heading's own style (or an outer one) is its sibling, not in it.
        own = tokens[begin].style
        siblings = (
            i
            for i in range(begin + 1, end)
            if (style := tokens[i].style) is not None
            and own is not None
            and tokens[i].kind is Kind.NUMBERED
            and style <= own
        )
        span = range(begin + 1, next(siblings, end))
        if not span or tokens[span[0]].kind is not Kind.TEXT:
            continue
        if not any(tokens[i].kind is Kind.NUMBERED and i not in headings for i in span):
            lone.add(span[0])
    return lone


def outline(tokens: Sequence[Token], headings: frozenset[int], tail: int) -> Outline:
    """Place the parts of a document and find its lone problem paragraphs."""
    cues = find_cues(tokens, headings, tail)
    runs = find_runs(tokens, headings, cues)
    walk = _Walk(tokens)
    problem_marks = [index for index, section in cues.items() if section is Section.PROBLEMS]
    problem_marks += [run.first for run in runs if _candidate(run)]
    events = sorted([(index, 0) for index in cues] + [(run.first, 1) for run in runs])
    by_first = {run.first: run for run in runs}
    for index, kind in events:
        if kind == 0:
            walk.on_cue(index, cues[index])
            continue
        run = by_first[index]
        if run.parent is None:
            walk.on_top_run(run, any(mark > index for mark in problem_marks))
        else:
            walk.on_nested_run(run)
    bounds = set(cues) | set(walk.starts)
    # Only a heading's part: an introducing paragraph announces a list, not one problem.
    headed = [index for index in walk.problem_parts if index in headings]
    lone = _lone(tokens, headed, bounds, headings)
    starts = {
        index: Start(section, excerpt(tokens[index].text))
        for index, section in cues.items()
        if index not in headings and section not in (Section.SKIP, Section.CATEGORY)
    }
    starts.update(walk.starts)
    return Outline(starts, frozenset(lone), frozenset(walk.measure_lines), walk.problems_from)
