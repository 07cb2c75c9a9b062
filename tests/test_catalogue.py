"""The message catalogue: both languages say the same things."""

from __future__ import annotations

import string

import pytest

from i18n import LANGUAGES, catalogue, t


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_the_same_keys() -> None:
    """Both languages define exactly the same message keys."""
    zh, en = (set(catalogue(lang)) for lang in LANGUAGES)
    assert sorted(zh - en) == []
    assert sorted(en - zh) == []


@pytest.mark.parametrize("key", sorted(catalogue("zh")))
def test_placeholders_match_across_languages(key: str) -> None:
    """Each message uses the same placeholders in zh and en."""
    assert _fields(catalogue("zh")[key]) == _fields(catalogue("en")[key])


def test_unknown_language_falls_back_to_chinese() -> None:
    """A language the catalogue lacks renders Chinese."""
    assert t("fr", "state.overdue") == t("zh", "state.overdue")
