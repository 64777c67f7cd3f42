"""The transformer aspects backend end to end on a tiny, randomly initialised local BERT (no download)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cxnlp.aspects import AspectExtractor, train_aspects
from cxnlp.aspects.model import TripletModel
from cxnlp.aspects.transformer import TransformerTripletModel, char_tags, decode_tags, token_labels
from cxnlp.cli import main
from cxnlp.doc import Opinion
from cxnlp.errors import ConfigError, ModelError
from cxnlp.pipeline import Pipeline


def triplet(text: str, aspect: str | None, opinion: str, polarity: str) -> dict[str, Any]:
    """A gold triplet with the spans of the first occurrences of ``aspect`` and ``opinion``."""
    start = text.index(opinion)
    aspect_span = None if aspect is None else [text.index(aspect), text.index(aspect) + len(aspect)]
    return {"aspect": aspect, "aspect_span": aspect_span, "opinion": opinion,
            "opinion_span": [start, start + len(opinion)], "polarity": polarity}


def example(text: str, *triplets: tuple[str | None, str, str]) -> dict[str, Any]:
    return {"text": text, "triplets": [triplet(text, *t) for t in triplets]}


ROWS = [
    example("送餐太慢了", ("送餐", "太慢了", "negative")),
    example("味道很好，价格也适中。", ("味道", "很好", "positive"), ("价格", "也适中", "positive")),
    example("服务态度很差", ("服务态度", "很差", "negative")),
    example("环境一般", ("环境", "一般", "neutral")),
    example("网络经常断线", ("网络", "经常断线", "negative")),
    example("下次还来！", (None, "下次还来", "positive")),
    example("菜品新鲜，分量足", ("菜品", "新鲜", "positive"), ("分量", "足", "positive")),
    example("客服回复慢", ("客服", "回复慢", "negative")),
]
LONG_TEXT = "味道很好，" * 40 + "送餐太慢了"  # 205 characters: beyond the tiny model's 64 positions


@pytest.fixture(scope="module")
def tiny_bert(make_tiny_bert: Callable[[Iterable[str]], Path]) -> Path:
    return make_tiny_bert(row["text"] for row in ROWS)


@pytest.fixture(scope="module")
def trained(tiny_bert: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[AspectExtractor, Path]:
    out = tmp_path_factory.mktemp("aspects_transformer")
    extractor = train_aspects(ROWS * 4, out=out, seed=0, backend="transformer", base_model=tiny_bert,
                              epochs=12, lr=3e-3, batch_size=8, device="cpu", max_length=64)
    return extractor, out


def identity_offsets(n: int) -> np.ndarray:
    """Offsets of a one-token-per-character tokenization, with [CLS] and [SEP]."""
    return np.array([(0, 0), *((i, i + 1) for i in range(n)), (0, 0)])


def test_char_tags_round_trip() -> None:
    for row in ROWS:
        text, gold = row["text"], row["triplets"]
        labels = token_labels(char_tags(len(text), gold), identity_offsets(len(text)))
        spans = decode_tags(labels, identity_offsets(len(text)))
        aspects = {tuple(t["aspect_span"]) for t in gold if t["aspect_span"]}
        opinions = {tuple(t["opinion_span"]) for t in gold}
        assert {span for kind, span, _ in spans if kind == "ASP"} == aspects
        assert {span for kind, span, _ in spans if kind == "OPN"} == opinions


def test_multi_character_tokens_take_the_tags_of_their_characters() -> None:
    text = "iphone 屏幕很好"  # one [UNK] token for the English word, one token a character after
    gold = [triplet(text, "iphone 屏幕", "很好", "positive")]
    offsets = np.array([(0, 0), (0, 6), *((i, i + 1) for i in range(7, len(text))), (0, 0)])
    labels = token_labels(char_tags(len(text), gold), offsets)
    assert labels[0] == labels[-1] == -100
    spans = decode_tags(labels, offsets)
    assert [(kind, span) for kind, span, _ in spans] == [("ASP", (0, 9)), ("OPN", (9, 11))]


def test_configs_without_a_backend_stay_linear(extractor: AspectExtractor) -> None:
    assert "backend" not in (extractor.model_config or {}) and isinstance(extractor.model_, TripletModel)


def test_train_save_load_and_pipeline(trained: tuple[AspectExtractor, Path], segmenter: Any) -> None:
    extractor, out = trained
    assert (out / "hf" / "model.safetensors").is_file() and not (out / "aspects.npz").exists()
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))["config"]
    assert config["model"]["backend"] == "transformer"
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["backend"] == "transformer" and meta["base_model"] and meta["steps"] > 0
    assert meta["training_rows"] == len(ROWS) * 4 and "transformers" in meta["versions"]
    loaded = AspectExtractor.from_dir(out)
    assert isinstance(loaded.model_, TransformerTripletModel)

    texts = [row["text"] for row in ROWS] + [LONG_TEXT, "iPhone 15 屏幕很好", "😀", ""]
    docs = list(Pipeline([segmenter, loaded]).pipe(texts))
    for doc in docs:
        assert isinstance(doc.opinions, list) and all(isinstance(o, Opinion) for o in doc.opinions)
        for o in doc.opinions:
            assert 0 <= o.opinion_span[0] < o.opinion_span[1] <= len(doc.text)
            assert doc.text[o.opinion_span[0]:o.opinion_span[1]] == o.opinion
            if o.aspect_span is not None:
                assert doc.text[o.aspect_span[0]:o.aspect_span[1]] == o.aspect
            assert o.polarity in ("positive", "negative", "neutral") and 0.0 <= o.score <= 1.0
    assert [d.opinions for d in Pipeline([segmenter, extractor]).pipe(texts)] == [d.opinions for d in docs]

    units = [(row["text"], []) for row in ROWS]
    predicted = loaded.model_.predict(units)  # type: ignore[union-attr]
    gold = {(i, tuple(t["aspect_span"] or ()), tuple(t["opinion_span"]), t["polarity"])
            for i, row in enumerate(ROWS) for t in row["triplets"]}
    found = {(i, tuple(a or ()), tuple(o), p) for i, unit in enumerate(predicted) for a, o, p, _ in unit}
    assert len(found & gold) >= len(gold) // 2  # the training rows are learnt


def test_truncated_text_gets_predictions_only_where_tokens_are(trained: tuple[AspectExtractor, Path]) -> None:
    model = trained[0].model_
    assert isinstance(model, TransformerTripletModel)
    (triplets,) = model.predict([(LONG_TEXT, [])])
    assert all(o[1] <= 62 and (a is None or a[1] <= 62) for a, o, _, _ in triplets)  # 64 minus [CLS], [SEP]


def test_cli_trains_the_transformer_backend(tiny_bert: Path, tmp_path: Path, segmenter: Any) -> None:
    data = tmp_path / "triplets.jsonl"
    data.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS), encoding="utf-8")
    out = tmp_path / "model"
    assert main(["train", "aspects", "--data", str(data), "--out", str(out), "--backend", "transformer",
                 "--base-model", str(tiny_bert)]) == 0
    doc = Pipeline([segmenter, AspectExtractor.from_dir(out)])("送餐太慢了")
    assert isinstance(doc.opinions, list)
    assert main(["train", "aspects", "--data", str(data), "--out", str(out), "--base-model", str(tiny_bert)]) == 2


def test_wrong_arguments(tiny_bert: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="needs base_model"):
        train_aspects(ROWS, backend="transformer")
    with pytest.raises(ConfigError, match="only used by backend='transformer'"):
        train_aspects(ROWS, base_model=tiny_bert)
    with pytest.raises(ConfigError, match="backend must be one of"):
        train_aspects(ROWS, backend="crf")
    with pytest.raises(ConfigError, match="Unknown argument for the transformer"):
        train_aspects(ROWS, backend="transformer", base_model=tiny_bert, alpha=1e-5)
    with pytest.raises(ConfigError, match="batch_size"):
        TransformerTripletModel(batch_size=0)
    with pytest.raises(ConfigError, match="model backend"):
        AspectExtractor(model={"backend": "crf"})
    with pytest.raises(ModelError, match="Could not load"):
        train_aspects(ROWS, backend="transformer", base_model=tmp_path, device="cpu")
    (tmp_path / "config.json").write_text(json.dumps({"factory": "aspects", "config": {"model": {
        "backend": "transformer"}}}), encoding="utf-8")
    with pytest.raises(ModelError, match="Missing hf/"):
        AspectExtractor.from_dir(tmp_path)
    with pytest.raises(ModelError, match="no checkpoint"):
        TransformerTripletModel().predict([("送餐太慢了", [])])
