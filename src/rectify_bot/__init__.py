"""rectify-bot: a Telegram group bot that keeps a rectification ledger (整改台账)."""
