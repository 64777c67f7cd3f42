"""Fixtures of the aspects tests: the shipped default extractor in a segment + aspects pipeline."""

from __future__ import annotations

import pytest

from cxnlp.aspects import AspectExtractor, load_default_extractor
from cxnlp.pipeline import Pipeline


@pytest.fixture(scope="session")
def extractor() -> AspectExtractor:
    return load_default_extractor()


@pytest.fixture(scope="session")
def nlp(segmenter, extractor) -> Pipeline:  # type: ignore[no-untyped-def]
    return Pipeline([segmenter, extractor])


@pytest.fixture(scope="session")
def lexicon_nlp(segmenter) -> Pipeline:  # type: ignore[no-untyped-def]
    return Pipeline([segmenter, AspectExtractor(mode="lexicon")])
