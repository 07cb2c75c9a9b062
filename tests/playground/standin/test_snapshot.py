"""Keeping the stand-in's world: a snapshot restores users, chats, messages and files."""

from __future__ import annotations

import json

from playground.standin import FakeTelegram

GROUP = -1001
USER = 7


async def test_a_snapshot_restores_the_world() -> None:
    """Through JSON and into a new stand-in: members, messages, ids, files and started chats."""
    async with FakeTelegram() as before:
        before.add_user(USER, "张三", username="zhangsan")
        before.add_group(GROUP, "第一党支部")
        before.add_member(GROUP, USER, status="administrator")
        before.send_text(GROUP, USER, "/list")
        sent = before.send_document(GROUP, USER, "方案.txt", "计划".encode(), caption="/import")
        before.send_text(USER, USER, "/start")
        snapshot = json.loads(json.dumps(before.world.snapshot()))

    async with FakeTelegram() as after:
        after.world.restore(snapshot)
        assert after.member_status(GROUP, USER) == "administrator"
        assert [m.get("text") for m in after.messages(GROUP)] == ["/list", None]
        assert after.message(GROUP, 2)["caption"] == "/import"
        stored = after.world.file(sent["document"]["file_id"])
        assert stored is not None
        assert stored.content == "计划".encode()
        assert after.send_text(GROUP, USER, "next")["message_id"] == 3
        again = after.send_document(GROUP, USER, "b.txt", b"b")
        assert again["document"]["file_id"] != sent["document"]["file_id"]
        private = after.world.chat(USER)
        assert private is not None
        assert private.started
