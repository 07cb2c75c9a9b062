"""Shared fixtures: the fake Telegram server plugin is loaded for every test.

Hypothesis runs derandomized by default, so CI sees the same examples on every run; set
``HYPOTHESIS_PROFILE=explore`` to draw fresh examples (and remember failures) while developing.
"""

import os

from hypothesis import settings

pytest_plugins = ["tests.fakebot.plugin", "tests.postgres"]

settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
