"""Owners as typed, linked to the members seen in a group (domain.members)."""

from __future__ import annotations

from domain.items import OwnerRef
from domain.members import Members, link_all, typed_username
from domain.people import SeenUser

LI_SI = SeenUser(71, "李", "四")
ZHANG = SeenUser(2, "张三", username="zhang")
MEMBERS = Members.of([LI_SI, ZHANG, SeenUser(8, "王五"), SeenUser(9, "王", "五")])


def test_a_full_width_at_sign_names_a_username() -> None:
    """＠zhang is read as @zhang; a bare @ or a name is no username."""
    assert typed_username("＠zhang_san") == "zhang_san"
    assert typed_username("@zhang") == "zhang"
    assert typed_username("＠") is None
    assert typed_username("李四") is None


def test_a_plain_name_links_to_the_one_member_of_that_name() -> None:
    """李四 (no username) becomes the member; 王五 (two members) stays a plain name."""
    assert MEMBERS.link(OwnerRef("李 四")) == OwnerRef("李四", 71)
    assert MEMBERS.link(OwnerRef("王五")) == OwnerRef("王五")
    assert MEMBERS.link(OwnerRef("赵六")) == OwnerRef("赵六")


def test_a_username_links_case_insensitively_and_unknown_ones_stay_pending() -> None:
    """@Zhang is the member zhang; @nobody is still waiting for that user."""
    assert MEMBERS.link(OwnerRef("@Zhang", username="Zhang")) == OwnerRef("张三", 2, "zhang")
    pending = OwnerRef("@nobody", username="nobody")
    assert MEMBERS.link(pending) == pending


def test_one_person_named_twice_is_one_owner() -> None:
    """@zhang and 张三 are the same member once linked."""
    owners = link_all([OwnerRef("@zhang", username="zhang"), OwnerRef("张三")], MEMBERS)
    assert owners == [OwnerRef("张三", 2, "zhang")]


def test_free_text_names_leave_out_shared_and_one_character_names() -> None:
    """By display name: 李四 and 张三, not 王五 (two members) nor a one-character name."""
    members = Members.of([*MEMBERS.users, SeenUser(10, "张")])
    assert set(members.by_display_name()) == {"李四", "张三"}
