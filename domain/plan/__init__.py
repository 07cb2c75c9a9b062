"""Read a pasted rectification plan (整改方案) into items and warnings.

:func:`parse_plan` is pure: the caller passes the text and the current year and gets back a
:class:`ParsedPlan`.  It never guesses: whatever it cannot place is reported as a
:class:`PlanWarning` (a code plus parameters; the wording lives in the ``plan`` i18n section,
see :attr:`PlanWarning.message_key`).

How a plan is read:

* Matching runs on a copy of each line whose full-width forms (``，：（）．；＊`` digits,
  letters, the ideographic space) are folded to ASCII one character for one character, so
  positions agree and every output field is a slice of the text **as typed** (full-width stays
  full-width).  Compare outputs after folding if the punctuation does not matter.
* Numbering styles, outermost first: ``一、`` ``(一)`` ``1.``/``1、`` ``(1)``/``1)`` ``①``
  and ``一是…二是…`` (at the start of lines, or inline after an introduction such as
  ``主要存在以下问题:``).  The *item style* is the style of the first numbered line of the
  problems; lines of an outer style are headings (category, 存在问题, 整改措施, 保障措施…),
  lines of an inner style are measures, sub-points or detail.  Problems numbered ``一是`` may
  stand a line each or a sentence each.
* Reports have parts: 成绩/主要做法, 存在的问题, 原因分析, 整改措施/下一步打算, 保障措施….  Their
  headings, the paragraphs that introduce them (``虽然取得了一定成绩,但也存在一些问题``,
  ``出现以上问题的原因有三个方面``) and, where a report lost its headings, the wording of its
  numbered runs say which part is which: problems are imported only from the problems; a part
  of achievements or causes is reported as :attr:`PlanWarningCode.SKIPPED_SECTION`; a measures
  part pairs with the problems by number (by order when the problems have no numbers of their
  own), and :attr:`PlanWarningCode.MEASURE_COUNT` says when the counts differ.
* A ``…方面`` heading is the category of the problems below it; one with a single unnumbered
  paragraph makes that paragraph its problem.
* Problems and measures pair up in two layouts: measures under an ``整改措施`` label directly
  below their problem, or a list of problems followed by one measures block (a ``整改措施``
  label or a ``二、整改措施`` heading) whose entries pair with the problems **by number**.
* Field blocks (责任人, 总负责人, 责任单位, 落实时限…) belong to the problem (or the paired group
  of problems) they follow; ``责任人:张三`` may also sit inline, e.g. in parentheses after a
  measure.
* A numbering run that restarts without a heading and holds no measures and no fields, after
  runs that did, is how the work is organised or a conclusion (ex4's 保障措施, ex5's last group):
  its blocks are reported as :attr:`PlanWarningCode.NOT_AN_ITEM`, not imported.
* Placeholders (``xx`` ``×`` ``**`` ``某``…) and incomplete deadlines (``底前``) are never stored:
  the field is left empty (``None``) and a warning carries the value.
* Text fields keep their own punctuation; field values lose surrounding spaces, trailing
  ``。,;`` and unbalanced brackets.  A measure's continuation lines are joined with newlines.

The package, one part at a time, in the order the text goes through it:

* :mod:`.text` — the folded twin of the text, trimming and excerpts;
* :mod:`.numbering` — numbering styles, line numbering and inline enumerations;
* :mod:`.labels` — the field labels (责任人:, 落实时限: …);
* :mod:`.tokens` — lines cut into numbered lines, labelled fields and plain text;
* :mod:`.wording` — what a paragraph announces, and how an item's first sentence leans;
* :mod:`.sections` — the kinds of section, heading keywords, headings that carry content,
  inline lists after an introduction, and which numbered lines are headings;
* :mod:`.outline` — numbered runs and where each part of the document begins;
* :mod:`.layout` — the prepass put together: tokens, headings, parts and the item style;
* :mod:`.dates` — past schedules and incomplete deadlines;
* :mod:`.blocks` — the problems, measures and runs being collected;
* :mod:`.state` — the parser's state, a few documented dataclasses;
* :mod:`.problems`, :mod:`.measures`, :mod:`.fields`, :mod:`.paragraphs` — what each kind of
  token does to that state; :mod:`.finish` — the items and warnings at the end;
* :mod:`.parser` — the pass itself.
"""

from __future__ import annotations

from domain.plan.parser import parse_plan
from domain.plan.results import ParsedPlan, PlanField, PlanItem, PlanWarning, PlanWarningCode

__all__ = ["ParsedPlan", "PlanField", "PlanItem", "PlanWarning", "PlanWarningCode", "parse_plan"]
