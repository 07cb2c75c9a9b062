"""The holiday calendar: a warning when a year's holidays are not configured (English)."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "calendar.unknown_years": (
        "⚠️ The public holidays of {years} are not configured: working days are counted Monday "
        "to Friday. The operator adds the State Council's holidays and make-up working days "
        "under [calendar] in the configuration (see the README)."
    ),
}
