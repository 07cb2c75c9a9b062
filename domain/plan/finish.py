"""The end of the pass: drop what is not an item, check each item, order the warnings."""

from __future__ import annotations

from domain.plan.blocks import Block
from domain.plan.dates import is_past_deadline, past_schedules
from domain.plan.results import ParsedPlan, PlanField, PlanWarning, PlanWarningCode
from domain.plan.state import Output, note_order
from domain.plan.text import Text


def _dropped_blocks(out: Output) -> set[Block]:
    """Blocks of restarted runs with no measures or fields after runs that had them."""
    dropped: set[Block] = set()
    seen_work = False
    for run in out.runs:
        if any(block.measures or block.has_fields for block in run.blocks):
            seen_work = True
        elif seen_work and not run.has_heading:
            dropped.update(run.blocks)
    return dropped


def finish(out: Output) -> ParsedPlan:
    """Index the items and turn notes into warnings, in text order."""
    dropped = _dropped_blocks(out)
    for block in dropped:
        out.skip(block.token.text, block.token.line)
        for detail in block.details:
            out.scan_skipped(detail, block.token.line)
    kept = [block for block in out.blocks if block not in dropped]
    for block in kept:
        _final_checks(out, block)
    index = {block: number for number, block in enumerate(kept, 1)}
    ordered = sorted(enumerate(out.notes), key=note_order)
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


def _final_checks(out: Output, block: Block) -> None:
    """Warn about what an item lacks and about past dates in it."""
    line = block.last_line
    if not block.measures:
        if block.paired:
            out.note(PlanWarningCode.UNPAIRED, block, line, label=block.token.label)
        else:
            out.note(PlanWarningCode.NO_MEASURES, block, line)
    named = block.owners or PlanField.LEAD in block.values
    if not named and not block.flagged & {PlanField.OWNERS, PlanField.LEAD}:
        out.note(PlanWarningCode.NO_OWNER, block, line)
    deadline = block.values.get(PlanField.DEADLINE)
    if deadline is None and PlanField.DEADLINE not in block.flagged:
        out.note(PlanWarningCode.NO_DEADLINE, block, line)
    if deadline is not None and is_past_deadline(deadline, out.year):
        out.note(PlanWarningCode.PAST_DATE, block, line, value=deadline)
    texts = [*block.texts(), *(Text.of(part) for m in block.measures for part in m.parts)]
    for text in texts:
        for value in past_schedules(text, out.year):
            out.note(PlanWarningCode.PAST_DATE, block, line, value=value)
