"""Calibrating the risk combiner on a team's own labelled feedback.

    >>> from cxnlp.risk import train_risk
    >>> scorer = train_risk("my_tickets.csv", label_col="churn_risk", out="models/my_risk")

Labels may be ``low / medium / high`` (any case) or ``低 / 中 / 高`` (also 低风险 …).
The cue lexicon stays fixed; the combiner's weights and cut points are fitted with a
prior centred on the shipped rules, so a few hundred rows are enough. With 10 or more
``high`` rows (and 10 others) a text model is fitted too, which raises ``medium`` texts that
read like your ``high`` ones (``text_threshold``; see :mod:`cxnlp.risk.text_model`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..about import library_versions
from ..doc import Document
from ..errors import ConfigError, DataError, describe, missing_column
from .model import FEATURES
from .scorer import LEVEL_ORDER, RiskScorer

if TYPE_CHECKING:
    from ..pipeline import Pipeline

logger = logging.getLogger("cxnlp")

LABEL_ALIASES: dict[str, str] = {
    "low": "low", "medium": "medium", "high": "high", "mid": "medium",
    "低": "low", "中": "medium", "高": "high", "低风险": "low", "中风险": "medium", "高风险": "high",
}
MIN_ROWS = 20
DEFAULT_TERMS = "provided by the user; check that you may use it for training"


def normalize_levels(labels: Sequence[Any]) -> list[str]:
    """Map labels to ``low / medium / high``; raise a DataError naming any unmappable value."""
    levels: list[str] = []
    bad: Counter[str] = Counter()
    for label in labels:
        level = LABEL_ALIASES.get(label.strip().lower()) if isinstance(label, str) else None
        if level is None:
            bad[repr(label)] += 1
        else:
            levels.append(level)
    if bad:
        shown = ", ".join(f"{value} ×{count}" for value, count in bad.most_common(5))
        raise DataError(f"Risk labels must be one of {sorted(set(LABEL_ALIASES))}; found {sum(bad.values())} "
                        f"unmappable label(s): {shown}. Relabel them or drop those rows.")
    return levels


def load_labelled(data: Any, text_col: str = "text", label_col: str = "label") -> tuple[list[Any], list[str]]:
    """Texts and normalised levels from a DataFrame, a table file or a ``datasets.Dataset``."""
    from ..io import read_frame

    frame, where = read_frame(data, text_col)
    for column in (text_col, label_col):
        if column not in frame.columns:
            raise missing_column(column, frame.columns, where)
    return list(frame[text_col]), normalize_levels(list(frame[label_col]))


def upstream_pipeline(nlp: Pipeline | None = None) -> Pipeline:
    """The stages that run before risk: ``nlp`` minus any risk stage, else the shipped model's
    (see :func:`model_dir_upstream`)."""
    from ..pipeline import Pipeline, default_model_dir

    if nlp is None:
        return model_dir_upstream(default_model_dir())
    if not isinstance(nlp, Pipeline):
        raise ConfigError(f"nlp must be a cxnlp Pipeline or None, got {describe(nlp)}.")
    return Pipeline([(n, s) for n, s in nlp.stages if not isinstance(s, RiskScorer)], max_chars=nlp.max_chars)


def model_dir_upstream(path: str | Path) -> Pipeline:
    """Stages of a model directory that run before risk: those its ``pipeline.json`` lists, then
    any ``sentiment`` / ``aspects`` stage folders it holds but does not list yet."""
    from ..pipeline import Pipeline
    from ..stage import load_stage

    path = Path(path)
    base = upstream_pipeline(Pipeline.from_dir(path))
    extra = [(name, load_stage(path / name)) for name in ("sentiment", "aspects")
             if name not in base.stage_names and (path / name / "config.json").is_file()]
    return Pipeline([*base.stages, *extra], max_chars=base.max_chars)


def analysed(texts: Sequence[Any], nlp: Pipeline) -> list[Document]:
    """Run ``nlp`` over ``texts`` (one Document per text, errors kept)."""
    return list(nlp.pipe(texts, batch_size=256))


def train_risk(
    data: Any,
    text_col: str = "text",
    label_col: str = "label",
    out: str | Path | None = None,
    nlp: Pipeline | None = None,
    l2: float = 1.0,
    seed: int = 0,
    terms: str = DEFAULT_TERMS,
    **scorer_args: Any,
) -> RiskScorer:
    """Fit the risk combiner (and the text model, given enough ``high`` rows) on labelled feedback;
    save it to ``out`` (a stage directory) if given.

    Args:
        data: a DataFrame or a csv / jsonl / parquet file with a text and a label column.
        text_col, label_col: column names; labels low/medium/high or 低/中/高.
        out: directory to write the fitted stage to (``cxnlp.load_stage(out)`` reads it back).
        nlp: the stages to run before risk (default: the shipped pipeline's segment, sentiment,
            aspects). Use the same ones when scoring, since the weights depend on their outputs.
        l2: strength of the prior pulling the weights towards the shipped rules.
        seed: accepted for a uniform training interface; the fit is deterministic.
        terms: the data's terms of use, recorded in ``meta.json``.
        **scorer_args: RiskScorer options (thresholds, rule_floors, high_needs_cue, cues, max_reasons,
            text_threshold); ``high_needs_cue=False`` lets your labels put texts without an explicit cue
            at high, ``text_threshold=None`` keeps the text model out of the levels.

    Raises:
        DataError: unmappable labels, fewer than 20 usable rows, or a single label.
    """
    del seed  # deterministic (convex MAP fit); kept for the CLI's uniform call
    if isinstance(l2, bool) or not isinstance(l2, int | float) or l2 < 0:
        raise ConfigError(f"l2 must be a non-negative number, got {describe(l2)}.")
    texts, levels = load_labelled(data, text_col, label_col)
    upstream = upstream_pipeline(nlp)
    docs = analysed(texts, upstream)
    kept = [(d, lv) for d, lv in zip(docs, levels, strict=True) if d.error is None]
    if len(kept) < len(docs):
        logger.warning("train_risk: %d of %d rows have no usable text and were skipped.", len(docs) - len(kept), len(docs))
    counts = Counter(lv for _, lv in kept)
    if len(kept) < MIN_ROWS:
        raise DataError(f"train_risk needs at least {MIN_ROWS} labelled rows with text, got {len(kept)}.")
    if len(counts) < 2:
        raise DataError(f"train_risk needs at least two different levels, got only {sorted(counts)} "
                        f"({len(kept)} rows). Add examples of the other levels.")
    scorer = RiskScorer(**scorer_args)
    scorer.fit([d for d, _ in kept], [lv for _, lv in kept], l2=float(l2))
    scorer.meta_ = training_meta(scorer, data, kept, upstream, terms, l2=float(l2))
    if out is not None:
        scorer.to_dir(out)
    return scorer


def training_meta(scorer: RiskScorer, data: Any, kept: list[tuple[Document, str]], upstream: Pipeline,
                  terms: str, **params: Any) -> dict[str, Any]:
    """meta.json content: what the combiner was fitted on, its in-sample scores and versions."""
    from .evaluate import scores

    predicted = predict_levels(scorer, [d for d, _ in kept])
    return {
        "name": "risk",
        "fitted": True,
        "trained_on": {
            "data": str(data) if isinstance(data, str | Path) else "DataFrame",
            "rows": len(kept),
            "levels": {lv: sum(1 for _, x in kept if x == lv) for lv in LEVEL_ORDER},
            "terms": terms,
        },
        "inputs": upstream.stage_names,
        "params": params,
        "weights": dict(zip(FEATURES, scorer.model_.weights.round(4).tolist(), strict=True)),
        "cuts": scorer.model_.cuts.round(4).tolist(),
        "text_model": scorer.text_model_ is not None,
        "text_threshold": scorer.text_threshold,
        "metrics_in_sample": scores([lv for _, lv in kept], predicted),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "versions": library_versions("numpy", "scipy", "jieba"),
    }


def cross_validate(
    docs: Sequence[Document],
    levels: Sequence[str],
    n_splits: int = 5,
    seed: int = 0,
    l2: float = 1.0,
    combiner: bool = True,
) -> list[tuple[list[int], RiskScorer]]:
    """Stratified, seeded folds: ``(test indices, scorer fitted on the other folds)`` per fold.

    ``docs`` must already be analysed by the upstream stages. ``combiner=False`` fits only the
    text model, keeping the rule + prior combiner.
    """
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    out = []
    for train_idx, test_idx in folds.split(np.zeros(len(levels)), list(levels)):
        train_docs, train_levels = [docs[i] for i in train_idx], [levels[i] for i in train_idx]
        scorer = RiskScorer()
        if combiner:
            scorer.fit(train_docs, train_levels, l2=l2)
        else:
            scorer.fit_text(train_docs, train_levels)
        out.append(([int(i) for i in test_idx], scorer))
    return out


def predict_levels(scorer: RiskScorer, docs: Sequence[Document]) -> list[str]:
    """Levels ``scorer`` gives ``docs`` (annotates them in place)."""
    todo = [d for d in docs if d.error is None]
    scorer.process(todo)
    return [d.risk.level if d.risk is not None else "low" for d in docs]


def text_threshold_table(
    docs: Sequence[Document],
    levels: Sequence[str],
    thresholds: Sequence[float | None],
    n_splits: int = 5,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Out-of-fold scores of the rule + prior combiner with a text model fitted on the other folds,
    at each ``text_threshold`` (None: the text model off), to choose an operating point."""
    from .evaluate import scores

    folds = cross_validate(docs, levels, n_splits=n_splits, seed=seed, combiner=False)
    table = []
    for threshold in thresholds:
        predicted = ["low"] * len(docs)
        for test_idx, scorer in folds:
            scorer.text_threshold = threshold
            for i, level in zip(test_idx, predict_levels(scorer, [docs[i] for i in test_idx]), strict=True):
                predicted[i] = level
        table.append({"text_threshold": threshold, **scores(list(levels), predicted)})
    return table
