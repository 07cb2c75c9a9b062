"""Shared fixtures: the fake Telegram server plugin is loaded for every test."""

pytest_plugins = ["tests.fakebot.plugin", "tests.postgres"]
