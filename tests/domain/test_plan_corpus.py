"""Reading real documents: the corpus of reports, duty statements and plans users paste.

``tests/data/corpus.txt`` is a copy of the shared corpus; ``corpus_documents.tsv`` says where
each document begins and ends; ``corpus_expected.toml`` holds, for some of them, what a careful
reader takes from them (written before the parser was taught to).

The corpus is web pages of sample texts pasted one after another, their headings often lost;
a document is a run of its lines (its paragraphs).  "Imports without an error" is read as: the
parser never raises, and a document yields either a preview Telegram accepts
(tests/views/test_import_preview.py) or, for the few with nothing to import (a poem's blurb,
an essay on causes), the plain refusal that no numbered problem was found.
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from domain.plan import ParsedPlan, PlanWarningCode, parse_plan

DATA = Path(__file__).resolve().parents[1] / "data"
YEAR = 2026


@dataclass(frozen=True)
class Document:
    """A document of the corpus: its lines and what it is."""

    first: int
    last: int
    about: str

    @property
    def text(self) -> str:
        """The document as a user would paste it."""
        return "\n".join(corpus_lines()[self.first - 1 : self.last])


def corpus_lines() -> list[str]:
    """The corpus, line by line."""
    return (DATA / "corpus.txt").read_text(encoding="utf-8").splitlines()


def documents() -> list[Document]:
    """Every document of the corpus, from corpus_documents.tsv."""
    rows = (DATA / "corpus_documents.tsv").read_text(encoding="utf-8").splitlines()
    found = []
    for row in rows:
        if row.strip() and not row.startswith("#"):
            first, last, about = row.split("\t")
            found.append(Document(int(first), int(last), about))
    return found


def expectations() -> list[dict[str, Any]]:
    """The careful reader's notes, one table per document."""
    with (DATA / "corpus_expected.toml").open("rb") as file:
        notes: list[dict[str, Any]] = tomllib.load(file)["document"]
    return notes


def parse_lines(first: int, last: int) -> ParsedPlan:
    """Parse the lines ``first``–``last`` of the corpus."""
    return parse_plan(Document(first, last, "").text, reference_year=YEAR)


def test_the_index_covers_the_corpus_once() -> None:
    """Every line of the corpus belongs to exactly one document, in order."""
    docs = documents()
    assert docs[0].first == 1
    assert docs[-1].last == len(corpus_lines())
    for before, after in itertools.pairwise(docs):
        assert after.first == before.last + 1
    assert len(docs) >= 40


@pytest.mark.parametrize("document", documents(), ids=lambda d: f"{d.first}-{d.last}")
def test_every_document_parses(document: Document) -> None:
    """No document raises; warnings name existing items; a document without items says so."""
    plan = parse_plan(document.text, reference_year=YEAR)
    assert all(w.item is None or 1 <= w.item <= len(plan.items) for w in plan.warnings)
    assert all(item.problem.strip() for item in plan.items)
    if not plan.items:
        assert plan.warnings[0].code is PlanWarningCode.NO_ITEMS


def test_the_whole_corpus_parses_as_one_paste() -> None:
    """Pasting the corpus whole does not raise either."""
    plan = parse_plan("\n".join(corpus_lines()), reference_year=YEAR)
    assert plan.items


def test_most_documents_give_items() -> None:
    """Only the few documents with nothing to import give none (a poem, an essay on causes)."""
    empty = [d for d in documents() if not parse_plan(d.text, reference_year=YEAR).items]
    assert len(empty) <= 5


def _case_id(note: dict[str, Any]) -> str:
    first, last = note["lines"]
    return f"{first}-{last}"


@pytest.mark.parametrize("note", expectations(), ids=_case_id)
def test_problems_as_a_careful_reader_takes_them(note: dict[str, Any]) -> None:
    """The problems imported are those the careful reader found, in order."""
    plan = parse_lines(*note["lines"])
    titles = [item.problem for item in plan.items]
    assert len(titles) == len(note["problems"]), titles
    for title, expected in zip(titles, note["problems"], strict=True):
        assert title.startswith(expected), (title, expected)


@pytest.mark.parametrize("note", expectations(), ids=_case_id)
def test_measures_as_a_careful_reader_pairs_them(note: dict[str, Any]) -> None:
    """Each problem gets the measures the careful reader paired with it."""
    plan = parse_lines(*note["lines"])
    for item, expected in zip(plan.items, note["measures"], strict=True):
        assert len(item.measures) == len(expected), (item.problem, item.measures)
        for measure, start in zip(item.measures, expected, strict=True):
            assert measure.startswith(start), (measure, start)


@pytest.mark.parametrize("note", expectations(), ids=_case_id)
def test_categories_as_a_careful_reader_reads_them(note: dict[str, Any]) -> None:
    """Problems under a …方面 heading get it as their 类别 (and others none)."""
    plan = parse_lines(*note["lines"])
    expected = note.get("categories", [""] * len(note["problems"]))
    assert [item.category or "" for item in plan.items] == expected


@pytest.mark.parametrize("note", expectations(), ids=_case_id)
def test_skipped_parts_and_counts_are_said(note: dict[str, Any]) -> None:
    """The preview names the parts skipped as a whole, the left-over measures, the mismatch."""
    plan = parse_lines(*note["lines"])
    parts = [w.params["part"] for w in plan.warnings if w.code is PlanWarningCode.SKIPPED_SECTION]
    assert parts == note["skipped"]
    leftover = [w for w in plan.warnings if w.code is PlanWarningCode.UNPAIRED and w.item is None]
    assert len(leftover) == note["leftover"]
    counted = any(w.code is PlanWarningCode.MEASURE_COUNT for w in plan.warnings)
    assert counted is note["count_warning"]


def test_a_nested_enumeration_stays_with_its_item() -> None:
    """二是…主要表现在三个方面:一是…二是… is one problem whose text keeps the inner list."""
    second = parse_lines(54, 68).items[1]
    assert second.problem == "支部工作开展的不够有力"
    assert "一是平时业务工作繁忙" in second.detail
    assert "二是对党务工" in second.detail


def test_skipped_parts_say_where_they_begin() -> None:
    """The achievements warning quotes how the part begins and counts its lines."""
    plan = parse_lines(262, 278)
    (skipped,) = [w for w in plan.warnings if w.code is PlanWarningCode.SKIPPED_SECTION]
    assert skipped.params["excerpt"].startswith("(一)理顺关系提升组织力")
    assert skipped.params["size"] == "4"
