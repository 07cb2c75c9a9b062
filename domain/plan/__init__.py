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
  and inline ``一是…二是…``.  The *item style* is the style of the first numbered line that is
  not a section heading; lines of an outer style are headings (category, 存在问题, 整改措施,
  保障措施…), lines of an inner style are measures, sub-points or detail.
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
* :mod:`.sections` — heading keywords and the prepass that finds headings and the item style;
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
