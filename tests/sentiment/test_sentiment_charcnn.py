"""The CNNs ensembled with the linear model: numpy inference matches torch (characters; words with
negation flags), round trip, config."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import cxnlp
from cxnlp.errors import ConfigError
from cxnlp.sentiment import SentimentClassifier
from cxnlp.sentiment.charcnn import CharCNN, ConvNet, fit_char_cnn
from cxnlp.sentiment.wordcnn import encode_words, fit_word_cnn

POS = ["很好吃，送餐也快", "服务态度好，下次还来", "质量不错，很满意", "物流很快，包装完好"]
NEG = ["太难吃了，再也不点了", "送餐太慢，饭都凉了", "质量很差，不推荐", "用了两天就坏了"]
LABELS = [1] * 4 + [0] * 4
SMALL = {"dim": 8, "filters": 16, "epochs": 30, "min_count": 1}


def torch_logits(net: ConvNet, ids: list[np.ndarray], flags: list[np.ndarray] | None = None) -> list[float]:
    """The network's logits by torch's own convolution, one sequence at a time."""
    torch = pytest.importorskip("torch")
    width = net.conv.shape[0] // net.embed.shape[1]
    kernel = torch.from_numpy(net.conv.reshape(width, net.embed.shape[1], -1).transpose(2, 1, 0).copy())
    expected = []
    for i, seq in enumerate(ids):
        vectors = net.embed[seq] + (net.flag_embed[flags[i] + 1] if flags is not None and net.flag_embed is not None else 0)
        conv = torch.nn.functional.conv1d(torch.from_numpy(vectors).T[None], kernel, torch.from_numpy(net.conv_bias),
                                          padding=width // 2)
        expected.append(float(torch.relu(conv).max(dim=2).values[0] @ torch.from_numpy(net.out)) + net.out_bias)
    return expected


def test_numpy_logits_match_torch_forward() -> None:
    pytest.importorskip("torch")
    cnn = fit_char_cnn(POS + NEG, np.array(LABELS), SMALL, seed=0)
    texts = ["很好吃", "太慢了，差评", "", "从没见过的字龘"]
    expected = torch_logits(cnn.net, cnn.encode(texts))
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


def test_word_cnn_numpy_logits_match_torch_forward() -> None:
    pytest.importorskip("torch")
    words = [["很", "好吃"], ["不", "好吃"], ["送餐", "太", "慢"], ["不", "慢"]] * 3
    cnn = fit_word_cnn(words, np.array([1, 0, 0, 1] * 3), {**SMALL, "min_count": 1}, seed=0)
    docs = [["不", "太", "好吃", "，", "慢"], [], ["没见过", "的", "词"]]
    ids, flags = encode_words(docs, cnn.index, cnn.max_words, cnn.scope)
    np.testing.assert_allclose(cnn.logits(docs, batch_size=2), torch_logits(cnn.net, ids, flags), rtol=1e-4, atol=1e-4)
