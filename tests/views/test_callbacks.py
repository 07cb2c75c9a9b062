"""Button callback data: one format per kind, read back exactly, malformed data refused."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from views.callbacks import (
    CARD_ACTIONS,
    ButtonData,
    CardButton,
    DeadlineButton,
    DeadlineChoice,
    DeadlinePickButton,
    DispatchButton,
    ExtensionButton,
    ImportButton,
    ImportPageButton,
    PageButton,
    Prefix,
    ProgressPageButton,
    pack,
    pattern,
    unpack,
)


@pytest.mark.parametrize(
    ("button", "data"),
    [
        (CardButton(Prefix.CLAIM, 12), "claim:12"),
        (CardButton(Prefix.REJECT, 3), "reject:3"),
        (DeadlineButton(7, DeadlineChoice.MONTH), "setdue:7:month"),
        (DeadlineButton(7, DeadlineChoice.NONE), "setdue:7:none"),
        (DeadlinePickButton(7, 0), "pickdue:7:0"),
        (DeadlinePickButton(7, 2), "pickdue:7:2"),
        (ExtensionButton(5, approve=True), "ext:5:y"),
        (ExtensionButton(5, approve=False), "ext:5:n"),
        (PageButton("open", 1), "page:open:1"),
        (PageButton("u=zhang_san", 0), "page:u=zhang_san:0"),
        (ImportButton(9, confirm=True), "import:9:ok"),
        (ImportButton(9, confirm=False), "import:9:no"),
        (ImportPageButton(9, 0), "import:9:p0"),
        (ImportPageButton(9, 4), "import:9:p4"),
        (ProgressPageButton(12, 3), "plog:12:3"),
        (DispatchButton(12, 34), "dispatch:12:34"),
        (DispatchButton(12, 34, "党支部"), "dispatch:12:34:党支部"),
    ],
)
def test_buttons_keep_the_formats_already_posted_in_groups(button: ButtonData, data: str) -> None:
    """Old messages keep working: each kind packs to its historical format and reads back."""
    assert pack(button) == data
    assert unpack(data) == button


@pytest.mark.parametrize(
    "data",
    ["", "claim", "claim:", "claim:x", "claim:0", "claim:-1", "setdue:3:soon", "setdue::week",
     "ext:5:maybe", "pickdue:7:", "pickdue:7:x", "import:1:yes", "page::1", "page:open:",
     "nonsense:1", None, "import:1:p", "import:1:px", "import:1:p-1", "plog:12:", "plog:12:x",
     "plog:0:1", "dispatch:3:", "dispatch:3:x", "dispatch:0:5"],
)  # fmt: skip
def test_malformed_data_is_refused(data: str | None) -> None:
    """Foreign, truncated or forged data reads as nothing rather than failing."""
    assert unpack(data) is None


def test_each_prefix_routes_only_its_own_buttons() -> None:
    """The handler patterns do not overlap: ``reject`` does not catch ``reject_all``."""
    for prefix in Prefix:
        assert re.match(pattern(prefix), f"{prefix.value}:1")
        others = [p for p in Prefix if p is not prefix]
        assert not any(re.match(pattern(other), f"{prefix.value}:1") for other in others)


@given(number=st.integers(min_value=1, max_value=999_999_999))
def test_every_card_action_round_trips(number: int) -> None:
    """Any item number fits in a card button and comes back unchanged."""
    for action in CARD_ACTIONS:
        assert unpack(pack(CardButton(action, number))) == CardButton(action, number)


def test_data_over_64_bytes_is_a_programming_error() -> None:
    """Telegram refuses more than 64 bytes of data: packing one fails loudly, not silently."""
    with pytest.raises(ValueError, match="64 bytes"):
        pack(PageButton("u=" + "x" * 60, 1))


def test_a_long_typed_branch_name_is_clipped_to_fit_the_data() -> None:
    """The name a dispatch button carries is cut at a character boundary, within 64 bytes."""
    data = pack(DispatchButton(123456, 7890123, "第一党支部" * 10))
    assert len(data.encode()) <= 64
    button = unpack(data)
    assert isinstance(button, DispatchButton)
    assert (button.number, button.group_id) == (123456, 7890123)
    assert "第一党支部".startswith(button.name[:5])
