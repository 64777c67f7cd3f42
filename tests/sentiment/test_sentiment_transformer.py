"""The transformer backend end to end on a tiny, randomly initialised local BERT (no download)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxnlp
from cxnlp.errors import ConfigError, ModelError
from cxnlp.sentiment import train_sentiment
from cxnlp.sentiment.transformer import TransformerSentiment, fit_temperature

pytest.importorskip("torch", reason="the transformer backend needs the optional torch extra")
pytest.importorskip("transformers", reason="the transformer backend needs the optional transformers extra")

POS = ["很好吃", "送餐很快", "服务很好", "质量不错", "非常满意", "包装精美", "味道很赞", "下次还来"]
NEG = ["太难吃了", "送餐太慢", "服务很差", "质量不行", "非常失望", "包装破损", "味道很怪", "再也不来"]


@pytest.fixture(scope="module")
def tiny_bert(make_tiny_bert: Callable[[Iterable[str]], Path]) -> Path:
    return make_tiny_bert(POS + NEG + ["还没吃，已收到"])


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.DataFrame({"text": POS * 4 + NEG * 4, "label": ["正面"] * 32 + ["负面"] * 32})


def test_fine_tune_save_load_predict(tiny_bert: Path, frame: pd.DataFrame, tmp_path: Path) -> None:
    out = tmp_path / "model"
    stage = train_sentiment(frame, backend="transformer", base_model=tiny_bert, out=out, seed=0,
                            epochs=15, lr=3e-3, train_batch_size=16, device="cpu", batch_size=8)
    assert isinstance(stage, TransformerSentiment)
    assert stage.meta_["backend"] == "transformer" and stage.meta_["heldout_rows"] == 6
    assert (out / "sentiment" / "hf" / "model.safetensors").is_file()
    scores = stage.predict_proba(POS + NEG)
    assert np.mean((scores >= 0.5) == np.array([1] * 8 + [0] * 8)) >= 0.9  # learnt the training texts
    for loaded in (cxnlp.load_stage(out / "sentiment"), TransformerSentiment.from_dir(out)):
        assert isinstance(loaded, TransformerSentiment)
        np.testing.assert_allclose(loaded.predict_proba(POS + NEG), scores, atol=1e-5)
    docs = list(cxnlp.load(out).pipe(["很好吃", "太难吃了", "还没吃，已收到"]))
    assert [d.sentiment.label for d in docs[:2]] == ["positive", "negative"]
    assert docs[2].sentiment.label == "neutral"  # no-opinion rule works for this backend too
    assert 0.0 <= docs[2].sentiment.score <= 1.0


def test_batches_match_single_texts(tiny_bert: Path) -> None:
    stage = TransformerSentiment(model=str(tiny_bert), device="cpu", batch_size=3)
    texts = POS + NEG
    batched = stage.predict_proba(texts)
    single = np.array([stage.predict_proba([t])[0] for t in texts])
    np.testing.assert_allclose(batched, single, atol=1e-5)


def test_errors(tmp_path: Path, frame: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="needs base_model"):
        train_sentiment(frame, backend="transformer")
    with pytest.raises(ModelError, match="Missing hf/"):
        TransformerSentiment().load_weights(tmp_path)
    with pytest.raises(ModelError, match="has no model"):
        TransformerSentiment().predict_proba(["好"])
    with pytest.raises(ModelError, match="Could not load"):
        TransformerSentiment(model=str(tmp_path), device="cpu").predict_proba(["好"])


def test_fit_temperature_prefers_softer_logits_when_overconfident() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    logits = np.where(y == 1, 1.0, -1.0) * 6 + rng.normal(0, 6, 400)  # right sign ~84%, far too confident
    assert fit_temperature(logits, y) > 2.0
