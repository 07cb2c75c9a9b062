"""Plan import: field names and the warnings of a pasted plan's preview (English).

Keys ``plan.warning.<code>`` name the item with ``{item}``; ``plan.warning.<code>.general`` is the
same warning for the plan as a whole.  ``{field}`` is filled with a ``plan.field.<field>`` name,
``{part}`` with a ``plan.part.<part>`` name.
"""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "plan.field.owners": "owner (责任人)",
    "plan.field.lead": "lead (总负责人)",
    "plan.field.unit": "unit (责任单位)",
    "plan.field.deadline": "deadline (落实时限)",
    "plan.field.measures": "measures (整改措施)",
    "plan.warning.not_an_item": 'Not imported as an item: "{excerpt}"',
    "plan.warning.placeholder": (
        'Item {item}: the {field} is the placeholder "{value}"; not imported, please fill it in'
    ),
    "plan.warning.unlabelled_field": (
        'Item {item}: "{excerpt}" has no label (such as "责任单位:"); not imported'
    ),
    "plan.warning.incomplete_deadline": (
        'Item {item}: the deadline "{value}" is incomplete (month or year missing); not imported'
    ),
    "plan.warning.empty_field": "Item {item}: the {field} is empty",
    "plan.warning.numbering_gap": (
        'Item {item}: numbered "{found}" where "{expected}" was expected; check for a missing entry'
    ),
    "plan.warning.no_measures": "Item {item}: no measures",
    "plan.warning.no_owner": "Item {item}: no owner",
    "plan.warning.no_deadline": "Item {item}: no deadline",
    "plan.warning.past_date": 'Item {item}: "{value}" is in the past; please check',
    "plan.warning.past_date.general": '"{value}" is in the past; please check',
    "plan.warning.unpaired": 'Item {item}: the measures have no entry numbered "{label}"',
    "plan.warning.unpaired.general": (
        'The measure "{label}{excerpt}" has no problem with the same number; not imported'
    ),
    "plan.warning.duplicate_field": (
        'Item {item}: the {field} is given more than once; kept the first, ignored "{value}"'
    ),
    "plan.warning.no_items": (
        'No numbered problems (such as "(一)" or "1.") were found; nothing was imported'
    ),
    "plan.warning.skipped_section": (
        'Not imported: the {part} starting "{excerpt}" ({size} more lines) are not problems'
    ),
    "plan.warning.measure_count": (
        "{problems} problems but {measures} measures: paired by number (or order); please check"
    ),
    "plan.part.achievements": "achievements (成绩和做法)",
    "plan.part.causes": "causes (原因分析)",
}
