"""Replies that only acknowledge (收到, 好的, 👍 …): 已签收, not progress.

A reply under an item card used to become 推进情况 whatever it said, so ``收到`` counted as the
month's report. Progress needs substance; a reply made only of acknowledging words, emoji and
punctuation is recorded as an acknowledgement instead. This module is the one place that knows
those words.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from domain.typed import has_visible_text, strip_invisible

# Words (and the pieces of run-together ones: 收到谢谢, 好的明白) that only acknowledge.
ACKNOWLEDGING_WORDS: Final = frozenset(
    {
        # Chinese
        "收到", "已收到", "收", "好的", "好滴", "好嘞", "好哒", "好", "行", "可以", "是的",
        "明白", "了解", "知道", "知悉", "已知悉", "已阅", "阅", "了", "啦", "嗯", "嗯嗯", "哦",
        "噢", "谢谢", "多谢", "感谢", "辛苦", "辛苦了", "没问题", "遵命", "马上办", "照办",
        # English
        "ok", "okay", "k", "kk", "roger", "noted", "thanks", "thx", "ty", "received", "sure",
        "yes", "yep", "fine", "understood", "ack",
    }
)  # fmt: skip
# Acknowledgements of several words, said together.
ACKNOWLEDGING_PHRASES: Final = frozenset({"got it", "thank you", "will do", "on it"})

_NOT_A_WORD = re.compile(r"[\W_]+")  # punctuation, spaces and emoji split the words


def _made_of_words(token: str) -> bool:
    """True when ``token`` is one acknowledging word or several run together (收到谢谢)."""
    reachable = [True] + [False] * len(token)
    for end in range(1, len(token) + 1):
        reachable[end] = any(
            reachable[start] and token[start:end] in ACKNOWLEDGING_WORDS for start in range(end)
        )
    return reachable[-1]


def is_acknowledgement(text: str) -> bool:
    """True for a reply that only acknowledges: emoji or punctuation only, or 收到/好的/OK ….

    An empty text is no acknowledgement (a file sent alone is evidence, not a nod).
    """
    if not has_visible_text(text):
        return False
    folded = unicodedata.normalize("NFKC", strip_invisible(text)).casefold()
    words = [word for word in _NOT_A_WORD.split(folded) if word]
    if not words:
        return True  # 👍, 👌🙏, ！！ — nothing but emoji and punctuation
    return " ".join(words) in ACKNOWLEDGING_PHRASES or all(_made_of_words(w) for w in words)
