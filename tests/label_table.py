"""The one table of field labels every entry point is tested against.

Written out here rather than read from :mod:`domain.vocabulary`, so that dropping a label
there (or adding one) is a visible change to this specification too.
"""

from __future__ import annotations

from domain.vocabulary import Field

# Each field's labels, Chinese then English; the first of each language is the name the
# messages use.
_LABELS: dict[Field, str] = {
    Field.PROBLEM: "问题 存在问题 问题描述 主要问题 整改问题 问题清单 problem",
    Field.OWNERS: "责任人 负责人 整改责任人 具体责任人 直接责任人 owner owners",
    Field.LEAD: "总负责人 第一责任人 牵头领导 责任领导 分管领导 lead",
    Field.UNIT: "责任单位 牵头单位 整改责任单位 主责单位 责任部门 整改责任部门 牵头部门 责任科室 "
    "unit",
    Field.DUE: "时限 整改时限 落实时限 完成时限 整改期限 落实期限 完成期限 整改时间 落实时间 "
    "完成时间 due deadline",
    Field.CATEGORY: "类别 方面 问题类别 category",
    Field.MEASURES: "措施 整改措施 整改举措 具体措施 主要措施 整改办法 measures",
    Field.SOURCE: "来源 source",
    Field.DETAIL: "说明 detail",
}

# Every (field, label) that /problem, /edit, a pasted plan and a sheet header accept, for the
# fields each of them sets.
LABEL_TABLE: tuple[tuple[Field, str], ...] = tuple(
    (field, label) for field, labels in _LABELS.items() for label in labels.split()
)


def labels_of(field: Field) -> tuple[str, ...]:
    """One field's labels as the table lists them."""
    return tuple(label for named, label in LABEL_TABLE if named is field)


def label_id(field: Field, label: str) -> str:
    """A readable test id: ``owners-负责人``."""
    return f"{field}-{label}"
