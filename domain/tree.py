"""The committee → branch tree: link codes, cycles, branch names as people write them (pure).

A group may have one parent (the committee it reports to) and any number of branches; the tree
may be any depth (区委 → 党委 → 支部). Everything here is a function of the values passed in.

Choices the issue left open, written down here:

* A link code is eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown
  as ``ABCD-EFGH``; it is read back case- and width-insensitively, with or without the dash.
* Branch names are matched forgivingly (:func:`name_key`): width, case, spaces and punctuation
  do not count, nor do the words 中共, 中国共产党 and 党 (so 第一支部 = 第一党支部 =
  中共第一党支部), and Arabic digits equal Chinese numerals (第1支部 = 第一支部). A name that
  equals one branch's key names it; otherwise a name contained in exactly one branch's key
  (or containing exactly one) names that one; several candidates are *ambiguous* and the user
  is asked, never guessed for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from domain.errors import UserError
from domain.items import parse_item_number

LINK_CODE_TTL: Final = timedelta(hours=24)
LINK_CODE_LENGTH: Final = 8
LINK_CODE_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

_CN_DIGITS: Final = "〇一二三四五六七八九"
_NOT_NAME: Final = re.compile(r"[\W_]+")
_PARTY_WORDS: Final = re.compile("中国共产党|中共|党")
_UNIT_SEPARATORS: Final = re.compile(r"\s*[、,，;；/]+\s*|\s+")


# --- link codes ----------------------------------------------------------------------------------


def format_link_code(code: str) -> str:
    """``ABCDEFGH`` as it is shown to people: ``ABCD-EFGH``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def read_link_code(typed: str) -> str:
    """The code as stored, from what an admin typed (case, width, spaces and dashes ignored)."""
    folded = unicodedata.normalize("NFKC", typed).upper()
    return "".join(char for char in folded if char.isalnum())


def is_link_code_shape(code: str) -> bool:
    """True when ``code`` (as read back) could be a link code at all."""
    return len(code) == LINK_CODE_LENGTH and all(c in LINK_CODE_ALPHABET for c in code)


@dataclass(frozen=True)
class LinkCode:
    """A one-time code a parent group's admin hands to a branch group's admin."""

    code: str
    parent_group_id: int
    expires_at: datetime
    used_at: datetime | None = None


def check_link_code(code: LinkCode | None, now: datetime) -> LinkCode:
    """Refuse an unknown, used or expired code; return it when it may be used now."""
    if code is None:
        raise UserError("tree.error.code_unknown")
    if code.used_at is not None:
        raise UserError("tree.error.code_used")
    if now >= code.expires_at:
        raise UserError("tree.error.code_expired")
    return code


# --- the shape of the tree -----------------------------------------------------------------------


def ancestors(group_id: int, parent_of: Mapping[int, int | None]) -> list[int]:
    """The parents of ``group_id`` from the nearest up (a broken cycle in stored data stops)."""
    found: list[int] = []
    current = parent_of.get(group_id)
    while current is not None and current not in found and current != group_id:
        found.append(current)
        current = parent_of.get(current)
    return found


def descendants(group_id: int, parent_of: Mapping[int, int | None]) -> list[int]:
    """Every group below ``group_id`` (children first, then their children …)."""
    children: dict[int, list[int]] = {}
    for child, parent in parent_of.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found: list[int] = []
    queue = sorted(children.get(group_id, []))
    while queue:
        current = queue.pop(0)
        if current in found or current == group_id:
            continue
        found.append(current)
        queue.extend(sorted(children.get(current, [])))
    return found


def check_link(parent_id: int, child_id: int, parent_of: Mapping[int, int | None]) -> None:
    """Refuse a link that would make a group its own ancestor or give it a second parent."""
    if parent_id == child_id:
        raise UserError("tree.error.self")
    if parent_of.get(child_id) is not None:
        raise UserError("tree.error.has_parent")
    if child_id in ancestors(parent_id, parent_of):
        raise UserError("tree.error.cycle")


# --- branch names --------------------------------------------------------------------------------


def _arabic_to_chinese(match: re.Match[str]) -> str:
    number = int(match.group())
    if number >= 100:
        return match.group()
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def name_key(name: str) -> str:
    """How branch names are compared: 第1支部, 第一党支部 and 中共第一支部 are one key."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    folded = _NOT_NAME.sub("", folded)
    folded = _PARTY_WORDS.sub("", folded)
    return re.sub(r"\d+", _arabic_to_chinese, folded)


def split_units(text: str) -> list[str]:
    """The unit names in a 责任单位 value or after ``/dispatch N``: split at 、 , ; / and spaces.

    Not inside brackets: ``党办（组织科、宣传科）`` is one unit, its offices in parentheses.
    """
    units: list[str] = []
    start = 0
    for match in _UNIT_SEPARATORS.finditer(text):
        # 党办 （组织科）: a space before a bracket only sets the bracket off.
        bracket_next = not match.group().strip() and text[match.end() : match.end() + 1] in _OPENING
        if not bracket_next and not _inside_brackets(text[: match.start()]):
            units.append(text[start : match.start()])
            start = match.end()
    units.append(text[start:])
    return [unit.strip() for unit in units if unit.strip()]


_OPENING: Final = "(（[【〔"
_CLOSING: Final = ")）]】〕"


def _inside_brackets(before: str) -> bool:
    """True when ``before`` leaves a bracket open."""
    depth = 0
    for char in before:
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(0, depth - 1)
    return depth > 0


@dataclass(frozen=True)
class Branch:
    """A group below the one acting, as far as matching its name is concerned."""

    group_id: int
    title: str


@dataclass(frozen=True)
class NameMatch:
    """What one typed name matched: one branch, several (ambiguous) or none."""

    typed: str
    branches: tuple[Branch, ...]

    @property
    def branch(self) -> Branch | None:
        """The branch named, when exactly one is."""
        return self.branches[0] if len(self.branches) == 1 else None

    @property
    def ambiguous(self) -> bool:
        """True when the name fits several branches."""
        return len(self.branches) > 1


def match_branch(typed: str, branches: Sequence[Branch]) -> NameMatch:
    """The branches a typed name can mean: an exact key first, else a unique containment."""
    key = name_key(typed)
    if not key:
        return NameMatch(typed, ())
    exact = tuple(b for b in branches if name_key(b.title) == key)
    if exact:
        return NameMatch(typed, exact)
    near = tuple(b for b in branches if key in name_key(b.title) or name_key(b.title) in key)
    return NameMatch(typed, tuple(b for b in near if name_key(b.title)))


CANDIDATES_PER_NAME = 8  # buttons offered for one ambiguous name
CANDIDATE_BUTTONS = 80  # for all names together: Telegram refuses over 100 buttons a message


def best_candidates(match: NameMatch, limit: int = CANDIDATES_PER_NAME) -> tuple[Branch, ...]:
    """The ``limit`` branches closest to the typed name: exact first, then nearest in length."""
    key = name_key(match.typed)

    def distance(entry: tuple[int, Branch]) -> tuple[bool, int, int]:
        index, branch = entry
        title = name_key(branch.title)
        return title != key, abs(len(title) - len(key)), index

    ranked = sorted(enumerate(match.branches), key=distance)
    return tuple(branch for _, branch in ranked[: max(limit, 0)])


def offered_candidates(
    matches: Sequence[NameMatch],
    per_name: int = CANDIDATES_PER_NAME,
    total: int = CANDIDATE_BUTTONS,
) -> list[tuple[NameMatch, tuple[Branch, ...]]]:
    """Each ambiguous name with the candidates offered as buttons, within both limits."""
    offered: list[tuple[NameMatch, tuple[Branch, ...]]] = []
    left = total
    for match in matches:
        shown = best_candidates(match, min(per_name, left))
        left -= len(shown)
        offered.append((match, shown))
    return offered


# A 责任单位 that names every branch at once, as plans write it.
EVERY_BRANCH: Final = (
    "各党支部",
    "各支部",
    "各基层党支部",
    "各基层党组织",
    "所属各党支部",
    "全体支部",
    "所有支部",
)


def match_units(text: str, branches: Sequence[Branch]) -> list[NameMatch]:
    """Each name of a 责任单位 value matched against the branches (各党支部: every one)."""
    matches: list[NameMatch] = []
    for name in split_units(text):
        if name_key(name) in _EVERY_BRANCH_KEYS:
            matches += [NameMatch(branch.title, (branch,)) for branch in branches]
        else:
            matches.append(match_branch(name, branches))
    return matches


_EVERY_BRANCH_KEYS: Final = frozenset(name_key(words) for words in EVERY_BRANCH)


def names_branches(text: str, branches: Sequence[Branch]) -> bool:
    """True when a 责任单位 value names at least one branch (so the item is dispatched)."""
    return bool(branches) and any(m.branches for m in match_units(text, branches))


# --- escalation ----------------------------------------------------------------------------------


def escalation_level(days_overdue: int, escalate_after_days: int) -> int:
    """0 below the threshold; 1 (the parent) from it; 2 (the grandparent) from twice it."""
    if days_overdue < escalate_after_days:
        return 0
    return 1 if days_overdue < 2 * escalate_after_days else 2


def escalates_today(days_overdue: int, escalate_after_days: int, level: int) -> bool:
    """True on the day an item reaches ``level`` and every seventh day after, until closed."""
    start = escalate_after_days * level
    return days_overdue >= start and (days_overdue - start) % 7 == 0


def report_missed_day(today: date, report_day: int) -> bool:
    """True on the day after the monthly report day (the branches that missed it are named)."""
    return (today - timedelta(days=1)).day == report_day


# --- a plan imported by a committee ------------------------------------------------------------


DISPATCH_NOTICE_PREFIX = "import.dispatch."


def dispatch_plan(units: Sequence[str], branches: Sequence[Branch]) -> list[list[NameMatch]]:
    """How each item's 责任单位 (in order) matches the committee's branches."""
    return [match_units(unit, branches) if unit else [] for unit in units]


def chosen_branches(matches: Sequence[NameMatch]) -> list[Branch]:
    """The branches named unambiguously, each once, in the order they were named."""
    found: list[Branch] = []
    for match in matches:
        if match.branch is not None and match.branch not in found:
            found.append(match.branch)
    return found


def dispatch_args(args: str, usage: str) -> tuple[int, str]:
    """``12 第一党支部 第二党支部`` → (12, the names); the number may also come last.

    Anything else is a :class:`UserError` whose example is ``usage`` (the command's own).
    """
    words = args.split()
    if len(words) < 2:  # a number and at least one name
        raise UserError("error.usage", usage=usage)
    for number, names in ((words[0], words[1:]), (words[-1], words[:-1])):
        try:
            return parse_item_number(number), " ".join(names)
        except UserError:
            continue
    raise UserError("error.item_number_for", given=words[0], example=usage)
