"""The message catalogue: every user-visible sentence, in Chinese and English, looked up by key.

Each language is a package (``zh``, ``en``) of section modules; each section module holds one
``MESSAGES`` dict.  Keys are dotted (``deadline.error.placeholder``) and placeholders use
``str.format`` fields.  A translator reads the section files side by side; the tests check that
both languages define the same keys with the same fields.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Mapping
from functools import cache
from types import ModuleType
from typing import Final

LANGUAGES: Final = ("zh", "en")
DEFAULT_LANGUAGE: Final = "zh"


def _sections(package: ModuleType) -> list[ModuleType]:
    """Import every section module of one language package."""
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Return the merged message table of one language (``zh`` or ``en``)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    package = importlib.import_module(f"{__name__}.{lang}")
    merged: dict[str, str] = {}
    for section in _sections(package):
        messages: dict[str, str] = section.MESSAGES
        duplicated = merged.keys() & messages.keys()
        if duplicated:
            raise RuntimeError(f"message keys defined twice in {lang}: {sorted(duplicated)}")
        merged.update(messages)
    return merged


class _Formatter(string.Formatter):
    """``str.format`` plus ``{count:plural:item|items}`` → "1 item", "3 items" (English)."""

    def format_field(self, value: object, format_spec: str) -> str:
        """Format one field, choosing the singular or plural word for a ``plural:`` spec."""
        if format_spec.startswith("plural:"):
            one, _, many = format_spec.removeprefix("plural:").partition("|")
            return f"{value} {one if value == 1 else many}"
        return str(super().format_field(value, format_spec))


_FORMATTER: Final = _Formatter()


def t(lang: str, key: str, /, **params: object) -> str:
    """Render message ``key`` in ``lang`` with ``params`` (falls back to Chinese)."""
    table = catalogue(lang)
    template = table.get(key)
    if template is None:
        template = catalogue(DEFAULT_LANGUAGE)[key]
    return _FORMATTER.format(template, **params) if params else template
