"""Use cases; each call is one short transaction. No Telegram, no scheduler."""
