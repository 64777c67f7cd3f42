"""Train a sentiment model on your own labelled feedback.

    >>> import cxnlp
    >>> clf = cxnlp.train_sentiment("my_reviews.csv", out="my_model")   # text,label columns
    >>> nlp = cxnlp.load("my_model")                                   # segment + sentiment
    >>> nlp("物流太慢了").sentiment

Label values and what is dropped are described in :mod:`cxnlp.sentiment.labels`; the counts
are in the returned stage's ``meta_["data"]`` and in ``meta.json``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .. import about
from ..errors import ConfigError
from ..hf import check_backend
from ..stage import Stage
from .labels import MIN_ROWS, LabelledData, load_labelled


def library_versions() -> dict[str, str]:
    """Versions of the libraries a sentiment model depends on."""
    return about.library_versions("numpy", "scikit-learn", "jieba", "torch", "transformers")


def segment_texts(texts: list[str], segmenter: Any = None) -> list[Any]:
    """Documents with tokens and clauses, made by cxnlp's Segmenter."""
    from ..doc import Document
    from ..segment import Segmenter

    segmenter = segmenter or Segmenter()
    docs = [Document(t) for t in texts]
    segmenter.process(docs)
    return docs


def train_sentiment(
    data: Any,
    text_col: str = "text",
    label_col: str = "label",
    backend: str = "linear",
    base_model: str | Path | None = None,
    out: str | Path | None = None,
    seed: int = 0,
    **kwargs: Any,
) -> Stage:
    """Fit a sentiment stage on labelled texts; save it under ``out`` when given.

    Args:
        data: a DataFrame, a CSV/JSONL/Parquet path or a ``datasets.Dataset``.
        text_col, label_col: column names. Labels: 0/1, positive/negative, 正面/负面, 1-5 stars ...
            (see :mod:`cxnlp.sentiment.labels`); neutral rows, empty texts and missing labels
            are dropped and counted in ``meta_["data"]["dropped"]``.
        backend: ``"linear"`` (fast CPU :class:`SentimentClassifier`) or ``"transformer"``
            (fine-tunes ``base_model``, a local Hugging Face checkpoint directory or a hub name).
        base_model: the checkpoint for ``backend="transformer"``.
        out: directory to write a pipeline (``segment`` + ``sentiment``) loadable with
            ``cxnlp.load(out)``; the stage alone is in ``out/sentiment``.
        seed: random seed.
        **kwargs: constructor and training arguments of the backend's stage, e.g. ``C=4.0``,
            ``neutral_band=(0.3, 0.7)`` or ``domain_col="category"`` (linear: per-domain weights mixed
            by a domain classifier), ``epochs=3, train_batch_size=16, device="cuda"`` (transformer).

    Returns:
        The fitted stage; ``meta_`` holds the data summary, cross-validated or held-out metrics,
        library versions and seed.

    Raises:
        DataError: unmappable labels, a single class, fewer than 20 usable rows, missing columns.
        ConfigError: an unknown backend or argument.
    """
    check_backend(backend, base_model)
    domain_col = kwargs.pop("domain_col", None)
    if domain_col is not None and backend != "linear":
        raise ConfigError("domain_col is only supported by backend='linear'.")
    labelled = load_labelled(data, text_col, label_col, min_rows=MIN_ROWS, domain_col=domain_col)
    started = time.perf_counter()
    if backend == "linear":
        stage: Stage = _train_linear(labelled, seed, kwargs)
    else:
        from .transformer import TransformerSentiment

        stage = TransformerSentiment.train(labelled.texts, labelled.labels, base_model=str(base_model),
                                           seed=seed, **kwargs)
    meta = stage.meta_  # type: ignore[attr-defined]
    meta.update({
        "backend": backend, "data": labelled.summary(), "seed": seed, "versions": library_versions(),
        "train_seconds": round(time.perf_counter() - started, 2),
        "terms": "trained on user-supplied data; see the data's own terms",
    })
    if out is not None:
        save_trained(stage, out)
    return stage


def _train_linear(labelled: LabelledData, seed: int, kwargs: dict[str, Any]) -> Stage:
    from .classifier import SentimentClassifier

    try:
        stage = SentimentClassifier(seed=seed, **kwargs)
    except TypeError as e:
        raise ConfigError(f"Unknown argument for the linear sentiment backend: {e}.") from None
    docs = segment_texts(labelled.texts)
    return stage.fit(docs, labelled.labels, domains=labelled.domains)


def save_trained(stage: Stage, out: str | Path) -> None:
    """Write ``out`` as a pipeline directory: ``segment`` (when the stage needs tokens) + ``sentiment``."""
    from ..pipeline import Pipeline
    from ..segment import Segmenter

    stages: list[tuple[str, Stage]] = [("segment", Segmenter())] if "tokens" in stage.requires else []
    Pipeline([*stages, ("sentiment", stage)]).to_dir(out)
