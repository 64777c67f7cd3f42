"""Triplet metrics for aspect · opinion · polarity extraction, and ``evaluate_aspects``.

Definitions (micro-averaged over documents; F1 = 2PR / (P + R)):

* ``triplet_f1`` (exact): aspect span and opinion span identical and same polarity; an
  implicit aspect (``None``) matches only an implicit aspect.
* ``triplet_f1_overlap``: each span overlaps its gold span (implicit matches implicit) and same
  polarity; every gold triplet is matched at most once.
* ``pair_f1``: aspect and opinion spans exact, polarity ignored.
* ``aspect_f1`` / ``opinion_f1``: over the unique explicit aspect spans / unique opinion spans.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..doc import Span

if TYPE_CHECKING:
    from .extractor import AspectExtractor

#: internal score key -> reported metric name
METRIC_NAMES = {"triplet": "triplet_f1", "triplet_overlap": "triplet_f1_overlap", "pair": "pair_f1",
                "aspect": "aspect_f1", "opinion": "opinion_f1"}

#: (aspect_span or None, opinion_span, polarity)
Triplet = tuple[Span | None, Span, str]


def f1(correct: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = correct / n_pred if n_pred else 0.0
    r = correct / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _overlaps(a: Span | None, b: Span | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] < b[1] and b[0] < a[1]


def _overlap_matches(gold: Sequence[Triplet], pred: Sequence[Triplet]) -> int:
    used = [False] * len(gold)
    matched = 0
    for pa, po, pp in pred:
        for k, (ga, go, gp) in enumerate(gold):
            if not used[k] and gp == pp and _overlaps(pa, ga) and _overlaps(po, go):
                used[k] = True
                matched += 1
                break
    return matched


def triplet_scores(gold: Sequence[Sequence[Triplet]], pred: Sequence[Sequence[Triplet]]) -> dict[str, dict[str, float]]:
    """P/R/F1 of every metric in the module docstring; ``gold[i]`` and ``pred[i]`` are one document."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} documents but pred has {len(pred)}")
    counts = {k: [0, 0, 0] for k in ("triplet", "triplet_overlap", "pair", "aspect", "opinion")}

    def add(key: str, g: set[Any] | Sequence[Any], p: set[Any] | Sequence[Any], correct: int) -> None:
        counts[key][0] += correct
        counts[key][1] += len(p)
        counts[key][2] += len(g)

    for g_doc, p_doc in zip(gold, pred, strict=True):
        g_set, p_set = set(g_doc), set(p_doc)
        add("triplet", g_set, p_set, len(g_set & p_set))
        add("triplet_overlap", list(g_set), list(p_set), _overlap_matches(sorted(g_set, key=str), sorted(p_set, key=str)))
        g_pair, p_pair = {(a, o) for a, o, _ in g_set}, {(a, o) for a, o, _ in p_set}
        add("pair", g_pair, p_pair, len(g_pair & p_pair))
        g_asp, p_asp = {a for a, _, _ in g_set if a is not None}, {a for a, _, _ in p_set if a is not None}
        add("aspect", g_asp, p_asp, len(g_asp & p_asp))
        g_op, p_op = {o for _, o, _ in g_set}, {o for _, o, _ in p_set}
        add("opinion", g_op, p_op, len(g_op & p_op))
    return {k: f1(*v) for k, v in counts.items()}


def gold_triplets(row: dict[str, Any]) -> list[Triplet]:
    """Triplets of one training/evaluation row in the shared JSONL format."""
    out: list[Triplet] = []
    for t in row.get("triplets") or []:
        a = t.get("aspect_span")
        out.append(((int(a[0]), int(a[1])) if a is not None else None,
                    (int(t["opinion_span"][0]), int(t["opinion_span"][1])), str(t["polarity"])))
    return out


def evaluate_aspects(
    data: str | Path | Iterable[dict[str, Any]],
    model: AspectExtractor | str | Path | None = None,
    batch_size: int = 256,
) -> dict[str, Any]:
    """Score a model on triplet data (a JSONL path or a list of rows in the shared format).

    ``model`` is an :class:`AspectExtractor`, a saved stage directory, or ``None`` for the
    shipped default. Returns ``{"task": "aspects", "n", "triplet_f1", "triplet_f1_overlap",
    "pair_f1", "aspect_f1", "opinion_f1", "docs_per_s"}`` plus precision/recall details.
    The text is segmented with a default :class:`cxnlp.segment.Segmenter` first (timed too).
    """
    from ..segment import Segmenter
    from .extractor import AspectExtractor, load_default_extractor
    from .train import read_triplet_data

    rows = read_triplet_data(data)
    if model is None:
        extractor = load_default_extractor()
    elif isinstance(model, AspectExtractor):
        extractor = model
    else:
        extractor = AspectExtractor.from_dir(model)
    from ..doc import Document

    segmenter = Segmenter()
    segmenter.tokenizer  # load the dictionary before timing
    docs = [Document(r["text"]) for r in rows]
    started = time.perf_counter()
    for i in range(0, len(docs), batch_size):
        batch = docs[i:i + batch_size]
        segmenter.process(batch)
        extractor.process(batch)
    elapsed = time.perf_counter() - started
    pred = [[(o.aspect_span, o.opinion_span, o.polarity) for o in d.opinions] for d in docs]
    scores = triplet_scores([gold_triplets(r) for r in rows], pred)
    result: dict[str, Any] = {"task": "aspects", "n": len(rows)}
    for key, name in METRIC_NAMES.items():
        result[name] = round(scores[key]["f1"], 4)
    result["docs_per_s"] = round(len(docs) / elapsed, 1) if elapsed > 0 else float("inf")
    result["details"] = {k: {m: round(v, 4) for m, v in s.items()} for k, s in scores.items()}
    return result


def error_classes(gold: Sequence[Sequence[Triplet]], pred: Sequence[Sequence[Triplet]]) -> dict[str, int]:
    """Count why gold triplets were missed and predictions were wrong.

    Each unmatched gold triplet falls into the first class that explains it:
    ``polarity`` (a prediction has both spans right), ``implicit`` (opinion span right, one side
    implicit and the other not), ``pairing`` (opinion span right, another explicit aspect),
    ``aspect_boundary`` / ``opinion_boundary`` (both spans overlap, the named one inexact; both
    inexact counts as ``opinion_boundary``), else ``missed``. Predictions overlapping no gold
    triplet on the opinion span are ``spurious``.
    """
    counts = dict.fromkeys(("correct", "polarity", "implicit", "pairing", "aspect_boundary",
                            "opinion_boundary", "missed", "spurious"), 0)
    for g_doc, p_doc in zip(gold, pred, strict=True):
        p_set = set(p_doc)
        for g in set(g_doc):
            ga, go, gp = g
            if g in p_set:
                counts["correct"] += 1
            elif any(pa == ga and po == go for pa, po, _ in p_set):
                counts["polarity"] += 1
            elif any(_overlaps(pa, ga) and po == go for pa, po, _ in p_set):
                counts["aspect_boundary"] += 1
            elif any(po == go and (pa is None) != (ga is None) for pa, po, _ in p_set):
                counts["implicit"] += 1
            elif any(po == go for _, po, _ in p_set):
                counts["pairing"] += 1
            elif any(_overlaps(pa, ga) and _overlaps(po, go) for pa, po, _ in p_set):
                counts["opinion_boundary"] += 1
            else:
                counts["missed"] += 1
        counts["spurious"] += sum(1 for _, po, _ in p_set if not any(_overlaps(po, go) for _, go, _ in g_doc))
    return counts
