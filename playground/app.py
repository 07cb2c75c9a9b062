"""The playground: the real bot polling a Telegram stand-in, a seeded world, and a movable clock.

:class:`Playground` owns one data folder (``./data/playground`` by default):

* ``bot.db`` — the bot's SQLite database, built and migrated as in production;
* ``world.json`` — the stand-in's world (people, groups, every message and file), so that the
  chats and the ledger still match after a restart;
* ``clock.json`` — the playground's clock, so that a restart never moves time backwards;
* ``page.json`` — the page's language.

The bot is the production one: ``bot.app.build_runtime`` with the playground's clock, polling the
stand-in over HTTP on 127.0.0.1 with Telegram's flood limits switched on. The page acts as the
seeded users through the stand-in's driver (:class:`~playground.standin.FakeTelegram`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import run
from bot.app import Runtime, SystemClock, build_runtime
from bot.config import Config
from domain.clock import Clock
from playground.clock import PlaygroundClock, Preset, preset_instant
from playground.seed import GROUPS, PLAYGROUND_BOT, seed_world
from playground.standin import CallbackAnswer, FakeTelegram, FloodLimits
from playground.standin.world import PRESENT_STATUSES, JSONDict
from playground.transcript import ChatChanges, Transcript, display_name
from services.reminders import SweepReport

log = logging.getLogger(__name__)

DEFAULT_DATA_DIR = Path("data/playground")
DATA_FILES = ("bot.db", "bot.db-wal", "bot.db-shm", "world.json", "clock.json")
LANGUAGES = ("zh", "en")
POLL_TIMEOUT = 10  # seconds a getUpdates waits; the stand-in answers at once when updates come
SAVE_EVERY = 30.0  # seconds between saves of the clock while nothing happens
SAVE_DELAY = 0.5  # seconds to let a burst of changes finish before saving the world once
ANSWER_WAIT = 10.0  # seconds to wait for the bot to answer a pressed button


class PlaygroundUnavailableError(RuntimeError):
    """The playground is starting or being reset; try again in a moment."""


@dataclass(frozen=True)
class PlaygroundSettings:
    """Where the playground keeps its data, the bot's configuration, and real time.

    Only ``bot``'s settings that make sense without Telegram are used: the group defaults
    (time zone, reminder time, report day …), the sweep interval and the log level. The token,
    the API URLs and the database are the playground's own; superusers are dropped (their ids
    are real Telegram users, not the seeded ones).
    """

    data_dir: Path
    bot: Config
    real_clock: Clock = field(default_factory=SystemClock)


@dataclass
class _Core:
    """One running world: the stand-in, the bot polling it, and the page's view of its chats."""

    fake: FakeTelegram
    runtime: Runtime
    transcript: Transcript


class Playground:
    """Starts, stops and resets the stand-in and the bot; acts for the page."""

    def __init__(self, settings: PlaygroundSettings) -> None:
        self.settings = settings
        self.data_dir = settings.data_dir
        self.zone: tzinfo = ZoneInfo(settings.bot.defaults.timezone)
        self.clock = PlaygroundClock(settings.real_clock, self.data_dir / "clock.json")
        self._core: _Core | None = None
        self._saved_world = ""
        self._saver: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start the stand-in and the bot; seed the world unless a saved one is restored."""
        async with self._lock:
            keep_local_traffic_local()
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._core = await self._start_core()
            self._saver = asyncio.create_task(self._keep_saving())

    async def stop(self) -> None:
        """Save, then stop the bot and the stand-in."""
        async with self._lock:
            if self._saver is not None:
                self._saver.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._saver
                self._saver = None
            self._save()
            await self._stop_core()

    async def reset(self) -> None:
        """Start over: a new world, an empty ledger, and the clock back to real time."""
        async with self._lock:
            await self._stop_core()
            for name in DATA_FILES:
                (self.data_dir / name).unlink(missing_ok=True)
            self._saved_world = ""
            self.clock = PlaygroundClock(self.settings.real_clock, self.data_dir / "clock.json")
            self._core = await self._start_core()
            log.info("playground reset")

    async def _start_core(self) -> _Core:
        fake = FakeTelegram(
            bot_user=dict(PLAYGROUND_BOT),
            clock=lambda: self.clock.now().timestamp(),
            flood_limits=FloodLimits(),
        )
        restored = self._restore(fake)
        await fake.start()
        try:
            runtime = await _start_bot(self._bot_config(fake), self.clock)
        except BaseException:
            await fake.stop()
            raise
        if not restored:
            try:
                await seed_world(fake, runtime.services.tree)
            except BaseException:
                await _stop_bot(runtime)
                await fake.stop()
                raise
        return _Core(fake, runtime, Transcript(fake, self.zone))

    async def _stop_core(self) -> None:
        core, self._core = self._core, None
        if core is None:
            return
        try:
            await _stop_bot(core.runtime)
        finally:
            await core.fake.stop()

    def _bot_config(self, fake: FakeTelegram) -> Config:
        database = self.data_dir.resolve() / "bot.db"
        return replace(
            self.settings.bot,
            token=fake.token,
            base_url=fake.base_url,
            base_file_url=fake.base_file_url,
            database_url=f"sqlite+aiosqlite:///{database}",
            mode="polling",
            webhook_url="",
            webhook_secret="",
            superusers=frozenset(),
        )

    # ------------------------------------------------------------------ keeping the world

    def _restore(self, fake: FakeTelegram) -> bool:
        """Load ``world.json`` into the stand-in; False when there is none (or it is unreadable)."""
        path = self.data_dir / "world.json"
        if not path.exists():
            return False
        try:
            text = path.read_text(encoding="utf-8")
            fake.world.restore(json.loads(text))
        except (ValueError, KeyError, TypeError) as error:
            log.warning("could not read %s (%s); starting a new world", path, error)
            return False
        self._saved_world = text
        return True

    def _save(self) -> None:
        """Write the world if it changed, and the clock."""
        self.clock.save()
        if self._core is None:
            return
        text = json.dumps(self._core.fake.world.snapshot(), ensure_ascii=False)
        if text == self._saved_world:
            return
        path = self.data_dir / "world.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
        self._saved_world = text

    async def _keep_saving(self) -> None:
        """Save shortly after every change, and the clock now and then, until cancelled."""
        while True:
            core = self._core
            if core is not None:
                await core.fake.world.wait_change(SAVE_EVERY)
            await asyncio.sleep(SAVE_DELAY)
            try:
                self._save()
            except OSError:
                log.exception("could not save the playground under %s", self.data_dir)

    # ------------------------------------------------------------------ what the page reads

    @property
    def core(self) -> _Core:
        """The running world; PlaygroundUnavailableError while starting or resetting."""
        if self._core is None:
            raise PlaygroundUnavailableError("the playground is starting")
        return self._core

    @property
    def fake(self) -> FakeTelegram:
        """The stand-in the bot talks to."""
        return self.core.fake

    @property
    def runtime(self) -> Runtime:
        """The running bot."""
        return self.core.runtime

    def groups(self) -> list[JSONDict]:
        """The seeded groups with their members, in the pickers' order."""
        world = self.fake.world
        shown: list[JSONDict] = []
        for group in GROUPS:
            chat = world.group(group.chat_id)
            members = [
                _member(world.user(user_id), status)
                for user_id, status in chat.members.items()
                if status in PRESENT_STATUSES and world.knows_user(user_id)
            ]
            shown.append({"id": chat.id, "title": chat.title, "members": members})
        return shown

    def changes(self, chat_id: int, since: int) -> ChatChanges:
        """The messages of a group that changed since change number ``since``."""
        self.fake.world.group(chat_id)
        return self.core.transcript.changes(chat_id, since)

    def is_fresh(self) -> bool:
        """Whether nobody has written anything yet (the page then suggests first steps)."""
        world = self.fake.world
        bot_id = self.fake.bot_id
        for group in GROUPS:
            for message in world.messages(group.chat_id):
                if message["from"]["id"] != bot_id and "new_chat_members" not in message:
                    return False
        return True

    def bot_view(self) -> JSONDict:
        """The bot's name and username, for the page header."""
        bot = self.fake.bot_user
        return {"name": bot["first_name"], "username": bot["username"]}

    def clock_view(self) -> JSONDict:
        """The clock as the page shows it: now, and where each preset would jump."""
        now = self.clock.now()
        return {
            "now": now.astimezone(self.zone).isoformat(timespec="minutes"),
            "timezone": str(self.zone),
            "presets": {
                preset.value: self.preset_instant(preset)
                .astimezone(self.zone)
                .isoformat(timespec="minutes")
                for preset in Preset
            },
        }

    def preset_instant(self, preset: Preset) -> datetime:
        """Where ``preset`` would move the clock now."""
        report_day = self.settings.bot.defaults.report_day
        return preset_instant(preset, self.clock.now(), self.zone, report_day)

    @property
    def language(self) -> str:
        """The page's language (``zh`` unless switched)."""
        path = self.data_dir / "page.json"
        try:
            language = json.loads(path.read_text(encoding="utf-8")).get("language")
        except (OSError, ValueError, AttributeError):
            return LANGUAGES[0]
        return language if language in LANGUAGES else LANGUAGES[0]

    def set_language(self, language: str) -> None:
        """Switch the page's language; ValueError for one the page does not have."""
        if language not in LANGUAGES:
            raise ValueError(f"the page speaks {', '.join(LANGUAGES)}, not {language!r}")
        path = self.data_dir / "page.json"
        path.write_text(json.dumps({"language": language}), encoding="utf-8")

    # ------------------------------------------------------------------ what the page does

    async def jump(self, instant: datetime) -> SweepReport:
        """Move the clock forward and run the reminder sweep at once (not at the next tick)."""
        self.clock.jump(instant)
        report = await self.runtime.services.reminders.sweep()
        log.info("clock moved to %s; sweep: %s", instant.astimezone(self.zone), report)
        return report

    def send_text(
        self, chat_id: int, user_id: int, text: str, reply_to: int | None = None
    ) -> JSONDict:
        """A seeded user writes in a group (optionally replying to a message)."""
        return self.fake.send_text(chat_id, user_id, text, reply_to=reply_to)

    def send_document(
        self,
        chat_id: int,
        user_id: int,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        """A seeded user sends a file, with a caption such as ``/import``."""
        return self.fake.send_document(
            chat_id, user_id, filename, content, caption=caption, reply_to=reply_to
        )

    async def press(
        self, chat_id: int, message_id: int, user_id: int, data: str
    ) -> CallbackAnswer | None:
        """A seeded user presses an inline button; the bot's answer (None if it gave none)."""
        fake = self.fake
        query = fake.press_button(chat_id, message_id, user_id, data=data)
        try:
            return await fake.wait_callback_answer(query, ANSWER_WAIT)
        except AssertionError:  # the stand-in's way of saying the wait timed out
            return None


def _member(user: JSONDict, status: str) -> JSONDict:
    return {
        "id": user["id"],
        "name": display_name(user),
        "username": user.get("username"),
        "role": status,
    }


async def _start_bot(config: Config, clock: Clock) -> Runtime:
    """Build the production runtime and start it polling, as ``rectify-bot run`` would."""
    runtime = build_runtime(config, clock)
    await run.start(runtime, poll_timeout=POLL_TIMEOUT)
    return runtime


async def _stop_bot(runtime: Runtime) -> None:
    """Stop as ``rectify-bot run`` does on SIGTERM (which closes the database last)."""
    await run.stop(runtime)


def keep_local_traffic_local() -> None:
    """Add 127.0.0.1 to ``NO_PROXY``: an office proxy must not carry the bot's calls."""
    for name in ("NO_PROXY", "no_proxy"):
        hosts = [host for host in os.environ.get(name, "").split(",") if host]
        if "127.0.0.1" not in hosts:
            os.environ[name] = ",".join([*hosts, "127.0.0.1"])
