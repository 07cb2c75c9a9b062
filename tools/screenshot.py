"""Take docs/playground.png: the playground page in headless Chromium, after a first step.

Usage (from the repository root): make screenshot, or
    .venv/bin/python -m tools.screenshot [docs/playground.png]

It starts a playground in a temporary folder (real time standing still at Thursday 2026-11-26
10:00 in Shanghai), registers the item of the guided start as 张伟, and photographs the page
with the guide still open. Needs Chromium and chromedriver (Debian: apt-get install chromium
chromium-driver) and a CJK font for the Chinese text (fonts-noto-cjk).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playground.seed import FIRST_BRANCH, ZHANG_WEI
from tests.playground.browser import (
    PlaygroundThread,
    bot_message_containing,
    choose,
    chromium,
    chromium_paths,
    hook,
    type_into,
    wait,
)

DEFAULT_OUT = Path("docs/playground.png")


def take(out: Path) -> None:
    """Photograph the page after ``/problem 三会一课记录不规范 月底前`` into ``out``."""
    paths = chromium_paths()
    if paths is None:
        raise SystemExit("needs Chromium and its driver: apt-get install chromium chromium-driver")
    with (
        tempfile.TemporaryDirectory() as folder,
        PlaygroundThread(Path(folder) / "data") as playground,
        chromium(paths, Path(folder) / "profile", size=(1280, 940)) as driver,
    ):
        driver.get(playground.url)
        wait(driver).until(lambda d: hook(d, "guide").is_displayed())
        choose(driver, "group", FIRST_BRANCH)
        choose(driver, "member", ZHANG_WEI)
        type_into(driver, "composer", "/problem 三会一课记录不规范 月底前")
        hook(driver, "send").click()
        wait(driver).until(bot_message_containing("已登记 #1"))
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))
    print(f"wrote {out}")


if __name__ == "__main__":
    take(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
