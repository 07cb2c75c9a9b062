"""Composition root: configuration, wiring, scheduled jobs, the Telegram notifier and the CLI."""
