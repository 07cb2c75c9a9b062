"""Expected user errors: a code from the message catalogue plus its parameters."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


class UserError(Exception):
    """An error the user caused and can fix; rendered with ``t(lang, key, **params)``."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params: Mapping[str, object] = MappingProxyType(dict(params))

    def __repr__(self) -> str:
        return f"UserError({self.key!r}, {dict(self.params)!r})"
