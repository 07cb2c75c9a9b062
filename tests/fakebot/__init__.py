"""Test helpers for the Telegram stand-in (``playground.standin``): fixture, PTB wiring."""
