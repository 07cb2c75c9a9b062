"""English: who acts, acknowledgements and withdrawn requests."""

MESSAGES: dict[str, str] = {
    # --- who acts ------------------------------------------------------------------------------
    "actor.anonymous_admin": "Anonymous admin",
    "error.anonymous_owner": "An anonymous admin cannot be an owner. Send /claim {number} as yourself, or name the owners with /assign {number} @username.",
    "error.closed_by": "#{number} was already accepted and closed by {who}.",
    # --- edited messages -------------------------------------------------------------------------
    "edit.not_applied": "Editing a sent message does not change #{number} in the ledger. To change it, send /edit {number} problem new text (or another field, for example /edit {number} category Organisation).",
    "edit.not_applied_unknown": "Editing a sent message does not change the ledger. To change an item, send /edit number field value, for example: /edit 12 problem Minutes incomplete",
    # --- acknowledgements ------------------------------------------------------------------------
    "event.acknowledged": "acknowledged",
    "outcome.acknowledged": "✅ Acknowledged #{number} {problem}",
    "outcome.acknowledged_note": "An acknowledgement is not progress. To report progress, say what was done, for example: /progress {number} October minutes completed",
    # --- extensions ----------------------------------------------------------------------------
    "extension.status.withdrawn": "withdrawn",
    "event.extension_withdrawn": "withdrew the extension request",
    "outcome.extensions_withdrawn": "The waiting extension request was withdrawn.",
    "error.extension_withdrawn": "#{number} was closed or deleted: this extension request was withdrawn and needs no decision.",
    "error.extend_past": "The new deadline {due} is before today ({today}). A new deadline is never in the past, for example: /extend {number} 2026-12-31 waiting for approval upstream",
    "error.due_past": "The deadline {due} is before today ({today}); a deadline cannot be in the past. Give today or a later date, for example: /due {number} by end of month",
}
