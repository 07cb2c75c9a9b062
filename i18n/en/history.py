"""English: the item's history as sentences (on /show and in the export's 推进记录).

Each sentence follows the actor's name: ``王书记 changed the deadline from 2026-11-30 to
long-term``. ``{old}``/``{new}`` are deadlines, owner names or field values already put into
words; ``{text}`` is a reason, comment or note as typed.
"""

MESSAGES: dict[str, str] = {
    "history.created": "registered the item",
    "history.created_imported": "registered the item by import",
    "history.claimed": "claimed the item",
    "history.assigned": "changed the owners from {old} to {new}",
    "history.assigned_first": "assigned the item to {new}",
    "history.progress": "reported progress",
    "history.progress_text": "reported progress: {text}",
    "history.done": "asked to close the item",
    "history.done_text": "asked to close the item: {text}",
    "history.approved": "accepted the work and closed the item",
    "history.approved_text": "accepted the work and closed the item: {text}",
    "history.rejected": "returned the item for more work",
    "history.rejected_text": "returned the item for more work (reason: {text})",
    "history.reopened": "reopened the item",
    "history.reopened_text": "reopened the item (reason: {text})",
    "history.deadline": "changed the deadline from {old} to {new}",
    "history.extension_requested": "asked to extend the deadline from {old} to {new}",
    "history.extension_requested_text": (
        "asked to extend the deadline from {old} to {new} (reason: {text})"
    ),
    "history.extension_approved": "approved the extension to {new}",
    "history.extension_rejected": "rejected the extension to {new}",
    "history.extension_withdrawn": (
        "withdrew the request to extend to {new} (the item was closed, deleted or given a new deadline)"
    ),
    "history.acknowledged": "acknowledged",
    "history.acknowledged_text": "acknowledged: {text}",
    "history.edited": "changed the {field} from {old} to {new}",
    "history.deleted": "deleted the item",
    "history.undeleted": "restored the item",
    "history.owner_linked": "linked their account and became an owner (named as @{username})",
    "history.measure_done": "completed measure {positions}",
    "history.measure_done_many": "completed measures {positions}",
    "history.value": "“{value}”",
    # An entry whose details could not be read back (a very old record): its name and text.
    "history.unclear": "{what}: {text}",
}
