"""What the fake Bot API server remembers: calls, sent messages, callback answers, faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ApiCall", "CallbackAnswer", "Fault", "SentMessage", "Upload"]


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str | None = None


@dataclass
class ApiCall:
    """One HTTP call to ``/bot{token}/{method}`` and the fake's answer to it."""

    index: int
    method: str
    params: dict[str, Any]
    uploads: dict[str, Upload]
    time: float  # time.monotonic() when the request arrived
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def files(self) -> dict[str, bytes]:
        """The uploaded files' bytes by part name (filenames are in :attr:`uploads`)."""
        return {name: upload.content for name, upload in self.uploads.items()}

    @property
    def ok(self) -> bool:
        """Whether the fake answered ``{"ok": true, ...}``."""
        return self.status == 200

    @property
    def result(self) -> Any:
        """The ``result`` of a successful answer, else ``None``."""
        return self.response.get("result")

    @property
    def description(self) -> str | None:
        """The error ``description`` of a failed answer, else ``None``."""
        description = self.response.get("description")
        return description if isinstance(description, str) else None

    def summary(self) -> str:
        """One line for failure dumps."""
        shown = {
            key: (value[:80] + "…" if isinstance(value, str) and len(value) > 80 else value)
            for key, value in self.params.items()
        }
        outcome = "ok" if self.ok else f"{self.status} {self.description}"
        files = f" files={sorted(self.uploads)}" if self.uploads else ""
        return f"#{self.index} {self.method} {shown}{files} -> {outcome}"


@dataclass(frozen=True)
class SentMessage:
    """A message the bot sent successfully (sendMessage, sendDocument or sendPhoto)."""

    call_index: int
    method: str
    chat_id: int
    message_id: int
    text: str | None  # text or caption exactly as sent (still HTML when parse_mode=HTML)
    plain_text: str | None  # what users see: markup parsed and whitespace trimmed
    parse_mode: str | None
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    reply_to: int | None
    document: Upload | None = None
    file_id: str | None = None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every inline keyboard button, row by row."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard", [])
        return [button for row in rows for button in row]

    @property
    def button_texts(self) -> list[str]:
        """The inline keyboard buttons' texts, row by row."""
        return [str(button.get("text", "")) for button in self.buttons]

    @property
    def callback_data(self) -> list[str]:
        """The inline keyboard buttons' callback_data, row by row (buttons without it skipped)."""
        return [str(b["callback_data"]) for b in self.buttons if "callback_data" in b]


@dataclass(frozen=True)
class CallbackAnswer:
    """One successful answerCallbackQuery."""

    call_index: int
    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None


@dataclass
class Fault:
    """An injected failure for the next ``times`` calls of one method."""

    status: int | None
    description: str
    parameters: dict[str, Any] | None
    delay: float | None
    times: int
