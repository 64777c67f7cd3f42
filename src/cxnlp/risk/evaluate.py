"""Scoring a risk model on labelled feedback: accuracy, macro-F1, high precision / recall, speed."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, describe
from .scorer import LEVEL_ORDER, RiskScorer
from .train import load_labelled, upstream_pipeline

if TYPE_CHECKING:
    from ..pipeline import Pipeline


def scores(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """accuracy, macro-F1, high precision / recall and the confusion matrix (rows: truth)."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_score, recall_score

    labels = list(LEVEL_ORDER)
    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "high_precision": round(float(precision_score(truth, predicted, labels=["high"], average="micro",
                                                      zero_division=0)), 4),
        "high_recall": round(float(recall_score(truth, predicted, labels=["high"], average="micro",
                                                zero_division=0)), 4),
        "labels": labels,
        "confusion": confusion_matrix(truth, predicted, labels=labels).tolist(),
    }


def risk_pipeline(model: Any = None) -> Pipeline:
    """A pipeline ending in a risk stage from ``model``.

    ``model`` is None (the shipped default), a Pipeline, a RiskScorer (run after the shipped
    model's other stages), or a directory: a saved pipeline, or a saved risk stage.
    """
    from ..pipeline import PIPELINE_FILE, Pipeline, default_model_dir, load
    from ..stage import load_stage

    if model is None:
        nlp = load()
        if any(isinstance(s, RiskScorer) for _, s in nlp.stages):
            return nlp
        model = default_model_dir() / "risk"  # pipeline.json does not list risk yet
    if isinstance(model, Pipeline):
        if not any(isinstance(s, RiskScorer) for _, s in model.stages):
            raise ConfigError(f"The pipeline {model.stage_names} has no risk stage; add RiskScorer() to it.")
        return model
    if isinstance(model, str | Path):
        if (Path(model) / PIPELINE_FILE).is_file():
            return risk_pipeline(load(model))
        model = load_stage(model)
    if isinstance(model, RiskScorer):
        upstream = upstream_pipeline()
        return Pipeline([*upstream.stages, ("risk", model)], max_chars=upstream.max_chars)
    raise ConfigError(f"model must be None, a Pipeline, a RiskScorer or a model directory, got {describe(model)}.")


def evaluate_risk(
    data: Any,
    model: Any = None,
    text_col: str = "text",
    label_col: str = "label",
) -> dict[str, Any]:
    """Score ``model`` (see :func:`risk_pipeline`) on labelled rows.

    Returns:
        ``{"task": "risk", "n", "accuracy", "macro_f1", "high_precision", "high_recall",
        "docs_per_s", "labels", "confusion"}``; ``docs_per_s`` times the whole pipeline.
        Rows whose text cannot be analysed count as predicted ``low``.
    """
    texts, levels = load_labelled(data, text_col, label_col)
    nlp = risk_pipeline(model)
    if texts:
        nlp(texts[0])  # build lazily loaded resources (dictionaries, models) outside the timing
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=256))
    elapsed = time.perf_counter() - start
    predicted = [d.risk.level if d.risk is not None else "low" for d in docs]
    return {"task": "risk", "n": len(docs), **scores(levels, predicted),
            "docs_per_s": round(len(docs) / elapsed, 1) if elapsed > 0 else None}
