"""Pure rules and values: no I/O, no Telegram, no database; the time is passed in."""
