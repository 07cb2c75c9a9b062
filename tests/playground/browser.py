"""Headless Chromium driving the playground page (the browser test and ``make screenshot``).

Selenium is synchronous and would block an event loop, so the playground runs in a thread of
its own (:class:`PlaygroundThread`) while the caller drives Chromium from its thread. Chromium
and chromedriver come from the distribution (Debian: ``apt-get install chromium
chromium-driver``); nothing is downloaded.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Literal, Self

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from domain.clock import FixedClock
from playground.app import Playground
from playground.web import PageServer
from tests.playground.conftest import START, settings_for

BROWSERS = ("chromium", "chromium-browser")
DRIVERS = ("chromedriver",)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
WAIT_SECONDS = 20.0

Driver = webdriver.Chrome


def chromium_paths() -> tuple[str, str] | None:
    """The Chromium binary and its driver, if both are installed."""
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    driver = next((found for name in DRIVERS if (found := shutil.which(name))), None)
    if browser is None or driver is None:
        return None
    return browser, driver


@contextmanager
def chromium(
    paths: tuple[str, str], profile: Path, size: tuple[int, int] = (1280, 860)
) -> Iterator[Driver]:
    """A headless Chromium with a fresh profile in ``profile``, quit afterwards."""
    browser, driver_path = paths
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={size[0]},{size[1]}")
    options.add_argument("--lang=zh-CN")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        yield driver
    finally:
        driver.quit()


class PlaygroundThread:
    """A playground and its page server on a free port, in their own thread and event loop.

    Real time stands still at ``start`` (Thursday 2026-11-26 10:00 in Shanghai by default), so
    only the page's clock control moves it.
    """

    def __init__(self, folder: Path, start: FixedClock | None = None) -> None:
        self._settings = settings_for(folder, start or FixedClock(START))
        self._thread = threading.Thread(target=self._run, name="playground", daemon=True)
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self.url = ""

    def __enter__(self) -> Self:
        self._thread.start()
        if not self._ready.wait(60):
            raise RuntimeError("the playground did not start within 60 s")
        if self._error is not None:
            raise RuntimeError("the playground failed to start") from self._error
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(60)
        if self._error is not None and exc is None:
            raise RuntimeError("the playground failed") from self._error

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # handed to the test's thread, which raises it
            self._error = error
            self._ready.set()

    async def _main(self) -> None:
        playground = Playground(self._settings)
        server = PageServer(playground, 0)
        await server.start()
        try:
            await playground.start()
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self.url = server.url
            self._ready.set()
            await self._stop.wait()
        finally:
            await playground.stop()
            await server.stop()


# ---------------------------------------------------------------------- reading the page


def hook(driver: Driver, name: str) -> WebElement:
    """The element with ``data-testid=name``."""
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="{name}"]')


def by_id(driver: Driver, element_id: str) -> WebElement:
    """The page element with this ``id`` (the guide's buttons have no test hook of their own)."""
    return driver.find_element(By.ID, element_id)


def preset(driver: Driver, name: str) -> WebElement:
    """The clock's preset button ``name`` (``morning``, ``monday``, ``report_day``)."""
    selector = f'[data-testid="clock-preset"][data-preset="{name}"]'
    return driver.find_element(By.CSS_SELECTOR, selector)


def wait(driver: Driver) -> WebDriverWait[Driver]:
    """A wait that re-checks while the page redraws elements under it."""
    return WebDriverWait(driver, WAIT_SECONDS, ignored_exceptions=(StaleElementReferenceException,))


def messages(driver: Driver, sender: str = "bot") -> list[WebElement]:
    """The messages on the page from ``bot`` or ``user``."""
    return driver.find_elements(By.CSS_SELECTOR, f'[data-testid="message"][data-from="{sender}"]')


def message(driver: Driver, message_id: str) -> WebElement:
    """One message by its id."""
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="message"][data-id="{message_id}"]')


def buttons(element: WebElement) -> list[str]:
    """The inline buttons' labels of a message."""
    return [b.text for b in element.find_elements(By.CSS_SELECTOR, '[data-testid="button"]')]


def bot_message_containing(text: str) -> Callable[[Driver], WebElement | Literal[False]]:
    """A wait condition: the last bot message whose text contains ``text``."""

    def found(driver: Driver) -> WebElement | Literal[False]:
        matching = [m for m in messages(driver) if text in m.text]
        return matching[-1] if matching else False

    return found


def press(driver: Driver, message_id: str, label: str) -> None:
    """Press a message's inline button by its label (waiting until the page shows it)."""

    def pressed(driver: Driver) -> bool:
        for button in message(driver, message_id).find_elements(
            By.CSS_SELECTOR, '[data-testid="button"]'
        ):
            if button.text == label and button.is_enabled():
                button.click()
                return True
        return False

    wait(driver).until(pressed)


def choose(driver: Driver, picker: str, value: int) -> None:
    """Choose an option of the group or member picker by its value (a chat or user id)."""

    def chosen(driver: Driver) -> bool:
        select = Select(hook(driver, picker))
        if not any(o.get_attribute("value") == str(value) for o in select.options):
            return False
        select.select_by_value(str(value))
        return True

    wait(driver).until(chosen)


def type_into(driver: Driver, name: str, text: str) -> None:
    """Replace the text of an input (the composer, the clock) as a user would type it."""
    field = hook(driver, name)
    field.click()
    # Separate calls: a modifier stays pressed until the end of the call that pressed it.
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(text)
