"""Fuzzing the ledger commands through the real bot, with any input.

/problem (all three forms), /edit, /extend, /due, /progress, /assign, /done, /show, /list,
/settings, replies to the bot's messages and presses of its buttons.

One bot serves the whole module (the ``arena`` fixture); each Hypothesis example plays in a new
group and ends with :meth:`tests.e2e.fuzzing.Arena.check`: Telegram accepted every message, no
unhandled error, user text escaped, every command answered, the ledger consistent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import UserError
from domain.items import Actor
from domain.problem_form import read_problem
from playground.standin import SentMessage
from tests.e2e.fuzz_inputs import (
    DEADLINES,
    MENTIONS,
    WORDS,
    item_number,
    labelled_form,
    one_line_form,
    owners_text,
    pieces,
    setting_words,
    user_text,
    within,
)
from tests.e2e.fuzzing import ADMIN, BYSTANDER, MEMBERS, OWNER, Arena, arena_for, fuzz_settings

ADMIN_ACTOR = Actor(ADMIN, "王书记", "wang", is_admin=True)

pytestmark = pytest.mark.asyncio(loop_scope="module")

ACTORS = st.sampled_from((ADMIN, ADMIN, OWNER, BYSTANDER, MEMBERS[1]))
TITLES = st.one_of(st.just("第一党支部"), pieces(4).filter(str.strip).map(lambda t: t[:128]))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def arena(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Arena]:
    """One running bot for every example of this module."""
    folder: Path = tmp_path_factory.mktemp("fuzz-commands")
    async with arena_for(folder) as running:
        yield running


def text_mentions(members: list[int]) -> list[tuple[int, str]]:
    """Text mentions of members without a username shown (Telegram's tap-a-name mentions)."""
    return [(member, f"成员{member}") for member in members]


async def press_some(arena: Arena, sent: list[SentMessage], data: st.DataObject) -> None:
    """Maybe press one of the buttons the bot just sent, as someone."""
    buttons = [(m.chat_id, m.message_id, d) for m in sent for d in m.callback_data]
    if not buttons or not data.draw(st.booleans(), label="press"):
        return
    chat_id, message_id, button = data.draw(st.sampled_from(buttons), label="button")
    await arena.press(chat_id, message_id, data.draw(ACTORS, label="presser"), button)


@fuzz_settings(60)
@given(
    form=st.sampled_from(("line", "labelled", "reply")),
    data=st.data(),
)
async def test_problem_in_all_three_forms(arena: Arena, form: str, data: st.DataObject) -> None:
    """/problem with any text, owners and deadline: a valid answer, a consistent ledger."""
    since = arena.begin()
    chat = await arena.new_group(
        data.draw(TITLES, label="title"), data.draw(st.sampled_from(("zh", "en")))
    )
    mentions = text_mentions(data.draw(st.lists(st.sampled_from(MEMBERS), max_size=12)))
    actor = data.draw(ACTORS, label="actor")
    if form == "line":
        sent = await arena.send(
            chat, actor, f"/problem {data.draw(one_line_form())}", mentions=mentions
        )
    elif form == "labelled":
        sent = await arena.send(
            chat, actor, f"/problem\n{data.draw(labelled_form())}", mentions=mentions
        )
    else:
        said = data.draw(user_text().filter(str.strip), label="replied text")
        author = data.draw(st.sampled_from((OWNER, BYSTANDER, *MEMBERS)))
        replied = arena.fake.send_text(chat, author, said)
        args = data.draw(st.one_of(st.just(""), st.sampled_from(DEADLINES), one_line_form()))
        sent = await arena.send(
            chat, actor, f"/problem {args}".rstrip(), reply_to=replied["message_id"]
        )
    await press_some(arena, sent, data)
    await arena.check(chat, since)


async def registered(arena: Arena, chat: int, data: st.DataObject) -> None:
    """Item #1 with fuzzed text, owners and deadline; sometimes enough more for several pages."""
    problem = data.draw(st.one_of(st.sampled_from(WORDS), pieces(5).filter(lambda t: t.strip())))
    owners = data.draw(owners_text().map(lambda t: t[:400]))
    due = data.draw(st.one_of(st.just(""), st.sampled_from(DEADLINES)))
    await arena.send(chat, ADMIN, f"/problem\n问题:{problem}\n责任人:{owners}\n时限:{due}")
    ledger = arena.runtime.services.ledger
    today = arena.clock.now().date()
    for _ in range(data.draw(st.sampled_from((0, 0, 0, 25)), label="more items")):
        owner, due = data.draw(st.sampled_from(MENTIONS)), data.draw(st.sampled_from(DEADLINES))
        typed = f"{problem} {owner} {due}"
        try:
            draft = read_problem(typed, (), today, soft_days=3)
        except UserError:
            continue
        await ledger.register(chat, ADMIN_ACTOR, draft)


ITEM_COMMANDS = (
    "edit", "extend", "due", "progress", "reply", "show", "list", "assign", "done", "photo", "mine",
)  # fmt: skip
EDIT_FIELDS = (
    "问题",
    "措施",
    "类别",
    "责任单位",
    "总负责人",
    "说明",
    "来源",
    "责任人",
    "时限",
    "problem",
    "measures",
    "x",
    "",
)


async def item_command(arena: Arena, chat: int, data: st.DataObject) -> list[SentMessage]:
    """One command about an item, with fuzzed arguments, by someone."""
    command = data.draw(st.sampled_from(ITEM_COMMANDS), label="command")
    actor = data.draw(ACTORS, label="actor")
    number = data.draw(item_number(st.sampled_from((1, 1, 2))), label="number")
    text = data.draw(user_text(), label="text")
    if command == "edit":
        field = data.draw(st.sampled_from(EDIT_FIELDS))
        return await arena.send(chat, actor, f"/edit {number} {field} {text}")
    if command == "extend":
        due = data.draw(st.sampled_from(DEADLINES))
        return await arena.send(chat, actor, f"/extend {number} {due} {text}")
    if command == "due":
        due = data.draw(st.one_of(st.sampled_from(DEADLINES), pieces(3)))
        return await arena.send(chat, actor, f"/due {number} {due}")
    if command == "assign":
        owners = data.draw(owners_text())
        return await arena.send(chat, actor, f"/assign {number} {owners}"[:4000])
    if command == "reply":
        mine = [m for m in arena.fake.sent_messages(chat) if m.text]
        target = data.draw(st.sampled_from(mine), label="replied") if mine else None
        body = text or "进展"
        return await arena.send(chat, actor, body, reply_to=target.message_id if target else None)
    if command == "photo":
        verb = data.draw(st.sampled_from(("progress", "done")))
        return await arena.send_photo(chat, actor, within(f"/{verb} {number} {text}", 1000))
    if command == "mine":
        return await arena.send(chat, actor, "/mine")
    if command == "list":
        return await arena.send(
            chat, actor, f"/list {data.draw(st.one_of(st.sampled_from(MENTIONS), pieces(2)))}"
        )
    if command == "show":
        return await arena.send(
            chat, actor, f"/show {number} {data.draw(st.sampled_from(('', '附件', 'files', text)))}"
        )
    return await arena.send(chat, actor, f"/{command} {number} {text}")


@fuzz_settings(60)
@given(data=st.data())
async def test_item_commands_on_a_fuzzed_item(arena: Arena, data: st.DataObject) -> None:
    """/edit /extend /due /progress /assign /done /show /list and replies, with any input."""
    since = arena.begin()
    chat = await arena.new_group(lang=data.draw(st.sampled_from(("zh", "en"))))
    await registered(arena, chat, data)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4), label="steps")):
        sent = await item_command(arena, chat, data)
        await press_some(arena, sent, data)
    await arena.check(chat, since)


@fuzz_settings(40)
@given(changes=st.lists(setting_words(), min_size=1, max_size=3), actor=ACTORS)
async def test_settings_with_any_name_and_value(
    arena: Arena, changes: list[tuple[str, str]], actor: int
) -> None:
    """/settings key value by anyone, then /settings and /summary: valid answers only."""
    since = arena.begin()
    chat = await arena.new_group()
    for key, value in changes:
        await arena.send(chat, actor, f"/settings {key} {value}".rstrip())
    await arena.send(chat, actor, "/settings")
    await arena.send(chat, actor, "/summary")
    await arena.check(chat, since)
