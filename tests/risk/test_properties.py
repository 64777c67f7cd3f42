"""Property: any text through segment + risk gives a valid Risk whose evidence comes from the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxnlp.doc import Document
from cxnlp.risk import RiskScorer

TEXT = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"),
                       st.sampled_from("不没再也会退款货投诉假骗虫如果差点还好解决了吗别买，。！？ \n")),
    min_size=1, max_size=80,
)
SCORER = RiskScorer()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_any_text_gets_a_valid_risk(segmenter, text: str) -> None:
    doc = segmenter(Document(text))
    SCORER.process([doc])
    risk = doc.risk
    assert risk is not None
    assert risk.level in ("low", "medium", "high") and 0.0 <= risk.score <= 1.0
    assert risk.level == SCORER.level_of(risk.score)
    for reason in risk.reasons:
        label, _, evidence = reason.partition(": ")
        assert label and evidence and evidence in text
