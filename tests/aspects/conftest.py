"""Fixtures of the aspects tests: the shipped default extractor in a segment + aspects pipeline,
and the matcher of expected tags."""

from __future__ import annotations

from collections.abc import Callable

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


def _matches(expected: str, tags: list[str]) -> bool:
    head, _, phrase = expected.partition(": ")
    if phrase.startswith("~"):
        return any(t.startswith(head + ": ") and phrase[1:] in t.partition(": ")[2] for t in tags)
    return expected in tags


@pytest.fixture(scope="session")
def has_tag() -> Callable[[str, list[str]], bool]:
    """``has_tag(expected, tags)``: ``"负向评价: 送餐慢"`` must be among ``tags`` exactly;
    ``"负向评价: ~断线"`` means a tag of that polarity whose phrase contains 断线."""
    return _matches
