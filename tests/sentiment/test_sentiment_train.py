"""train_sentiment on users' data: a 200-row slice, save/load round trip, label mapping, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxnlp
from cxnlp.errors import ConfigError, DataError
from cxnlp.sentiment import SentimentClassifier, evaluate_sentiment, train_sentiment
from cxnlp.sentiment.labels import load_labelled, map_labels

POS = ["很好吃，送餐也快", "服务态度好，下次还来", "质量不错，很满意", "物流很快，包装完好", "性价比高，推荐购买"]
NEG = ["太难吃了，再也不点了", "送餐太慢，饭都凉了", "质量很差，不推荐", "客服态度恶劣", "用了两天就坏了"]


def toy_frame(n_each: int = 12) -> pd.DataFrame:
    texts = [t + "!" * (i // len(POS)) for i in range(n_each) for t in (POS[i % len(POS)], NEG[i % len(NEG)])]
    return pd.DataFrame({"text": texts, "label": [1, 0] * n_each})


@pytest.fixture(scope="module")
def slice_200(data_dir: Path) -> pd.DataFrame:
    frame = pd.read_csv(data_dir / "sentiment" / "waimai_10k" / "train.csv", dtype={"text": str}, keep_default_na=False)
    return frame.sample(n=200, random_state=0)


@pytest.fixture(scope="module")
def trained(slice_200: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> tuple[SentimentClassifier, Path]:
    out = tmp_path_factory.mktemp("model")
    stage = train_sentiment(slice_200, out=out, seed=0)
    assert isinstance(stage, SentimentClassifier)
    return stage, out


def test_train_on_200_rows_learns(trained: tuple[SentimentClassifier, Path], data_dir: Path) -> None:
    stage, out = trained
    dev = pd.read_csv(data_dir / "sentiment" / "waimai_10k" / "dev.csv", dtype={"text": str}, keep_default_na=False)
    result = evaluate_sentiment(dev.sample(n=300, random_state=1), model=out)
    assert result["task"] == "sentiment" and result["n"] == 300
    assert result["accuracy"] > 0.75  # chance (majority class) is about 0.65
    assert stage.meta_["data"]["rows_used"] == 200 and "cv_accuracy" in stage.meta_
    assert stage.meta_["seed"] == 0 and "numpy" in stage.meta_["versions"]


def test_save_load_round_trip_identical(trained: tuple[SentimentClassifier, Path], segmenter) -> None:  # type: ignore[no-untyped-def]
    stage, out = trained
    texts = ["很好吃", "太慢了，差评", "还没吃", "味道一般，但是分量足"]
    docs = [cxnlp.Document(t) for t in texts]
    segmenter.process(docs)
    before = stage.predict_proba(docs)
    for loaded in (SentimentClassifier.from_dir(out / "sentiment"), SentimentClassifier.from_dir(out),
                   cxnlp.load_stage(out / "sentiment")):
        np.testing.assert_array_equal(loaded.predict_proba(docs), before)
    pipeline_scores = [d.sentiment.score for d in cxnlp.load(out).pipe(texts)]
    np.testing.assert_allclose(pipeline_scores, before, atol=1e-6)
    assert all(f.suffix in {".json", ".npz"} for f in (out / "sentiment").iterdir())


def test_same_seed_same_model(slice_200: pd.DataFrame) -> None:
    small = slice_200.head(60)
    a, b = train_sentiment(small, seed=3), train_sentiment(small, seed=3)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.calibration_, b.calibration_)


def test_accepts_csv_and_jsonl(tmp_path: Path) -> None:
    frame = toy_frame()
    frame.to_csv(tmp_path / "d.csv", index=False)
    frame.to_json(tmp_path / "d.jsonl", orient="records", lines=True, force_ascii=False)
    for source in (tmp_path / "d.csv", str(tmp_path / "d.jsonl")):
        stage = train_sentiment(source, calibration_folds=0)
        assert stage.meta_["data"]["rows_used"] == len(frame)


def test_accepts_a_datasets_dataset() -> None:
    datasets = pytest.importorskip("datasets", reason="datasets comes with the optional transformers extra")
    frame = toy_frame()
    stage = train_sentiment(datasets.Dataset.from_pandas(frame), calibration_folds=0)
    assert stage.meta_["data"]["rows_used"] == len(frame)


@pytest.mark.parametrize(
    ("values", "expected", "scheme"),
    [
        ([1, 0, "1", "0"], [1, 0, 1, 0], "binary 0/1"),
        ([True, False], [1, 0], "binary 0/1"),
        (["正面", "负面", "Positive", " neg ", "中性", "好评", "差评"], [1, 0, 1, 0, None, 1, 0], "words"),
        ([1, 2, 3, 4, 5, 5.0], [0, 0, None, 1, 1, 1], "stars 1-5"),
    ],
)
def test_label_mapping(values: list[object], expected: list[int | None], scheme: str) -> None:
    assert map_labels(values) == (expected, scheme)


def test_stars_drop_neutral_and_empty_with_counts() -> None:
    frame = toy_frame()
    frame["label"] = [5, 1] * (len(frame) // 2)
    extra = pd.DataFrame({"text": ["一般般", "", None, "还行"], "label": [3, 5, 4, None]})
    data = load_labelled(pd.concat([frame, extra]))
    assert data.scheme == "stars 1-5" and len(data.texts) == len(frame)
    assert data.dropped == {"missing_label": 1, "empty_text": 2, "neutral": 1}


def test_unmappable_labels_list_examples() -> None:
    frame = toy_frame().astype({"label": object})
    frame.loc[3, "label"] = "great"
    frame.loc[5, "label"] = "?"
    with pytest.raises(DataError, match=r"2 label value\(s\).*row 3: 'great'.*Accepted labels"):
        train_sentiment(frame)


def test_single_class_is_an_error() -> None:
    frame = toy_frame()
    frame["label"] = 1
    with pytest.raises(DataError, match="All 24 usable rows .* positive"):
        train_sentiment(frame)


def test_too_few_rows_is_an_error() -> None:
    with pytest.raises(DataError, match="Only 10 usable"):
        train_sentiment(toy_frame(5))


def test_missing_columns_and_bad_arguments() -> None:
    frame = toy_frame()
    with pytest.raises(DataError, match="'review'.*available columns"):
        train_sentiment(frame, text_col="review")
    with pytest.raises(DataError, match="Label column 'stars'"):
        train_sentiment(frame, label_col="stars")
    with pytest.raises(ConfigError, match="backend"):
        train_sentiment(frame, backend="svm")
    with pytest.raises(ConfigError, match="base_model is only used"):
        train_sentiment(frame, base_model="bert-base-chinese")
    with pytest.raises(ConfigError, match="Unknown argument"):
        train_sentiment(frame, learning_rate=0.1)
    with pytest.raises(ConfigError, match="neutral_band"):
        train_sentiment(frame, neutral_band=(0.6, 0.4))
    with pytest.raises(DataError, match="DataFrame"):
        train_sentiment(["a", "b"])


def test_exported_from_package() -> None:
    assert cxnlp.train_sentiment is train_sentiment


def test_domain_col_trains_domain_weights(tmp_path: Path, segmenter) -> None:  # type: ignore[no-untyped-def]
    frame = pd.concat([toy_frame().assign(line="外卖"),
                       pd.DataFrame({"text": ["屏幕清晰，续航很长", "手机卡顿，经常死机"] * 12, "label": [1, 0] * 12,
                                     "line": "手机"})])
    stage = train_sentiment(frame, domain_col="line", calibration_folds=0, out=tmp_path / "m")
    assert stage.domains_ == sorted(["外卖", "手机"])
    assert stage.coef_ is not None and stage.coef_.shape[0] == 3
    docs = [cxnlp.Document(t) for t in ["手机续航很长", "外卖很好吃"]]
    segmenter.process(docs)
    probs = stage.domain_proba(docs)
    assert probs.shape == (2, 2) and np.allclose(probs.sum(axis=1), 1.0)
    assert probs[0, stage.domains_.index("手机")] > 0.5 and probs[1, stage.domains_.index("外卖")] > 0.5
    np.testing.assert_array_equal(SentimentClassifier.from_dir(tmp_path / "m").predict_proba(docs),
                                  stage.predict_proba(docs))
    with pytest.raises(DataError, match="Domain column 'nope'"):
        train_sentiment(frame, domain_col="nope")
