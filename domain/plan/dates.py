"""Dates in a plan: schedules that lie in the past, and incomplete deadlines.

The plan parser does not resolve deadlines (the import does, with :mod:`domain.deadline`); it
only flags what would mislead: a year before the current one (a copied old plan) and a deadline
that lost its month (``底前``).  Placeholders (``xx``, ``某``) are the shared vocabulary's
(:data:`domain.vocabulary.PLACEHOLDER`).
"""

from __future__ import annotations

import re
from typing import Final

from domain.plan.text import Text, fold

_YEAR: Final = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
_DATE: Final = (
    r"(?<![0-9])(?:19|20)[0-9]{2}\s*年(?:\s*[0-9]{1,2}\s*月)?(?:\s*[0-9]{1,2}\s*[日号])?"
    r"(?:底|末|初|上旬|中旬|下旬)?"
)
_SCHEDULE: Final = re.compile(
    rf"(?P<pre>自|从|于|至|到|截至|截止)?\s*(?P<date>{_DATE})\s*"
    r"(?P<post>以前|之前|前|开始|起|至|到|以内|内|基本完成|全面完成|全部完成|完成|结束|止)?"
)
_SENTENCE_END: Final = re.compile(r"[。;!?\n]|\.(?![0-9])")
INCOMPLETE_DEADLINE: Final = re.compile(
    "(?:底|末|前|之前|以前|日|号|止|上旬|中旬|下旬)(?:前|之前|以前|完成)?"
)


def _sentences(text: Text) -> list[Text]:
    """Split a paragraph at sentence ends."""
    pieces: list[Text] = []
    start = 0
    for match in _SENTENCE_END.finditer(text.norm):
        pieces.append(text.cut(start, match.start()))
        start = match.end()
    pieces.append(text.cut(start))
    return pieces


def past_schedules(text: Text, reference_year: int) -> list[str]:
    """Schedule phrases (自2019年7月开始, 2019年12月底前…) that lie before reference_year."""
    found: list[str] = []
    for sentence in _sentences(text):
        hits = [
            match
            for match in _SCHEDULE.finditer(sentence.norm)
            if match.group("pre") or match.group("post")
        ]
        if any(int(match.group("date")[:4]) < reference_year for match in hits):
            found.append(sentence.cut(hits[0].start(), hits[-1].end()).strip().orig)
    return found


def is_past_deadline(phrase: str, reference_year: int) -> bool:
    """Whether a deadline names a year before reference_year."""
    return any(int(year) < reference_year for year in _YEAR.findall(fold(phrase)))
