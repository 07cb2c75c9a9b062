"""The reminder sweep over a real SQLite database, with a fake notifier and an injected clock."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date, time
from pathlib import Path

import pytest

from domain.clock import FixedClock
from domain.deadline import Deadline, DeadlineKind
from domain.errors import UserError
from domain.people import SeenUser
from domain.problem_form import ProblemDraft
from domain.settings import GroupSettings
from i18n import t
from services.container import Services
from services.ports import Delivery, SendResult
from services.reminders import ReminderService
from storage import groups as group_repo
from storage import outbox
from storage.database import Database
from tests import fortnight
from tests.fortnight import ADMIN, OWNER, WANG_WU, ZHANG, dated, local
from tests.services.conftest import GROUP_A, GROUP_B

NEW_CHAT = -100555
ZHANG_ID = 2  # 张三's user id: his private chat with the bot has the same id


class FakeNotifier:
    """Records what it is asked to deliver; answers with scripted results (ok by default)."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, list[str]]] = []
        self.attempts: list[int] = []
        self._script: dict[int, list[SendResult]] = {}

    def answer(self, chat_id: int, *results: SendResult) -> None:
        """Answer the next sends to ``chat_id`` with ``results``, in order."""
        self._script.setdefault(chat_id, []).extend(results)

    async def send(self, chat_id: int, parts: Sequence[str]) -> SendResult:
        """Deliver (record) the parts unless a scripted failure says otherwise."""
        self.attempts.append(chat_id)
        scripted = self._script.get(chat_id)
        result = scripted.pop(0) if scripted else SendResult.ok()
        if result.delivery is Delivery.OK:
            self.sent.append((chat_id, list(parts)))
        return result

    def texts(self, chat_id: int) -> list[str]:
        """Every delivered message to one chat, its parts joined."""
        return ["\n".join(parts) for chat, parts in self.sent if chat == chat_id]

    def take(self, chat_id: int) -> list[str]:
        """The messages delivered to ``chat_id`` since the last ``take``; forgets them."""
        texts = self.texts(chat_id)
        self.sent = [(chat, parts) for chat, parts in self.sent if chat != chat_id]
        return texts


@pytest.fixture
def notifier() -> FakeNotifier:
    """A notifier that records instead of sending."""
    return FakeNotifier()


@pytest.fixture
def reminders(db: Database, clock: FixedClock, notifier: FakeNotifier) -> ReminderService:
    """The reminder service over the test database, with default settings."""
    return ReminderService(db, clock, GroupSettings(), notifier)


async def register(services: Services, problem: str, deadline: Deadline | None) -> int:
    """Register an item owned by 张三 in group A; returns its number."""
    return await register_in(services, GROUP_A, problem, deadline)


async def register_in(
    services: Services, chat_id: int, problem: str, deadline: Deadline | None
) -> int:
    """Register an item owned by 张三 in a group; returns its number."""
    draft = ProblemDraft(problem=problem, owners=(ZHANG,), deadline=deadline)
    return (await services.ledger.register(chat_id, ADMIN, draft)).item.number


def is_digest(text: str) -> bool:
    """True for a daily digest (its title line)."""
    return "今日整改提醒" in text


def is_summary(text: str) -> bool:
    """True for a weekly summary (its title line)."""
    return "整改周报" in text


# --- the fortnight ---------------------------------------------------------------------------


async def test_simulated_fortnight_sends_the_right_digest_each_morning_and_a_summary_on_mondays(
    services: Services, clock: FixedClock, reminders: ReminderService, notifier: FakeNotifier
) -> None:
    """A fortnight: the right digest each morning, quiet days quiet, one summary each Monday.

    Each digest lists exactly the expected items per section; each Monday's summary has last
    week's period and figures; sweeps before 09:00 and later in the day send nothing; the other
    group, with an empty ledger, gets nothing.
    """
    await fortnight.seed(services, clock, GROUP_A)
    for day in fortnight.fortnight():
        clock.set(local(day, 8, 59))
        await reminders.sweep()
        assert notifier.take(GROUP_A) == [], day
        clock.set(local(day, 9, 0))
        await reminders.sweep()
        texts = fortnight.unpacked(notifier.take(GROUP_A))
        digests = [text for text in texts if is_digest(text)]
        summaries = [text for text in texts if is_summary(text)]
        expected = fortnight.EXPECTED.get(day)
        assert len(digests) == (1 if expected else 0), (day, texts)
        if expected:
            assert fortnight.digest_sections(digests[0]) == expected, (day, digests[0])
        assert len(summaries) == (1 if day in fortnight.SUMMARIES else 0), (day, texts)
        if summaries:
            check_summary(summaries[0], fortnight.SUMMARIES[day])
        await fortnight.daytime(services, clock, GROUP_A, day)
        clock.set(local(day, 18))
        await reminders.sweep()
        assert notifier.take(GROUP_A) == [], day
    assert notifier.texts(GROUP_B) == []


def check_summary(text: str, expected: fortnight.ExpectedSummary) -> None:
    """The summary names the period and carries the expected lines."""
    lines = text.split("\n")
    assert expected.period in lines[0]
    for line in expected.lines:
        assert line in lines, (line, text)


async def test_first_morning_digest_wording(
    services: Services, clock: FixedClock, reminders: ReminderService, notifier: FakeNotifier
) -> None:
    """The first morning's digest reads as a party-affairs worker would write it.

    Days overdue with 🔴督办, 明天/3天后/7天后到期, mentions that notify (@username or a
    tg://user link), plain names unlinked, and who asked to close the pending item.
    """
    await fortnight.seed(services, clock, GROUP_A)
    clock.set(local(fortnight.FIRST_DAY, 9, 30))
    await reminders.sweep()
    (text,) = notifier.texts(GROUP_A)
    lines = text.split("\n")
    assert lines[0] == "📋 <b>第一党支部</b> 今日整改提醒(11月26日 周四)"
    assert "  #1 主题党日活动记录不全 — 逾期5天 @zhang 🔴督办" in lines
    assert "  #8 组织生活会整改 — @zhang 李四(未关联账号)" in lines
    assert "  #7 三会一课记录不规范 — 明天到期 @zhang" in lines
    assert "  #6 党员档案未更新 — 3天后到期 李四(未关联账号)" in lines
    assert '  #5 谈心谈话记录未归档 — 7天后到期 <a href="tg://user?id=5">王五</a>' in lines
    assert "  #4 学习强国积分公示 — 张三 11-25 申请销号" in lines


async def test_escalation_starts_at_escalate_after_days(
    services: Services, clock: FixedClock, reminders: ReminderService, notifier: FakeNotifier
) -> None:
    """逾期1天 and 逾期2天 are not escalated; 逾期3天 is flagged 🔴督办."""
    await fortnight.seed(services, clock, GROUP_A)
    flagged: dict[int, bool] = {}
    for day in fortnight.fortnight():
        clock.set(local(day, 9))
        await reminders.sweep()
        for text in notifier.take(GROUP_A):
            for line in text.split("\n"):
                if line.startswith("  #5 ") and "逾期" in line:
                    flagged[int(line.split("逾期")[1].split("天")[0])] = "🔴督办" in line
        await fortnight.daytime(services, clock, GROUP_A, day)
    assert flagged == {1: False, 2: False, 3: True}


# --- the monthly report day ------------------------------------------------------------------


async def test_report_day_section_three_days_before_the_28th(
    services: Services, clock: FixedClock, reminders: ReminderService, notifier: FakeNotifier
) -> None:
    """On the 25th the digest asks for the monthly report (请于28日前报送整改情况).

    Open items without progress this month are listed, long-term items are asked for their
    review; items that reported this month, pending items, and the 24th and 26th are left alone.
    """
    clock.set(local(date(2026, 11, 2), 10))
    far = dated(date(2027, 3, 31), "明年一季度末")
    long_term = Deadline(DeadlineKind.LONG_TERM, None, "长期坚持")
    reported = await register(services, "已报送进展的事项", far)
    silent = await register(services, "本月没有进展的事项", far)
    reviewed = await register(services, "已回顾的长效机制", long_term)
    unreviewed = await register(services, "未回顾的长效机制", long_term)
    asked = await register(services, "已申请销号的事项", far)
    await services.ledger.done(GROUP_A, ADMIN, asked, "已整改", None)
    await services.ledger.progress(GROUP_A, ADMIN, silent, "上月的进展", None)
    clock.set(local(date(2026, 12, 1), 10))
    await services.ledger.progress(GROUP_A, ADMIN, reported, "本月进展", None)
    await services.ledger.progress(GROUP_A, ADMIN, reviewed, "本月回顾", None)
    sections = {}
    for day in (24, 25, 26):
        clock.set(local(date(2026, 12, day), 9))
        await reminders.sweep()
        sections[day] = notifier.take(GROUP_A)
    (text,) = sections[25]
    report_header = "📝 <b>请于28日前报送整改情况</b>(以下事项本月还没有推进情况)"
    lines = text.split("\n")
    after_report = lines[lines.index(report_header) + 1 :]
    assert after_report[0].startswith(f"  #{silent} 本月没有进展的事项")
    assert after_report[1] == t("zh", "digest.long_term")
    assert after_report[2].startswith(f"  #{unreviewed} 未回顾的长效机制")
    assert f"#{reported} " not in "\n".join(after_report)
    assert f"#{reviewed} " not in text
    assert [line for line in lines if line.startswith(f"  #{asked} ")] == [
        f"  #{asked} 已申请销号的事项 — 王书记 11-02 申请销号"
    ]
    assert all("报送整改情况" not in text for text in sections[24] + sections[26])


# --- exactly once ----------------------------------------------------------------------------


async def test_a_second_service_after_a_restart_sends_nothing_twice(
    services: Services, db: Database, clock: FixedClock, notifier: FakeNotifier
) -> None:
    """A new service instance (a restarted bot) on the same database sends nothing already sent."""
    await fortnight.seed(services, clock, GROUP_A)
    clock.set(local(fortnight.FIRST_DAY, 9, 1))
    first = await ReminderService(db, clock, GroupSettings(), notifier).sweep()
    clock.set(local(fortnight.FIRST_DAY, 13))
    second = await ReminderService(db, clock, GroupSettings(), notifier).sweep()
    assert (first.sent, first.quiet) == (1, 1)  # group A's digest; group B is quiet
    assert (second.sent, second.skipped) == (0, 2)
    assert len(notifier.texts(GROUP_A)) == 1


async def test_a_start_after_downtime_catches_up_today_but_never_yesterday(
    services: Services, clock: FixedClock, reminders: ReminderService, notifier: FakeNotifier
) -> None:
    """After downtime, today's missed digest is caught up; yesterday's is never sent late.

    Down from Wednesday evening to Friday 08:00: Thursday's digest is never sent; Friday's goes
    out at 09:00, and a start at 15:00 on a later day still sends that day's.
    """
    await fortnight.seed(services, clock, GROUP_A)
    clock.set(local(date(2026, 11, 27), 8))
    await reminders.sweep()
    assert notifier.texts(GROUP_A) == []
    clock.set(local(date(2026, 11, 27), 9, 5))
    await reminders.sweep()
    (friday,) = notifier.take(GROUP_A)
    assert "11月27日 周五" in friday.split("\n")[0]
    clock.set(local(date(2026, 11, 28), 15))
    await reminders.sweep()
    (saturday,) = notifier.take(GROUP_A)
    assert "11月28日 周六" in saturday.split("\n")[0]


async def test_two_sweeps_at_once_send_one_message(
    services: Services, db: Database, clock: FixedClock, notifier: FakeNotifier, tmp_path: Path
) -> None:
    """Two services on two connections to the same database sweep concurrently: one message."""
    await fortnight.seed(services, clock, GROUP_A)
    clock.set(local(fortnight.FIRST_DAY, 9))
    other_db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'ledger.db'}")
    try:
        one = ReminderService(db, clock, GroupSettings(), notifier)
        two = ReminderService(other_db, clock, GroupSettings(), notifier)
        reports = await asyncio.gather(one.sweep(), two.sweep(), one.sweep(), two.sweep())
    finally:
        await other_db.close()
    assert len(notifier.texts(GROUP_A)) == 1
    assert sum(r.sent for r in reports) == 1
    assert sum(r.quiet for r in reports) == 1


async def test_an_orphaned_claim_of_our_own_instance_is_taken_over_at_once(
    services: Services,
    db: Database,
    clock: FixedClock,
    reminders: ReminderService,
    notifier: FakeNotifier,
) -> None:
    """A claim of this very instance that no running sweep holds (its release failed) is free.

    The instance is alive, so its heartbeat would never let the claim lapse.
    """
    await fortnight.seed(services, clock, GROUP_A)
    group = await services.groups.require(GROUP_A)
    key = f"digest:{group.id}:2026-11-26"
    clock.set(local(fortnight.FIRST_DAY, 9))
    async with db.transaction() as session:
        assert await outbox.claim_many(session, {key: group.id}, clock.now(), reminders.owner)
    await reminders.sweep()
    await reminders.sweep()
    assert len(notifier.texts(GROUP_A)) == 1


async def test_a_claim_left_by_a_dead_sweep_is_taken_over_after_the_lease(
    services: Services,
    db: Database,
    clock: FixedClock,
    reminders: ReminderService,
    notifier: FakeNotifier,
) -> None:
    """A claim left by a sweep that died is taken over after the 10-minute lease, and sent once."""
    await fortnight.seed(services, clock, GROUP_A)
    group = await services.groups.require(GROUP_A)
    key = f"digest:{group.id}:2026-11-26"
    clock.set(local(fortnight.FIRST_DAY, 9))
    async with db.transaction() as session:
        assert await outbox.claim_many(session, {key: group.id}, clock.now(), "dead-sweep")
    clock.set(local(fortnight.FIRST_DAY, 9, 9))
    await reminders.sweep()
    assert notifier.texts(GROUP_A) == []
    clock.set(local(fortnight.FIRST_DAY, 9, 11))
    await reminders.sweep()
    await reminders.sweep()
    assert len(notifier.texts(GROUP_A)) == 1
    async with db.transaction() as session:
        row = await outbox.dispatch_by_key(session, key)
    assert row is not None
    assert row.sent_at is not None
    assert row.attempts == 2


# --- Telegram trouble ------------------------------------------------------------------------


async def test_a_failed_send_is_retried_by_the_next_sweep(
    services: Services, clock: FixedClock, reminders: ReminderService, notifier: FakeNotifier
) -> None:
    """A failed send (timeout, 5xx, flood limit) is not lost: the next sweep sends it, once."""
    await fortnight.seed(services, clock, GROUP_A)
    notifier.answer(GROUP_A, SendResult.failed("TimedOut"))
    clock.set(local(fortnight.FIRST_DAY, 9))
    failed = await reminders.sweep()
    clock.set(local(fortnight.FIRST_DAY, 9, 1))
    retried = await reminders.sweep()
    again = await reminders.sweep()
    assert (failed.failed, retried.sent, again.sent) == (1, 1, 0)
    assert len(notifier.texts(GROUP_A)) == 1


async def test_a_group_that_removed_the_bot_is_marked_inactive_and_keeps_its_data(
    services: Services, clock: FixedClock, reminders: ReminderService, notifier: FakeNotifier
) -> None:
    """Forbidden: the group is marked inactive, left alone later, and keeps its ledger."""
    await fortnight.seed(services, clock, GROUP_A)
    notifier.answer(GROUP_A, SendResult.gone("Forbidden: bot was kicked"))
    clock.set(local(fortnight.FIRST_DAY, 9))
    report = await reminders.sweep()
    clock.set(local(date(2026, 11, 27), 9))
    later = await reminders.sweep()
    group = await services.groups.require(GROUP_A)
    listing = await services.ledger.group_items(GROUP_A)
    assert (report.gone, later.groups) == (1, 1)
    assert notifier.texts(GROUP_A) == []
    assert notifier.attempts.count(GROUP_A) == 1
    assert not group.active
    assert len(listing.items) == 8


async def test_a_migrated_group_gets_its_message_at_the_new_chat_id(
    services: Services, clock: FixedClock, reminders: ReminderService, notifier: FakeNotifier
) -> None:
    """ChatMigrated: the group moves to the new chat id and the message goes there.

    The move happens in the same sweep; the next day's digest goes straight to the new id.
    """
    await fortnight.seed(services, clock, GROUP_A)
    notifier.answer(GROUP_A, SendResult.migrated(NEW_CHAT))
    clock.set(local(fortnight.FIRST_DAY, 9))
    report = await reminders.sweep()
    clock.set(local(date(2026, 11, 27), 9))
    await reminders.sweep()
    assert report.migrated == 1
    assert len(notifier.texts(NEW_CHAT)) == 2
    assert await services.groups.context(GROUP_A) is None
    assert len((await services.ledger.group_items(NEW_CHAT)).items) == 8


# --- settings --------------------------------------------------------------------------------


async def test_settings_changed_mid_week_take_effect(
    services: Services, clock: FixedClock, reminders: ReminderService, notifier: FakeNotifier
) -> None:
    """Settings changed mid-week take effect: reminder_time 08:00, weekly_summary off.

    Set on Tuesday, 08:00 moves Wednesday's digest forward; weekly_summary off set on Wednesday
    means no summary the next Monday, while the digest still comes.
    """
    await fortnight.seed(services, clock, GROUP_A)
    clock.set(local(date(2026, 12, 1), 10))
    await services.groups.change_setting(GROUP_A, "reminder_time", "08:00", actor=ADMIN)
    clock.set(local(date(2026, 12, 2), 7, 59))
    await reminders.sweep()
    assert notifier.take(GROUP_A) == []
    clock.set(local(date(2026, 12, 2), 8))
    await reminders.sweep()
    assert [is_digest(text) for text in notifier.take(GROUP_A)] == [True]
    await services.groups.change_setting(GROUP_A, "weekly_summary", "off", actor=ADMIN)
    clock.set(local(date(2026, 12, 7), 9, 30))
    await reminders.sweep()
    assert [is_digest(text) for text in notifier.take(GROUP_A)] == [True]


async def test_weekly_summary_on_another_weekday_covers_this_week_so_far(
    services: Services, clock: FixedClock, reminders: ReminderService, notifier: FakeNotifier
) -> None:
    """周报 周三 18:00: Wednesday evening's summary covers this Monday to Wednesday."""
    await fortnight.seed(services, clock, GROUP_A)
    await services.groups.change_setting(GROUP_A, "周报", "周三 18:00", actor=ADMIN)
    clock.set(local(date(2026, 12, 2), 17, 59))
    await reminders.sweep()
    assert not any(is_summary(text) for text in notifier.take(GROUP_A))
    clock.set(local(date(2026, 12, 2), 18))
    await reminders.sweep()
    (summary,) = [text for text in notifier.take(GROUP_A) if is_summary(text)]
    assert "11月30日—12月2日" in summary.split("\n")[0]


# --- /summary on demand ----------------------------------------------------------------------


async def test_summary_now_covers_monday_to_today(
    services: Services, clock: FixedClock, reminders: ReminderService
) -> None:
    """/summary on Thursday covers this Monday to today, with the same figures as /stats."""
    await fortnight.seed(services, clock, GROUP_A)
    clock.set(local(fortnight.FIRST_DAY, 11))
    (text,) = await reminders.summary_now(GROUP_A)
    lines = text.split("\n")
    assert "11月23日—11月26日" in lines[0]
    assert "本周销号 1 项:" in lines  # #2, closed on Tuesday
    assert "本周新增 4 项" in lines
    assert "整改率 13%(1/8)" in lines
    assert "在办 7 项:逾期 1 · 7天内到期 4 · 待验收 1 · 长期 1" in lines


async def test_summary_now_on_a_monday_covers_last_week(
    services: Services, clock: FixedClock, reminders: ReminderService
) -> None:
    """/summary on a Monday covers last Monday–Sunday, like the scheduled summary that morning."""
    await fortnight.seed(services, clock, GROUP_A)
    clock.set(local(date(2026, 11, 30), 11))
    (text,) = await reminders.summary_now(GROUP_A)
    lines = text.split("\n")
    assert "11月23日—11月29日" in lines[0]
    assert "本周销号 1 项:" in lines  # #2, closed on Tuesday 11-24
    assert "本周新增 4 项" in lines


async def test_summary_now_outside_a_known_group_is_a_user_error(
    reminders: ReminderService,
) -> None:
    """/summary in a chat the bot does not know as a group names the problem."""
    with pytest.raises(UserError) as raised:
        await reminders.summary_now(12345)
    assert raised.value.key == "error.group_only"


async def test_the_sweep_refuses_to_run_without_a_notifier(
    services: Services, clock: FixedClock, db: Database
) -> None:
    """Built without a notifier, the sweep logs each due message as failed instead of pretending."""
    await fortnight.seed(services, clock, GROUP_A)
    clock.set(local(fortnight.FIRST_DAY, 9))
    report = await ReminderService(db, clock, GroupSettings(), None).sweep()
    assert (report.sent, report.failed) == (0, 1)


async def test_settings_are_changed_by_admins_only_and_by_chinese_names(services: Services) -> None:
    """The service itself refuses a non-admin; a Chinese name is stored under the English key."""
    with pytest.raises(UserError) as raised:
        await services.groups.change_setting(GROUP_A, "提醒时间", "08:00", actor=OWNER)
    assert raised.value.key == "error.admin_only"
    group = await services.groups.change_setting(GROUP_A, "提醒时间", "08:00", actor=ADMIN)
    assert group.settings.reminder_time == time(8, 0)
    again = await services.groups.change_setting(GROUP_A, "reminder_time", "07:30", actor=ADMIN)
    assert again.settings.reminder_time == time(7, 30)


# --- private copies --------------------------------------------------------------------------


async def start_privately(services: Services, user_id: int, name: str) -> None:
    """The user presses /start in a private chat with the bot."""
    await services.groups.private_started(SeenUser(user_id=user_id, first_name=name))


async def test_owners_who_started_the_bot_get_one_private_copy_a_day(
    services: Services, clock: FixedClock, reminders: ReminderService, notifier: FakeNotifier
) -> None:
    """张三 pressed /start: one private copy a day with his items; 王五 did not: none.

    Later sweeps the same day send no second copy; the next day's digest brings the next one.
    """
    await fortnight.seed(services, clock, GROUP_A)
    await start_privately(services, ZHANG_ID, "张三")
    clock.set(local(fortnight.FIRST_DAY, 9))
    report = await reminders.sweep()
    clock.set(local(fortnight.FIRST_DAY, 15))
    await reminders.sweep()
    (first,) = notifier.take(ZHANG_ID)
    assert report.private_sent == 1
    assert first.split("\n") == [
        "🔔 <b>您的整改提醒</b>(11月26日 周四)",
        "<b>第一党支部</b>",
        "  #1 主题党日活动记录不全 — 逾期5天(时限 11-21) 🔴督办",
        "  #8 组织生活会整改 — 今日到期(11-26)",
        "  #7 三会一课记录不规范 — 明天到期(11-27)",
        t("zh", "private.footer"),
    ]
    assert notifier.attempts.count(WANG_WU) == 0
    await fortnight.daytime(services, clock, GROUP_A, fortnight.FIRST_DAY)
    clock.set(local(date(2026, 11, 27), 9))
    await reminders.sweep()
    (second,) = notifier.take(ZHANG_ID)
    assert "  #1 主题党日活动记录不全 — 逾期6天(时限 11-21) 🔴督办" in second.split("\n")
    assert "#4" not in second  # pending: the admins' business


async def test_one_private_copy_covers_all_the_owner_s_groups(
    services: Services,
    db: Database,
    clock: FixedClock,
    reminders: ReminderService,
    notifier: FakeNotifier,
) -> None:
    """Items in two groups' digests come in one private message, under each group's name."""
    await fortnight.seed(services, clock, GROUP_A)
    clock.set(local(fortnight.FIRST_DAY, 8, 30))
    await register_in(services, GROUP_B, "党员档案未更新", dated(date(2026, 11, 27), "明天"))
    await start_privately(services, ZHANG_ID, "张三")
    clock.set(local(fortnight.FIRST_DAY, 9))
    await reminders.sweep()
    (text,) = notifier.texts(ZHANG_ID)
    lines = text.split("\n")
    assert lines.index("<b>第一党支部</b>") < lines.index("<b>第二党支部</b>")
    assert "  #1 党员档案未更新 — 明天到期(11-27)" in lines
    group = await services.groups.require(GROUP_A)
    async with db.transaction() as session:
        row = await outbox.dispatch_by_key(session, f"private:{ZHANG_ID}:2026-11-26")
    assert row is not None
    assert (row.group_id, row.sent_at is not None) == (group.id, True)


async def test_a_user_who_blocked_the_bot_is_marked_unreachable_and_not_retried(
    services: Services,
    db: Database,
    clock: FixedClock,
    reminders: ReminderService,
    notifier: FakeNotifier,
) -> None:
    """403 on the private copy: the user is marked not started (blocked); nothing more is tried.

    The group digest is unaffected.
    """
    await fortnight.seed(services, clock, GROUP_A)
    await start_privately(services, ZHANG_ID, "张三")
    notifier.answer(ZHANG_ID, SendResult.gone("Forbidden: bot was blocked by the user"))
    clock.set(local(fortnight.FIRST_DAY, 9))
    report = await reminders.sweep()
    clock.set(local(date(2026, 11, 27), 9))
    later = await reminders.sweep()
    assert (report.sent, report.private_gone, later.private_sent) == (1, 1, 0)
    assert notifier.attempts.count(ZHANG_ID) == 1
    assert len(notifier.texts(GROUP_A)) == 2
    async with db.transaction() as session:
        assert await group_repo.reachable_users(session, [ZHANG_ID]) == set()
    await start_privately(services, ZHANG_ID, "张三")  # pressed /start again
    clock.set(local(date(2026, 11, 28), 9))
    again = await reminders.sweep()
    assert again.private_sent == 1


async def test_a_failed_private_copy_releases_its_claim(
    services: Services,
    db: Database,
    clock: FixedClock,
    reminders: ReminderService,
    notifier: FakeNotifier,
) -> None:
    """A timeout on the private copy leaves its key unsent and unclaimed, the user reachable."""
    await fortnight.seed(services, clock, GROUP_A)
    await start_privately(services, ZHANG_ID, "张三")
    notifier.answer(ZHANG_ID, SendResult.failed("TimedOut"))
    clock.set(local(fortnight.FIRST_DAY, 9))
    report = await reminders.sweep()
    assert (report.sent, report.private_failed) == (1, 1)
    async with db.transaction() as session:
        row = await outbox.dispatch_by_key(session, f"private:{ZHANG_ID}:2026-11-26")
        assert await group_repo.reachable_users(session, [ZHANG_ID]) == {ZHANG_ID}
    assert row is not None
    assert (row.sent_at, row.claimed_by, row.last_error) == (None, "", "TimedOut")


async def test_concurrent_sweeps_send_one_private_copy(
    services: Services, db: Database, clock: FixedClock, notifier: FakeNotifier, tmp_path: Path
) -> None:
    """Two services on two connections sweeping at once: one digest and one private copy."""
    await fortnight.seed(services, clock, GROUP_A)
    await start_privately(services, ZHANG_ID, "张三")
    clock.set(local(fortnight.FIRST_DAY, 9))
    other_db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'ledger.db'}")
    try:
        one = ReminderService(db, clock, GroupSettings(), notifier)
        two = ReminderService(other_db, clock, GroupSettings(), notifier)
        await asyncio.gather(one.sweep(), two.sweep(), one.sweep(), two.sweep())
    finally:
        await other_db.close()
    assert len(notifier.texts(GROUP_A)) == 1
    assert len(notifier.texts(ZHANG_ID)) == 1
