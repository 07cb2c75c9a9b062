"""Field labels in a plan: ``责任人:`` ``总负责人`` ``【落实时限】`` ``整改措施如下:`` ``owner:`` ….

The labels are the shared vocabulary's (:mod:`domain.vocabulary`) for the fields a plan sets.
A label opens a line (a colon, a space or the end of the line may follow a Chinese one; an
English one needs its colon) or sits inside one after a boundary, where it needs a colon so
prose is not cut up.
"""

from __future__ import annotations

import re
from typing import Final

from domain.plan.results import PlanField
from domain.vocabulary import Field, alternatives, chinese_labels, english_labels

# The plan's name for each of the vocabulary's PLAN_FIELDS (a plan's deadline is ``deadline``).
_PLAN_FIELD: Final = {
    Field.MEASURES: PlanField.MEASURES,
    Field.LEAD: PlanField.LEAD,
    Field.UNIT: PlanField.UNIT,
    Field.OWNERS: PlanField.OWNERS,
    Field.DUE: PlanField.DEADLINE,
}


def _words(field: Field) -> str:
    """One field's labels as a pattern; English ones only with a colon after them."""
    chinese = alternatives(chinese_labels([field]))
    english = alternatives(english_labels([field]))
    return rf"{chinese}|(?i:{english})(?=\s*[)\]】]?\s*:)"


_FIELD_GROUPS: Final = "|".join(
    f"(?P<{plan_field}>{_words(field)})" for field, plan_field in _PLAN_FIELD.items()
)
LABEL_AT_START: Final = re.compile(
    rf"[(\[【]?\s*(?:{_FIELD_GROUPS})\s*[)\]】]?\s*(?:如下)?\s*(?:[:。]|(?=\s)|$)"
)
# Inside a line a label needs a colon and must follow a boundary, so prose is not cut up.
INLINE_LABEL: Final = re.compile(rf"(?<=[\s,;。、()\[\]【】])[\[【]?(?:{_FIELD_GROUPS})[\]】]?\s*:")


def label_field(match: re.Match[str]) -> PlanField:
    """Which field a label match names."""
    return PlanField(match.lastgroup or PlanField.MEASURES)
