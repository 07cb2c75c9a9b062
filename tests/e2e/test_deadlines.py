"""Deadlines typed in the chat: every row of deadlines.tsv through /problem, /due and /extend."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.e2e.conftest import ADMIN, GROUP_A, OWNER, Chat

TSV = Path(__file__).parents[1] / "data/deadlines.tsv"
ROWS_PER_GROUP = 12  # Telegram allows about 20 messages a minute in one group
WEEKDAYS = "一二三四五六日"


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        reference, phrase, kind, due, *_ = [*line.split("\t"), ""]
        assert reference == "2026-11-26", "the e2e clock stands at 2026-11-26"
        rows.append((phrase, kind, due))
    return rows


def _expected(kind: str, due: str) -> str:
    if kind == "long_term":
        return "时限:长期坚持"
    day = date.fromisoformat(due)
    return f"时限:{due}(周{WEEKDAYS[day.weekday()]})"


async def test_every_tsv_row_through_problem(chat: Chat) -> None:
    """Each phrase of deadlines.tsv registers with its date (or is refused) end to end."""
    rows = _rows()
    failures: list[str] = []
    for start in range(0, len(rows), ROWS_PER_GROUP):
        group = -2000 - start
        chat.fake.add_group(group, f"测试支部{start}", with_bot=False)
        chat.fake.add_member(group, ADMIN)
        chat.fake.make_admin(group, ADMIN, status="creator")
        chat.fake.add_bot_to_group(group, ADMIN)
        await chat.settle()
        for index, (phrase, kind, due) in enumerate(rows[start : start + ROWS_PER_GROUP]):
            reply = await chat.say(
                group, ADMIN, f"/problem 测试问题{start + index}\n时限: {phrase}"
            )
            text = reply.plain_text or ""
            if kind == "error":
                ok = "已登记" not in text and phrase in text
            else:
                ok = "已登记" in text and _expected(kind, due) in text
                ok = ok and (kind != "soft" or "软时限" in text)
            if not ok:
                failures.append(f"{phrase!r} ({kind} {due}): {text!r}")
    assert failures == []


async def test_embedded_phrase_is_found_in_a_sentence(chat: Chat) -> None:
    """A phrase inside a sentence (下周五前整改完毕) is found; the rest stays the problem."""
    reply = await chat.say(GROUP_A, ADMIN, "/problem 消防通道堵塞 @li 下周五前整改完毕")
    text = reply.plain_text or ""
    assert "2026-12-04(周五)〔下周五前〕" in text
    assert "消防通道堵塞" in text


async def test_assumptions_are_said_out_loud(chat: Chat) -> None:
    """A month already past this year is read as next year, and the bot says so."""
    reply = await chat.say(GROUP_A, ADMIN, "/problem 档案整理不及时 9月15日前")
    assert "2027-09-15" in (reply.plain_text or "")
    assert "按明年计算" in (reply.plain_text or "")


async def test_due_sets_and_refuses_bad_phrases(chat: Chat) -> None:
    """/due echoes the resolved date; a bad phrase is refused with examples."""
    await chat.say(GROUP_A, ADMIN, "/problem 支委会记录未签字 月底前")
    changed = await chat.say(GROUP_A, ADMIN, "/due 1 3个工作日内")
    assert "2026-12-01(周二)〔3个工作日内〕" in (changed.plain_text or "")
    refused = await chat.say(GROUP_A, ADMIN, "/due 1 **月底前")
    assert "占位符" in (refused.plain_text or "")
    assert "月底前" in (refused.plain_text or "")


async def test_extension_after_the_deadline_is_marked(chat: Chat) -> None:
    """An extension asked after the deadline passed is allowed and marked 逾期后申请."""
    await chat.say(GROUP_A, OWNER, "/help")
    await chat.say(GROUP_A, ADMIN, "/problem 谈心谈话记录未归档 @zhang 明天")
    chat.clock.set(chat.clock.now().replace(day=30))
    reply = await chat.say(GROUP_A, OWNER, "/extend 1 12月10日前 材料未齐")
    assert "逾期后申请" in (reply.plain_text or "")
    await chat.press(GROUP_A, reply.message_id, ADMIN, "驳回")
    decided = chat.fake.message(GROUP_A, reply.message_id)["text"]
    assert "延期已驳回" in decided


async def test_extension_in_english(chat: Chat) -> None:
    """In an English group the extension request and its buttons are English."""
    await chat.say(GROUP_A, OWNER, "/help")
    await chat.say(GROUP_A, ADMIN, "/lang en")
    await chat.say(GROUP_A, ADMIN, "/problem Minutes unsigned @zhang 月底前")
    reply = await chat.say(GROUP_A, OWNER, "/extend 1 2026-12-31 waiting for approval")
    assert "Extension request" in (reply.plain_text or "")
    await chat.press(GROUP_A, reply.message_id, ADMIN, "Approve")
    decided = chat.fake.message(GROUP_A, reply.message_id)["text"]
    assert "extension approved" in decided
    assert "now due 2026-12-31" in decided


async def test_due_reads_month_dash_day_as_a_date(chat: Chat) -> None:
    """/due 1 12-31 is December 31 (MM-DD), not the items 12 to 31; /extend alike."""
    await chat.say(GROUP_A, ADMIN, "/problem 支委会记录未签字 月底前")
    changed = await chat.say(GROUP_A, ADMIN, "/due 1 12-31")
    assert "2026-12-31(周四)" in (changed.plain_text or "")
    await chat.say(GROUP_A, ADMIN, "/problem 学习记录缺失 月底前")
    asked = await chat.say(GROUP_A, ADMIN, "/extend 2 12-25 等待上级批复")
    assert "2026-12-25" in (asked.plain_text or "")


async def test_due_refuses_a_date_in_the_past(chat: Chat) -> None:
    """/due 1 2020年1月1日 is refused with an example; the deadline stays as it was."""
    await chat.say(GROUP_A, ADMIN, "/problem 支委会记录未签字 月底前")
    refused = await chat.say(GROUP_A, ADMIN, "/due 1 2020年1月1日")
    text = refused.plain_text or ""
    assert "2020-01-01" in text
    assert "/due 1 月底前" in text
    shown = await chat.say(GROUP_A, ADMIN, "/show 1")
    assert "2026-11-30" in (shown.plain_text or "")
    assert "2020-01-01" not in (shown.plain_text or "")


async def test_a_past_date_note_reads_as_a_sentence(chat: Chat) -> None:
    """A past date in /problem is kept with a note that reads well in both languages."""
    reply = await chat.say(GROUP_A, ADMIN, "/problem 档案整理不及时 2020年1月1日前")
    text = reply.plain_text or ""
    assert "注:所写日期已经过去,请核对。" in text
    assert "时限该日期" not in text
    await chat.say(GROUP_A, ADMIN, "/lang en")
    english = await chat.say(GROUP_A, ADMIN, "/problem Archive late 2020-01-01")
    assert "Note: the date written has already passed; please check it." in (
        english.plain_text or ""
    )
