"""The event log's ``change_json`` column: an :class:`~domain.items.EventChange` as JSON and back.

Only the fields an event fills are written, so a deadline change is stored as
``{"new_due": {"day": "2026-12-31", "kind": "date"}, "old_due": {"kind": "none"}}``. Dates are
ISO strings; lists of names or measure numbers are JSON arrays.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from domain.items import DueKind, DueValue, EventChange


def encode_change(change: EventChange) -> str:
    """The JSON text stored for ``change`` (``{}`` when the event carries nothing)."""
    data: dict[str, Any] = {
        "text": change.text,
        "old_due": _encode_due(change.old_due),
        "new_due": _encode_due(change.new_due),
        "field": change.field,
        "old_value": change.old_value,
        "new_value": change.new_value,
        "old_owners": list(change.old_owners),
        "new_owners": list(change.new_owners),
        "measures": list(change.measures),
        "username": change.username,
        "imported": change.imported,
        "groups": list(change.groups),
        "number": change.number,
    }
    filled = {key: value for key, value in data.items() if value not in ("", None, [], False)}
    return json.dumps(filled, ensure_ascii=False, sort_keys=True)


def decode_change(text: str) -> EventChange:
    """The change stored as ``text`` by :func:`encode_change`."""
    data: dict[str, Any] = json.loads(text or "{}")
    return EventChange(
        text=str(data.get("text", "")),
        old_due=_decode_due(data.get("old_due")),
        new_due=_decode_due(data.get("new_due")),
        field=str(data.get("field", "")),
        old_value=str(data.get("old_value", "")),
        new_value=str(data.get("new_value", "")),
        old_owners=tuple(str(name) for name in data.get("old_owners", ())),
        new_owners=tuple(str(name) for name in data.get("new_owners", ())),
        measures=tuple(int(n) for n in data.get("measures", ())),
        username=str(data.get("username", "")),
        imported=bool(data.get("imported", False)),
        groups=tuple(str(name) for name in data.get("groups", ())),
        number=int(data["number"]) if data.get("number") is not None else None,
    )


def _encode_due(due: DueValue | None) -> dict[str, str] | None:
    if due is None:
        return None
    if due.day is None:
        return {"kind": due.kind.value}
    return {"kind": due.kind.value, "day": due.day.isoformat()}


def _decode_due(data: dict[str, str] | None) -> DueValue | None:
    if not data:
        return None
    day = data.get("day")
    return DueValue(DueKind(data["kind"]), date.fromisoformat(day) if day else None)
