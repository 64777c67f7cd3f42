"""RiskScorer: reasons, score range and monotonicity, thresholds, optional upstream results,
training on a small slice, save / load, and training errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxnlp.doc import Document, Opinion, Sentiment
from cxnlp.errors import ConfigError, DataError, ModelError
from cxnlp.pipeline import Pipeline
from cxnlp.risk import RiskScorer
from cxnlp.risk.model import FEATURES
from cxnlp.risk.train import normalize_levels, train_risk
from cxnlp.stage import load_stage

TEXTS = [
    "送餐太慢了，再也不点了", "饭菜里有虫子", "假货，大家别买", "已经投诉到12315", "申请退款了，太差",
    "送餐很慢，菜也凉了", "房间有点旧，隔音一般", "味道一般般，有点失望", "质量不太好，做工粗糙",
    "很好吃，下次还会再点", "房间干净，服务热情", "物流很快，好评", "还没用，不知道怎么样",
]
LEVELS = ["high"] * 5 + ["medium"] * 4 + ["low"] * 4


@pytest.fixture(scope="module")
def segmented(segmenter) -> list[Document]:
    return [segmenter(Document(t)) for t in TEXTS]


def run(scorer: RiskScorer, docs: list[Document]) -> list[Document]:
    copies = [Document.from_dict({**d.to_dict(), "norm": d.norm}) for d in docs]
    scorer.process(copies)
    return copies


def test_reasons_name_the_evidence(segmenter) -> None:
    doc = segmenter(Document("吃坏肚子了，要求退款，再也不点了，送餐也慢"))
    doc.opinions = [Opinion("送餐", "慢", "negative", (16, 18), (19, 20), "物流配送", 0.9, "送餐慢"),
                    Opinion(None, "再也不点了", "negative", None, (11, 16), "整体评价", 0.9, "再也不点")]
    doc.sentiment = Sentiment("negative", 0.07)
    RiskScorer().process([doc])
    assert doc.risk is not None and doc.risk.level == "high"
    assert doc.risk.reasons[:3] == ["安全问题: 吃坏肚子了", "退款退货: 要求退款", "流失意图: 再也不点了"]
    assert "负向评价: 送餐慢" in doc.risk.reasons
    assert "负向评价: 再也不点" not in doc.risk.reasons  # the cue already says it
    assert "负面情绪: 0.93" in doc.risk.reasons


def test_softened_cues_are_named_as_such(segmenter) -> None:
    doc = segmenter(Document("如果再这样就投诉"))
    RiskScorer().process([doc])
    assert doc.risk is not None and doc.risk.level == "medium"
    assert doc.risk.reasons[0] == "投诉升级(条件): 如果再这样就投诉"


def test_score_in_range_and_monotone_with_level(segmented: list[Document]) -> None:
    docs = run(RiskScorer(), segmented)
    order = {"low": 0, "medium": 1, "high": 2}
    pairs = sorted((d.risk.score, order[d.risk.level]) for d in docs if d.risk)
    assert all(0.0 <= s <= 1.0 for s, _ in pairs)
    assert [lv for _, lv in pairs] == sorted(lv for _, lv in pairs)
    assert {lv for _, lv in pairs} == {0, 1, 2}


def test_sentiment_and_opinions_move_the_score(segmenter) -> None:
    base = segmenter(Document("这次的菜和上次不一样"))
    negative = segmenter(Document("这次的菜和上次不一样"))
    negative.sentiment = Sentiment("negative", 0.02)
    negative.opinions = [Opinion("菜", "难吃", "negative", (3, 4), (4, 6), "口味", 0.9, "菜难吃")]
    RiskScorer().process([base, negative])
    assert base.risk is not None and negative.risk is not None
    assert negative.risk.score > base.risk.score


def test_thresholds_are_configurable(segmented: list[Document]) -> None:
    default = RiskScorer()
    medium, high = default.thresholds
    strict = RiskScorer(medium_threshold=0.05, high_threshold=0.1, rule_floors=False, high_needs_cue=False)
    assert strict.thresholds == (0.05, 0.1)
    levels = [d.risk.level for d in run(strict, segmented) if d.risk]
    assert levels.count("high") > [d.risk.level for d in run(default, segmented) if d.risk].count("high")
    assert default.level_of(high) == "high" and default.level_of(medium) == "medium"
    assert default.level_of(medium - 1e-6) == "low"
    assert RiskScorer(high_threshold=0.1).thresholds == (0.05, 0.1)
    assert RiskScorer(medium_threshold=0.9).thresholds == (0.9, 0.95)


@pytest.mark.parametrize("kwargs", [{"high_threshold": 1.5}, {"medium_threshold": 0.0},
                                    {"medium_threshold": 0.6, "high_threshold": 0.4},
                                    {"high_threshold": "high"}, {"max_reasons": -1}])
def test_bad_thresholds_raise(kwargs: dict) -> None:
    with pytest.raises(ConfigError):
        RiskScorer(**kwargs)


def test_rule_floor_makes_a_cue_high_whatever_the_threshold(segmenter) -> None:
    doc = segmenter(Document("很好吃，就是吃完拉肚子了"))
    RiskScorer(high_threshold=0.95, medium_threshold=0.5).process([doc])
    assert doc.risk is not None and doc.risk.level == "high"
    plain = segmenter(Document("很好吃，就是吃完拉肚子了"))
    RiskScorer(high_threshold=0.95, medium_threshold=0.5, rule_floors=False).process([plain])
    assert plain.risk is not None and plain.risk.level != "high"


def test_train_save_load_round_trip(segmenter, tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": TEXTS * 2, "label": ["高"] * 10 + ["中"] * 8 + ["低"] * 8})
    out = tmp_path / "risk"
    scorer = train_risk(frame, out=out, nlp=Pipeline([segmenter]), l2=2.0)
    assert not np.allclose(scorer.model_.weights, RiskScorer().model_.weights)
    assert (out / "meta.json").is_file() and (out / "risk_weights.npz").is_file()
    assert scorer.meta_["trained_on"]["rows"] == 26 and scorer.meta_["inputs"] == ["segment"]
    loaded = load_stage(out)
    assert isinstance(loaded, RiskScorer)
    np.testing.assert_allclose(loaded.model_.weights, scorer.model_.weights)
    nlp = Pipeline([segmenter, loaded])
    again = Pipeline([segmenter, scorer])
    for text in TEXTS:
        assert nlp(text).risk == again(text).risk


def test_weights_with_other_features_are_refused(tmp_path: Path) -> None:
    RiskScorer().to_dir(tmp_path)
    np.savez(tmp_path / "risk_weights.npz", weights=np.zeros(2), cuts=np.zeros(2),
             features=np.array(["a", "b"]))
    with pytest.raises(ModelError, match="features"):
        load_stage(tmp_path)
    assert len(FEATURES) > 2


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["high", "urgent"] * 15, "unmappable"),
        (["high"] * 30, "two different levels"),
        (["high", "low"] * 5, "at least 20"),
    ],
)
def test_bad_training_labels_raise(segmenter, labels: list[str], message: str) -> None:
    frame = pd.DataFrame({"text": ["送餐太慢了"] * len(labels), "label": labels})
    with pytest.raises(DataError, match=message):
        train_risk(frame, nlp=Pipeline([segmenter]))


def test_label_aliases_and_missing_column(segmenter) -> None:
    assert normalize_levels([" High", "中", "低风险", "MEDIUM"]) == ["high", "medium", "low", "medium"]
    with pytest.raises(DataError):
        normalize_levels([None])
    with pytest.raises(DataError, match="risk_label"):
        train_risk(pd.DataFrame({"text": ["a"], "label": ["low"]}), label_col="risk_label",
                   nlp=Pipeline([segmenter]))


def test_custom_lexicon_travels_with_the_model(segmenter, tmp_path: Path) -> None:
    import json

    from cxnlp.risk.cues import DEFAULT_CUES

    lexicon = json.loads(DEFAULT_CUES.read_text(encoding="utf-8"))
    lexicon["high"]["流失意图"].append("转身就走")
    custom = tmp_path / "my_cues.json"
    custom.write_text(json.dumps(lexicon, ensure_ascii=False), encoding="utf-8")
    RiskScorer(cues=str(custom)).to_dir(tmp_path / "model")
    custom.unlink()
    loaded = load_stage(tmp_path / "model")
    doc = segmenter(Document("服务员爱理不理，我转身就走"))
    loaded.process([doc])
    assert doc.risk is not None and doc.risk.reasons[0] == "流失意图: 我转身就走"


def test_bad_lexicon_file_raises(tmp_path: Path) -> None:
    bad = tmp_path / "cues.json"
    bad.write_text('{"high": {}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a JSON object"):
        RiskScorer(cues=str(bad))
    bad.write_text('{"high": {"流失": []}, "dissatisfaction": [], "satisfaction": [], "markers": {}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown high-risk categories"):
        RiskScorer(cues=str(bad))


def test_a_question_to_the_business_is_not_a_complaint(segmenter) -> None:
    asked = segmenter(Document("请问这个型号和去年那款有什么区别？"))
    stated = segmenter(Document("这个型号和去年那款有什么区别"))
    for doc in (asked, stated):
        doc.sentiment = Sentiment("negative", 0.17)  # an unsure sentiment model
    RiskScorer().process([asked, stated])
    assert asked.risk is not None and stated.risk is not None
    assert asked.risk.level == "low" and asked.risk.score < stated.risk.score


def test_ordinal_fit_recovers_a_known_direction() -> None:
    from cxnlp.risk.model import fit_ordinal

    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, len(FEATURES)))
    true_w = rng.normal(size=len(FEATURES))
    z = x @ true_w + rng.logistic(scale=0.3, size=300)
    y = np.where(z > 1.0, 2, np.where(z > -1.0, 1, 0))
    model = fit_ordinal(x, y, l2=0.01)
    assert np.corrcoef(model.weights, true_w)[0, 1] > 0.95
    assert model.cuts[0] < model.cuts[1]
    assert (model.probabilities(x).argmax(axis=1) == y).mean() > 0.85
    assert np.allclose(model.probabilities(x).sum(axis=1), 1.0)


def test_high_documents_stay_ranked_by_their_evidence(segmenter) -> None:
    one = segmenter(Document("再也不点了"))
    many = segmenter(Document("吃坏肚子了，已经投诉到12315，要求退款，再也不点了"))
    RiskScorer().process([one, many])
    assert one.risk is not None and many.risk is not None
    assert one.risk.level == many.risk.level == "high"
    assert many.risk.score > one.risk.score


def test_high_needs_a_cue(segmenter) -> None:
    def level(text: str, **kwargs: object) -> str:
        doc = segmenter(Document(text))
        doc.opinions = [Opinion(None, w, "negative", None, (0, 1), c, 0.9, w)
                        for w, c in zip("凉慢差漏脏贵", ("口味", "物流配送", "服务态度", "产品质量", "卫生", "价格"), strict=True)]
        doc.sentiment = Sentiment("negative", 0.01)
        RiskScorer(**kwargs).process([doc])  # type: ignore[arg-type]
        assert doc.risk is not None
        return doc.risk.level

    text = "太差了，菜是凉的，送得又慢，态度也差，包装还漏了，差评差评差评"
    assert level(text) == "medium"  # many complaints, no leave / refund / escalation … cue
    assert level(text, high_needs_cue=False) == "high"  # the score alone
    assert level(text, high_threshold=0.5) == "high"  # a lower threshold still flags more
    assert level(text + "，再也不点了") == "high"
