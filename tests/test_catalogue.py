"""The message catalogue: both languages say the same things."""

from __future__ import annotations

import re
import string
from pathlib import Path

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


_PACKAGES = ("bot", "handlers", "services", "storage", "domain", "views")
_KEY_USES = (
    re.compile(r"UserError\(\s*\"([a-z0-9_.]+)\""),
    re.compile(r"\bt\(\s*[\w.]+,\s*\"([a-z0-9_.]+)\""),
)


def _literal_keys() -> set[tuple[str, str]]:
    """(file, key) for every catalogue key written as a literal in the code."""
    root = Path(__file__).resolve().parent.parent
    found: set[tuple[str, str]] = set()
    for package in _PACKAGES:
        for path in (root / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for pattern in _KEY_USES:
                found.update((str(path.relative_to(root)), key) for key in pattern.findall(text))
    return found


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    """A message key written in the code (UserError, t) exists, so no user sees a KeyError."""
    missing = sorted((path, key) for path, key in _literal_keys() if key not in catalogue("zh"))
    assert missing == []


def test_english_counts_take_the_singular_for_one() -> None:
    """``{count:plural:item|items}``: "1 item", "3 items"; Chinese has no plural."""
    assert t("en", "tree.digest.branch_items", group="G", count=1, numbers="#1") == "  G: 1 item #1"
    assert (
        t("en", "tree.digest.branch_items", group="G", count=3, numbers="#1") == "  G: 3 items #1"
    )
    assert "3项" in t("zh", "tree.digest.branch_items", group="G", count=3, numbers="#1")
