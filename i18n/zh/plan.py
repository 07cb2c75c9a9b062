"""Plan import: field names and the warnings of a pasted plan's preview (中文).

Keys ``plan.warning.<code>`` name the item with ``{item}``; ``plan.warning.<code>.general`` is the
same warning for the plan as a whole.  ``{field}`` is filled with a ``plan.field.<field>`` name,
``{part}`` with a ``plan.part.<part>`` name.
"""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "plan.field.owners": "责任人",
    "plan.field.lead": "总负责人",
    "plan.field.unit": "责任单位",
    "plan.field.deadline": "落实时限",
    "plan.field.measures": "整改措施",
    "plan.warning.not_an_item": '未作为整改事项导入:"{excerpt}"',
    "plan.warning.placeholder": '第{item}项:{field}为占位符"{value}",未导入,请补填',
    "plan.warning.unlabelled_field": '第{item}项:"{excerpt}"缺少标签(如"责任单位:"),未导入',
    "plan.warning.incomplete_deadline": '第{item}项:落实时限"{value}"不完整(缺月或年),未导入,请补全',
    "plan.warning.empty_field": "第{item}项:{field}未填写",
    "plan.warning.numbering_gap": '第{item}项:编号应为"{expected}",实为"{found}",请核对是否漏项',
    "plan.warning.no_measures": "第{item}项:没有整改措施",
    "plan.warning.no_owner": "第{item}项:没有责任人",
    "plan.warning.no_deadline": "第{item}项:没有落实时限",
    "plan.warning.past_date": '第{item}项:"{value}"已是过去的时间,请核对',
    "plan.warning.past_date.general": '"{value}"已是过去的时间,请核对',
    "plan.warning.unpaired": '第{item}项:整改措施中没有编号为"{label}"的一条',
    "plan.warning.unpaired.general": '整改措施"{label}{excerpt}"没有同编号的问题,未导入',
    "plan.warning.duplicate_field": '第{item}项:{field}写了不止一处,已保留第一处,忽略"{value}"',
    "plan.warning.no_items": '没有找到带编号的问题(如"(一)""1."),未导入任何事项',
    "plan.warning.skipped_section": '"{excerpt}"起是{part}(其后{size}段),不是问题,未导入',
    "plan.warning.measure_count": "问题{problems}项,整改措施{measures}条,数目不一致:已按编号(或顺序)对应,请核对",
    "plan.part.achievements": "成绩和做法",
    "plan.part.causes": "原因分析",
}
