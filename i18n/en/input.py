"""English: reading what members type (owners, several item numbers, two deadlines, names)."""

MESSAGES: dict[str, str] = {
    # --- owners ----------------------------------------------------------------------------------
    "error.owner_invalid": "“{given}” is not an owner. Name owners by @username, by mentioning the member, or by name, for example: /assign 12 @zhang Li Si",
}
