"""The learned text model behind ``RiskScorer.text_threshold``: fitting, persistence, the reasons it
gives, when the scorer lets it raise a document, and the shipped one on phrasings the cue lexicon lacks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxnlp.data import with_texts
from cxnlp.doc import Document, Sentiment
from cxnlp.errors import ConfigError, DataError
from cxnlp.risk import RiskScorer
from cxnlp.risk.scorer import TEXT_MODEL_FILE, TEXT_REASON
from cxnlp.risk.text_model import MIN_PER_SIDE, TextRiskModel, readable
from cxnlp.risk.train import cross_validate, text_threshold_table
from cxnlp.sentiment.features import char_key

COMPLAINTS = ["房间很吵", "菜太咸了", "送得很慢", "服务员态度冷淡", "床单有污渍", "价格偏贵", "包装破了",
              "空调不制冷", "等了一个小时", "味道很一般", "屏幕有坏点", "隔音太差"]
#: "溜了" (left) and "退货" mark the high side; the complaints alone are the other side.
HIGH_TEXTS = [f"{c}，住一晚就溜了" if i % 2 else f"{c}，已经退货" for i, c in enumerate(COMPLAINTS)]
OTHER_TEXTS = [f"{c}，有点失望" for c in COMPLAINTS]


@pytest.fixture(scope="module")
def docs(segmenter) -> list[Document]:
    return [segmenter(Document(t)) for t in HIGH_TEXTS + OTHER_TEXTS]


@pytest.fixture(scope="module")
def model(docs: list[Document]) -> TextRiskModel:
    return TextRiskModel.fit(docs, [True] * len(HIGH_TEXTS) + [False] * len(OTHER_TEXTS))


def complaint(segmenter, text: str) -> Document:
    """A segmented document the sentiment stage read as clearly negative."""
    doc = segmenter(Document(text))
    doc.sentiment = Sentiment("negative", 0.05)
    return doc


def scorer_with(model: TextRiskModel, **kwargs: object) -> RiskScorer:
    scorer = RiskScorer(**kwargs)  # type: ignore[arg-type]
    scorer.text_model_ = model
    return scorer


def test_readable_terms() -> None:
    assert readable("w退房") == "退房"
    assert readable("n好") == "好"
    assert readable("bw不会|w再") == "不会再"
    assert readable(char_key("谁订谁")) == "谁订谁"


def test_fit_predict_and_round_trip(segmenter, model: TextRiskModel) -> None:
    unseen = [segmenter(Document(t)) for t in ("灯光太暗，住一晚就溜了", "灯光太暗，有点失望")]
    p = model.predict_proba(unseen)
    assert p.shape == (2,) and 0.0 <= p[1] < 0.5 < p[0] <= 1.0
    again = TextRiskModel.from_arrays(model.to_arrays())
    np.testing.assert_allclose(again.predict_proba(unseen), p, rtol=1e-6)
    assert again.options == model.options
    assert model.predict_proba([]).shape == (0,)
    found = model.high_evidence(unseen, threshold=0.5)
    assert list(found) == [0]
    assert found[0][0] == pytest.approx(p[0]) and found[0][1] == model.top_terms(unseen[0])
    assert model.high_evidence([], threshold=0.5) == {}


def test_top_terms_prefer_words_and_skip_punctuation(segmenter, model: TextRiskModel) -> None:
    terms = model.top_terms(segmenter(Document("灯光太暗，住一晚就溜了")))
    assert terms and len(terms) <= 3
    assert all(t.isalnum() for t in terms)
    assert any("溜" in t for t in terms)
    assert len(terms[0]) > 1  # a word or multi-character n-gram before single characters


def test_fit_needs_both_sides(docs: list[Document]) -> None:
    with pytest.raises(DataError, match=f"at least {MIN_PER_SIDE} high"):
        TextRiskModel.fit(docs[:5] + docs[-5:], [True] * 5 + [False] * 5)
    with pytest.raises(DataError, match="3 labels"):
        TextRiskModel.fit(docs, [True, False, True])


def test_raises_medium_to_high_with_its_reason(segmenter, model: TextRiskModel) -> None:
    text = "灯光太暗，住一晚就溜了"
    plain, raised, off = (complaint(segmenter, text) for _ in range(3))
    RiskScorer().process([plain])
    scorer_with(model).process([raised])
    scorer_with(model, text_threshold=None).process([off])
    assert plain.risk is not None and raised.risk is not None and off.risk is not None
    assert plain.risk.level == off.risk.level == "medium"
    assert raised.risk.level == "high"
    assert raised.risk.reasons[0].startswith(f"{TEXT_REASON}: ")
    medium, high = RiskScorer().thresholds
    assert high <= raised.risk.score < 0.5 * (1.0 + high)  # below any explicit cue's floor
    cue = complaint(segmenter, "灯光太暗，再也不来了")
    scorer_with(model).process([cue])
    assert cue.risk is not None and cue.risk.score > raised.risk.score


def test_a_stricter_threshold_raises_less(segmenter, model: TextRiskModel) -> None:
    text = "灯光太暗，住一晚就溜了"
    p = float(model.predict_proba([segmenter(Document(text))])[0])
    below, above = complaint(segmenter, text), complaint(segmenter, text)
    scorer_with(model, text_threshold=min(0.99, p + 0.01)).process([below])
    scorer_with(model, text_threshold=max(0.01, p - 0.01)).process([above])
    assert below.risk is not None and above.risk is not None
    assert (below.risk.level, above.risk.level) == ("medium", "high")


@pytest.mark.parametrize("text", ["差点就退货了，还好客服解决了", "如果再这样就退货", "不是假货，就是有点贵"])
def test_cues_the_lexicon_discounted_are_not_raised(segmenter, model: TextRiskModel, text: str) -> None:
    doc = complaint(segmenter, text)
    scorer_with(model, text_threshold=0.01).process([doc])
    assert doc.risk is not None and doc.risk.level != "high"
    assert not any(r.startswith(TEXT_REASON) for r in doc.risk.reasons)


@pytest.mark.parametrize("value", [0, 1, 1.5, -0.1, "0.5", True])
def test_bad_text_threshold_raises(value: object) -> None:
    with pytest.raises(ConfigError, match="text_threshold must be a number strictly between 0 and 1"):
        RiskScorer(text_threshold=value)  # type: ignore[arg-type]


def test_save_load_keeps_the_text_model(segmenter, model: TextRiskModel, tmp_path: Path) -> None:
    scorer_with(model, text_threshold=0.6).to_dir(tmp_path)
    assert (tmp_path / TEXT_MODEL_FILE).is_file()
    loaded = RiskScorer.from_dir(tmp_path)
    assert loaded.text_threshold == 0.6 and loaded.text_model_ is not None
    doc = segmenter(Document("灯光太暗，住一晚就溜了"))
    np.testing.assert_allclose(loaded.text_model_.predict_proba([doc]), model.predict_proba([doc]), rtol=1e-6)
    RiskScorer().to_dir(tmp_path)  # a model without one leaves no stale file behind
    assert not (tmp_path / TEXT_MODEL_FILE).exists()
    assert RiskScorer.from_dir(tmp_path).text_model_ is None


def test_fit_text_keeps_the_combiner_and_skips_small_data(docs: list[Document]) -> None:
    levels = ["high"] * len(HIGH_TEXTS) + ["medium"] * len(OTHER_TEXTS)
    scorer = RiskScorer().fit_text(docs, levels)
    assert scorer.text_model_ is not None
    np.testing.assert_allclose(scorer.model_.weights, RiskScorer().model_.weights)
    assert RiskScorer().fit_text(docs[:3] + docs[-3:], ["high"] * 3 + ["medium"] * 3).text_model_ is None


def test_cross_validation_of_the_text_model_alone(docs: list[Document]) -> None:
    levels = ["high"] * len(HIGH_TEXTS) + ["medium"] * len(OTHER_TEXTS)
    folds = cross_validate(docs + docs, levels + levels, n_splits=2, combiner=False)
    assert all(s.text_model_ is not None for _, s in folds)
    assert all(np.allclose(s.model_.weights, RiskScorer().model_.weights) for _, s in folds)
    table = text_threshold_table(docs + docs, levels + levels, (None, 0.5), n_splits=2)
    assert [row["text_threshold"] for row in table] == [None, 0.5]
    assert table[1]["high_recall"] >= table[0]["high_recall"]


def test_with_texts_resolves_annotations_by_md5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    split = tmp_path / "sentiment" / "waimai_10k"
    split.mkdir(parents=True)
    pd.DataFrame({"text": ["送餐太慢", "很好吃"], "label": [0, 1]}).to_csv(split / "train.csv", index=False)
    monkeypatch.setenv("CXNLP_DATA", str(tmp_path))
    md5 = hashlib.md5("很好吃".encode()).hexdigest()
    tags = pd.DataFrame({"corpus": ["waimai_10k"], "md5": [md5], "label": ["low"]})
    assert with_texts(tags)["text"].tolist() == ["很好吃"]
    with pytest.raises(DataError, match="1 annotated text"):
        with_texts(tags.assign(md5=["0" * 32]))
    with pytest.raises(DataError, match="Unknown corpus 'weibo'"):
        with_texts(tags.assign(corpus=["weibo"]))


@pytest.mark.parametrize("text", [
    "照片与实物差距太大",       # misleading listing: no cue word
    "超级难吃，谁订谁知道",     # a warning by sarcasm
])
def test_shipped_text_model_catches_phrasings_the_lexicon_lacks(segmenter, text: str) -> None:
    shipped = RiskScorer.from_dir(Path(__file__).resolve().parents[2] / "models" / "default" / "risk")
    assert shipped.text_model_ is not None
    rules, full = segmenter(Document(text)), segmenter(Document(text))
    RiskScorer().process([rules])
    shipped.process([full])
    assert rules.risk is not None and full.risk is not None
    assert rules.risk.level == "medium" and full.risk.level == "high"


TAGS = Path(__file__).resolve().parents[2] / "models" / "data" / "risk_tags.csv"


def test_tagged_sample_file_is_well_formed() -> None:
    tags = pd.read_csv(TAGS)
    assert list(tags.columns) == ["corpus", "md5", "label", "annotator_pass", "reason"]
    assert set(tags["label"]) == {"low", "medium", "high"}
    assert set(tags["corpus"]) == {"waimai_10k", "hotel_htl_all", "online_shopping_10_cats"}
    assert tags["md5"].str.fullmatch("[0-9a-f]{32}").all() and tags["md5"].is_unique
    assert "text" not in tags.columns  # labels only: the corpora stay in shared/data


def test_tagged_sample_resolves_against_the_train_splits(data_dir: Path) -> None:
    tags = with_texts(pd.read_csv(TAGS))
    assert tags["text"].str.len().between(4, 400).all()
