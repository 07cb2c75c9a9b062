"""The playground's world: a committee, two branches, a secretary who is admin, and members.

The secretary 王书记 created all three groups (so is an admin everywhere); each branch has a
支部书记 who administers that branch; the other members are plain members, some with a
``@username`` and some without (as many real members are). The bot is an administrator of every
group, as the README recommends, so it sees everyone who writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from domain.items import Actor
from playground.standin import FakeTelegram
from services.tree import TreeService

Status = Literal["creator", "administrator", "member"]

PLAYGROUND_BOT = {
    "id": 8000000001,
    "is_bot": True,
    "first_name": "整改台账",
    "username": "rectify_playground_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

COMMITTEE = -1001000000001
FIRST_BRANCH = -1001000000002
SECOND_BRANCH = -1001000000003

SECRETARY = 101  # 王书记: 机关党委书记, creator of all three groups
ZHANG_WEI = 102  # 第一党支部书记
LI_NA = 103
SUN_LEI = 104
LIU_YANG = 105  # 第二党支部书记
CHEN_JING = 106
ZHAO_MIN = 107  # 机关党委组织委员


@dataclass(frozen=True)
class Person:
    """A seeded user."""

    user_id: int
    name: str
    username: str | None = None


@dataclass(frozen=True)
class Group:
    """A seeded group and its members in the order the member picker lists them."""

    chat_id: int
    title: str
    members: tuple[tuple[int, Status], ...]


PEOPLE = (
    Person(ZHANG_WEI, "张伟", "zhangwei"),
    Person(LI_NA, "李娜"),
    Person(SUN_LEI, "孙磊", "sunlei"),
    Person(LIU_YANG, "刘洋", "liuyang"),
    Person(CHEN_JING, "陈静"),
    Person(ZHAO_MIN, "赵敏", "zhaomin"),
    Person(SECRETARY, "王书记", "wangshuji"),
)

# The first member listed is who you are when you open a group.
GROUPS = (
    Group(
        FIRST_BRANCH,
        "第一党支部",
        ((ZHANG_WEI, "administrator"), (LI_NA, "member"), (SUN_LEI, "member")),
    ),
    Group(
        SECOND_BRANCH,
        "第二党支部",
        ((LIU_YANG, "administrator"), (CHEN_JING, "member")),
    ),
    Group(
        COMMITTEE,
        "机关党委",
        ((ZHAO_MIN, "member"), (ZHANG_WEI, "member"), (LIU_YANG, "member")),
    ),
)


async def seed_world(fake: FakeTelegram, tree: TreeService, wait_seconds: float = 30.0) -> None:
    """Create the people and the groups, add the bot, and link the branches under the committee.

    The bot's welcome in each group is waited for. The link is made as 王书记 (an admin of all
    three) through the service ``/link`` and ``/join`` use, without messages in the chats, so
    the playground opens on a quiet tree.
    """
    for person in PEOPLE:
        fake.add_user(person.user_id, person.name, username=person.username)
    for group in GROUPS:
        fake.add_group(group.chat_id, group.title, with_bot=False)
        for user_id, status in group.members:
            fake.add_member(group.chat_id, user_id, status=status)
        fake.add_member(group.chat_id, SECRETARY, status="creator")
        fake.add_bot_to_group(group.chat_id, SECRETARY, status="administrator")
    chats = [group.chat_id for group in GROUPS]
    await fake.wait_for(lambda: all(fake.sent_messages(chat) for chat in chats), wait_seconds)
    await link_branches(tree)


async def link_branches(tree: TreeService) -> None:
    """The two branches linked under the committee, as 王书记 would with /link and /join."""
    secretary = Actor(SECRETARY, "王书记", "wangshuji", is_admin=True)
    for branch in (FIRST_BRANCH, SECOND_BRANCH):
        issued = await tree.issue_code(COMMITTEE, secretary)
        await tree.join(branch, secretary, issued.code)
