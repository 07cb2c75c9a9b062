"""English: hints about the rules (deadline order, which command to use)."""

MESSAGES: dict[str, str] = {
    "error.deleted_by_committee": "#{number} was deleted with the committee's item; only the committee can restore it (/undelete there).",
    "error.copy_exists": "#{number} cannot be restored: the committee has handed the same item down here again, as #{other}. Work on #{other}: /show {other}",
    "error.edit_unchanged": "#{number} already has that {field_key}; nothing changed. See: /show {number}",
    "error.deadline_unchanged": "#{number} is already due {due}; nothing changed. To set another deadline, for example: /due {number} by next Friday",
    "error.extend_not_later": "The new deadline must come after the current one, {due}. For example: /extend {number} {later} waiting for approval upstream",
    "error.edit_use_assign": "Owners are changed with /assign, for example: /assign {number} @zhang, Li Si",
    "error.edit_use_due": "Deadlines are changed with /due (admins), for example: /due {number} by next Friday; owners ask with /extend.",
    "error.extend_reason": "Please give a reason for the extension. For example: /extend {number} 2026-12-31 waiting for approval upstream",
    "error.reply_bot_message": "A bot's message cannot become a problem. Reply to a member's message, or write: /problem Minutes incomplete end of month",
    "outcome.deadline_notes": "Note: {notes}.",
    "button.answer.deadline_later": "No deadline for now",
    "error.no_measure": "#{number} has no measure “{given}” (it has {count}). For example: /tick {number} 1",
    "usage.tick": "/tick 12 2 (measure 2 is done; several: /tick 12 1 3)",
    "outcome.ticked": "Measures done for #{number} {problem}",
    "error.measures_already_done": "Measure {measures} of #{number} is already done; nothing to tick again. Send /show {number} to see every measure.",
    "event.measure_done": "ticked measures",
    "card.closed_self": "Closed by {who} on {when}",
    "outcome.deadline_later": "No deadline for now: #{number} {problem}",
    "error.no_measures_yet": "#{number} has no measures yet. Add them first, for example: /edit {number} measures 1.Keep a ledger 2.Check monthly",
    "list.separator": ", ",
}
