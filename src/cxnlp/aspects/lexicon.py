"""The lexicon path: opinion words with polarity, negation, degree words and CX aspect terms.

Used three ways: on its own (``AspectExtractor(mode="lexicon")``, the baseline), as a
fallback for clauses where the learned model finds nothing (other domains than the
restaurant training data), and to build the short display ``phrase`` of every opinion
(鳕鱼有点少 -> 鳕鱼少). The word lists are package data files written for cxnlp:
``data/opinion_words.tsv``, ``data/function_words.json`` and the aspect keywords of
``data/taxonomy.json``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import TypeVar

from ..doc import Span
from ..sentiment.rules import asks_either_way
from .features import BREAKS

DATA_DIR = Path(__file__).with_name("data")

#: (start, end, normalised text) of a word.
Word = tuple[int, int, str]

FLIP = {"positive": "negative", "negative": "positive", "neutral": "neutral"}


_START, _END = itemgetter(0), itemgetter(1)
#: How far (characters) an opinion looks back for its aspect and modifiers.
LOOKBACK = 30
#: A word as ``(start, end, ...)``: :data:`Word`, or a bare ``(start, end)`` span.
_W = TypeVar("_W", bound=tuple)


def overlapping(words: Sequence[_W], start: int, end: int) -> Sequence[_W]:
    """The words overlapping ``[start, end)``, by bisection (words are sorted and disjoint), so
    work per opinion or clause does not grow with the length of the document."""
    lo = bisect_right(words, start, key=_END)
    return words[lo:bisect_left(words, end, lo=lo, key=_START)]


@dataclass(frozen=True)
class Hit:
    """An opinion word found in a clause: ``span`` covers modifiers (不/很) and the word."""

    span: Span
    word_span: Span
    polarity: str


class Lexicon:
    """Opinion, function-word and aspect lists, with matching helpers.

    Args:
        opinion_words: ``{word: polarity}``; polarity is positive / negative / neutral, or
            ``up`` / ``down`` for words whose polarity depends on the aspect (高 / 低).
        function_words: the ``function_words.json`` structure.
        aspect_terms: known aspect words (the taxonomy keywords).
    """

    def __init__(self, opinion_words: dict[str, str], function_words: dict[str, list[str]],
                 aspect_terms: set[str]) -> None:
        self.opinion_words = opinion_words
        #: grades that are complaints right after one of ``cost_grade_aspects`` (噪音很大, 广告太多), and
        #: no opinion elsewhere (房间很大, 人很多)
        self.cost_grades: dict[str, str] = dict.fromkeys(function_words.get("cost_grades", ()), "negative")
        #: the aspects after which a cost grade counts (not 声音, as 声音大 of a speaker is praise)
        self.cost_grade_aspects = tuple(function_words.get("cost_grade_aspects", ()))
        self.multi = {w for w in opinion_words if len(w) > 1}
        lengths: dict[str, set[int]] = {}
        for w in self.multi:
            lengths.setdefault(w[0], set()).add(len(w))
        #: the lengths of the multi-character opinion words starting with each character, longest first
        self.multi_lengths = {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}
        #: the last characters of the words that may hold a one-character opinion word or cost grade
        finals = sorted({w for w in [*opinion_words, *self.cost_grades] if len(w) == 1})
        self._final_char = re.compile("[" + "".join(map(re.escape, finals)) + "]" if finals else "(?!)")
        self.negations = set(function_words["negations"])
        self.missing_markers = set(function_words["missing_markers"])
        self.missing_exceptions = tuple(function_words["missing_exceptions"])
        self._any_missing_exception = re.compile("|".join(map(re.escape, self.missing_exceptions))) \
            if self.missing_exceptions else None
        self.degrees = set(function_words["degrees"])
        self.fillers = set(function_words["fillers"])
        self.cost_aspects = tuple(function_words["cost_aspects"])
        #: what the customer receives, where more is better even with a cost word in it (存款利率低 is a complaint)
        self.yield_aspects = tuple(function_words.get("yield_aspects", ()))
        self.modifiers = self.negations | self.degrees
        self.negation_bridges = set(function_words["negation_bridges"])
        self.result_complements = set(function_words.get("result_complements", ()))
        self.request_markers = tuple(function_words.get("request_markers", ()))
        self.request_praise = tuple(function_words.get("request_praise", ()))
        self.request_warnings = tuple(function_words.get("request_warnings", ()))
        self.return_statement = re.compile(function_words.get("return_statement", "(?!)"))
        self.return_negated = re.compile(function_words.get("return_negated", "(?!)"))
        #: a long wait reported (等了两个小时, 送了将近3个小时才到, 排队半天): a complaint without opinion words
        self.waiting_complaint = re.compile(function_words.get("waiting_complaint", "(?!)"))
        phrases = sorted(function_words["not_opinions"], key=len, reverse=True)
        self.not_opinions = re.compile("|".join(map(re.escape, phrases))) if phrases else None
        self.skippable = self.fillers | self.degrees
        #: words passed over when looking back from an opinion for its aspect (很, 也, 不)
        self.modifiers_and_fillers = self.skippable | self.negations
        self.aspect_terms = aspect_terms
        self.aspect_max_len = max((len(a) for a in aspect_terms), default=1)
        #: words that never name an aspect: time and frame words (时候, 上次), pronouns, and the
        #: modifiers and fillers (老 of 老用户 when the segmenter splits it)
        self.not_aspects = set(function_words.get("not_aspects", ())) | self.modifiers_and_fillers
        #: words that widen an opinion to everything else (其他都挺好): it leaves the earlier aspect
        self.scope_words = tuple(function_words.get("scope_words", ()))
        markers = function_words.get("expectation_markers", ())
        #: an expectation let down (本来以为会送晚，结果…): opinion words after it are no verdict
        self.expectation = re.compile("|".join(map(re.escape, markers))) if markers else None

    @classmethod
    def default(cls) -> Lexicon:
        """The shipped lexicon (cached)."""
        return _default_lexicon()

    # -- matching ------------------------------------------------------------
    def base_polarity(self, word: str) -> str:
        """The listed polarity of a hit's word: an opinion word's, or a cost grade's (多, 大: negative)."""
        return self.opinion_words.get(word) or self.cost_grades[word]

    def polarity_of(self, word: str, rated: str, before: str = "") -> str:
        """Polarity of an opinion word, resolving ``up``/``down`` words by ``rated``, the text
        naming what is rated (see :func:`rated_text`): 价格高 is negative, 质量高 positive; a yield
        there or in ``before`` (the clause before it) keeps more good (存款 + 利率低 is negative)."""
        base = self.base_polarity(word)
        if base in ("up", "down"):
            cost = any(c in rated for c in self.cost_aspects) \
                and not any(y in rated or y in before for y in self.yield_aspects)
            positive = (base == "up") != cost
            return "positive" if positive else "negative"
        return base

    def find_hits(self, text: str, words: Sequence[Word], start: int, end: int) -> list[tuple[int, int, str]]:
        """Opinion words in ``text[start:end]`` as (start, end, word): multi-character words by
        substring (longest first), single characters only as a word of their own or after a modifier.
        ``words`` are the words of ``text`` as ``(start, end, text[start:end])``, sorted; they may begin
        before ``start``."""
        found: list[tuple[int, int, str]] = []
        covered: set[int] = set()
        multi, lengths_of = self.multi, self.multi_lengths.get
        i = start
        while i < end:
            for length in lengths_of(text[i], ()):
                piece = text[i:i + length] if i + length <= end else ""
                if piece in multi and text[i + length:i + length + 1] not in _NOUN_SUFFIXES:  # not 清晰 of 清晰度
                    found.append((i, i + length, piece))
                    covered.update(range(i, i + length))
                    i += length
                    break
            else:
                i += 1
        n = len(words)
        for m in self._final_char.finditer(text, start, end):  # words ending in a one-character opinion word
            we = m.end()
            k = bisect_left(words, we, key=_END)
            if k == n or words[k][1] != we or words[k][0] < start:
                continue
            ws, _, w = words[k]
            if covered and not covered.isdisjoint(range(ws, we)):
                continue
            if w[-1] in self.cost_grades:  # 噪音很大, 广告太多: only right after such an aspect (not 房间很大, 人很多)
                if (len(w) == 1 or w[:-1] in self.modifiers) and self._follows_cost_aspect(words, ws):
                    found.append((we - 1, we, w[-1]))
            elif len(w) == 1:
                following = words[k + 1:k + 2] if k + 1 < n and words[k + 1][0] < end else ()
                if not self._attributive(w, we, following) and not self._degree_before_opinion(w, we, following):
                    found.append((ws, we, w))
            elif len(w) == 3 and w[1] == "得" and w[-1] in _COMPLEMENTS:
                found.append((ws, we, w[-1]))  # a verb and its complement: 送得慢, 卖得贵
            elif len(w) in (2, 3) and (w[:-1] in self.modifiers or (w[:-1] in _GLUED_ADVERBS and w[-1] in _GLUED_GRADES)
                                        or (w[:-1] in self.aspect_terms and w[-1] in _GRADES)):
                # 很好, 不卡; an adverb glued to the word (还贵, 已凉); an aspect glued to its grade: 效率高, 速度慢
                found.append((we - 1, we, w[-1]))
        if not found:
            return found
        # 好不好吃, 新不新鲜, 是不是正品, 可不可以认真一点: asked, not said
        found = [h for h in found if not asks_either_way(text, h[0]) and not _ASKED_BEFORE.search(text, max(start, h[0] - 4), h[0])]
        found.sort()
        if found and self.not_opinions is not None:
            # hits inside a phrase that only looks like an opinion (好几次, 还没用) are dropped
            found = _outside(found, self.not_opinions.finditer(text, start, end))
        if found and _WAIT_VERB.search(text, start, end):  # 等了近两个小时: 近 is no praise there
            found = _outside(found, self.waiting_complaint.finditer(text, start, end))
        return found

    def aspect_before(self, text: str, words: list[Word], start: int, limit: int) -> Span | None:
        """The aspect of an opinion starting at ``limit``: the nearest known aspect term in
        ``text[start:limit]``, else the content word right before the opinion (looking back at most
        :data:`LOOKBACK` characters, so a long clause costs time in proportion to its length)."""
        start = max(start, limit - LOOKBACK)
        best: Span | None = None
        for i in range(limit - 1, start - 1, -1):
            for length in range(min(self.aspect_max_len, limit - i), 0, -1):
                if text[i:i + length] in self.aspect_terms:
                    best = (i, i + length)
                    break
            if best:
                break
        if best is not None:
            # extend to the word boundaries around the term (送餐速度 -> whole words)
            for ws, we, _ in overlapping(words, start, limit):
                if ws < best[0] < we and ws >= start:
                    best = (ws, best[1])
                if ws < best[1] < we and we <= limit:
                    best = (best[0], we)
            return best
        before = [w for w in overlapping(words, start, limit) if start <= w[0] and w[1] <= limit]
        while before and before[-1][2] in self.modifiers_and_fillers:
            before.pop()
        if before:
            ws, we, w = before[-1]
            if len(w) >= 2 and all("\u4e00" <= ch <= "\u9fff" or ch.isalnum() for ch in w) \
                    and w not in self.opinion_words and w not in self.not_aspects:
                return (ws, we)
        return None

    def leads_with_complement(self, words: list[Word], span: Span) -> bool:
        """True when the first word of ``span`` past fillers is a service verb with its complement
        (就是送得慢) or with the 得 that brings one (送得 + 太慢)."""
        for ws, _we, w in overlapping(words, *span):
            if ws >= span[0] and w not in self.skippable:
                return w[0] in _SERVICE_VERBS and w[1:2] == "得" and (len(w) == 2 or (len(w) == 3 and w[-1] in _COMPLEMENTS))
        return False

    def _follows_cost_aspect(self, words: Sequence[Word], start: int) -> bool:
        """True when the word before the one at ``start`` (past fillers and degrees) ends with one of
        ``cost_grade_aspects``; ``words`` may begin before the span searched (the aspect often does)."""
        j = bisect_left(words, start, key=_START) - 1
        while j >= 0 and words[j][2] in self.skippable:
            j -= 1
        return j >= 0 and words[j][2].endswith(self.cost_grade_aspects)

    def _attributive(self, word: str, end: int, following: Sequence[Word]) -> bool:
        """True for a size word right in front of the noun it describes (一张小卡片, 小玩具): no opinion."""
        if word not in _SIZE_WORDS or not following or following[0][0] != end:  # 少给了一盒 is a complaint
            return False
        nxt = following[0][2]
        return nxt[0] >= "\u4e00" and nxt not in _AFTER_PREDICATE and nxt not in self.opinion_words \
            and nxt not in self.modifiers_and_fillers

    def _degree_before_opinion(self, word: str, end: int, following: Sequence[Word]) -> bool:
        """True for a word that is also a degree (好) right before an opinion word: 好郁闷, 好贵."""
        return word in self.degrees and bool(following) and following[0][0] == end \
            and (following[0][2] in self.opinion_words or following[0][2][-1] in self.opinion_words)

    def modifier_start(self, words: list[Word], clause_start: int, pos: int) -> int:
        """Where the modifiers (negation, degree) in front of position ``pos`` begin: also a
        modifier glued to the word (不卡 as one token), and a negation before bridge words
        (没出现过卡顿, 从没遇到闪退)."""
        clause_start = max(clause_start, pos - LOOKBACK)
        start = pos
        for ws, _we, w in overlapping(words, pos, pos + 1):
            if clause_start <= ws < pos and w[:pos - ws] in self.modifiers:
                start = ws
        before = [w for w in overlapping(words, clause_start, start) if clause_start <= w[0] and w[1] <= start]
        # a negated verb before a result complement: 没睡 + 好, 没洗 + 干净 (没睡好 is no praise)
        if start == pos and before and before[-1][1] == pos and len(before[-1][2]) == 2 and before[-1][2][0] in "没未" \
                and any(w == pos and word in self.result_complements for w, _, word in overlapping(words, pos, pos + 1)):
            return before[-1][0]
        while before and before[-1][1] == start and before[-1][2] in self.modifiers:
            start = before.pop()[0]
        bridged = start
        while before and before[-1][1] == bridged and before[-1][2] in self.negation_bridges:
            bridged = before.pop()[0]
        if bridged < start and before and before[-1][1] == bridged and before[-1][2] in self.negations \
                and not any(w in _EXTREMES for _, _, w in overlapping(words, start, pos)):
            start = before[-1][0]  # 没出现过卡顿; but 没遇到这么慢的 says how slow it was
        return start

    def negated(self, text: str, words: list[Word], mod_start: int, word_start: int, polarity: str = "") -> bool:
        """True when the modifiers between ``mod_start`` and ``word_start`` include a negation that
        reverses ``polarity``: a warning's 别 before a complaint word does not (大家别上当)."""
        inside = [w for w in overlapping(words, mod_start, word_start) if mod_start <= w[0]]
        negations = [w for _, we, w in inside if we <= word_start and w in self.negations]
        if negations:
            if set(negations) <= _RHETORICAL and _RHETORICAL_END.match(text, word_start):
                return False  # 这不是欺骗消费者吗: a question that asserts
            return polarity != "negative" or any(w not in _WARNINGS for w in negations)
        # a negation glued to a modifier or to the word by the segmenter: 不太, 没那么, 很 + 不爽
        return text[mod_start:word_start].startswith(_GLUED_NEGATIONS) or any(
            ws < word_start < we and w.startswith(_GLUED_NEGATIONS) for ws, we, w in inside)

    # -- the lexicon extractor --------------------------------------------------
    def extract(self, text: str, words: list[Word], clauses: list[Span]) -> list[tuple[Span | None, Span, str]]:
        """(aspect_span, opinion_span, polarity) triplets of the lexicon path."""
        out: list[tuple[Span | None, Span, str]] = []
        for cs, ce in clauses:
            hits = self.find_hits(text, words, cs, ce)
            if hits and self.expectation is not None and (expected := self.expectation.search(text, cs, ce)):
                hits = [h for h in hits if h[0] < expected.start()]
            if not hits:
                complaint = self._missing(text, words, cs, ce) or self._waited(text, cs, ce) \
                    or self._falls_short(text, cs, ce) or _ignored_request(text, cs, ce)
                if complaint is not None:
                    aspect = self.aspect_before(text, words, cs, complaint[0])
                    out.append((aspect, complaint, "negative"))
                continue
            prev_end = cs
            for hs, he, word in hits:
                mod = self.modifier_start(words, cs, hs)
                if mod < prev_end:  # a modifier already used by the previous hit
                    mod = max(prev_end, mod)
                compared = comparison_start(text, prev_end, mod)  # 按键 + 没有thinkpad的好
                aspect = self.aspect_before(text, words, cs, mod if compared is None else compared)
                polarity = self.polarity_of(word, rated_text(text, aspect, aspect[1] if aspect else cs, mod),
                                            text[cs:aspect[0]] if aspect else "")
                if self.negated(text, words, mod, hs, polarity) or compared is not None:
                    polarity = FLIP[polarity]
                if compared is not None:
                    mod = compared  # the opinion is the whole comparison
                if aspect is not None and out and out[-1][1][1] == prev_end and prev_end > cs \
                        and aspect[1] <= prev_end:
                    aspect = out[-1][0]  # 清爽不油腻: both opinions share the clause's aspect
                start = aspect[1] if aspect is not None and prev_end <= aspect[1] <= mod else mod
                out.append((aspect, (start, he), polarity))
                prev_end = he
        return out

    def _missing(self, text: str, words: list[Word], start: int, end: int) -> Span | None:
        """没有必填项提示 / 无通知: a negation of a thing, with no opinion word, is a complaint."""
        if self._any_missing_exception is not None and self._any_missing_exception.search(text, start, end):
            return None
        inside = [w for w in overlapping(words, start, end) if start <= w[0] and w[1] <= end]
        for k, (ws, _we, w) in enumerate(inside):
            if w in self.missing_markers and any(x[2] not in self.skippable for x in inside[k + 1:]):
                return (ws, end)
            for marker in ("没有", "无"):
                if w.startswith(marker) and len(w) > len(marker) and w not in self.missing_exceptions:
                    return (ws, end)
        return None

    def _waited(self, text: str, start: int, end: int) -> Span | None:
        """等了两个小时才送到: a long wait is a complaint; the opinion runs from the wait to the clause end."""
        wait = self._wait(text, start, end)
        return (wait.start(), end) if wait else None

    @staticmethod
    def _falls_short(text: str, start: int, end: int) -> Span | None:
        """速度还不如4G, 比不上别家: a comparison that falls short is a complaint, also without an opinion word."""
        found = _FALLS_SHORT.search(text, start, end)
        return (found.start(), end) if found else None

    def _wait(self, text: str, start: int, end: int) -> re.Match[str] | None:
        """The first long wait reported in ``text[start:end]`` (see ``waiting_complaint``)."""
        return self.waiting_complaint.search(text, start, end) if _WAIT_VERB.search(text, start, end) else None

    # -- display phrases ---------------------------------------------------------
    def phrase(self, text: str, words: list[Word], aspect: Span | None, opinion: Span, max_len: int = 16) -> str:
        """The concise display form: aspect + core opinion words, fillers trimmed (鳕鱼有点少 -> 鳕鱼少)."""
        os_, oe = opinion
        # the first clause of the opinion that holds an opinion word (else the first clause)
        parts: list[Span] = []
        s = os_
        for i in range(os_, oe + 1):
            if i == oe or text[i] in BREAKS or _is_full_stop(text, i):
                if i > s:
                    parts.append((s, i))
                s = i + 1
        if not parts:
            return text[os_:oe].strip()
        if aspect is None and self.return_polarity(text[parts[0][0]:parts[0][1]]):
            return text[parts[0][0]:parts[0][1]].rstrip("的了哦啊呀吧哈啦")[:max_len]  # 下次还会再来: 还/再 carry the promise
        chosen, hits = parts[0], []
        for part in parts:
            hits = self.find_hits(text, words, *part)
            if hits:
                chosen = part
                break
        ps, pe = chosen
        # a negated opinion word stays whole (不 + 咋 + 的 is 不咋的, not 不); others lose their fillers (还可以 -> 可以)
        in_opinion_word = {i for hs, he, word in hits if len(word) > 1 and word[0] in "不没无未有" for i in range(hs, he)}
        kept: list[tuple[int, int]] = []
        for ws, we, w in overlapping(words, ps, pe):
            cs, ce = max(ws, ps), min(we, pe)
            if cs >= ce:
                continue
            filler = (w in self.skippable and w not in self.opinion_words and w not in _SHOWN_DEGREES
                      and not (w in _QUANTITY_PREDICATES and we == pe)  # 很多 ending the clause is its verdict
                      and not (w == "个" and text[ws - 1:ws].isdigit()))  # a measure word: 等了1个半小时
            if (cs, ce) == (ws, we) and ws not in in_opinion_word and (filler or not any(ch.isalnum() for ch in w)):
                continue  # fillers, emoji, symbols
            if (cs, ce) == (ws, we) and len(w) > 1 and w[:-1] in self.degrees and w[-1] in self.opinion_words:
                cs = ce - 1  # 很差 -> 差
            kept.append((cs, ce))
        # an aspect after opinion words of its own short clause stays in place (强烈推荐甘薯披萨, 不推荐购买,
        # 对这家酒店满意); else it leads the phrase (鳕鱼有点少 -> 鳕鱼少)
        if aspect is not None and kept and kept[0][1] <= aspect[0] and aspect[1] <= pe:
            in_place = "".join(text[a:b] for a, b in kept)
            if len(in_place) <= _IN_PLACE_MAX_LEN:
                return in_place
        if aspect is not None:
            kept = [k for k in kept if not (aspect[0] <= k[0] and k[1] <= aspect[1])]
        core = "".join(text[a:b] for a, b in kept) or text[ps:pe]
        if len(core) > 8 and hits:  # ``hits`` are those of the chosen part
            hs, he, _ = hits[0]
            mod = self.modifier_start(words, ps, hs)
            compared = comparison_start(text, ps, mod)
            mod = mod if compared is None else compared  # keep 没有 / 不如 of a comparison
            near = [k for k in kept if k[1] <= mod]
            start = near[-1][0] if near else mod
            he = max([b for a, b in kept if a < he <= b] + [he])  # the whole word: 满意 of 满意度
            core = "".join(text[a:b] for a, b in kept if a >= start and b <= he) or text[mod:he]
        aspect_text = text[aspect[0]:aspect[1]] if aspect else ""
        if aspect is not None and aspect_text and (
                core.startswith(aspect_text)
                or (aspect[1] < ps and any(core.startswith(t) for t in self._leading_terms(core)))):
            aspect_text = ""  # a later clause names its own aspect: 分量足 rather than 味道分量足
        return (aspect_text + core)[:max_len]

    def _leading_terms(self, core: str) -> list[str]:
        """The aspect terms ``core`` starts with, longest first (single characters too: 饭 of 饭凉)."""
        return [core[:n] for n in range(min(self.aspect_max_len, len(core) - 1), 0, -1) if core[:n] in self.aspect_terms]

    def request_polarity(self, opinion: str) -> str | None:
        """The polarity of an opinion that is a request (希望优化一下, 建议改进包装: neutral; 建议大家去吃,
        希望越来越好: positive; 建议不要买: negative), or None when it is no request."""
        core = opinion.lstrip(_LEADING_PUNCTUATION + "也还就都")
        if not core.startswith(self.request_markers):
            return None
        if any(w in core for w in self.request_warnings):
            return "negative"
        return "positive" if any(w in core for w in self.request_praise) else "neutral"

    def return_polarity(self, opinion: str) -> str | None:
        """The polarity of an opinion that says whether the customer comes back (下次还住, 还会再来:
        positive; 下次绝对不会购买: negative), or None when it says nothing of the kind."""
        core = opinion.lstrip(_LEADING_PUNCTUATION + "~～")
        if not self.return_statement.match(core):
            return None
        return "negative" if self.return_negated.search(core) else "positive"

    def span_polarity(self, text: str, words: list[Word], span: Span, aspect: Span | None) -> str | None:
        """Polarity of the first opinion word in ``span`` (negation applied), or None without one."""
        hits = self.find_hits(text, words, *span)
        if not hits:
            return "negative" if self._wait(text, *span) else None
        hs, _he, word = hits[0]
        polarity = self.polarity_of(word, rated_text(text, aspect, span[0], hs))
        mod = self.modifier_start(words, span[0], hs)
        if self.negated(text, words, mod, hs, polarity) or comparison_start(text, span[0], mod) is not None:
            polarity = FLIP[polarity]
        return polarity


#: Punctuation an opinion span may open with (the model sometimes starts one at a clause break).
_LEADING_PUNCTUATION = "，,。.!！?？;；:：、 "

#: The longest display phrase that keeps its aspect in place (longer ones are trimmed around the opinion word).
_IN_PLACE_MAX_LEN = 10


#: Degree words kept in display phrases: 没那么好 is no 没好.
_SHOWN_DEGREES = frozenset({"那么", "这么"})

#: Fillers that are the verdict when they end a clause (米饭给的很多), not a determiner (很多人说).
_QUANTITY_PREDICATES = frozenset({"很多"})

#: One-character grades that the segmenter may glue to an aspect (效率高, 速度慢); not 卡 or 香, which end
#: nouns (保修卡, 酱香).
_GRADES = frozenset("高低快慢好差贵")
#: Adverbs the segmenter's HMM glues to a one-character grade (还贵, 也慢, 已凉, 都坏), and those grades
#: (not 好 or 久: 还好, 也好 and 已久 are idioms).
_GLUED_ADVERBS = frozenset("还也都就又已")
_GLUED_GRADES = frozenset("贵慢快凉差坏脏吵咸淡硬酸苦")
#: Grades a verb takes as its complement, one token with 得 (送得慢); not 好, also a degree (做得好没腔调).
_COMPLEMENTS = frozenset("快慢差贵")
#: Verbs of what a business does whose 得 complement rates the doing itself (送得慢, 回得快, 修得好).
_SERVICE_VERBS = frozenset("送发到来回修装办做卖")

#: The verbs a waiting complaint starts with, or the 才 of a late arrival (a cheap test before its pattern).
_WAIT_VERB = re.compile("[等送排催才]")

#: A question frame right before an opinion word (是不是正品, 是否正品, 可不可以认真一点).
_ASKED_BEFORE = re.compile("(?:是不是|是否|可不可以|能不能|会不会|算不算)(?:真的|真是)?$")
#: A negation that a closing question turns into an assertion (这不是欺骗消费者吗, 难道不是坑人吗).
_RHETORICAL = frozenset({"不是"})
_RHETORICAL_END = re.compile("[^，,。!！?？;；…~～]{0,12}(?:吗|么)")
#: Suffixes that make an opinion word a noun naming what is rated (清晰度, 满意度, 安全性).
_NOUN_SUFFIXES = frozenset("度性")
#: Negations that warn rather than deny: 别上当 is a complaint, not its opposite.
_WARNINGS = frozenset({"别"})
#: Negation characters the segmenter glues to the next word (不太, 没那么, 不爽).
_GLUED_NEGATIONS = ("不", "没", "未")
#: Degree words of an extreme that a negated experience verb leaves standing (没遇到这么慢的).
_EXTREMES = frozenset({"这么", "如此", "这样", "那么", "这种"})

#: Size words that may stand as an attribute before their noun.
_SIZE_WORDS = frozenset("小高低")
#: Words after a size word that is the predicate (房间小了点, 少得可怜), not an attribute.
_AFTER_PREDICATE = frozenset("了的得地啊呢吧啦呀哦嘛点些")

#: A comparison that falls short: 没有海鲜粥好喝, 不如以前好吃, 比不上上次 (没有比这更好的 is praise; 有没有 asks).
_COMPARED_DOWN = re.compile("(?<!有)没有(?!比)(?![^，,。!！?？]{0,3}过)|没(?=[^有]{0,6}(那么|这么))|没(?=(?:想象|预期|期待|期望|宣传|描述|说的|以前|之前|上次|上回|原来|别家|实体店))"
                            "|不如|比不上|不及")

#: A comparison that falls short with no opinion word after it (不如说 is no comparison).
_FALLS_SHORT = re.compile("(?:还|都)?(?:不如|比不上)(?!说)")
#: A request the business ignored: 备注了不要香菜还是放了, 说了不要冰，结果还是加了冰.
_IGNORED_REQUEST = re.compile("(?:备注|说了|说好|交代|叮嘱|强调)[^。！？!?]{0,14}?(?:结果|但|可)?(?:还是|依然|仍然)"
                              "(?:放|加|给|有|送|做|带|是)")
#: How far before a clause the request of :data:`_IGNORED_REQUEST` may start (one clause back).
_REQUEST_REACH = 16


def _ignored_request(text: str, start: int, end: int) -> Span | None:
    """The clause part that reports an ignored request (the request may sit in the clause before)."""
    for found in _IGNORED_REQUEST.finditer(text, max(0, start - _REQUEST_REACH), end):
        if found.end() > start:
            return (max(found.start(), start), end)
    return None


def _outside(hits: list[tuple[int, int, str]], matches: Iterable[re.Match[str]]) -> list[tuple[int, int, str]]:
    """The hits that overlap none of ``matches``."""
    for m in matches:
        hits = [h for h in hits if not (m.start() < h[1] and h[0] < m.end())]
    return hits


def comparison_start(text: str, start: int, pos: int) -> int | None:
    """Where a comparison that falls short begins in the clause of ``text[start:pos]`` that ends at
    ``pos`` (没有海鲜粥 + 好喝: it negates the opinion word at ``pos``), or None without one."""
    clause_start = start
    for i in range(pos - 1, start - 1, -1):
        if text[i] in BREAKS:
            clause_start = i + 1
            break
    found = _COMPARED_DOWN.search(text, clause_start, pos)
    return found.start() if found else None


def _is_full_stop(text: str, i: int) -> bool:
    """A half-width ``.`` ending a sentence (not 3.5分): a clause break for display phrases."""
    return text[i] == "." and not (text[i - 1:i].isdigit() and text[i + 1:i + 2].isdigit())


def rated_text(text: str, aspect: Span | None, start: int, end: int) -> str:
    """The aspect's text and ``text[start:end]``, the words before an opinion word: what is rated
    may also sit there (手续费还高 with no aspect, 车子 + 毛病不少)."""
    return (text[aspect[0]:aspect[1]] if aspect else "") + text[start:end]


def read_opinion_words(path: Path) -> dict[str, str]:
    """``word<TAB>polarity`` lines (``#`` comments) as a dict."""
    words: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, polarity = line.split("\t")[:2]
            words[word.strip()] = polarity.strip()
    return words


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    function_words = json.loads((DATA_DIR / "function_words.json").read_text(encoding="utf-8"))
    taxonomy = json.loads((DATA_DIR / "taxonomy.json").read_text(encoding="utf-8"))
    terms = {t for keywords in taxonomy["aspects"].values() for t in keywords}
    return Lexicon(read_opinion_words(DATA_DIR / "opinion_words.tsv"), function_words, terms)
