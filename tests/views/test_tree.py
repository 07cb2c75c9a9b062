"""What the committee tree says when a dispatch asks about branch names that fit several."""

from __future__ import annotations

from datetime import date

import pytest

from domain.groups import GroupContext
from domain.items import ItemSnapshot
from domain.outcomes import Dispatch, Outcome
from domain.settings import GroupSettings
from domain.tree import Branch, match_branch
from domain.tree_reports import BranchLedger, rollup
from tests.domain.test_reminders import SETTINGS, SHANGHAI
from tests.domain.test_reminders import item as dated_item
from tests.views.test_message_limits import item
from views.callbacks import DispatchButton, unpack
from views.tree import dispatched_message
from views.tree_reports import rollup_lines

TODAY = date(2026, 11, 26)
TELEGRAM_BUTTON_LIMIT = 100


def committee_item() -> ItemSnapshot:
    """A committee's open item #7."""
    return item(7)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_many_candidates_stay_under_telegrams_button_limit_and_say_how_to_name_one(
    lang: str,
) -> None:
    """Two names fitting 120 branches: at most 8 buttons each, and the full-name hint."""
    branches = [Branch(i, f"第{i}党支部") for i in range(1, 121)]
    ambiguous = tuple(match_branch(name, branches) for name in ("党支部", "支部"))
    group = GroupContext(1, -1, "机关党委", GroupSettings(language=lang))
    dispatch = Dispatch(Outcome(group, committee_item(), TODAY), ambiguous=ambiguous)
    rendered = dispatched_message(dispatch, lang)
    buttons = [unpack(b.data) for row in rendered.keyboard for b in row]
    asked = [b for b in buttons if isinstance(b, DispatchButton)]
    assert len(buttons) < TELEGRAM_BUTTON_LIMIT
    assert [len([b for b in asked if b.name == name]) for name in ("党支部", "支部")] == [8, 8]
    assert rendered.text.count("/dispatch 7") == 2
    assert "120" in rendered.text


def test_a_branch_without_items_ranks_last_with_no_rate() -> None:
    """The 通报 ranks by 整改率; an empty branch has none: last, and said so, not "整改率0%"."""
    behind = BranchLedger("第一党支部", (("第一党支部", dated_item(1, left=-3)),))
    empty = BranchLedger("第三党支部", ())
    report = rollup([empty, behind], TODAY, TODAY, TODAY, SHANGHAI)
    assert report is not None
    assert [line.title for line in report.lines] == ["第一党支部", "第三党支部"]
    lines = rollup_lines(report, SETTINGS)
    assert "2. 第三党支部:暂无事项" in lines
    assert any(line.startswith("1. 第一党支部:共1项") and "整改率0%" in line for line in lines)
