"""Measures: collecting a problem's measures, or a block of them paired with problems by number.

Two layouts: measures under an ``整改措施`` label right below their problem (all go to that
problem), or a list of problems followed by one measures block whose entries pair with the
problems by number (a measures heading, or a label after two or more problems whose entries are
numbered like the problems).
"""

from __future__ import annotations

from domain.plan.blocks import Block, Measure
from domain.plan.results import PlanWarningCode
from domain.plan.state import Measures, Mode, State
from domain.plan.text import excerpt
from domain.plan.tokens import Token, enumeration


def close_measures(state: State) -> None:
    """Warn when a paired measures list had more or fewer entries than it had problems."""
    measures = state.measures
    targets = len(measures.targets)
    if measures.paired and targets > 1 and measures.entries and measures.entries != targets:
        state.out.note(
            PlanWarningCode.MEASURE_COUNT,
            None,
            measures.targets[0].token.line,
            problems=str(targets),
            measures=str(measures.entries),
        )


def reset_measures(state: State, targets: list[Block], *, in_section: bool) -> None:
    """Close the measures list; a new (possibly empty) one is for ``targets``."""
    close_measures(state)
    state.measures = Measures.collecting(targets, in_section=in_section)


def start_measures(state: State, targets: list[Block], *, in_section: bool) -> None:
    """Collect measures for ``targets`` (paired by number when in a measures section)."""
    reset_measures(state, targets, in_section=in_section)
    state.cursor.mode = Mode.MEASURES
    for block in targets:
        block.paired = block.paired or in_section


def on_measures_label(state: State, token: Token) -> None:
    """整改措施: measures follow for the trailing problems that have none yet."""
    cursor = state.cursor
    if cursor.mode is Mode.SKIP or cursor.current is None:
        return
    if cursor.mode is Mode.MEASURES and state.measures.in_section:
        return
    pending: list[Block] = []
    for block in reversed(state.out.runs[-1].blocks):
        if block.measures or block.has_fields:
            break
        pending.insert(0, block)
    start_measures(state, pending or [cursor.current], in_section=False)


def on_measure_line(state: State, token: Token) -> None:
    """A numbered line inside a measures list (maybe holding several inline measures)."""
    intro, parts = enumeration(token.text, token.line)
    if len(parts) >= 2 and not intro.norm and parts[0].style is token.style:
        for part in parts:
            add_measure(state, part, token.line)
        return
    add_measure(state, token, token.line)


def add_measure(state: State, token: Token, line: int) -> None:
    """Add a numbered measure to its problem, or a sub-point to the current measure."""
    measures = state.measures
    if measures.style is None:
        measures.style = token.style
        if not measures.in_section:
            item_style = state.layout.item_style
            measures.paired = len(measures.targets) >= 2 and token.style is item_style
            for block in measures.targets:
                block.paired = block.paired or measures.paired
    if token.style is not measures.style:
        continue_measure(state, token.text.orig)
        return
    measures.entries += 1
    target = measures.target(token.number)
    if target is None:
        state.out.note(
            PlanWarningCode.UNPAIRED,
            None,
            line,
            label=token.label,
            excerpt=excerpt(token.body),
        )
        measures.measure = None
    else:
        state.out.check_number(target, token, measures.last_number)
        measures.measure = Measure([token.body.orig], numbered=True)
        measures.block = target
        target.measures.append(measures.measure)
        target.last_line = line
    measures.last_number = token.number


def continue_measure(state: State, text: str) -> None:
    """Append a sub-point or continuation line to the current measure."""
    measures = state.measures
    if measures.measure is not None:
        measures.measure.parts.append(text)
    elif not measures.paired and measures.targets:
        _add_plain_measure(state, text)


def _add_plain_measure(state: State, text: str) -> None:
    """Add an unnumbered measure to the last target."""
    measures = state.measures
    block = measures.targets[-1]
    measures.measure = Measure([text], numbered=False)
    measures.block = block
    block.measures.append(measures.measure)


def _plain_measures(state: State, token: Token) -> None:
    """An unnumbered paragraph under 整改措施: one measure, or several if enumerated."""
    intro, parts = enumeration(token.text, token.line)
    if not parts:
        _add_plain_measure(state, token.text.orig)
        return
    if intro.norm and not intro.norm.endswith(":"):
        _add_plain_measure(state, intro.orig)
    for part in parts:
        add_measure(state, part, token.line)


def text_in_measures(state: State, token: Token, *, tail: bool) -> None:
    """A plain paragraph inside a measures list."""
    measures = state.measures
    text = token.text
    if measures.measure is not None and measures.measure.numbered:
        if tail:
            state.out.skip(text, token.line)
        else:
            measures.measure.parts.append(text.orig)
    elif measures.measure is None and text.norm.endswith(":"):
        return  # an intro such as 具体措施如下:
    elif measures.paired or not measures.targets:
        state.out.skip(text, token.line)
    else:
        _plain_measures(state, token)
