"""Sentence sentiment: the default CPU classifier, a transformer backend, training and evaluation.

    >>> from cxnlp.sentiment import SentimentClassifier
    >>> clf = SentimentClassifier.from_dir("models/default/sentiment")

``train_sentiment`` and ``evaluate_sentiment`` are imported lazily (they pull in pandas);
``TransformerSentiment`` lives in :mod:`cxnlp.sentiment.transformer` (needs torch).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .classifier import SentimentClassifier

if TYPE_CHECKING:
    from .evaluate import evaluate_sentiment
    from .train import train_sentiment

_LAZY = {"train_sentiment": "cxnlp.sentiment.train", "evaluate_sentiment": "cxnlp.sentiment.evaluate"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cxnlp.sentiment' has no attribute {name!r}")


__all__ = ["SentimentClassifier", "train_sentiment", "evaluate_sentiment"]
