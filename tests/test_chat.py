"""Chat transcripts through the default pipeline: only the customer's turns are analysed."""

from __future__ import annotations

import pytest

import cxnlp


@pytest.fixture(scope="module")
def nlp() -> cxnlp.Pipeline:
    return cxnlp.load()


@pytest.mark.parametrize(("text", "level"), [
    # the agent's apology (带来不好的体验) is no complaint, their 满意 no praise
    ("客户：你们这个软件老是闪退，我要退款\n客服：非常抱歉给您带来不好的体验，我们会尽快修复", "high"),
    ("用户: 会员怎么取消\n客服: 您可以在设置里取消，很抱歉没能让您满意", "high"),
    ("客服：您好，很高兴为您服务\n客户：空调不制冷，师傅一直没来", "medium"),
])
def test_only_the_customer_is_analysed(nlp: cxnlp.Pipeline, text: str, level: str) -> None:
    doc = nlp(text)
    agent = [t for t in doc.turns if t.speaker == "agent"]
    assert agent
    spans = [o.opinion_span for o in doc.opinions] + [o.aspect_span for o in doc.opinions if o.aspect_span]
    assert not [s for s in spans for t in agent if t.start <= s[0] < t.end], doc.tags
    assert doc.risk is not None and doc.risk.level == level
    assert all("抱歉" not in r and "满意" not in r and "服务" not in r for r in doc.risk.reasons), doc.risk.reasons
    assert doc.sentiment is not None and doc.sentiment.label == "negative"


def test_an_acknowledgement_is_no_praise(nlp: cxnlp.Pipeline) -> None:
    doc = nlp("客服：非常抱歉，马上为您催单\n客户：好的")
    assert doc.tags == [] and doc.risk is not None and doc.risk.level == "low"


def test_turns_column_in_tables(nlp: cxnlp.Pipeline) -> None:
    import pandas as pd

    frame = pd.DataFrame({"text": ["客服：您好，请问有什么可以帮您\n客户：快递三天了还没到", "物流很快"]})
    out = cxnlp.analyze_frame(frame, nlp=nlp)
    assert out["turns"].tolist() == [
        [{"speaker": "agent", "text": "您好，请问有什么可以帮您"}, {"speaker": "customer", "text": "快递三天了还没到"}], []]
