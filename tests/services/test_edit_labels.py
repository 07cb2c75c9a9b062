"""/edit through the ledger service accepts every label of the shared table."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import UserError
from domain.items import ItemSnapshot
from domain.problem_form import read_problem
from domain.vocabulary import EDIT_FIELDS, OWN_COMMAND, Field
from services.container import Services
from tests.label_table import LABEL_TABLE, label_id
from tests.services.conftest import ADMIN, GROUP_A

TODAY = date(2026, 11, 26)
TYPED = {
    Field.PROBLEM: "党费收缴不及时",
    Field.CATEGORY: "组织建设",
    Field.UNIT: "第一党支部",
    Field.LEAD: "王书记",
    Field.MEASURES: "1.建立台账 2.每月提醒",
    Field.SOURCE: "巡察反馈",
    Field.DETAIL: "缺三次记录",
    Field.OWNERS: "李四",
    Field.DUE: "年底前",
}


def value_of(item: ItemSnapshot, field: Field) -> object:
    """What an item holds for one editable field, comparable with TYPED (measures split)."""
    if field is Field.MEASURES:
        return tuple(measure.text for measure in item.measures)
    return getattr(item, field.value)


def expected(field: Field) -> object:
    """What an edit of ``field`` to TYPED[field] stores."""
    return ("建立台账", "每月提醒") if field is Field.MEASURES else TYPED[field]


@pytest.mark.parametrize(("field", "label"), LABEL_TABLE, ids=[label_id(*r) for r in LABEL_TABLE])
async def test_edit_takes_every_label(services: Services, field: Field, label: str) -> None:
    """/edit N <label> value changes that field, or names /assign or /due and changes nothing."""
    draft = read_problem("会议记录不全 @zhang 月底前", (), TODAY)
    number = (await services.ledger.register(GROUP_A, ADMIN, draft)).item.number
    if field in EDIT_FIELDS:
        edited = await services.ledger.edit(GROUP_A, ADMIN, number, label, TYPED[field])
        assert value_of(edited.item, field) == expected(field)
        assert edited.item.events[-1].change.field == field.value
        return
    before = (await services.ledger.show(GROUP_A, number)).item
    with pytest.raises(UserError) as caught:
        await services.ledger.edit(GROUP_A, ADMIN, number, label, TYPED[field])
    assert caught.value.key == f"error.edit_use_{OWN_COMMAND[field]}"
    assert (await services.ledger.show(GROUP_A, number)).item == before
