"""English: reading what members type (owners, several item numbers, two deadlines, names)."""

MESSAGES: dict[str, str] = {
    # --- item numbers ----------------------------------------------------------------------------
    "error.one_item": "/{command} takes one item at a time, not also “{given}”. Send one each, for example: {usage}",
    "error.item_range": "“{given}” is not a range of item numbers, for example: /delete 3-5",
    "error.too_many_items": "At most {limit} items at once; please send several commands.",
    "batch.header": "/{command}: {done} of {count:plural:item|items} done",
    "batch.claimed": "✋ Claimed #{number} {problem}",
    "batch.approved": "✅ #{number} accepted {problem}",
    "batch.deleted": "🗑 Deleted #{number} {problem}",
    "batch.undeleted": "♻️ Restored #{number} {problem}",
    "batch.refused": "⚠️ {reason}",
    "batch.withdrawn": " (extension request withdrawn)",
    "batch.deleted_hint": "Admins restore with /undelete and the numbers, for example: /undelete 3-5",
    # --- two deadlines in one line ---------------------------------------------------------------
    "outcome.ask_which_deadline": "This line names several deadlines. Which one is the item's? (Once chosen, these deadline words leave the problem.)",
    "deadline.pick": "{phrase} {day}",
    "error.deadline_choice_gone": "This deadline choice no longer applies. An admin sets the deadline with /due, for example: /due 12 by next Friday",
    # --- owners ----------------------------------------------------------------------------------
    "error.owner_invalid": "“{given}” is not an owner. Name owners by @username, by mentioning the member, or by name, for example: /assign 12 @zhang Li Si",
    "outcome.named_owners": "Took “{names}” as the group member(s) of that name and made them owners. If that is wrong, change it with /assign {number}.",
    "list.more_owners": " and others ({count} in all)",
}
