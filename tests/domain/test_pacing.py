"""Pacing arithmetic: the earliest instant a message may go under sliding-window limits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.pacing import (
    MARGIN,
    Rate,
    SendLimits,
    Window,
    earliest_slot,
    fits,
    headroom,
    recent,
    window,
)

OVERALL = Rate(30, 1.0)


def most_in_any_window(times: list[float], seconds: float) -> int:
    """The largest number of instants in any half-open window (end - seconds, end]."""
    return max((sum(1 for t in times if end - seconds < t <= end) for end in times), default=0)


def test_an_empty_scope_sends_now() -> None:
    """Nothing reserved yet: the message may go at once."""
    assert earliest_slot([([], Window(30, 1.1))], now=100.0) == 100.0


def test_a_full_window_waits_until_the_oldest_instant_leaves_it() -> None:
    """Three of three reserved in the last second: the next waits until the first drops out."""
    limit = Window(3, 1.0)
    assert earliest_slot([([99.5, 99.6, 99.7], limit)], now=100.0) == pytest.approx(100.5)


def test_bulk_messages_leave_headroom_and_replies_take_it() -> None:
    """A fan-out stops at its lower cap; a reply still fits in the same window at once."""
    bulk, reply = window(OVERALL, bulk=True), window(OVERALL, bulk=False)
    assert (bulk.cap, reply.cap) == (30 - headroom(30), 30)
    booked: list[float] = []
    for _ in range(bulk.cap):
        booked.append(earliest_slot([(booked, bulk)], now=0.0))
    assert booked == [0.0] * bulk.cap
    assert earliest_slot([(booked, bulk)], now=0.0) == pytest.approx(bulk.seconds)
    assert earliest_slot([(booked, reply)], now=0.0) == 0.0


def test_a_reply_may_go_before_messages_booked_ahead() -> None:
    """Instants booked ahead by a fan-out do not queue a reply behind them when room is left."""
    ahead = [0.5, 0.6, 0.7]
    assert earliest_slot([(ahead, Window(4, 1.0))], now=0.0) == 0.0
    assert not fits([0.0, *ahead], 0.1, Window(4, 1.0))


def test_windows_are_longer_than_telegrams_by_the_margin() -> None:
    """20 a minute in a group becomes 20 in any 66 seconds."""
    assert window(Rate(20, 60.0), bulk=False) == Window(20, 60.0 * (1 + MARGIN))


def test_small_caps_have_no_headroom() -> None:
    """One message a second to a private chat is one, bulk or not."""
    assert window(Rate(1, 1.0), bulk=True).cap == 1


def test_recent_keeps_only_instants_that_can_share_a_window() -> None:
    """Instants a whole window old are dropped; the rest come back sorted."""
    assert recent([5.0, 1.0, 9.5, 8.9], now=10.0, seconds=1.0) == [9.5]


def test_limits_can_be_switched_off() -> None:
    """``SendLimits.off()`` enables nothing; the defaults are Telegram's."""
    assert not SendLimits.off().enabled
    assert SendLimits() == SendLimits(Rate(30, 1.0), Rate(20, 60.0), Rate(1, 1.0))


@settings(max_examples=200, deadline=None)
@given(
    requests=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=5, allow_nan=False),
            st.booleans(),
            st.sampled_from([-1, -2, 7]),
        ),
        max_size=60,
    )
)
def test_any_order_of_requests_keeps_every_window_within_its_limit(
    requests: list[tuple[float, bool, int]],
) -> None:
    """Replies and bulk messages to three chats, asked for in any order: no window overflows.

    Each request arrives at a time no earlier than the previous one and gets the earliest slot
    fitting both its chat's and the overall window; afterwards every window of every scope
    holds at most the cap (bulk messages alone at most the lower cap).
    """
    overall = Rate(5, 1.0)
    group = Rate(3, 2.0)
    reserved: dict[str, list[float]] = {}
    now = 0.0
    for arrival, bulk, chat in requests:
        now = max(now, arrival)
        scopes = {"all": window(overall, bulk=bulk), str(chat): window(group, bulk=bulk)}
        at = earliest_slot([(reserved.get(s, []), w) for s, w in scopes.items()], now)
        assert at >= now
        for scope in scopes:
            reserved.setdefault(scope, []).append(at)
    assert most_in_any_window(reserved.get("all", []), overall.seconds * (1 + MARGIN)) <= 5
    for scope, times in reserved.items():
        if scope != "all":
            assert most_in_any_window(times, group.seconds * (1 + MARGIN)) <= 3
