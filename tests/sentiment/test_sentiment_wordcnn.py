"""The word CNN ensemble member: pretrained word vectors, negation flags, save/load, a 200-row slice."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxnlp
from cxnlp.errors import ConfigError
from cxnlp.sentiment import SentimentClassifier
from cxnlp.sentiment.features import IN_SCOPE, NEGATOR, OUTSIDE, negation_flags
from cxnlp.sentiment.wordcnn import WordCNN, fit_word_cnn, word_vectors

SMALL = {"dim": 8, "filters": 16, "epochs": 3, "min_count": 1}


def segmented(texts: list[str], segmenter) -> list[cxnlp.Document]:  # type: ignore[no-untyped-def]
    docs = [cxnlp.Document(t) for t in texts]
    segmenter.process(docs)
    return docs


def test_negation_flags_open_and_close_scopes() -> None:
    words = ["不", "太", "好吃", "，", "但是", "不", "贵", "但", "好"]
    assert negation_flags(words, scope=2) == [NEGATOR, IN_SCOPE, IN_SCOPE, OUTSIDE, OUTSIDE, NEGATOR, IN_SCOPE,
                                              OUTSIDE, OUTSIDE]


def test_word_vectors_put_words_of_like_contexts_together() -> None:
    docs = [["菜", "很", "好吃"], ["菜", "很", "美味"], ["服务", "很", "差"], ["服务", "很", "糟糕"]] * 20
    index = {w: i + 1 for i, w in enumerate(sorted({w for d in docs for w in d}))}
    vectors = word_vectors(docs, index, window=2, dim=3, seed=0)
    assert vectors.shape == (len(index) + 1, 3) and not vectors[0].any()
    unit = vectors[1:] / np.linalg.norm(vectors[1:], axis=1, keepdims=True)
    cosine = unit @ unit.T
    assert cosine[index["好吃"] - 1, index["美味"] - 1] > cosine[index["好吃"] - 1, index["糟糕"] - 1]


def test_fit_word_cnn_separates_training_texts(segmenter) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("torch")
    pos = segmented(["很好吃，送餐也快", "服务态度好，下次还来", "质量不错，很满意"] * 4, segmenter)
    neg = segmented(["不好吃，送餐太慢", "服务态度不好，不会再来", "质量不行，不满意"] * 4, segmenter)
    words = [d.words for d in pos + neg]
    cnn = fit_word_cnn(words, np.array([1] * 12 + [0] * 12), {**SMALL, "epochs": 30}, seed=0,
                       unlabelled=[["好吃", "快"], ["不", "满意"]])
    logits = cnn.logits(words + [[]])
    assert (logits[:12] > logits[12:24].max()).all() and np.isfinite(logits[24])
    assert cnn.net.flag_embed is not None and cnn.net.flag_embed.any()


def test_classifier_with_word_cnn_round_trip(tmp_path: Path, segmenter) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("torch")
    docs = segmented(["很好吃，送餐也快", "质量不错，很满意", "太难吃了", "质量很差，不推荐"] * 3, segmenter)
    stage = SentimentClassifier(word_cnn=SMALL, calibration_folds=0).fit(docs, [1, 1, 0, 0] * 3)
    assert isinstance(stage.word_cnn_, WordCNN)
    stage.to_dir(tmp_path)
    loaded = SentimentClassifier.from_dir(tmp_path)
    assert isinstance(loaded.word_cnn_, WordCNN) and loaded.word_cnn == stage.word_cnn
    np.testing.assert_array_equal(loaded.predict_proba(docs), stage.predict_proba(docs))


def test_200_row_slice_trains_fast_with_scores_in_range(data_dir: Path, segmenter) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("torch")
    frame = pd.read_csv(data_dir / "sentiment" / "waimai_10k" / "train.csv", dtype={"text": str},
                        keep_default_na=False).sample(n=200, random_state=0)
    docs = segmented(frame["text"].tolist(), segmenter)
    started = time.perf_counter()
    stage = SentimentClassifier(word_cnn={}, calibration_folds=0).fit(docs, frame["label"].to_numpy())
    assert time.perf_counter() - started < 30
    scores = stage.predict_proba(docs)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert np.mean((scores >= 0.5) == frame["label"].to_numpy()) > 0.8


@pytest.mark.parametrize("bad", [{"layers": 2}, "big"])
def test_bad_word_cnn_option(bad: object) -> None:
    with pytest.raises(ConfigError, match="word_cnn"):
        SentimentClassifier(word_cnn=bad)  # type: ignore[arg-type]
