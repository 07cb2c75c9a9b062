"""What the pass collects: problems (blocks), their measures, and numbering runs.

A :class:`Block` is a problem being collected; it is frozen into a
:class:`~domain.plan.results.PlanItem` at the end.  Blocks are compared by identity (two
problems with the same text are still two problems).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from domain.plan.results import PlanField, PlanItem
from domain.plan.text import Text, split, trim
from domain.plan.tokens import Token

_OWNER_SEPARATORS: Final = re.compile(r"[、,;/\s]+")
_OWNER_AND: Final = re.compile("以及|和|及|与")
_SHORTEST_NAME: Final = 2
_TITLE_END: Final = re.compile(r"[。!?]|\.(?![0-9])")
_TITLE_MAX: Final = 200


def owner_names(value: Text) -> list[Text]:
    """Names in a 责任人 value; 和/及 split only when every side is a plausible name."""
    names: list[Text] = []
    for part in split(value, _OWNER_SEPARATORS):
        pieces = split(part, _OWNER_AND)
        if len(pieces) > 1 and all(len(piece.norm) >= _SHORTEST_NAME for piece in pieces):
            names.extend(pieces)
        else:
            names.append(part)
    return names


def _split_title(text: Text) -> tuple[str, str]:
    """A problem's first sentence (at most _TITLE_MAX characters) and the rest."""
    match = _TITLE_END.search(text.norm)
    title, rest = (text.cut(0, match.start()), text.cut(match.end())) if match else (text, None)
    if len(title.norm) > _TITLE_MAX:
        mark = max(title.norm.rfind(sep, 0, _TITLE_MAX) for sep in ",;、")
        cut = mark if mark > _TITLE_MAX // 4 else _TITLE_MAX
        rest = text.cut(cut + 1 if cut == mark else cut)
        title = title.cut(0, cut)
    return trim(title).orig, rest.strip().orig if rest is not None else ""


@dataclass(eq=False)
class Measure:
    """A measure being collected: its lines, whether it was numbered."""

    parts: list[str]
    numbered: bool


@dataclass(eq=False)
class Block:
    """A problem being collected (identity-hashed)."""

    token: Token  # the numbered line that opened it
    category: str | None
    last_line: int  # where its warnings about missing things point
    details: list[Text] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    values: dict[PlanField, str] = field(default_factory=dict)  # lead, unit, deadline
    flagged: set[PlanField] = field(default_factory=set)  # already warned about
    has_fields: bool = False
    paired: bool = False  # its measures pair with problems by number

    def texts(self) -> list[Text]:
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
class Run:
    """Problems numbered in one sequence; ``has_heading`` if a heading opened it."""

    has_heading: bool
    blocks: list[Block] = field(default_factory=list)
