"""``/settings``: a group's effective settings, and the answer to a change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any

from domain.settings import SETTING_ALIASES, SETTING_KEYS, GroupSettings, WeeklySlot
from i18n import t
from views.text import esc


def setting_value(value: Any, lang: str) -> str:
    """A setting's value as an admin would type it (booleans and ``off`` labelled)."""
    if isinstance(value, bool):
        return t(lang, f"settings.value.{str(value).lower()}")
    if value is None:
        return t(lang, "settings.value.off")
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, WeeklySlot):  # 周五 17:00 / Fri 17:00: both can be typed back
        return f"{t(lang, f'deadline.weekday.{value.weekday}')} {value.at:%H:%M}"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return esc(value)


def _about(settings: GroupSettings, key: str, lang: str) -> dict[str, str]:
    """What a line about one setting shows: label, key, Chinese name and value."""
    return {
        "label": t(lang, f"settings.label.{key}"),
        "key": key,
        "alias": SETTING_ALIASES[key],
        "value": setting_value(getattr(settings, key), lang),
    }


def _folded(name: str) -> str:
    return name.replace(" ", "").replace("_", "").casefold()


def _label_repeats_a_name(about: dict[str, str]) -> bool:
    """True when the label only restates a name to type (时区 and 时区, Language and language)."""
    return _folded(about["label"]) in (_folded(about["key"]), _folded(about["alias"]))


def setting_line(settings: GroupSettings, key: str, lang: str) -> str:
    """One line of ``/settings``: label, the names to type and the value (nothing said twice)."""
    about = _about(settings, key, lang)
    line = "settings.line_named" if _label_repeats_a_name(about) else "settings.line"
    return t(lang, line, **about)


def settings_text(
    title: str, settings: GroupSettings, unknown_holiday_years: Sequence[int] = ()
) -> str:
    """Every effective setting of a group, how an admin changes one, and missing holidays."""
    lang = settings.language
    lines = [t(lang, "settings.title", title=esc(title))]
    lines += [setting_line(settings, key, lang) for key in SETTING_KEYS]
    lines.append(t(lang, "settings.hint"))
    if unknown_holiday_years:
        years = t(lang, "list.separator").join(str(year) for year in unknown_holiday_years)
        lines.append(t(lang, "calendar.unknown_years", years=years))
    return "\n".join(lines)


def setting_changed(settings: GroupSettings, key: str) -> str:
    """The answer to ``/settings key value``, in the group's (possibly new) language."""
    lang = settings.language
    about = _about(settings, key, lang)
    changed = "settings.changed_named" if _label_repeats_a_name(about) else "settings.changed"
    return t(lang, changed, **about)


def value_needed(key: str, lang: str) -> str:
    """Ask for the value missing from ``/settings key``."""
    return t(lang, "settings.need_value", key=esc(key), example=t(lang, f"settings.example.{key}"))
