"""Which of the bot's messages take replies, and as what."""

from __future__ import annotations

import pytest

from views.callbacks import Prefix
from views.outcomes import prompt, reply_target


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_card_takes_progress_by_its_buttons(lang: str) -> None:
    """A message with card buttons is an item card: a reply is progress on that item."""
    assert reply_target("已登记 #3 问题", ["claim:3", "progress:3", "done:3"], lang) == (
        "progress",
        3,
    )
    assert reply_target("#4 …", ["approve:4", "reject:4"], lang) == ("progress", 4)


@pytest.mark.parametrize("kind", [Prefix.PROGRESS, Prefix.REJECT])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_prompt_takes_what_it_asked_for(kind: Prefix, lang: str) -> None:
    """The exact text of a prompt (in either language) names its item and what to record."""
    assert reply_target(prompt(kind, 12, lang), [], "zh") == (kind, 12)


@pytest.mark.parametrize(
    ("text", "buttons"),
    [
        ("✅ 已导入2项:#1–#2", []),
        ("#1 党费 延期申请:…", ["ext:5:y", "ext:5:n"]),
        ("📋 在办事项(共3项)\n🟡 #2 …", ["page:open:1"]),
        ("本群没有 #9 号事项。", []),
    ],
)
def test_other_messages_are_conversation(text: str, buttons: list[str]) -> None:
    """Notices, extension requests, lists and errors do not take replies."""
    assert reply_target(text, buttons, "zh") is None
