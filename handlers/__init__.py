"""Telegram I/O: read the update, call one service, reply with rendered text."""
