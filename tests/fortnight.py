"""A simulated fortnight of one branch's ledger, shared by the service and end-to-end tests.

Group time zone Asia/Shanghai, default settings (digest 09:00, reminders 7/3/1 days before,
督办 after 3 days overdue, weekly summary Monday 09:00, report day 28).

Registered on Tuesday 2026-11-10:
  #1 overdue since 11-21 (closed 11-27)     #2 due 11-30, closed 11-24
  #3 long-term (长期坚持), stays open          #4 due 12-31, 申请销号 11-25 (approved 11-27)
Registered on Thursday 2026-11-26 before 09:00, due in 7, 3, 1 and 0 days:
  #5 due 12-03 (申请销号 12-06, approved 12-07)   #6 due 11-29 (closed 11-29)
  #7 due 11-27 (closed 11-26)                     #8 due 11-26 (closed 11-26)

:data:`EXPECTED` is what each morning's digest must list, section by section; the Mondays
also get a weekly summary (:data:`SUMMARIES`). Every other morning is quiet.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.clock import FixedClock
from domain.deadline import Deadline, DeadlineKind
from domain.items import Actor, OwnerRef
from domain.people import SeenUser
from domain.problem_form import ProblemDraft
from i18n import t
from services.container import Services

ZONE = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2026, 11, 26)  # a Thursday
LAST_DAY = date(2026, 12, 10)  # two weeks later
ADMIN = Actor(user_id=1, name="王书记", username="wang", is_admin=True)
OWNER = Actor(user_id=2, name="张三", username="zhang")
WANG_WU = 5  # a user without a @username: mentioned with a tg://user link

ZHANG = OwnerRef("张三", 2, "zhang")
LI_SI = OwnerRef("李四")  # a plain name, no account
WANG = OwnerRef("王五", WANG_WU)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware instant at ``hour:minute`` of ``day`` in Shanghai."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def dated(due: date, phrase: str) -> Deadline:
    """A dated deadline as the parser would resolve it."""
    return Deadline(DeadlineKind.DATE, due, phrase)


Plan = tuple[tuple[str, tuple[OwnerRef, ...], Deadline], ...]

EARLY: Plan = (
    ("主题党日活动记录不全", (ZHANG,), dated(date(2026, 11, 21), "11月21日前")),
    ("党费补缴", (ZHANG,), dated(date(2026, 11, 30), "月底前")),
    ("建立谈心谈话长效机制", (ZHANG,), Deadline(DeadlineKind.LONG_TERM, None, "长期坚持")),
    ("学习强国积分公示", (ZHANG,), dated(date(2026, 12, 31), "年底前")),
)
ON_THE_26TH: Plan = (
    ("谈心谈话记录未归档", (WANG,), dated(date(2026, 12, 3), "下周四前")),
    ("党员档案未更新", (LI_SI,), dated(date(2026, 11, 29), "本周内")),
    ("三会一课记录不规范", (ZHANG,), dated(date(2026, 11, 27), "明天")),
    ("组织生活会整改", (ZHANG, LI_SI), dated(date(2026, 11, 26), "今天")),
)

# day -> section key -> item numbers in the order listed
EXPECTED: dict[date, dict[str, list[int]]] = {
    date(2026, 11, 26): {
        "digest.overdue": [1],
        "digest.due_today": [8],
        "digest.due_soon": [7, 6, 5],
        "digest.pending": [4],
    },
    date(2026, 11, 27): {"digest.overdue": [1], "digest.pending": [4]},
    date(2026, 11, 28): {"digest.due_soon": [6]},
    date(2026, 11, 29): {"digest.due_today": [6]},
    date(2026, 11, 30): {"digest.due_soon": [5]},
    date(2026, 12, 2): {"digest.due_soon": [5]},
    date(2026, 12, 3): {"digest.due_today": [5]},
    date(2026, 12, 4): {"digest.overdue": [5]},
    date(2026, 12, 5): {"digest.overdue": [5]},
    date(2026, 12, 6): {"digest.overdue": [5]},
    date(2026, 12, 7): {"digest.pending": [5]},
}


@dataclass(frozen=True)
class ExpectedSummary:
    """What a Monday's weekly summary must say."""

    period: str
    lines: tuple[str, ...]


SUMMARIES: dict[date, ExpectedSummary] = {
    date(2026, 11, 30): ExpectedSummary(
        "11月23日—11月29日",
        (
            "本周销号 6 项:",
            "本周新增 4 项",
            "在办 2 项:逾期 0 · 7天内到期 1 · 待验收 0 · 长期 1",
            "整改率 75%(6/8)",
        ),
    ),
    date(2026, 12, 7): ExpectedSummary(
        "11月30日—12月6日",
        (
            "本周销号 0 项",
            "本周新增 0 项",
            "在办 2 项:逾期 1 · 7天内到期 0 · 待验收 1 · 长期 1",
            "整改率 75%(6/8)",
            "逾期事项:",
        ),
    ),
}

Action = Callable[[Services, int, int], Awaitable[None]]


async def close(services: Services, chat_id: int, number: int) -> None:
    """The admin reports the item done and accepts it (销号)."""
    await services.ledger.done(chat_id, ADMIN, number, "已整改", None)
    await services.ledger.approve(chat_id, ADMIN, number, "同意")


async def ask_to_close(services: Services, chat_id: int, number: int) -> None:
    """The admin asks to close on the owner's behalf (申请销号)."""
    await services.ledger.done(chat_id, ADMIN, number, "已整改", None)


async def accept(services: Services, chat_id: int, number: int) -> None:
    """The admin accepts a pending item."""
    await services.ledger.approve(chat_id, ADMIN, number, "同意")


# What happens at 10:00 on these days, after the morning's messages.
DAYTIME: dict[date, list[tuple[Action, int]]] = {
    date(2026, 11, 26): [(close, 8), (close, 7)],
    date(2026, 11, 27): [(close, 1), (accept, 4)],
    date(2026, 11, 29): [(close, 6)],
    date(2026, 12, 6): [(ask_to_close, 5)],
    date(2026, 12, 7): [(accept, 5)],
}


async def seed(services: Services, clock: FixedClock, chat_id: int) -> None:
    """Register the eight items at their dates (leaving the clock at 11-26 08:00)."""
    zhang = SeenUser(user_id=2, first_name="张三", username="zhang")
    await services.groups.seen(chat_id, "supergroup", "第一党支部", zhang)
    clock.set(local(date(2026, 11, 10), 10))
    for problem, owners, deadline in EARLY:
        draft = ProblemDraft(problem=problem, owners=owners, deadline=deadline)
        await services.ledger.register(chat_id, ADMIN, draft)
    clock.set(local(date(2026, 11, 24), 10))
    await close(services, chat_id, 2)
    clock.set(local(date(2026, 11, 25), 10))
    await services.ledger.done(chat_id, OWNER, 4, "已公示", None)
    clock.set(local(FIRST_DAY, 8))
    for problem, owners, deadline in ON_THE_26TH:
        draft = ProblemDraft(problem=problem, owners=owners, deadline=deadline)
        await services.ledger.register(chat_id, ADMIN, draft)


async def daytime(services: Services, clock: FixedClock, chat_id: int, day: date) -> None:
    """The day's work at 10:00 (closing, accepting)."""
    clock.set(local(day, 10))
    for action, number in DAYTIME.get(day, []):
        await action(services, chat_id, number)


def fortnight() -> list[date]:
    """Every day from Thursday 11-26 to Thursday 12-10."""
    return [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]


def digest_sections(text: str, lang: str = "zh") -> dict[str, list[int]]:
    """Which item numbers a digest lists under which section (by catalogue key)."""
    headers = {
        _plain(t(lang, key)): key
        for key in ("digest.overdue", "digest.due_today", "digest.due_soon", "digest.pending")
    }
    found: dict[str, list[int]] = {}
    current: str | None = None
    for line in _plain(text).split("\n"):
        if line in headers:
            current = headers[line]
            found[current] = []
        elif current is not None and line.startswith("  #"):
            found[current].append(int(line[3:].split()[0]))
        elif not line.startswith("  "):
            current = None
    return found


def _plain(text: str) -> str:
    """HTML without its bold tags (section headers are bold)."""
    return text.replace("<b>", "").replace("</b>", "")


def unpacked(texts: list[str]) -> list[str]:
    """The scheduled messages in ``texts``, one each.

    A digest and a weekly summary due together go out as one message, a blank line apart
    (neither has a blank line of its own), so a Monday's message holds both.
    """
    return [piece for text in texts for piece in text.split("\n\n")]
