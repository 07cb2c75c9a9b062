"""Plain paragraphs: a problem's detail, a measure, a continuation, a stray field, or skipped."""

from __future__ import annotations

from domain.plan.measures import text_in_measures
from domain.plan.problems import on_heading, open_lone_problem
from domain.plan.results import PlanWarningCode
from domain.plan.sections import CONCLUSION, SKIP_PARAGRAPH, Section
from domain.plan.state import FIELD_LINE_MAX, Mode, State
from domain.plan.text import core, excerpt
from domain.plan.tokens import Token


def on_text(state: State, index: int, token: Token) -> None:
    """Place a plain paragraph: detail, measure, continuation, stray field or skipped."""
    cursor, out = state.cursor, state.out
    text = token.text
    if SKIP_PARAGRAPH.fullmatch(core(text)):
        on_heading(state, Section.SKIP, token)
        return
    if cursor.quiet is not None:
        cursor.quiet.size += index != cursor.quiet.index
        return
    if index in state.layout.lone and cursor.mode is Mode.PREAMBLE:
        open_lone_problem(state, token)
        return
    if cursor.mode is Mode.SKIP:
        if cursor.skip_open and not CONCLUSION.match(text.norm):
            out.scan_skipped(text, token.line)
        else:
            out.skip(text, token.line)
        return
    tail = index >= state.layout.tail_start
    if tail and CONCLUSION.match(text.norm):
        out.skip(text, token.line)
    elif cursor.mode is Mode.MEASURES:
        text_in_measures(state, token, tail=tail)
    elif cursor.mode is Mode.PROBLEM and cursor.current is not None:
        cursor.current.details.append(text)
    elif cursor.mode is Mode.FIELDS and len(text.norm) <= FIELD_LINE_MAX:
        for block in state.fields.blocks:
            out.note(PlanWarningCode.UNLABELLED_FIELD, block, token.line, excerpt=excerpt(text))
    else:
        out.skip(text, token.line)
