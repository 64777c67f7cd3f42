"""Clause-scoped churn cues with negation, hypotheticals, resolution and policy mentions.

The lexicon (``cues.json``, or a user file of the same shape) maps each guideline
category to regular expressions matched on the normalised text one clause at a
time. Every high-risk match gets a status:

``active``        the customer says it happened or will happen: 再也不点了, 已经申请退款
``negated``       不退货也行, 不是假货, 没有投诉; a clause denying a problem (晚上洗衣服也不会吵到家人)
``threat``        a condition on the future: 如果再这样就投诉, 再有下次就不来了
                  (a chance to come back is no condition: 如果再有机会去也不住这 is ``active``)
``unrealised``    a near miss, counterfactual, mistaken belief or question: 差点就退货了, 以为是假货, 能退货吗
                  (a rhetorical question is an assertion: 这不是坑人吗 and 难道是假货吗 are ``active``)
``resolved``      a later clause says the problem was fixed (还好客服解决了), or the sentiment stage read the
                  whole text as a fix with only praise after it (扣费有误，客服核实后当场退还了)
``info``          a policy or praise of the process: 支持七天无理由退货, 退货很方便

Warnings to others (劝阻他人) are advice, so conditions do not soften them
(如果怕吵千万别住 is still a warning); a near miss of harm (差点划伤嘴) is still a
safety claim; the business refusing a refund (不给退款) is still a refund demand.
Tone words (``dissatisfaction`` / ``satisfaction``) are scanned separately, so they
never hide a high-risk cue, and flip under negation (不好 is 不满, 不贵 is 满意).
Text after a business reply marker (宾馆反馈 …) is the business speaking and is ignored.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The regular-expression parser (re._parser from Python 3.11, sre_parse before) is private: on a
# Python without it, or where it changed, every scan falls back to the whole alternation (same matches).
try:
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    try:
        import sre_constants as _sre  # type: ignore[no-redef]
        import sre_parse as _sre_parse  # type: ignore[no-redef]
    except ImportError:
        _sre = _sre_parse = None  # type: ignore[assignment]

from ..doc import Document
from ..errors import ConfigError, describe
from ..sentiment.rules import RESOLUTION, asks_either_way, denies_problem, says_nothing

DEFAULT_CUES = Path(__file__).with_name("cues.json")

#: The guideline's high-risk cue categories (a custom lexicon may extend their patterns, not add categories).
HIGH_CATEGORIES: tuple[str, ...] = ("流失意图", "退款退货", "投诉升级", "欺诈指控", "安全问题", "劝阻他人")
#: Status of a high-risk cue occurrence.
STATUSES = ("active", "negated", "threat", "unrealised", "resolved", "info")
DISSATISFACTION = "不满"
SATISFACTION = "满意"
#: Categories whose conditionals stay in force (advice to others is conditional by nature).
UNCONDITIONAL = frozenset({"劝阻他人"})
#: 不给退款 / 不能退货: the business refusing is still the customer asking for a refund.
REFUSAL_STILL_COUNTS = "退款退货"
#: A near miss of harm is still a hazard: 差点划伤嘴 is a safety claim, 差点就退货了 is no return.
NEAR_MISS_COUNTS = frozenset({"安全问题"})
_MARKERS = ("negation", "not_negation", "polarity_flip", "hypothetical", "conditional", "counterfactual_lead",
            "consequence", "near_miss", "question_tail", "resolution", "policy", "positive_process",
            "inquiry", "negation_after", "hypothetical_tail", "rhetorical", "opportunity")
_SENTENCE_END = re.compile(r"[。!！?？\n]")
_REALISED = re.compile(r"已|了")
_BUSINESS_REPLY = re.compile(r"(?:宾馆|酒店|商家|卖家|店家|掌柜)(?:反馈|回复)")
#: How far (characters) after a cue a resolution is looked for (所以退款了…后来客服解决了), and how far back in
#: its clause a negation, condition or policy is: far enough for a review, and a bound on the work per cue in a
#: long unpunctuated text (5,000 characters of 退款 took 0.56 s).
RESOLUTION_REACH = 200
PREFIX_REACH = 40
#: Characters of context kept on each side of a cue when its clause is long.
_CONTEXT = 4
_SHORT_CLAUSE = 14


@dataclass(slots=True, frozen=True)
class CueHit:
    """One lexicon match: its category, status and evidence (original characters)."""

    category: str
    status: str
    start: int
    end: int
    evidence: str


class CueLexicon:
    """Compiled cue lexicon; :meth:`find` returns the cue hits of a document.

    Args:
        path: a JSON file shaped like the shipped ``cues.json`` (None: the shipped one).
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else DEFAULT_CUES
        data = self._read(self.path)
        high = [(c, list(p)) for c, p in data["high"].items()]
        tone = [(DISSATISFACTION, list(data["dissatisfaction"])), (SATISFACTION, list(data["satisfaction"]))]
        self._group_names = {f"g{i}": name for i, (name, _) in enumerate(high + tone)}
        try:
            # Two scans, so that a tone word (根本不) never hides a high-risk cue (不是进口) it overlaps.
            self._scans = (_Scan(high, 0), _Scan(tone, len(high)))
            self._markers = {name: re.compile(data["markers"][name]) for name in _MARKERS}
        except (re.error, KeyError) as e:
            raise ConfigError(f"Cue lexicon {str(self.path)!r} is invalid: {e!r}.") from None

    @staticmethod
    def _read(path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise ConfigError(f"Cannot read the cue lexicon {str(path)!r}: {e}.") from None
        needed = ("high", "dissatisfaction", "satisfaction", "markers")
        if not isinstance(data, dict) or any(k not in data for k in needed):
            raise ConfigError(f"Cue lexicon {str(path)!r} must be a JSON object with keys {list(needed)}, "
                              f"got {describe(list(data) if isinstance(data, dict) else data)}.")
        unknown = [c for c in data["high"] if c not in HIGH_CATEGORIES]
        if unknown:
            raise ConfigError(f"Cue lexicon {str(path)!r} has unknown high-risk categories {unknown}; "
                              f"use {list(HIGH_CATEGORIES)} (add patterns to them).")
        return data

    def find(self, doc: Document) -> list[CueHit]:
        """All cue hits in ``doc``, in text order (uses ``doc.norm`` and ``doc.clauses`` when present)."""
        text = doc.text
        norm = doc.norm if len(doc.norm) == len(text) else text.lower()
        reply = _BUSINESS_REPLY.search(norm)
        limit = reply.start() if reply else len(norm)
        spans = [(c.start, c.end) for c in doc.clauses] or [(0, len(text))]
        spans = [(s, min(e, limit)) for s, e in spans if s < limit]
        hits: list[CueHit] = []
        fixed = doc.sentiment is not None and doc.sentiment.rule == RESOLUTION
        starts = [t.start for t in doc.tokens]
        ends = [t.end for t in doc.tokens]
        previous: tuple[int, int] | None = None
        for start, end in spans:
            carried = ""  # a condition / counterfactual opened by the previous clause of the sentence
            if previous is not None and not _SENTENCE_END.search(text[previous[1]:start]):
                before = norm[previous[0]:previous[1]]
                # counterfactual first: 如果不是朋友推荐 holds the conditional 如果 too
                if self._markers["counterfactual_lead"].search(before):
                    carried = "unrealised"
                elif self._markers["conditional"].search(before) and not self._markers["opportunity"].search(before):
                    carried = "threat"
            clause = norm[start:end]
            matches = sorted((m for scan in self._scans for m in scan.finditer(clause)), key=lambda m: m.start())
            for match in matches:
                category = self._group_names[match.lastgroup or ""]
                if category in (DISSATISFACTION, SATISFACTION) and asks_either_way(clause, match.start()):
                    continue  # 支不支持, 满不满意, 好不好: a question, neither praise nor complaint
                if category == DISSATISFACTION and says_nothing(clause):
                    continue  # 希望不要让我失望: a hope, no verdict
                status = self._status(category, clause, match.start(), match.end(), norm, start, limit, carried)
                if fixed and status == "active" and category in HIGH_CATEGORIES:
                    status = "resolved"
                if category in (DISSATISFACTION, SATISFACTION) and status == "negated":
                    category = SATISFACTION if category == DISSATISFACTION else DISSATISFACTION
                    status = "active"
                lo, hi = start + match.start(), start + match.end()
                hits.append(CueHit(category, status, lo, hi, _evidence(text, (start, end), (lo, hi), starts, ends)))
            previous = (start, end)
        return hits

    def is_inquiry(self, doc: Document) -> bool:
        """True when the text opens as a question to the business (请问 …, 想咨询 …)."""
        norm = doc.norm if len(doc.norm) == len(doc.text) else doc.text.lower()
        return bool(self._markers["inquiry"].search(norm))

    def _status(self, category: str, clause: str, lo: int, hi: int, norm: str,
                offset: int, limit: int, carried: str) -> str:
        prefix, suffix = clause[max(0, lo - PREFIX_REACH):lo], clause[hi:]
        marks = self._markers
        if category in (DISSATISFACTION, SATISFACTION):
            flipped = bool(marks["polarity_flip"].search(prefix))
            # 没有色差, 没有不满意的地方, 零差评: praise, whatever the words (checked only where it
            # would change the outcome: unflipped dissatisfaction, flipped satisfaction)
            if flipped == (category == SATISFACTION) and denies_problem(clause):
                return "negated" if category == DISSATISFACTION else "active"
            return "negated" if flipped else "active"
        if category != REFUSAL_STILL_COUNTS and denies_problem(clause):
            return "negated"  # 晚上洗衣服也不会吵到家人 is no 不会 of leaving
        refused = category == REFUSAL_STILL_COUNTS and marks["not_negation"].search(prefix)
        question = bool(marks["question_tail"].search(suffix))
        rhetorical = question and bool(marks["rhetorical"].search(clause, 0, hi))  # 这不是坑人吗, 不是真货吗
        if not (refused or rhetorical) and (marks["negation"].search(prefix) or marks["negation_after"].search(suffix)):
            return "negated"
        if marks["policy"].search(prefix) or marks["positive_process"].search(suffix) \
                or (category == REFUSAL_STILL_COUNTS and denies_problem(clause)):  # 退款不到一天就到账了, 退货没问题
            return "info"
        if category in NEAR_MISS_COUNTS and marks["near_miss"].search(prefix):
            return "active"
        if category not in UNCONDITIONAL:
            if marks["conditional"].search(prefix) and not marks["opportunity"].search(prefix):
                return "threat"
            if (marks["hypothetical"].search(prefix) or (question and not rhetorical)
                    or marks["hypothetical_tail"].search(suffix)):
                return "unrealised"
            # A condition opened by the previous clause governs this one only when it reads as
            # the consequence (如果再这样，我就投诉; 要不是态度好，早就投诉了).
            if carried and marks["consequence"].search(prefix) and not _REALISED.search(prefix):
                return carried
        if marks["resolution"].search(norm, offset + hi, min(limit, offset + hi + RESOLUTION_REACH)):
            return "resolved"
        return "active"


class _Scan:
    """One regex with a named group ``g<i>`` per category (longest alternatives first, so that
    不推荐 wins over 推荐 at the same position), matched like ``pattern.finditer``.

    The big alternation is slow to try at every position, so matching is dispatched on the
    character at hand: a pattern per first character holds only the alternatives that can
    start with it, in their order, and positions no alternative starts with are skipped. The
    first alternative that matches is the same, hence the matches. When some alternative's
    first characters cannot be worked out, the whole alternation is tried everywhere.
    """

    def __init__(self, groups: list[tuple[str, list[str]]], first: int) -> None:
        ordered = {f"g{first + i}": sorted(patterns, key=len, reverse=True) for i, (_, patterns) in enumerate(groups)}
        self.pattern = re.compile(_alternation(ordered))
        self._by_char: dict[str, re.Pattern[str]] = {}
        self._candidates: re.Pattern[str] | None = None
        firsts = {p: _first_chars(p) for patterns in ordered.values() for p in patterns}
        starts = {p: chars for p, chars in firsts.items() if chars is not None}
        if not starts or len(starts) < len(firsts) or not all(ordered.values()):  # an empty group matches ""
            return
        compiled: dict[str, re.Pattern[str]] = {}  # characters with the same alternatives share one
        for ch in sorted({ch for chars in starts.values() for ch in chars}):
            chosen = {g: [p for p in ps if ch in starts[p]] for g, ps in ordered.items()}
            source = _alternation({g: ps for g, ps in chosen.items() if ps})
            if source not in compiled:
                compiled[source] = re.compile(source)
            self._by_char[ch] = compiled[source]
        self._candidates = re.compile("[" + "".join(map(re.escape, self._by_char)) + "]")

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of :attr:`pattern` in ``text``, left to right, without overlaps."""
        if self._candidates is None:
            yield from self.pattern.finditer(text)
            return
        resume = 0
        for candidate in self._candidates.finditer(text):
            i = candidate.start()
            if i >= resume:
                match = self._by_char[text[i]].match(text, i)  # lookbehinds still see text[:i]
                if match is not None:
                    yield match
                    resume = match.end()


def _alternation(groups: dict[str, list[str]]) -> str:
    """``(?P<name>p1|p2|...)|...``: a named group of alternatives per category, in order."""
    return "|".join(f"(?P<{name}>{'|'.join(patterns)})" for name, patterns in groups.items())


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with; None when that is not a short list
    (a negated class or ``.`` first, case-insensitive, the pattern can match the empty string)
    or the pattern is not a self-contained alternative (not valid alone, or capturing groups,
    which a backreference could number differently in another alternation), or the private parser
    is missing or not as expected."""
    if _sre_parse is None:
        return None
    try:
        parsed = _sre_parse.parse(pattern)
        if parsed.state.flags & re.IGNORECASE or parsed.state.groups > 1:
            return None
        chars, nullable = _first_of(parsed)
    except (re.error, AttributeError, TypeError, ValueError):  # not valid alone, or a changed private API
        return None
    return frozenset(chars) if chars is not None and not nullable else None


def _first_of(items: Any) -> tuple[set[str] | None, bool]:
    """(first characters or None for any, can match the empty string) of a parsed regex sequence."""
    chars: set[str] = set()
    for op, av in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # zero-width: what follows starts the match
            continue
        if op is _sre.LITERAL:
            return chars | {chr(av)}, False
        if op is _sre.IN:
            found = _class_chars(av)
            return (None if found is None else chars | found), False
        if op is _sre.SUBPATTERN and not av[1] & re.IGNORECASE:
            found, nullable = _first_of(av[3])
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            found, nullable = _first_of(av[2])
            nullable = nullable or av[0] == 0
        elif op is _sre.BRANCH:
            found, nullable = set(), False
            for alternative in av[1]:
                more, empty = _first_of(alternative)
                if more is None:
                    return None, False
                found |= more
                nullable = nullable or empty
        else:
            return None, False
        if found is None:
            return None, False
        chars |= found
        if not nullable:
            return chars, False
    return chars, True


def _class_chars(items: Any, most: int = 256) -> set[str] | None:
    """The characters of a parsed ``[...]`` class; None for a negated, category or large class."""
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < most:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:
            return None
    return chars


def _evidence(text: str, clause: tuple[int, int], cue: tuple[int, int], starts: list[int], ends: list[int]) -> str:
    """The clause when it is short, else the cue with a few characters of context, widened to whole words."""
    whole = text[clause[0]:clause[1]].strip()
    if len(whole) <= _SHORT_CLAUSE:
        return whole
    lo, hi = max(clause[0], cue[0] - _CONTEXT), min(clause[1], cue[1] + _CONTEXT)
    if starts:  # snap to the enclosing tokens' edges, within the clause
        i = bisect_right(starts, lo) - 1
        lo = max(clause[0], starts[i]) if i >= 0 and ends[i] > lo else lo
        j = bisect_left(ends, hi)
        hi = min(clause[1], ends[j]) if j < len(ends) and starts[j] < hi else hi
    return text[lo:hi].strip()
