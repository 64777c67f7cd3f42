"""Fixtures of the sentiment tests: the shipped model and a sentiment pipeline around it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxnlp.pipeline import Pipeline
from cxnlp.sentiment import SentimentClassifier

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "default" / "sentiment"


@pytest.fixture(scope="session")
def shipped_dir() -> Path:
    return SHIPPED


@pytest.fixture(scope="session")
def shipped() -> SentimentClassifier:
    return SentimentClassifier.from_dir(SHIPPED)


@pytest.fixture(scope="session")
def nlp(shipped: SentimentClassifier, segmenter) -> Pipeline:  # type: ignore[no-untyped-def]
    return Pipeline([("segment", segmenter), ("sentiment", shipped)])
