"""Replies that only acknowledge are told apart from progress."""

from __future__ import annotations

import pytest

from domain.acknowledgements import is_acknowledgement


@pytest.mark.parametrize(
    "text",
    ["收到", "收到!", "收到,谢谢", "好的👍", "明白了", "OK", "ok 👌", "👍", "👍👍🙏", "Got it.",
     "Thank you!", "嗯嗯", "好的收到", "已阅。", "收到\u200b"],
)  # fmt: skip
def test_acknowledgements(text: str) -> None:
    """Acknowledging words, emoji and punctuation alone are an acknowledgement."""
    assert is_acknowledgement(text)


@pytest.mark.parametrize(
    "text",
    ["", "  ", "\u200b", "台账已补齐", "收到,已补齐10月记录", "好的,明天完成", "完成50%", "3",
     "OK, the minutes are signed"],
)  # fmt: skip
def test_progress_needs_substance_and_nothing_is_no_nod(text: str) -> None:
    """Any word of substance (or a number) makes it progress; an empty reply is neither."""
    assert not is_acknowledgement(text)
