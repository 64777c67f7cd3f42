"""The learned triplet model: aspect tagger, clause opinion model, start model, pairing, polarity.

Linear models over hashed features, trained with scikit-learn and run as numpy gathers and
matrix products (no scikit-learn objects are saved):

1. **Aspect tagger** (per character, O / B / I): window character n-grams, the jieba word
   around the character, lexical classes of the next words (is an opinion word coming?) and
   the position in the clause (:mod:`.features`); a second, stacked pass also sees the first
   pass's labels around each character. Spans are widened to whole words.
2. **Clause opinion model** (per clause): ``Bs`` an opinion starts at the clause start,
   ``Ba`` right after the aspect in the clause, ``Bo`` elsewhere, ``I`` the clause continues
   the previous opinion, ``O`` no opinion. Opinions end at clause ends, the annotators' loose
   convention in the training data (89 % of spans).
3. **Start model**: where in its first clause an opinion starts, chosen among word boundaries.
4. **Pairing**: an opinion takes the nearest aspect before it in the same sentence (plus the
   aspects coordinated with it: A和B), else an aspect inside it, else the next aspect in its
   clause, else it is implicit (``None``).
5. **Polarity**: character 1-3-grams of the opinion span and the lexicon's verdict on it,
   multinomial logistic regression.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..doc import Span
from .features import BREAKS, SENTENCE_ENDS, Hasher, char_feature_ids, feature_matrix, label_feature_ids
from .lexicon import Lexicon, Word, overlapping

CLAUSE_LABELS = ("Ba", "Bo", "Bs", "I", "O")
MAX_START_CANDIDATES = 12
#: What joins coordinated aspects that share one opinion (A和B, A、B).
COORDINATORS = frozenset({"", "和", "、", "还有", "以及", "及", "与", "跟", "或"})
#: How many times the lexicon's verdict counts among an opinion's character n-grams.
LEXICON_WEIGHT = 4
POLARITY_LABELS = ("negative", "neutral", "positive")
WEIGHTS_FILE = "aspects.npz"

#: (aspect_span, opinion_span, polarity, score)
Prediction = tuple[Span | None, Span, str, float]


_CLAUSE = re.compile("[^" + "".join(map(re.escape, sorted(BREAKS))) + "]+")


def clause_spans(text: str) -> list[Span]:
    """Stretches of ``text`` between clause-breaking characters."""
    return [m.span() for m in _CLAUSE.finditer(text)]


#: class ids for the tagger's word-context features (7 is reserved for breaks)
_CLASS_IDS = {"other": 0, "neg": 1, "deg": 2, "fill": 3, "op_positive": 4, "op_negative": 5,
              "op_neutral": 6, "op_up": 6, "op_down": 6}
OPINION_CLASS_IDS = frozenset({4, 5, 6})


def word_class(lexicon: Lexicon, word: str) -> str:
    """A coarse lexical class: negation, degree, filler, opinion (with polarity) or other."""
    if word in lexicon.negations:
        return "neg"
    if word in lexicon.opinion_words:
        return "op_" + lexicon.opinion_words[word]
    if word in lexicon.degrees:
        return "deg"
    if word in lexicon.fillers:
        return "fill"
    return "other"


def clause_features(text: str, words: Sequence[Word], clauses: list[Span],
                    aspects: list[Span], lexicon: Lexicon) -> list[list[str]]:
    """Feature strings of each clause: its words and characters, neighbours, aspects inside;
    ``words`` are the words of ``text`` as ``(start, end, text[start:end])``, sorted."""
    per_clause: list[list[str]] = [[] for _ in clauses]
    clause_words: list[list[Word]] = [[] for _ in clauses]
    n = len(clauses)
    k = 0
    for word in words:
        s, e = word[0], word[1]
        while k < n and clauses[k][1] <= s:
            k += 1
        if k < n and clauses[k][0] <= s and e <= clauses[k][1]:
            per_clause[k].append(word[2])
            clause_words[k].append(word)
    feats: list[list[str]] = []
    inside: list[Span] = []
    for k, (s, e) in enumerate(clauses):
        ws = per_clause[k] or [""]
        prev = per_clause[k - 1] if k > 0 and per_clause[k - 1] else ["^"]
        nxt = per_clause[k + 1] if k + 1 < n and per_clause[k + 1] else ["$"]
        f = ["w=" + w for w in ws] + ["c=" + c for c in text[s:e]] + ["pw=" + w for w in prev]
        f += ["f=" + ws[0], "l=" + ws[-1], "f2=" + "|".join(ws[:2]), "pl=" + prev[-1], "pf=" + prev[0],
              "nf=" + nxt[0], "brk=" + (text[e] if e < len(text) else "$"),
              "pbrk=" + (text[s - 1] if s > 0 else "^"),
              f"len={min(e - s, 12)}", f"k={min(k, 3)}", f"last={k == n - 1}"]
        previous_inside, inside = inside, [a for a in aspects if a[0] >= s and a[1] <= e]
        f.append(f"nA={min(len(inside), 2)}")
        if inside:
            a = inside[0]
            after = [w for x, _, w in clause_words[k] if x >= a[1]]
            f += [f"Aoff={min(a[0] - s, 4)}", f"Aend={a[1] == e}", "Atext=" + text[a[0]:a[1]],
                  "aw=" + (after[0] if after else "")]
        if k > 0:
            f.append(f"pA={bool(previous_inside)}")  # an aspect inside the previous clause
        hits = lexicon.find_hits(text, words, s, e)
        f += [f"nlex={min(len(hits), 3)}"] + ["lex=" + lexicon.base_polarity(w) for _, _, w in hits]
        f += ["fc=" + word_class(lexicon, ws[0]), "lc=" + word_class(lexicon, ws[-1])]
        feats.append(f)
    return feats


def decode_bio(scores: np.ndarray) -> list[Span]:
    """Aspect spans from per-character O/B/I scores (an I after O starts a span)."""
    labels = scores.argmax(1)
    spans: list[Span] = []
    start = -1
    for i, lab in enumerate(labels.tolist()):
        if lab == 1 or (lab == 2 and start < 0):
            if start >= 0:
                spans.append((start, i))
            start = i
        elif lab == 0 and start >= 0:
            spans.append((start, i))
            start = -1
    if start >= 0:
        spans.append((start, len(labels)))
    return spans


def snap_to_words(spans: list[Span], words: Sequence[Word]) -> list[Span]:
    """Widen spans to whole words (the tagger sometimes cuts 屏幕 to 幕); merge what then overlaps."""
    out: list[Span] = []
    for s, e in spans:
        for ws, we, _ in words:
            if ws < s < we:
                s = ws
            if ws < e < we:
                e = we
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def decode_clauses(clauses: list[Span], labels: Sequence[str], starts: dict[int, int]) -> list[Span]:
    """Opinion spans from clause labels; ``starts[k]`` is where an opinion beginning in clause ``k`` starts."""
    opinions: list[Span] = []
    current: list[int] | None = None
    for k, ((s, e), label) in enumerate(zip(clauses, labels, strict=True)):
        if label == "I" and current is not None:
            current[1] = e
            continue
        if current is not None:
            opinions.append((current[0], current[1]))
            current = None
        if label != "O":
            current = [starts.get(k, s), e]
    if current is not None:
        opinions.append((current[0], current[1]))
    return opinions


def start_candidates(text: str, words: Sequence[Word], clause: Span, aspects: list[Span],
                     label: str, lexicon: Lexicon) -> tuple[list[int], list[list[str]]]:
    """Where an opinion beginning in ``clause`` may start (word boundaries), with features of each;
    ``words`` are the words of ``text`` as ``(start, end, text[start:end])``, sorted."""
    s, e = clause
    inside = [w for w in overlapping(words, s, e) if w[0] >= s and w[1] <= e]
    # words are sorted and disjoint, so those ending by a position are a prefix of ``inside``
    # and those starting from it a suffix
    starts = [w[0] for w in inside]
    ends = [w[1] for w in inside]
    texts = [w[2] for w in inside]
    candidates = [s] + [ws for ws in starts if ws > s][:MAX_START_CANDIDATES - 1]
    in_clause = [a for a in aspects if s <= a[0] and a[1] <= e]
    aspect_ends = {a[1] for a in in_clause}
    feats: list[list[str]] = []
    for k, c in enumerate(candidates):
        n_prev = bisect_right(ends, c)  # words before c: texts[:n_prev]
        first_next = bisect_left(starts, c)  # words from c on: texts[first_next:]
        n_next = len(texts) - first_next
        pw, pw2 = (texts[n_prev - 1] if n_prev else "^"), (texts[n_prev - 2] if n_prev > 1 else "^")
        nw, nw2 = (texts[first_next] if n_next else "$"), (texts[first_next + 1] if n_next > 1 else "$")
        is_a = c in aspect_ends
        pc, nc = word_class(lexicon, pw), word_class(lexicon, nw)
        f = [f"lab={label}", f"k={min(k, 8)}", f"kl={label}{min(k, 5)}", "pw=" + pw, "nw=" + nw,
             "pw2=" + pw2, "nw2=" + nw2, "pn=" + pw + "|" + nw, f"isA={is_a}", f"labA={label}{is_a}",
             "nwl=" + label + nw, "pwl=" + label + pw, f"tail={min(n_next, 6)}",
             "nwc=" + nc, "pwc=" + pc, "pnc=" + pc + "|" + nc]
        if in_clause:
            a = in_clause[0]
            rel = "before" if c < a[0] else ("in" if c < a[1] else "after")
            gap = max(0, n_prev - bisect_left(starts, a[1]))  # words after the aspect, before c
            f += [f"rel={rel}", f"relk={rel}{min(gap, 4)}", f"relkl={label}{rel}{min(gap, 4)}"]
        else:
            f.append("noA")
        feats.append(f)
    return candidates, feats


def _unit_ids(text: str, ends: frozenset[str]) -> list[int]:
    ids, k = [], 0
    for ch in text:
        ids.append(k)
        if ch in ends:
            k += 1
    return ids


def pair_opinions(text: str, aspects: list[Span], opinions: list[Span]) -> list[tuple[Span | None, Span]]:
    """Give each opinion its aspect (nearest before it in the sentence, inside it, or next in the clause)."""
    if not text or not opinions:
        return []
    sentence = _unit_ids(text, SENTENCE_ENDS)
    clause = _unit_ids(text, BREAKS)
    out: list[tuple[Span | None, Span]] = []
    for os_, oe in opinions:
        best: Span | None = None
        before = [a for a in aspects if a[1] <= os_ and sentence[a[0]] == sentence[os_]]
        if before:
            best = max(before, key=lambda a: a[1])
        else:
            inside = [a for a in aspects if a[0] >= os_ and a[1] <= oe]
            after = [a for a in aspects if a[0] >= oe and clause[a[0]] == clause[oe - 1]]
            best = inside[0] if inside else (min(after) if after else None)
        out.append((best, (os_, oe)))
        # 脆皮沙拉和草莓面包是好伴侣: coordinated aspects before the chosen one share its opinion
        while best is not None and before:
            previous = sorted(a for a in before if a[1] <= best[0])
            if not previous or text[previous[-1][1]:best[0]] not in COORDINATORS:
                break
            best = max(previous, key=lambda a: a[1])
            out.append((best, (os_, oe)))
    return out


def gold_clause_labels(text: str, clauses: list[Span], triplets: list[dict[str, Any]]) -> list[str]:
    """Training labels of each clause from gold triplets."""
    labels = ["O"] * len(clauses)
    aspect_ends = {t["aspect_span"][1] for t in triplets if t.get("aspect_span")}

    def index(pos: int) -> int | None:
        for k, (s, e) in enumerate(clauses):
            if s <= pos < e:
                return k
        return None

    for t in triplets:
        s, e = t["opinion_span"]
        first, last = index(s), index(e - 1)
        if first is None or last is None:
            continue
        label = "Bs" if s == clauses[first][0] else ("Ba" if s in aspect_ends else "Bo")
        if labels[first] in ("O", "I"):
            labels[first] = label
        for k in range(first + 1, last + 1):
            if labels[k] == "O":
                labels[k] = "I"
    return labels


def gold_char_labels(n: int, triplets: list[dict[str, Any]]) -> np.ndarray:
    """Per-character aspect labels: 0 outside, 1 begin, 2 inside."""
    y = np.zeros(n, dtype=np.int8)
    for t in triplets:
        if t.get("aspect_span"):
            s, e = t["aspect_span"]
            y[s] = 1
            y[s + 1:e] = 2
    return y


class TripletModel:
    """The learned part of :class:`~cxnlp.aspects.AspectExtractor` (weights only, numpy inference)."""

    def __init__(self, bits: int = 18, clause_bits: int = 17, polarity_bits: int = 16) -> None:
        self.lexicon = Lexicon.default()
        self.bits = bits
        self.clause_bits = clause_bits
        self.polarity_bits = polarity_bits
        self.weights: dict[str, np.ndarray] = {}
        self._cache: dict[str, np.ndarray] = {}
        self._hashers: dict[str, Hasher] = {}

    def _hasher(self, bits: int) -> Hasher:
        key = str(bits)
        if key not in self._hashers:
            self._hashers[key] = Hasher(bits)
        return self._hashers[key]

    # -- training ----------------------------------------------------------------
    def fit(self, rows: list[dict[str, Any]], seed: int = 0, alpha: float = 1.5e-5, clause_alpha: float = 4e-5,
            polarity_c: float = 5.0, epochs: int = 15, clause_average: bool = True,
            crossfit_aspects: bool = True) -> TripletModel:
        """Train on preprocessed rows ``{"norm", "words": [(s, e)], "triplets"}``.

        The clause and start models learn from the gold aspects and, with ``crossfit_aspects``,
        also from the aspects a cross-fitted first-pass tagger finds (as at inference). On dev
        (exact triplet F1 of the model alone): gold only 0.318, cross-fitted only 0.290 (older
        model), both 0.323 (with ``clause_average``, averaged SGD for the clause model: alone
        0.318 -> 0.321); ``clause_alpha`` 2e-5 / 4e-5 / 8e-5 / 1.6e-4: 0.323 / 0.329 / 0.326 / 0.323;
        then tagger ``alpha`` 7e-6 / 1e-5 / 1.5e-5 / 3e-5 / 6e-5: 0.323 / 0.326 / 0.332 / 0.330 / 0.318.
        """
        from sklearn.linear_model import LogisticRegression, SGDClassifier

        row_words = [[(s, e, r["norm"][s:e]) for s, e in r["words"]] for r in rows]
        crossfit = self._fit_tagger(rows, row_words, seed, alpha, epochs)
        gold = [[(int(t["aspect_span"][0]), int(t["aspect_span"][1])) for t in r["triplets"] if t.get("aspect_span")]
                for r in rows]
        views = [gold, crossfit] if crossfit_aspects else [gold]

        cx: list[list[str]] = []
        cy: list[str] = []
        sx: list[list[str]] = []
        sy: list[int] = []
        for view in views:
            for r, words, aspects in zip(rows, row_words, view, strict=True):
                clauses = clause_spans(r["norm"])
                cx += clause_features(r["norm"], words, clauses, aspects, self.lexicon)
                cy += gold_clause_labels(r["norm"], clauses, r["triplets"])
            vx, vy = self._start_training_rows(rows, row_words, view)
            sx += vx
            sy += vy
        clause_y = np.array([CLAUSE_LABELS.index(c) for c in cy])
        start_model = SGDClassifier(loss="log_loss", alpha=clause_alpha, max_iter=epochs * 2, tol=None,
                                    random_state=seed).fit(self._hasher(self.clause_bits).transform(sx), np.array(sy))
        self.weights["start_w"], self.weights["start_b"] = _dense(start_model, 2)
        clause_model = SGDClassifier(loss="log_loss", alpha=clause_alpha, max_iter=epochs * 2, tol=None,
                                     random_state=seed, average=clause_average).fit(
            self._hasher(self.clause_bits).transform(cx), clause_y)
        self.weights["clause_w"], self.weights["clause_b"] = _dense(clause_model, len(CLAUSE_LABELS))

        items: list[tuple[str, list[Word], Span, Span | None]] = []
        pols = []
        for r, words in zip(rows, row_words, strict=True):
            for t in r["triplets"]:
                aspect = tuple(t["aspect_span"]) if t.get("aspect_span") else None
                items.append((r["norm"], words, tuple(t["opinion_span"]), aspect))  # type: ignore[arg-type]
                pols.append(POLARITY_LABELS.index(t["polarity"]))
        from sklearn.preprocessing import normalize

        x = normalize(self._hasher(self.polarity_bits).transform(self._polarity_rows(items)))
        polarity = LogisticRegression(C=polarity_c, max_iter=1000, random_state=seed).fit(x, np.array(pols))
        self.weights["polarity_w"], self.weights["polarity_b"] = _dense(polarity, len(POLARITY_LABELS))
        return self

    def _fit_tagger(self, rows: list[dict[str, Any]], row_words: list[list[Word]], seed: int, alpha: float,
                    epochs: int) -> list[list[Span]]:
        """Train the per-character aspect tagger (O / B / I) in two stacked passes.

        The second pass also sees the first pass's labels around each character; it learns
        from first-pass labels of a tagger that did not see the row (two folds), as at inference.
        Returns the aspect spans of those cross-fitted first-pass labels, per row.
        """
        from sklearn.linear_model import SGDClassifier

        def train(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            model = SGDClassifier(loss="hinge", alpha=alpha, max_iter=epochs, tol=None, random_state=seed)
            return _dense(model.fit(feature_matrix(x, self.bits), y), 3)

        units = [(r["norm"], words) for r, words in zip(rows, row_words, strict=True)]
        ids = np.concatenate([self._char_ids(units[i:i + 2000]) for i in range(0, len(units), 2000)])
        y = np.concatenate([gold_char_labels(len(r["norm"]), r["triplets"]) for r in rows])
        lengths = [len(r["norm"]) for r in rows]
        self.weights["aspect_w"], self.weights["aspect_b"] = train(ids, y)
        first = _scores(self.weights["aspect_w"], self.weights["aspect_b"], ids).argmax(1)
        if len(rows) >= 4:
            fold = np.repeat(np.arange(len(rows)) % 2 == 0, lengths)
            for held in (fold, ~fold):
                w, b = train(ids[~held], y[~held])
                first[held] = _scores(w, b, ids[held]).argmax(1)
        stacked = np.hstack([ids, label_feature_ids(first, lengths, self.bits)])
        self.weights["aspect2_w"], self.weights["aspect2_b"] = train(stacked, y)
        onehot = np.eye(3, dtype=np.float32)[first]
        bounds = np.cumsum([0] + lengths)
        return [snap_to_words(decode_bio(onehot[bounds[i]:bounds[i + 1]]), words) for i, words in enumerate(row_words)]

    def _char_ids(self, units: list[tuple[str, list[Word]]]) -> np.ndarray:
        lexicon = self.lexicon
        # class ids of the listed words, looked up once per batch; any other word is "other" (0)
        listed = lexicon.negations | lexicon.opinion_words.keys() | lexicon.degrees | lexicon.fillers
        class_ids = {w: _CLASS_IDS[word_class(lexicon, w)] for w in listed}
        return char_feature_ids(units, self.bits, lambda w: class_ids.get(w, 0), OPINION_CLASS_IDS)

    def _tag(self, units: list[tuple[str, list[Word]]]) -> list[list[Span]]:
        """Aspect spans of each (text, words) unit (both tagger passes)."""
        if "aspect_table" not in self._cache:
            self._cache["aspect_table"] = np.ascontiguousarray(self.weights["aspect_w"].T)
            self._cache["aspect2_table"] = np.ascontiguousarray(self.weights["aspect2_w"].T)
        ids = self._char_ids(units)
        first = (_gather_sum(self._cache["aspect_table"], ids) + self.weights["aspect_b"]).argmax(1)
        label_ids = label_feature_ids(first, [len(t) for t, _ in units], self.bits)
        scores = _gather_sum(self._cache["aspect2_table"], ids, label_ids) + self.weights["aspect2_b"]
        out: list[list[Span]] = []
        pos = 0
        for text, words in units:
            out.append(snap_to_words(decode_bio(scores[pos:pos + len(text)]), words))
            pos += len(text)
        return out

    def _start_training_rows(self, rows: list[dict[str, Any]], row_words: list[list[Word]],
                             seen: list[list[Span]]) -> tuple[list[list[str]], list[int]]:
        """Candidate start positions of gold opinions, labelled 1 at the gold start."""
        feats: list[list[str]] = []
        labels: list[int] = []
        for r, words, aspects in zip(rows, row_words, seen, strict=True):
            clauses = clause_spans(r["norm"])
            clause_labels = gold_clause_labels(r["norm"], clauses, r["triplets"])
            starts = {t["opinion_span"][0] for t in r["triplets"]}
            for k, clause in enumerate(clauses):
                gold = {st for st in starts if clause[0] <= st < clause[1]}
                if not gold or clause_labels[k] in ("O", "I"):
                    continue
                candidates, f = start_candidates(r["norm"], words, clause, aspects, clause_labels[k], self.lexicon)
                if not gold & set(candidates):
                    continue
                feats += f
                labels += [int(c in gold) for c in candidates]
        return feats, labels

    def _polarity_rows(self, items: list[tuple[str, list[Word], Span, Span | None]]) -> list[list[str]]:
        """Character 1-3-grams of each opinion span plus the lexicon's verdict on it."""
        rows = []
        for text, words, (s, e), aspect in items:
            t = text[s:e]
            grams = [t[i:i + n] for n in (1, 2, 3) for i in range(len(t) - n + 1)]
            grams += ["LEX=" + str(self.lexicon.span_polarity(text, words, (s, e), aspect))] * LEXICON_WEIGHT
            rows.append(grams)
        return rows

    # -- inference ---------------------------------------------------------------
    def predict(self, units: list[tuple[str, list[Word]]],
                aspects: list[list[Span]] | None = None) -> list[list[Prediction]]:
        """Triplets of each ``(normalised text, words)`` unit, spans relative to the unit.

        ``aspects`` (one list of spans per unit) replaces the tagger, e.g. for known aspect
        lists or to measure the rest of the model with gold aspects.
        """
        if not units:
            return []
        if aspects is not None:
            tagged = [sorted(a) for a in aspects]
        else:
            tagged = self._tag(units)
        per_unit: list[tuple[list[Span], list[Span]]] = []
        clause_rows: list[list[str]] = []
        for (text, words), unit_aspects in zip(units, tagged, strict=True):
            clauses = clause_spans(text)
            clause_rows += clause_features(text, words, clauses, unit_aspects, self.lexicon)
            per_unit.append((unit_aspects, clauses))
        labels: list[str] = []
        if clause_rows:
            cs = self._hasher(self.clause_bits).scores(clause_rows, self.weights["clause_w"], self.weights["clause_b"])
            labels = [CLAUSE_LABELS[i] for i in cs.argmax(1).tolist()]
        starts = self._starts(units, per_unit, labels)
        pairs: list[list[tuple[Span | None, Span]]] = []
        k = 0
        for (text, _), (unit_aspects, clauses), unit_starts in zip(units, per_unit, starts, strict=True):
            opinions = decode_clauses(clauses, labels[k:k + len(clauses)], unit_starts)
            k += len(clauses)
            pairs.append(pair_opinions(text, unit_aspects, opinions))
        probs = self.polarity_proba([(units[i][0], units[i][1], o, a) for i, ps in enumerate(pairs) for a, o in ps])
        out: list[list[Prediction]] = []
        j = 0
        for ps in pairs:
            unit_out: list[Prediction] = []
            for aspect, opinion in ps:
                p = probs[j]
                j += 1
                best = int(p.argmax())
                unit_out.append((aspect, opinion, POLARITY_LABELS[best], float(p[best])))
            out.append(unit_out)
        return out

    def _starts(self, units: list[tuple[str, list[Word]]], per_unit: list[tuple[list[Span], list[Span]]],
                labels: list[str]) -> list[dict[int, int]]:
        """The best-scoring start of every opinion-beginning clause, per unit."""
        owners: list[tuple[int, int, list[int]]] = []
        rows: list[list[str]] = []
        k = 0
        for u, ((text, words), (aspects, clauses)) in enumerate(zip(units, per_unit, strict=True)):
            for c, clause in enumerate(clauses):
                label = labels[k + c]
                if label not in ("O", "I"):
                    candidates, f = start_candidates(text, words, clause, aspects, label, self.lexicon)
                    owners.append((u, c, candidates))
                    rows += f
            k += len(clauses)
        out: list[dict[int, int]] = [{} for _ in units]
        if not rows:
            return out
        scores = self._hasher(self.clause_bits).scores(rows, self.weights["start_w"][1:], self.weights["start_b"][1:])[:, 0]
        pos = 0
        for u, c, candidates in owners:
            out[u][c] = candidates[int(np.argmax(scores[pos:pos + len(candidates)]))]
            pos += len(candidates)
        return out

    def polarity_proba(self, items: list[tuple[str, list[Word], Span, Span | None]]) -> np.ndarray:
        """Probabilities over ``POLARITY_LABELS`` of (text, words, opinion span, aspect span) items."""
        if not items:
            return np.zeros((0, len(POLARITY_LABELS)))
        z = self._hasher(self.polarity_bits).scores(self._polarity_rows(items), self.weights["polarity_w"],
                                                    self.weights["polarity_b"], l2=True)
        z = z - np.max(z, axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    # -- persistence ---------------------------------------------------------------
    def get_config(self) -> dict[str, int]:
        return {"bits": self.bits, "clause_bits": self.clause_bits, "polarity_bits": self.polarity_bits}

    def save(self, path: Path) -> None:
        from ..io import atomic_open

        with atomic_open(path / WEIGHTS_FILE, "wb", encoding=None) as f:
            np.savez_compressed(f, **{k: v.astype(np.float32) for k, v in self.weights.items()})

    @classmethod
    def load(cls, path: Path, config: dict[str, int]) -> TripletModel:
        model = cls(**config)
        with np.load(path / WEIGHTS_FILE, allow_pickle=False) as data:
            model.weights = {k: data[k] for k in data.files}
        return model


def _scores(weights: np.ndarray, bias: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Per-row class scores of hashed feature ids under (classes x features) weights."""
    return _gather_sum(np.ascontiguousarray(weights.T), ids) + bias


def _gather_sum(table: np.ndarray, *ids: np.ndarray) -> np.ndarray:
    """``table[np.hstack(ids)].sum(axis=1)`` for a (features x classes) table and (rows x k) id
    arrays: the same additions in the same order (numpy adds the k gathered rows one after the
    other), done one id column at a time, without the (rows x k x classes) temporary."""
    columns = [column for part in ids for column in np.ascontiguousarray(part.T)]
    total = np.take(table, columns[0], axis=0)
    for column in columns[1:]:
        total += np.take(table, column, axis=0)
    return total


def _dense(clf: Any, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """(n_classes x n_features) weights and biases of a fitted linear classifier.

    Classes absent from the training data get a prohibitive bias; a binary model becomes
    two opposite rows, so ``argmax`` always works on all ``n_classes`` columns.
    """
    coef = np.asarray(clf.coef_, dtype=np.float32)
    bias = np.asarray(clf.intercept_, dtype=np.float32)
    classes = [int(c) for c in clf.classes_]
    if len(classes) == 2 and coef.shape[0] == 1:
        coef, bias = np.vstack([-coef, coef]) / 2, np.concatenate([-bias, bias]) / 2
    weights = np.zeros((n_classes, coef.shape[1]), dtype=np.float32)
    biases = np.full(n_classes, -1e4, dtype=np.float32)
    for row, c in enumerate(classes):
        weights[c], biases[c] = coef[row], bias[row]
    return weights, biases
