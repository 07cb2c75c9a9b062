"""Correcting an import preview by replying to it (English).

``{line}`` quotes the reply's line that was not understood; ``{field}`` is a field's label.
"""

from __future__ import annotations

from typing import Final

_EXAMPLES: Final = (
    "Reply to the preview, one correction a line, for example:\n"
    "drop 3 5\n"
    "only 1-4\n"
    "all due end of month\n"
    "all unit 第一党支部\n"
    "all owner @zhang 李四\n"
    "3 due Dec 31\n"
    "Fields: problem owner lead unit due category measures detail (or 问题 责任人 时限 …)"
)

MESSAGES: Final[dict[str, str]] = {
    "action.import_correct": "correct an import preview",
    "import.preview.correct_hint": (
        "✏️ To correct it, reply to this message: drop 3 / only 1-4 / all due end of month"
        " / 3 owner @zhang"
    ),
    "import.correct.done": (
        "✏️ Preview corrected: items: {count}, to become {numbers}. Check it, then press [Import]."
    ),
    "import.correct.error.unknown": 'This correction was not understood: "{line}".\n' + _EXAMPLES,
    "import.correct.error.no_such_item": (
        "The preview has no item {number} (it has {count}); nothing was changed. "
        "Use the numbers of the preview, e.g. drop {count}"
    ),
    "import.correct.error.nothing_left": (
        "That would leave no item at all; nothing was changed. Press [Cancel] to import nothing."
    ),
    "import.correct.error.per_item": (
        "The {field} cannot be set for every item at once; nothing was changed. "
        "Set it item by item, e.g. 3 {field} …"
    ),
    "import.correct.error.empty": (
        "No new {field} was given; nothing was changed. For example: all owner @zhang 李四"
    ),
    "import.error.superseded": (
        "A newer import preview replaced this one; nothing was imported. Reply to the newest "
        "preview to correct it, or press [Import] there."
    ),
    "import.notice.unlinked": (
        "Owners not matched to a member of this group: {names} (an @username is linked when "
        "that user first writes here; a name stays plain text)"
    ),
}
