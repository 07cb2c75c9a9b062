"""The playground's page server and JSON API, without a browser: the real bot behind it."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import aiohttp
from openpyxl import load_workbook

from domain.clock import FixedClock
from playground.seed import COMMITTEE, FIRST_BRANCH, LI_NA, SECOND_BRANCH, SECRETARY, ZHANG_WEI
from playground.standin import FloodLimits
from playground.web import POST_HEADER
from tests.playground.conftest import START, Page, close_page, open_page

STATIC = Path(__file__).parents[2] / "playground" / "static"
HOOKS = ("composer", "send", "group", "member", "clock", "clock-apply")
PLAN = "(一)三会一课记录不规范\n整改措施:\n1.建立会议记录台账\n责任人:张伟\n落实时限:月底前"


def bot_messages(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The bot's messages among a state's changed messages."""
    return [m for m in state["messages"] if m["from"] == "bot"]


async def view_of(page: Page, chat: int, message_id: int) -> dict[str, Any]:
    """One message as the page sees it now."""
    state = await page.state(chat)
    return next(m for m in state["messages"] if m["id"] == message_id)


async def register(page: Page) -> dict[str, Any]:
    """张伟 registers the issue's item in 第一党支部; the card as the page sees it."""
    card = await page.say(FIRST_BRANCH, ZHANG_WEI, "/problem 三会一课记录不规范 月底前")
    state = await page.state(FIRST_BRANCH)
    return next(m for m in state["messages"] if m["id"] == card.message_id)


async def test_the_page_and_its_files_are_served(page: Page) -> None:
    """GET / is the page with every stable hook; its files come from the package; no CDN."""
    async with page.http.get(page.url("/")) as response:
        assert response.status == 200
        html = await response.text()
        policy = response.headers["Content-Security-Policy"]
    for hook in HOOKS:
        assert f'data-testid="{hook}"' in html, hook
    assert "script-src 'self'" in policy
    assert "default-src 'none'" in policy
    assert not re.search(r"(src|href)=\"https?://", html)
    for name in ("app.js", "style.css", "labels.json"):
        async with page.http.get(page.url(f"/static/{name}")) as response:
            assert response.status == 200, name
    async with page.http.get(page.url("/static/../app.py")) as response:
        assert response.status == 404


async def test_the_world_is_seeded(page: Page) -> None:
    """Three groups; 王书记 is the creator of each; members with and without usernames; welcomes."""
    state = await page.state()
    assert [g["title"] for g in state["groups"]] == ["第一党支部", "第二党支部", "机关党委"]
    assert [g["id"] for g in state["groups"]] == [FIRST_BRANCH, SECOND_BRANCH, COMMITTEE]
    for group in state["groups"]:
        roles = {m["name"]: m["role"] for m in group["members"]}
        assert roles["王书记"] == "creator"
    first = {m["name"]: m for m in state["groups"][0]["members"]}
    assert first["张伟"]["username"] == "zhangwei"
    assert first["张伟"]["role"] == "administrator"
    assert first["李娜"]["username"] is None
    assert state["fresh"] is True
    assert state["clock"]["now"] == "2026-11-26T10:00+08:00"
    for group in (FIRST_BRANCH, SECOND_BRANCH, COMMITTEE):
        welcome = bot_messages(await page.state(group))
        assert len(welcome) == 1
        assert "整改台账机器人" in welcome[0]["text"]


async def test_the_stand_in_refuses_what_telegram_refuses(page: Page) -> None:
    """The playground's stand-in is the tests' one, with Telegram's flood limits switched on."""
    api = page.playground.fake.api
    assert api.flood is not None
    assert api.flood.limits == FloodLimits()
    assert api.strict_html_ampersand


async def test_register_close_and_accept_through_the_api(page: Page) -> None:
    """The issue's scenario over the API: the card, 申请销号, 通过 by the admin, 已销号."""
    card = await register(page)
    assert card["from"] == "bot"
    assert card["reply_to"]["name"] == "张伟"
    assert [b["text"] for row in card["buttons"] for b in row] == ["认领", "报进展", "申请销号"]
    before = (await page.state(FIRST_BRANCH))["seq"]

    status, answer = await page.press(FIRST_BRANCH, ZHANG_WEI, card, "申请销号")
    assert status == 200, answer
    changed = (await page.state(FIRST_BRANCH, since=before))["messages"]
    assert [m["id"] for m in changed] == [card["id"]]  # only the edited card is reported again
    pending = changed[0]
    assert "待验收" in pending["text"]
    assert pending["edited"] is True

    status, answer = await page.press(FIRST_BRANCH, SECRETARY, pending, "通过")
    assert status == 200, answer
    closed = await page.state(FIRST_BRANCH)
    shown = next(m for m in closed["messages"] if m["id"] == card["id"])
    assert "已销号" in shown["text"]
    assert closed["fresh"] is False


async def test_a_refused_press_comes_back_as_the_alert(page: Page) -> None:
    """A plain member pressing 申请销号 on an item nobody owns sees the bot's alert."""
    card = await register(page)
    status, answer = await page.press(FIRST_BRANCH, LI_NA, card, "申请销号")
    assert status == 200
    assert answer["answer"]["show_alert"] is True
    assert "认领" in answer["answer"]["text"]


async def test_a_reply_to_the_prompt_is_recorded(page: Page) -> None:
    """[报进展] asks with ForceReply; replying to that prompt records the progress."""
    card = await register(page)
    fake = page.playground.fake
    mark = fake.mark()
    status, _ = await page.press(FIRST_BRANCH, ZHANG_WEI, card, "报进展")
    assert status == 200
    prompt = await fake.wait_reply(FIRST_BRANCH, after=mark)
    view = next(
        m for m in (await page.state(FIRST_BRANCH))["messages"] if m["id"] == prompt.message_id
    )
    assert view["force_reply"] is True
    answer = await page.say(
        FIRST_BRANCH, ZHANG_WEI, "已补录10月会议记录", reply_to=prompt.message_id
    )
    assert "已记录进展" in (answer.plain_text or "")


async def test_a_plan_file_imports_and_the_export_downloads(page: Page) -> None:
    """A .txt plan with the caption /import previews and imports; /export's file downloads."""
    fake = page.playground.fake
    mark = fake.mark()
    form = aiohttp.FormData()
    form.add_field("chat", str(FIRST_BRANCH))
    form.add_field("user", str(SECRETARY))
    form.add_field("caption", "/import")
    form.add_field("file", PLAN.encode("utf-8"), filename="整改方案.txt")
    async with page.http.post(
        page.url("/api/upload"), data=form, headers={POST_HEADER: "1"}
    ) as response:
        assert response.status == 200, await response.text()
    preview = await fake.wait_for(
        lambda: next((m for m in fake.sent_messages(FIRST_BRANCH)[1:] if m.buttons), None), 10
    )
    assert preview.call_index >= mark
    assert preview.button_texts == ["确认导入", "取消"]
    shown = next(
        m for m in (await page.state(FIRST_BRANCH))["messages"] if m["id"] == preview.message_id
    )
    status, _ = await page.press(FIRST_BRANCH, SECRETARY, shown, "确认导入")
    assert status == 200
    assert "已导入1项" in fake.message(FIRST_BRANCH, preview.message_id)["text"]

    mark = fake.mark()
    await page.post("/api/send", {"chat": FIRST_BRANCH, "user": SECRETARY, "text": "/export"})
    sent = await fake.wait_for(
        lambda: [d for d in fake.documents(FIRST_BRANCH) if d.call_index >= mark] or None, 10
    )
    view = next(
        m for m in (await page.state(FIRST_BRANCH))["messages"] if m["id"] == sent[0].message_id
    )
    assert view["document"]["name"] == "整改台账-第一党支部-20261126.xlsx"
    async with page.http.get(page.url(view["document"]["url"])) as response:
        assert response.status == 200
        assert "attachment" in response.headers["Content-Disposition"]
        workbook = load_workbook(io.BytesIO(await response.read()))
    assert workbook.sheetnames[0] == "整改台账"


async def test_the_clock_jumps_forward_and_sends_what_is_due(page: Page) -> None:
    """Next Monday 09:00 runs the sweep at once: the weekly summary arrives; nothing goes back."""
    await register(page)
    state = await page.state()
    assert state["clock"]["presets"] == {
        "morning": "2026-11-27T09:00+08:00",
        "monday": "2026-11-30T09:00+08:00",
        "report_day": "2026-11-28T09:00+08:00",
    }
    status, answer = await page.post("/api/clock", {"preset": "monday"})
    assert status == 200, answer
    assert answer["clock"]["now"] == "2026-11-30T09:00+08:00"
    assert answer["sent"] >= 1
    texts = [m.plain_text or "" for m in page.playground.fake.sent_messages(FIRST_BRANCH)]
    assert any("整改周报(11月23日—11月29日)" in text for text in texts)

    status, answer = await page.post("/api/clock", {"at": "2026-11-29 09:00"})
    assert status == 409
    assert answer["error"] == "backwards"
    assert answer["now"] == "2026-11-30T09:00+08:00"
    status, answer = await page.post("/api/clock", {"at": "2026-12-01T08:30"})
    assert status == 200
    assert answer["clock"]["now"] == "2026-12-01T08:30+08:00"
    status, answer = await page.post("/api/clock", {"at": "next week"})
    assert (status, answer["error"]) == (400, "bad_time")
    status, answer = await page.post("/api/clock", {"preset": "yesterday"})
    assert (status, answer["error"]) == (400, "bad_preset")


async def test_reset_starts_over(page: Page) -> None:
    """Reset: an empty ledger, the seeded world again, fresh, and the clock back to real time."""
    await register(page)
    await page.post("/api/clock", {"preset": "monday"})
    status, _ = await page.post("/api/reset", {})
    assert status == 200
    state = await page.state(FIRST_BRANCH)
    assert state["fresh"] is True
    assert state["clock"]["now"] == "2026-11-26T10:00+08:00"
    assert [m["from"] for m in state["messages"]] == ["user", "bot"]  # bot added, welcome
    reply = await page.say(FIRST_BRANCH, ZHANG_WEI, "/list")
    assert "三会一课" not in (reply.plain_text or "")


async def test_a_restart_keeps_the_chats_the_ledger_and_the_clock(tmp_path: Path) -> None:
    """Stopped and started again on the same folder: messages, items and time are where they were.

    Real time has not moved (it stands still at START), yet the clock resumes at Monday 09:00.
    """
    first = await open_page(tmp_path)
    try:
        card = await register(first)
        await first.post("/api/clock", {"preset": "monday"})
    finally:
        await close_page(first)
    second = await open_page(tmp_path, FixedClock(START))
    try:
        state = await second.state(FIRST_BRANCH)
        assert state["clock"]["now"] == "2026-11-30T09:00+08:00"
        assert state["fresh"] is False
        assert any(m["id"] == card["id"] and "三会一课" in m["text"] for m in state["messages"])
        shown = await second.say(FIRST_BRANCH, ZHANG_WEI, "/show 1")
        assert "三会一课记录不规范" in (shown.plain_text or "")
        status, answer = await second.press(FIRST_BRANCH, ZHANG_WEI, card, "申请销号")
        assert status == 200, answer
        assert "待验收" in second.playground.fake.message(FIRST_BRANCH, card["id"])["text"]
    finally:
        await close_page(second)


async def test_the_api_refuses_what_it_should(page: Page) -> None:
    """Outsiders, empty text, a POST without the page's header and a foreign host are refused."""
    status, answer = await page.post("/api/send", {"chat": COMMITTEE, "user": LI_NA, "text": "hi"})
    assert (status, answer["error"]) == (400, "not_member")
    status, answer = await page.post(
        "/api/send", {"chat": FIRST_BRANCH, "user": LI_NA, "text": " "}
    )
    assert (status, answer["error"]) == (400, "empty")
    async with page.http.post(page.url("/api/reset")) as response:
        assert response.status == 403
    async with page.http.get(page.url("/api/state"), headers={"Host": "evil.example"}) as response:
        assert response.status == 403
    assert (await page.state(FIRST_BRANCH))["fresh"] is True


async def test_the_page_language_is_kept(page: Page) -> None:
    """The language switch is remembered by the playground; only zh and en exist."""
    assert (await page.state())["language"] == "zh"
    status, answer = await page.post("/api/language", {"language": "en"})
    assert (status, answer["language"]) == (200, "en")
    assert (await page.state())["language"] == "en"
    status, answer = await page.post("/api/language", {"language": "fr"})
    assert (status, answer["error"]) == (400, "bad_language")


def test_the_page_labels_exist_in_both_languages() -> None:
    """labels.json has the same keys in zh and en, and every key the page uses is there."""
    labels = json.loads((STATIC / "labels.json").read_text(encoding="utf-8"))
    assert set(labels) == {"zh", "en"}
    assert labels["zh"].keys() == labels["en"].keys()
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    used = set(re.findall(r'data-label(?:-placeholder|-title)?="([^"]+)"', html))
    used |= set(re.findall(r'\bt\("([^"]+)"\s*[,)]', script))
    assert used, "no labels found"
    assert used <= labels["zh"].keys(), used - labels["zh"].keys()
    for prefix in ('t("role." +', 't("service." +', 't("preset." +'):
        assert prefix in script  # the keys built from a prefix, checked below
    for suffix in ("creator", "administrator", "member"):
        assert f"role.{suffix}" in labels["zh"]
    for suffix in ("members_added", "member_left", "migrated"):
        assert f"service.{suffix}" in labels["zh"]
    for suffix in ("morning", "monday", "report_day"):
        assert f"preset.{suffix}" in labels["zh"]


async def test_a_damaged_world_file_gives_a_new_world(tmp_path: Path) -> None:
    """An unreadable world.json gives way to a freshly seeded world instead of a crash."""
    folder = tmp_path / "playground"
    folder.mkdir()
    (folder / "world.json").write_text('{"users": [{"id": "x"}]}', encoding="utf-8")
    page = await open_page(tmp_path)
    try:
        state = await page.state(FIRST_BRANCH)
        assert state["fresh"] is True
        assert [m["from"] for m in state["messages"]] == ["user", "bot"]
    finally:
        await close_page(page)
