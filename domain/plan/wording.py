"""Wording: what a paragraph announces, and whether an item reads as a problem or a measure.

Real reports seldom keep their section headings when they are pasted: what is left is the
wording.  A paragraph such as ``虽然取得了一定成绩,但也存在一些问题,主要表现在以下几个方面。``
announces the problems; ``出现以上问题的原因有三个方面。`` the causes; ``针对上述问题,提出以下
整改措施:`` the measures; ``近年来……主要表现在:`` or ``述职如下`` what was achieved
(:func:`announced`).  And an item's first sentence leans one way or the other
(:func:`leaning`): ``党员教育管理不严格`` names a shortcoming, ``加强党员教育管理`` a measure.

Both are heuristics over the folded text; :mod:`.outline` uses them only where the numbering
and the headings leave the structure open.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Final

_PROBLEM_NOUN: Final = re.compile("问题|不足|差距|短板|弱项|薄弱环节|困难")
# Words before a problem noun that point back at problems already listed (or at solving them).
_BACK: Final = re.compile("上述|以上|这些|前述|上面|前面|针对|对照|解决|整改|围绕|剖析|分析")
_BACK_WINDOW: Final = 14
_CAUSE: Final = re.compile("原因|根源|根子|症结|源头|党性分析")
_MEASURE: Final = re.compile(
    "措施|举措|对策|建议|打算|改进|整改|努力方向|下一步|今后|思路|几点思考|着手|入手"
    "|从以下.{0,6}方面|方面(?:加强|进行|做起|抓起)"
)
_ACHIEVEMENT: Final = re.compile(
    "成绩|成效|做法|主要工作|工作情况|基本情况|开展情况|履职情况|述职|汇报如下|工作回顾|亮点"
)
_RECENTLY: Final = re.compile("^(?:近年来|今年以来|一年来|多年来|过去一年|去年以来|近几年)")
# How an introduction ends: it announces a list.
_INTRO: Final = re.compile(
    r"如下|以下|下列|几个方面|几方面|方面的?问题|几点|表现在|体现在|表现为|主要有|具体是|分别是|:$"
)
_SENTENCE_END: Final = re.compile(r"[。!?;]+")
# A paragraph up to this long may announce a part without an introducing form.
SHORT_PARAGRAPH: Final = 80


class Announced(Enum):
    """What a paragraph or heading says follows it."""

    PROBLEMS = "problems"
    MEASURES = "measures"
    ACHIEVEMENTS = "achievements"
    CAUSES = "causes"


def _names_problems(sentence: str) -> bool:
    """Whether a problem noun occurs that is not a back-reference (以上问题, 针对问题)."""
    for match in _PROBLEM_NOUN.finditer(sentence):
        before = sentence[max(0, match.start() - _BACK_WINDOW) : match.start()]
        if not _BACK.search(before):
            return True
    return False


def classify(sentence: str) -> Announced | None:
    """The part a heading or an introducing sentence announces, if any."""
    if _names_problems(sentence):
        return Announced.PROBLEMS
    if _MEASURE.search(sentence):
        return Announced.MEASURES
    if _CAUSE.search(sentence):
        return Announced.CAUSES
    if _ACHIEVEMENT.search(sentence) or _RECENTLY.search(sentence):
        return Announced.ACHIEVEMENTS
    return None


def last_sentence(norm: str) -> str:
    """The paragraph's last sentence (its final full stop dropped)."""
    pieces = [piece for piece in _SENTENCE_END.split(norm.strip()) if piece.strip()]
    return pieces[-1].strip() if pieces else ""


def announced(norm: str, *, introduces: bool = False) -> Announced | None:
    """What an unnumbered paragraph announces: judged by its last sentence, if it introduces.

    ``introduces`` says that a list follows inline, so the paragraph introduces whatever it ends
    with.
    """
    sentence = last_sentence(norm)
    introduces = introduces or bool(_INTRO.search(sentence)) or norm.rstrip().endswith(":")
    if not introduces and len(norm) > SHORT_PARAGRAPH:
        return None
    found = classify(sentence)
    if found is Announced.ACHIEVEMENTS and not introduces:
        return None  # a short statement of a result is not yet a section
    if found is None and _RECENTLY.search(norm) and introduces:
        return Announced.ACHIEVEMENTS
    return found


# --- how an item's title leans -------------------------------------------------------------

_NEGATIVE: Final = re.compile(
    "不够|不足|不强|不高|不严|不实|不深|不细|不精|不清|不到位|不规范|不健全|不完善|不明确|"
    "不平衡|不均衡|不充分|不及时|不经常|不落实|不力|不好|不佳|不多|不全|不紧|不理想|不明显|"
    "不突出|不扎实|不重视|不适应|不畅|不能|不会|不愿|不敢|未能|没有|缺乏|缺少|欠缺|缺位|缺失|"
    "乏力|乏人|薄弱|淡薄|淡化|弱化|虚化|软化|形式化|碎片化|有待|偏差|偏少|偏低|偏大|偏高|"
    "单一|滞后|缓慢|流于形式|差距|问题|困难|松懈|松散|老化|老龄化|失之于宽|难度大|矛盾|错位|"
    "让位|脱节|两张皮|枯燥|死板|较少|较差|较弱|较低|短板|弱项|漏洞|隐患|陈旧|落后|懈怠|走过场|"
    "跟不上|还需|尚需|仍需|亟待|一手硬|重.{1,6}轻"
)
_ADVERBS: Final = (
    "(?:进一步|切实|继续|持续|不断|着力|全面|大力|认真|积极|努力|深入|扎实|主动|全力|重点|更加|"
    "要|应|必须|坚决|逐步|尽快|始终)*"
)
_VERB_START: Final = re.compile(
    _ADVERBS
    + "(?:加强|强化|提高|提升|完善|健全|建立|落实|推进|推动|开展|加大|创新|规范|严格|抓好|抓实|"
    "抓细|狠抓|做好|做实|坚持|深化|优化|发挥|调动|利用|突出|夯实|压实|筑牢|增强|注重|实现|确保|"
    "严把|加快|探索|打造|改进|转变|理顺|擦亮|围绕|配齐|配备|培养|制定|组织|拓展|扩大|聚焦|树立|"
    "端正|常抓|运用|改善|整合|统筹|丰富|促进|构建|激发|营造|严肃|用好|建设|培育|引导|健全|"
    "减少|杜绝|落细|搞好|抓|以)"
)
_ACCOMPLISHED: Final = re.compile("了|已经|取得|显著|初步形成|初步建立")
_TITLE_END: Final = re.compile(r"[。!?;:]")


class Leaning(Enum):
    """How an item's first sentence reads."""

    PROBLEM = "problem"  # names a shortcoming: 党员教育管理不严格
    MEASURE = "measure"  # starts with what to do: 加强党员教育管理
    ACHIEVEMENT = "achievement"  # says what was done: 建立了台账
    NEUTRAL = "neutral"


def title_of(norm: str) -> str:
    """An item's first sentence (or clause before a colon)."""
    match = _TITLE_END.search(norm)
    return norm[: match.start()] if match else norm


def leaning(norm_body: str) -> Leaning:
    """How an item's text leans, judged by its first sentence."""
    title = title_of(norm_body)
    if _NEGATIVE.search(title):
        return Leaning.PROBLEM
    if _ACCOMPLISHED.search(title):
        return Leaning.ACHIEVEMENT
    if _VERB_START.match(title):
        return Leaning.MEASURE
    return Leaning.NEUTRAL
