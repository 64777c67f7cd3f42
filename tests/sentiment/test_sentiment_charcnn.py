"""The character CNN ensembled with the linear model: numpy inference matches torch, round trip, config."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import cxnlp
from cxnlp.errors import ConfigError
from cxnlp.sentiment import SentimentClassifier
from cxnlp.sentiment.charcnn import CharCNN, fit_char_cnn

POS = ["很好吃，送餐也快", "服务态度好，下次还来", "质量不错，很满意", "物流很快，包装完好"]
NEG = ["太难吃了，再也不点了", "送餐太慢，饭都凉了", "质量很差，不推荐", "用了两天就坏了"]
LABELS = [1] * 4 + [0] * 4
SMALL = {"dim": 8, "filters": 16, "epochs": 30, "min_count": 1}


def test_numpy_logits_match_torch_forward() -> None:
    torch = pytest.importorskip("torch")
    cnn = fit_char_cnn(POS + NEG, np.array(LABELS), SMALL, seed=0)
    texts = ["很好吃", "太慢了，差评", "", "从没见过的字龘"]
    width = cnn.conv.shape[0] // cnn.embed.shape[1]
    kernel = torch.from_numpy(cnn.conv.reshape(width, cnn.embed.shape[1], -1).transpose(2, 1, 0).copy())
    expected = []
    for ids in cnn.encode(texts):
        emb = torch.from_numpy(cnn.embed[ids]).T[None]
        conv = torch.nn.functional.conv1d(emb, kernel, torch.from_numpy(cnn.conv_bias), padding=width // 2)
        hidden = torch.relu(conv)
        expected.append(float(hidden.max(dim=2).values[0] @ torch.from_numpy(cnn.out)) + cnn.out_bias)
    np.testing.assert_allclose(cnn.logits(texts, batch_size=3), expected, rtol=1e-4, atol=1e-4)
    assert (cnn.logits(POS) > cnn.logits(NEG).max()).all()


def test_classifier_with_cnn_round_trip(tmp_path: Path, segmenter) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("torch")
    texts = (POS + NEG) * 3
    docs = [cxnlp.Document(t) for t in texts]
    segmenter.process(docs)
    stage = SentimentClassifier(cnn=SMALL, calibration_folds=0).fit(docs, LABELS * 3)
    assert isinstance(stage.cnn_, CharCNN)
    stage.to_dir(tmp_path)
    loaded = SentimentClassifier.from_dir(tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(docs), stage.predict_proba(docs))
    assert loaded.cnn == stage.cnn
    linear_only = SentimentClassifier(calibration_folds=0).fit(docs, LABELS * 3)
    assert not np.array_equal(linear_only.predict_proba(docs), stage.predict_proba(docs))


@pytest.mark.parametrize("bad", [{"size": 3}, "big"])
def test_bad_cnn_option(bad: object) -> None:
    with pytest.raises(ConfigError, match="cnn"):
        SentimentClassifier(cnn=bad)  # type: ignore[arg-type]
