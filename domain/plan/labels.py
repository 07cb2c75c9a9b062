"""Field labels in a plan: ``责任人:`` ``总负责人`` ``【落实时限】`` ``整改措施如下:`` ….

A label opens a line (a colon, a space or the end of the line may follow it) or sits inside
one after a boundary, where it needs a colon so prose is not cut up.
"""

from __future__ import annotations

import re
from typing import Final

from domain.plan.results import PlanField

_FIELD_WORDS: Final = {
    PlanField.MEASURES: "整改措施|整改举措|具体措施|主要措施|整改办法|措施",
    PlanField.LEAD: "总负责人|第一责任人|牵头领导|责任领导|分管领导",
    PlanField.UNIT: "(?:整改)?责任单位|牵头单位|(?:整改)?责任部门|牵头部门|责任科室|主责单位",
    PlanField.OWNERS: "(?:整改|具体|直接)?责任人|负责人",
    PlanField.DEADLINE: "(?:落实|整改|完成)(?:时限|期限|时间)|时限",
}
_FIELD_GROUPS: Final = "|".join(f"(?P<{name}>{words})" for name, words in _FIELD_WORDS.items())
LABEL_AT_START: Final = re.compile(
    rf"[(\[【]?\s*(?:{_FIELD_GROUPS})\s*[)\]】]?\s*(?:如下)?\s*(?:[:。]|(?=\s)|$)"
)
# Inside a line a label needs a colon and must follow a boundary, so prose is not cut up.
INLINE_LABEL: Final = re.compile(rf"(?<=[\s,;。、()\[\]【】])[\[【]?(?:{_FIELD_GROUPS})[\]】]?\s*:")


def label_field(match: re.Match[str]) -> PlanField:
    """Which field a label match names."""
    return PlanField(match.lastgroup or PlanField.MEASURES)
