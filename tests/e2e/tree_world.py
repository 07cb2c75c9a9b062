"""A three-level tree for end-to-end tests: a district committee over two committees.

Each committee has two branches, every group its own secretary (admin) and members, and the
bot is in all of them.

``link_all`` builds the tree as people would: /link in the parent, /join CODE in the branch.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Job

from bot.jobs import SWEEP_JOB
from domain.clock import FixedClock
from playground.standin import FakeTelegram, SentMessage
from tests.e2e.conftest import START, Chat, config_for, start_runtime, stop_runtime

DISTRICT = -3000  # 区委
COMMITTEE_1 = -3100  # 机关党委
COMMITTEE_2 = -3200  # 教育党委
BRANCH_11 = -3110  # 第一党支部
BRANCH_12 = -3120  # 第二党支部
BRANCH_21 = -3210  # 实验学校党支部
BRANCH_22 = -3220  # 第三中学党支部

TITLES = {
    DISTRICT: "区委",
    COMMITTEE_1: "机关党委",
    COMMITTEE_2: "教育党委",
    BRANCH_11: "第一党支部",
    BRANCH_12: "第二党支部",
    BRANCH_21: "实验学校党支部",
    BRANCH_22: "第三中学党支部",
}
PARENTS = {
    COMMITTEE_1: DISTRICT,
    COMMITTEE_2: DISTRICT,
    BRANCH_11: COMMITTEE_1,
    BRANCH_12: COMMITTEE_1,
    BRANCH_21: COMMITTEE_2,
    BRANCH_22: COMMITTEE_2,
}
# Each group's secretary (its creator): user ids 100 + a small number.
SECRETARY = {chat: 100 + index for index, chat in enumerate(TITLES)}
MEMBER = 200  # 张三 (@zhang), a member of every branch
OTHER = 201  # 李四, a member of every group without admin rights
_CODE = re.compile(r"/join ([A-Z0-9]{4}-[A-Z0-9]{4})")


@dataclass
class Tree:
    """The running bot and the seven groups; its reminder sweep runs when the test says so."""

    chat: Chat
    job: Job[Any]

    async def sweep(self) -> None:
        """Run the installed sweep job once, now, and wait until it has finished."""
        await self.job.run(self.chat.runtime.application)

    @property
    def fake(self) -> FakeTelegram:
        """The Telegram stand-in."""
        return self.chat.fake

    async def say(self, chat_id: int, user_id: int, text: str) -> SentMessage:
        """Type ``text`` as a user; the bot's next message in that chat, once it is all done.

        Waiting for every handler to finish means what the bot tells other groups (a branch
        about its copy, a parent about a new branch) has been sent too.
        """
        reply = await self.chat.say(chat_id, user_id, text)
        await self.chat.settle()
        return reply

    async def link(self, parent: int, branch: int) -> SentMessage:
        """/link in the parent by its secretary, /join in the branch by its secretary."""
        issued = await self.say(parent, SECRETARY[parent], "/link")
        code = _CODE.search(issued.plain_text or "")
        assert code is not None, issued.plain_text
        return await self.say(branch, SECRETARY[branch], f"/join {code.group(1)}")

    async def link_all(self) -> None:
        """The whole tree, top down."""
        for branch, parent in PARENTS.items():
            joined = await self.link(parent, branch)
            assert "已关联到上级党组织" in (joined.plain_text or ""), joined.plain_text

    async def add_group(
        self,
        chat_id: int,
        title: str,
        secretary: int,
        *,
        parent: int | None = None,
        basic: bool = False,
    ) -> None:
        """A new group created by ``secretary`` with the bot in it, linked below ``parent``.

        ``secretary`` must be an admin of ``parent``; ``basic`` makes it a basic group (one
        that Telegram can still upgrade to a supergroup).
        """
        self.fake.add_group(chat_id, title, type="group" if basic else "supergroup", with_bot=False)
        self.fake.add_member(chat_id, secretary)
        self.fake.make_admin(chat_id, secretary, status="creator")
        self.fake.add_bot_to_group(chat_id, secretary)
        await self.chat.settle()  # the welcome
        if parent is not None:
            issued = await self.say(parent, secretary, "/link")
            code = _CODE.search(issued.plain_text or "")
            assert code is not None, issued.plain_text
            await self.say(chat_id, secretary, f"/join {code.group(1)}")


def populate_tree(fake: FakeTelegram) -> None:
    """Seven groups, their secretaries, 张三 in every branch and 李四 everywhere."""
    fake.add_user(MEMBER, "张三", username="zhang")
    fake.add_user(OTHER, "李四")
    for chat, title in TITLES.items():
        secretary = SECRETARY[chat]
        fake.add_user(secretary, f"{title}书记", username=f"sec{secretary}")
        fake.add_group(chat, title, with_bot=False)
        fake.add_member(chat, secretary)
        fake.add_member(chat, OTHER)
        if chat not in (DISTRICT, COMMITTEE_1, COMMITTEE_2):
            fake.add_member(chat, MEMBER)
        fake.make_admin(chat, secretary, status="creator")
        fake.add_bot_to_group(chat, secretary)


@pytest.fixture
async def tree(fake_telegram: FakeTelegram, tmp_path: Path) -> AsyncIterator[Tree]:
    """The real bot in seven unlinked groups (tests link them with ``link_all``)."""
    populate_tree(fake_telegram)
    clock = FixedClock(START)
    runtime = await start_runtime(config_for(fake_telegram, tmp_path), clock)
    assert runtime.application.job_queue is not None
    (job,) = runtime.application.job_queue.get_jobs_by_name(SWEEP_JOB)
    job.enabled = False  # the tests run the sweep themselves, at the clock they set
    handle = Tree(Chat(fake_telegram, runtime, clock), job)
    await handle.chat.settle()
    yield handle
    await stop_runtime(runtime)
