"""The pass: tokens in text order, each handed to what its kind does to the state."""

from __future__ import annotations

from domain.plan.fields import on_field
from domain.plan.finish import finish
from domain.plan.layout import read_layout
from domain.plan.measures import close_measures, on_measures_label
from domain.plan.paragraphs import on_text
from domain.plan.problems import close_quiet, on_numbered, on_start
from domain.plan.results import ParsedPlan, PlanWarning, PlanWarningCode
from domain.plan.state import Output, State
from domain.plan.tokens import Kind, tokenize


def parse_plan(text: str, *, reference_year: int) -> ParsedPlan:
    """Parse a pasted plan; never raises on any str."""
    layout = read_layout(tokenize(text))
    if layout is None:
        return ParsedPlan((), (PlanWarning(PlanWarningCode.NO_ITEMS),))
    state = State(layout, Output(reference_year))
    for index, token in enumerate(layout.tokens):
        if index in state.fields.consumed:
            continue
        start = layout.starts.get(index)
        if start is not None:
            on_start(state, index, start, token)
        if token.kind is Kind.NUMBERED:
            on_numbered(state, index, token)
        elif token.kind is Kind.MEASURES_LABEL:
            on_measures_label(state, token)
        elif token.kind is Kind.FIELD:
            on_field(state, index, token)
        else:
            on_text(state, index, token)
    close_quiet(state)
    close_measures(state)
    return finish(state.out)
