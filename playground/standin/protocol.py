"""The Bot API's wire format: parameters as clients send them, errors as Telegram answers them.

PTB sends form-encoded POSTs (multipart when a file is attached) in which nested objects
(``reply_markup``, ``commands`` …) are JSON strings and numbers and booleans are plain text;
other clients send one JSON body. Both decode to the same parameters here. Every refusal is an
:class:`ApiError`, answered as ``{"ok": false, "error_code": …, "description": …}`` with
``parameters`` (``retry_after``, ``migrate_to_chat_id``) when Telegram sends them.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = [
    "ApiError",
    "decode_params",
    "dumps",
    "flag",
    "opt_int",
    "opt_str",
    "req_int",
]

JSONDict = dict[str, Any]

# Parameters PTB sends as JSON strings (RequestParameter.json_value of lists and objects).
_JSON_KEYS = frozenset(
    [
        "reply_markup",
        "reply_parameters",
        "commands",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
        "scope",
        "menu_button",
        "media",
        "permissions",
        "rights",
        "results",
    ]
)
# Parameters that are strings even when they look like numbers or booleans.
_STRING_KEYS = frozenset(
    [
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "data",
        "url",
        "secret_token",
        "ip_address",
        "language_code",
        "action",
        "title",
        "description",
        "short_description",
        "name",
        "custom_title",
        "business_connection_id",
        "message_effect_id",
        "document",
        "photo",
        "thumbnail",
        "certificate",
    ]
)
_INT_RE = re.compile(r"-?\d+")
_FLOAT_RE = re.compile(r"-?\d+\.\d*")


class ApiError(Exception):
    """An error answer: HTTP status, Telegram description and optional parameters."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        """The JSON body Telegram answers with."""
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def dumps(value: Any) -> str:
    """JSON as Telegram writes it (UTF-8, not ASCII-escaped)."""
    return json.dumps(value, ensure_ascii=False)


def _decode_value(key: str, value: str) -> Any:
    if key in _STRING_KEYS:
        return value
    if _INT_RE.fullmatch(value):
        return int(value)
    if _FLOAT_RE.fullmatch(value):
        return float(value)
    if value in ("true", "false"):
        return value == "true"
    return value


def decode_params(raw: dict[str, str]) -> tuple[JSONDict, ApiError | None]:
    """Decode a form as PTB encodes it; the error, if any, is for the first undecodable JSON."""
    params: JSONDict = {}
    error: ApiError | None = None
    for key, value in raw.items():
        if key in _JSON_KEYS:
            try:
                params[key] = json.loads(value)
            except json.JSONDecodeError:
                params[key] = value
                what = "reply keyboard markup" if key == "reply_markup" else key
                error = error or ApiError(400, f"Bad Request: can't parse {what} JSON object")
        else:
            params[key] = _decode_value(key, value)
    return params, error


def opt_int(params: JSONDict, key: str) -> int | None:
    """An optional integer parameter; 400 if it is something else."""
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ApiError(400, f"Bad Request: invalid {key} specified")
    return int(value)


def req_int(params: JSONDict, key: str, empty: str | None = None) -> int:
    """A required integer parameter; 400 with ``empty`` (or "… is empty") when missing."""
    value = opt_int(params, key)
    if value is None:
        raise ApiError(400, empty or f"Bad Request: {key} is empty")
    return value


def opt_str(params: JSONDict, key: str) -> str | None:
    """An optional parameter as a string."""
    value = params.get(key)
    return None if value is None else str(value)


def flag(params: JSONDict, key: str) -> bool:
    """Whether a boolean parameter is set to true."""
    return params.get(key) is True
