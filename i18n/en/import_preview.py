"""Import and export: the /import preview, its warnings and errors, the /export caption (English).

Warnings name the item with ``{item}`` (its place in the preview, item 1 = the first line);
``{what}`` is filled with an ``import.field.*`` name.
"""

from __future__ import annotations

from typing import Final

_EXAMPLE: Final = (
    " For example:\n/import\n(一)三会一课记录不规范\n整改措施:\n1.建立会议记录台账\n2.每月检查一次\n"
    "责任人:张三\n落实时限:月底前"
)

MESSAGES: Final[dict[str, str]] = {
    "menu.import": "Import a rectification plan (admins)",
    "menu.export": "Export the ledger as Excel (admins)",
    # --- errors -------------------------------------------------------------------------------
    "import.error.empty": (
        "Paste the plan after /import, reply to the message holding it with /import, "
        "or send a .txt/.docx/.xlsx file with /import as its caption." + _EXAMPLE
    ),
    "import.error.too_big": 'The file "{name}" is {size} MB, over the {limit} MB limit; nothing was imported. Split it, or paste the plan after /import.'
    + _EXAMPLE,
    "import.error.file_type": 'Cannot import "{name}": only .txt, .docx and .xlsx files are read. Save it as one of those and send it with the caption /import, or paste the plan after /import.'
    + _EXAMPLE,
    "import.error.broken": 'The file "{name}" cannot be read (damaged, or not the format its extension says); nothing was imported. Save it again and resend it, or paste the plan after /import.'
    + _EXAMPLE,
    "import.error.no_items": 'No numbered problems (such as "(一)" or "1.") were found; nothing was imported. Number each problem and try again.'
    + _EXAMPLE,
    "import.error.no_rows": 'The sheet has a header row but no row fills in "问题"; nothing was imported. One problem per row, e.g. the header: 序号 | 问题 | 整改措施 | 责任人 | 整改时限',
    "import.error.too_many": "At most {limit} items can be imported at once; this has {count}. Import it in parts, e.g. one section at a time.",
    "import.error.expired": "This import preview is more than 30 minutes old and has expired; nothing was imported. Send /import again.",
    "import.error.not_found": "This import preview no longer exists (expired and cleaned up, or from another group). Send /import again.",
    "import.error.confirmed": "This import was already confirmed and is not repeated. Send /list to see the items.",
    "import.error.cancelled": "This import was cancelled; nothing was imported. Send /import again to import.",
    # --- preview --------------------------------------------------------------------------------
    "import.preview.title": "📥 <b>Import preview</b>: items: {count}, to become {numbers}",
    "import.preview.item": "<b>{index}.</b> {label}{problem}",
    "import.preview.category": "category: {name}",
    "import.preview.measures": "measures: {count}",
    "import.preview.owners": "owners: {names}",
    "import.preview.lead": "lead: {name}",
    "import.preview.unit": "unit: {name}",
    "import.preview.due": "deadline: {due}",
    "import.preview.status": "status: {status}",
    "import.preview.nobody": "none",
    "import.preview.no_deadline": "none",
    "import.preview.warnings": "⚠️ <b>Please check</b> ({count}):",
    "import.preview.clean": "✅ Nothing to check.",
    "import.preview.footer": "Nothing is written before [Import]; valid for {minutes} minutes. [Cancel] imports nothing.",
    "import.button.confirm": "Import",
    "import.button.cancel": "Cancel",
    # --- outcome --------------------------------------------------------------------------------
    "import.done": "✅ Imported ({count}): {numbers}. Send /list to see them.",
    "import.cancelled": "Import cancelled; nothing was written.",
    "import.superseded": "A newer import preview replaced this one; nothing was written. Confirm or correct the newest preview.",
    "import.answer.done": "Imported",
    "import.answer.cancelled": "Cancelled",
    "import.source": "import",
    # --- warnings -------------------------------------------------------------------------------
    "import.deadline.empty": "Item {item}: no deadline",
    "import.deadline.placeholder": 'Item {item}: the deadline "{phrase}" is a placeholder; no deadline set, please fill it in',
    "import.deadline.truncated": 'Item {item}: the deadline "{phrase}" is incomplete (month or year missing); no deadline set',
    "import.deadline.recurring": 'Item {item}: "{phrase}" is a recurring rule, not a deadline; no deadline set',
    "import.deadline.impossible": 'Item {item}: the deadline "{phrase}" is not a valid date; no deadline set',
    "import.deadline.unrecognised": 'Item {item}: the deadline "{phrase}" was not understood; no deadline set (use /due after importing)',
    "import.notice.clipped": "Item {item}: the {what} is longer than {limit} characters and was cut",
    "import.notice.progress": "Items with a latest progress note: {count}; each becomes a progress entry in the importer's name",
    "import.row.no_problem": "Row {row} of the sheet has no problem; not imported",
    "import.row.bad_value": 'Item {item}: {column} "{value}" was not understood and is ignored',
    "import.field.problem": "problem",
    "import.field.category": "category",
    "import.field.lead": "lead",
    "import.field.unit": "unit",
    # --- export ---------------------------------------------------------------------------------
    "export.caption": "📊 The ledger, with the sheets 整改台账 (items), 推进记录 (progress and history) and 统计 (figures).",
    "export.kind.progress": "progress",
    "export.kind.done": "closing note",
}
