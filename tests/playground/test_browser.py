"""The issue's scenario in headless Chromium: the page, the real bot, the stand-in, the clock.

Skipped with the reason when Chromium or chromedriver is missing — except in CI, where
``.ci/run`` installs them and sets ``RECTIFY_REQUIRE_BROWSER=1``, so that a missing browser
fails the test instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from playground.seed import FIRST_BRANCH, SECRETARY, ZHANG_WEI
from tests.playground.browser import (
    PlaygroundThread,
    bot_message_containing,
    buttons,
    by_id,
    choose,
    chromium,
    chromium_paths,
    hook,
    message,
    preset,
    press,
    type_into,
    wait,
)


def browser() -> tuple[str, str]:
    """Chromium and chromedriver, or skip (fail when the environment requires them)."""
    paths = chromium_paths()
    if paths is not None:
        return paths
    reason = (
        "Chromium or chromedriver is not installed "
        "(Debian: apt-get install chromium chromium-driver)"
    )
    if os.environ.get("RECTIFY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and RECTIFY_REQUIRE_BROWSER=1 requires them")
    pytest.skip(reason)


def test_register_close_accept_and_jump_to_monday(tmp_path: Path) -> None:
    """/problem shows the card; 申请销号, 通过 as the admin: 已销号; Monday brings the summary."""
    paths = browser()
    with (
        PlaygroundThread(tmp_path / "data") as playground,
        chromium(paths, tmp_path / "profile") as driver,
    ):
        driver.get(playground.url)
        choose(driver, "group", FIRST_BRANCH)
        choose(driver, "member", ZHANG_WEI)
        type_into(driver, "composer", "/problem 三会一课记录不规范 月底前")
        hook(driver, "send").click()

        card = wait(driver).until(bot_message_containing("已登记 #1"))
        card_id = str(card.get_attribute("data-id"))
        assert "三会一课记录不规范" in card.text
        assert buttons(card) == ["认领", "报进展", "申请销号"]

        press(driver, card_id, "申请销号")
        wait(driver).until(lambda d: "通过" in buttons(message(d, card_id)))
        choose(driver, "member", SECRETARY)
        press(driver, card_id, "通过")
        wait(driver).until(lambda d: "已销号" in message(d, card_id).text)

        preset(driver, "monday").click()  # "next Monday 09:00"
        summary = wait(driver).until(bot_message_containing("整改周报"))
        assert "11月23日—11月29日" in summary.text
        assert "2026-11-30" in hook(driver, "clock-now").text


def test_the_guide_walks_a_new_visitor_through(tmp_path: Path) -> None:
    """A fresh playground opens its guide; step 1 fills in /problem, step 3 jumps to Monday."""
    paths = browser()
    with (
        PlaygroundThread(tmp_path / "data") as playground,
        chromium(paths, tmp_path / "profile") as driver,
    ):
        driver.get(playground.url)
        wait(driver).until(lambda d: hook(d, "guide").is_displayed())
        by_id(driver, "guide-step1").click()
        assert (
            hook(driver, "composer").get_attribute("value") == "/problem 三会一课记录不规范 月底前"
        )
        hook(driver, "send").click()
        wait(driver).until(bot_message_containing("已登记 #1"))
        by_id(driver, "guide-step3").click()
        wait(driver).until(bot_message_containing("整改周报"))
