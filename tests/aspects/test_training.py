"""Training on a small slice, save/load round trip, malformed data, evaluate_aspects."""

from __future__ import annotations

import json
from itertools import islice

import pytest

from cxnlp.aspects import AspectExtractor, evaluate_aspects, read_triplet_data, train_aspects
from cxnlp.errors import ConfigError, DataError
from cxnlp.pipeline import Pipeline
from cxnlp.stage import load_stage

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def train_rows(data_dir):
    with open(data_dir / "aspects" / "zh_restaurant_aste" / "train.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in islice(f, 200)]


@pytest.fixture(scope="module")
def small_model(train_rows, tmp_path_factory):
    out = tmp_path_factory.mktemp("aspects_model")
    return train_aspects(train_rows, out=out, seed=0, epochs=5), out


def test_train_and_round_trip(small_model, segmenter, train_rows) -> None:
    extractor, out = small_model
    assert (out / "aspects.npz").is_file() and (out / "config.json").is_file()
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["training_rows"] == 200 and meta["seed"] == 0 and "versions" in meta
    loaded = load_stage(out)
    assert isinstance(loaded, AspectExtractor)
    texts = [r["text"] for r in train_rows[:40]] + ["送餐太慢了", "经常断线，接入客户无通知"]
    a = [d.opinions for d in Pipeline([segmenter, extractor]).pipe(texts)]
    b = [d.opinions for d in Pipeline([segmenter, loaded]).pipe(texts)]
    assert a == b
    assert sum(len(x) for x in a) > 0


def test_training_is_seeded(small_model, train_rows, segmenter) -> None:
    again = train_aspects(train_rows, seed=0, epochs=5)
    texts = [r["text"] for r in train_rows[:30]]
    first = [d.opinions for d in Pipeline([segmenter, small_model[0]]).pipe(texts)]
    assert first == [d.opinions for d in Pipeline([segmenter, again]).pipe(texts)]


def test_evaluate_aspects(small_model, train_rows) -> None:
    result = evaluate_aspects(train_rows[:50], small_model[0])
    assert set(result) >= {"task", "n", "triplet_f1", "triplet_f1_overlap", "pair_f1", "aspect_f1",
                           "opinion_f1", "docs_per_s"}
    assert result["task"] == "aspects" and result["n"] == 50
    assert 0.0 < result["triplet_f1"] <= result["triplet_f1_overlap"] <= 1.0  # training rows: seen data


def test_malformed_lines_are_reported_with_numbers(tmp_path) -> None:
    good = {"text": "价格也适中。", "triplets": [{"aspect_span": [0, 2], "opinion_span": [2, 5],
                                                  "polarity": "positive"}]}
    lines = [json.dumps(good, ensure_ascii=False), "{not json", json.dumps({"text": "好"}),
             json.dumps(good, ensure_ascii=False),
             json.dumps({"text": "短", "triplets": [{"aspect_span": None, "opinion_span": [0, 9],
                                                      "polarity": "positive"}]}),
             json.dumps({"text": "好吃", "triplets": [{"aspect_span": None, "opinion_span": [0, 2],
                                                       "polarity": "good"}]})]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        train_aspects(path)
    message = str(info.value)
    assert "4 malformed" in message
    for number in ("line 2", "line 3", "line 5", "line 6"):
        assert number in message
    assert "line 1:" not in message and "line 4:" not in message


def test_bad_data_arguments(tmp_path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        read_triplet_data(tmp_path / "nope.jsonl")
    with pytest.raises(ConfigError):
        read_triplet_data(42)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="row 1"):
        read_triplet_data([{"text": "", "triplets": []}])


def test_untrained_extractor_uses_the_lexicon(segmenter) -> None:
    doc = Pipeline([segmenter, AspectExtractor()])("网络很顺畅")
    assert doc.tags == ["正向评价: 网络顺畅"]
