"""Fuzzing /import through the real bot: pasted plans and files of any shape, then the buttons.

One bot serves the whole module; each Hypothesis example plays in a new group: an import
(pasted after the command, or a .txt/.docx/.xlsx/other file with the caption /import), then a
few presses of the preview's buttons (◀ ▶, [确认导入], [取消]) by an admin or a member, and ends
with :meth:`tests.e2e.fuzzing.Arena.check`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from hypothesis import given
from hypothesis import strategies as st

from playground.standin import SentMessage
from tests.e2e.fuzz_inputs import USER_LIMIT, long_plan, plan_text, upload, within
from tests.e2e.fuzzing import ADMIN, BYSTANDER, OWNER, Arena, arena_for, fuzz_settings

pytestmark = pytest.mark.asyncio(loop_scope="module")

PRESSERS = st.sampled_from((ADMIN, ADMIN, OWNER, BYSTANDER))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def arena(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Arena]:
    """One running bot for every example of this module."""
    async with arena_for(tmp_path_factory.mktemp("fuzz-import")) as running:
        yield running


async def press_around(arena: Arena, sent: list[SentMessage], data: st.DataObject) -> None:
    """Up to four presses of whatever buttons the preview message has at the time."""
    if not sent:
        return
    message = sent[-1]
    for _ in range(data.draw(st.integers(min_value=0, max_value=4), label="presses")):
        markup = arena.fake.message(message.chat_id, message.message_id).get("reply_markup")
        buttons = [
            b["callback_data"] for row in (markup or {}).get("inline_keyboard", []) for b in row
        ]
        if not buttons:
            return
        button = data.draw(st.sampled_from(buttons), label="button")
        await arena.press(message.chat_id, message.message_id, data.draw(PRESSERS), button)


@fuzz_settings(40)
@given(plan=plan_text(), importer=PRESSERS, data=st.data())
async def test_import_of_pasted_text(
    arena: Arena, plan: str, importer: int, data: st.DataObject
) -> None:
    """/import followed by any text: a preview or a clear refusal, and buttons that work."""
    since = arena.begin()
    chat = await arena.new_group(lang=data.draw(st.sampled_from(("zh", "en"))))
    sent = await arena.send(chat, importer, within(f"/import\n{plan}", USER_LIMIT))
    await press_around(arena, sent, data)
    await arena.check(chat, since)


@fuzz_settings(40)
@given(file=upload(), data=st.data())
async def test_import_of_files(arena: Arena, file: tuple[str, bytes], data: st.DataObject) -> None:
    """A file of any kind and content with the caption /import: never an unhandled error."""
    since = arena.begin()
    chat = await arena.new_group()
    name, content = file
    sent = await arena.send_document(chat, ADMIN, name, content, "/import")
    await press_around(arena, sent, data)
    await arena.check(chat, since)


@fuzz_settings(5)
@given(items=st.sampled_from((60, 100, 150, 300, 301)), data=st.data())
async def test_import_of_long_plans(arena: Arena, items: int, data: st.DataObject) -> None:
    """Plans of up to 301 items from a file: paged previews (or the limit said), then imported."""
    since = arena.begin()
    chat = await arena.new_group()
    sent = await arena.send_document(chat, ADMIN, "plan.txt", long_plan(items).encode(), "/import")
    await press_around(arena, sent, data)
    await arena.check(chat, since)
