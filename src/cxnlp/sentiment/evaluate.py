"""Measure a sentiment model on a labelled file: accuracy, macro-F1 and speed.

Binary evaluation: a document counts as predicted positive iff its score >= 0.5 (the
neutral label is not used here). Labels are read as in :mod:`cxnlp.sentiment.labels`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError, describe
from ..pipeline import PIPELINE_FILE, Pipeline, default_model_dir
from ..stage import CONFIG_FILE, Stage, load_stage
from .labels import load_labelled


def sentiment_pipeline(model: Any = None) -> Pipeline:
    """A pipeline ending in a sentiment stage, from None (the shipped default), a directory or an object.

    ``model`` may be a pipeline directory, a single stage directory, a :class:`Stage` or a
    :class:`Pipeline`; stages after the sentiment stage are left out, and a segmenter is put in
    front of a stage that needs tokens.
    """
    if model is None:
        model = default_model_dir() / "sentiment"
    if isinstance(model, str | Path):
        path = Path(model)
        if (path / PIPELINE_FILE).is_file():
            model = Pipeline.from_dir(path)
        elif (path / CONFIG_FILE).is_file():
            model = load_stage(path)
        else:
            raise ConfigError(f"{str(path)!r} is neither a cxnlp pipeline directory nor a stage directory.")
    if isinstance(model, Pipeline):
        stages = []
        for name, stage in model.stages:
            stages.append((name, stage))
            if "sentiment" in stage.provides:
                return Pipeline(stages)
        raise ConfigError(f"Pipeline {model.stage_names} has no stage that provides sentiment.")
    if isinstance(model, Stage) and "sentiment" in model.provides:
        from ..segment import Segmenter

        front = [("segment", Segmenter())] if "tokens" in model.requires else []
        return Pipeline([*front, ("sentiment", model)])
    raise ConfigError(f"model must be None, a directory, a sentiment Stage or a Pipeline, got {describe(model)}.")


def binary_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Accuracy and macro-F1 of 0/1 predictions."""
    f1s = []
    for cls in (0, 1):
        tp = float(np.sum((y_pred == cls) & (y_true == cls)))
        predicted, actual = float(np.sum(y_pred == cls)), float(np.sum(y_true == cls))
        f1s.append(2 * tp / (predicted + actual) if predicted + actual else 0.0)
    return {"accuracy": float(np.mean(y_true == y_pred)), "macro_f1": float(np.mean(f1s))}


def evaluate_sentiment(data: Any, model: Any = None, text_col: str = "text", label_col: str = "label") -> dict[str, Any]:
    """Score ``model`` (default: the shipped one) on labelled ``data`` (CSV/JSONL path, DataFrame, Dataset).

    Returns:
        ``{"task": "sentiment", "n", "accuracy", "macro_f1", "docs_per_s", "model", "dropped"}``;
        ``docs_per_s`` includes segmentation (measured after a one-text warm-up).
    """
    labelled = load_labelled(data, text_col, label_col, min_rows=1, require_both=False)
    nlp = sentiment_pipeline(model)
    list(nlp.pipe(labelled.texts[:1]))  # warm up: lazy dictionary/model loading is not throughput
    started = time.perf_counter()
    docs = list(nlp.pipe(labelled.texts))
    elapsed = time.perf_counter() - started
    scores = np.array([d.sentiment.score if d.sentiment else np.nan for d in docs])
    kept = ~np.isnan(scores)
    metrics = binary_metrics(labelled.labels[kept], (scores[kept] >= 0.5).astype(np.int64))
    return {
        "task": "sentiment", "n": int(kept.sum()),
        "accuracy": round(metrics["accuracy"], 4), "macro_f1": round(metrics["macro_f1"], 4),
        "docs_per_s": round(len(docs) / elapsed, 1) if elapsed > 0 else None,
        "model": str(model) if isinstance(model, str | Path) else ("default" if model is None else repr(model)),
        "dropped": {**labelled.dropped, "errors": int((~kept).sum())},
    }
