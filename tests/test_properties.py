"""Property-based: arbitrary Unicode through the full default pipeline never raises, offsets stay valid."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cxnlp

# Broad alphabets: CJK (simplified and traditional), punctuation, emoji, Latin, controls, combining marks.
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("的了不很好差慢快退款投诉再也不买客服物流烹調服務，。！？、…~😀👍🔥 \n\t"),
    ),
    max_size=200,
)


@pytest.fixture(scope="module")
def nlp() -> cxnlp.Pipeline:
    return cxnlp.load()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXT, min_size=1, max_size=5))
def test_any_unicode_gives_one_valid_document_each(nlp: cxnlp.Pipeline, texts: list[str]) -> None:
    docs = list(nlp.pipe(texts, batch_size=2))
    assert len(docs) == len(texts)
    for doc in docs:
        n = len(doc.text)
        for token in doc.tokens:
            assert 0 <= token.start < token.end <= n
            assert doc.text[token.start:token.end] == token.text
        for clause in doc.clauses:
            assert doc.text[clause.start:clause.end] == clause.text
        for opinion in doc.opinions:
            for span in (opinion.aspect_span, opinion.opinion_span):
                assert span is None or 0 <= span[0] < span[1] <= n
        if doc.sentiment is not None:
            assert 0.0 <= doc.sentiment.score <= 1.0
        if doc.risk is not None:
            assert 0.0 <= doc.risk.score <= 1.0 and doc.risk.level in ("low", "medium", "high")
        doc.to_dict()  # serialisable
