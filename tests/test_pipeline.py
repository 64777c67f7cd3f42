"""Pipeline composition, requirement checks, persistence and multiprocessing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import cxnlp
from cxnlp.doc import Document
from cxnlp.errors import ConfigError, ModelError, PipelineError
from cxnlp.pipeline import Pipeline, make_doc, models_frozen
from cxnlp.segment import Segmenter
from cxnlp.stage import Stage, register_stage

TEXTS = ["快递小哥很给力，性价比高！", "客服态度太差了，再也不买了", "房间干净，早餐一般", "还没用，不知道怎么样"]


@register_stage("test_length")
class LengthStage(Stage):
    """A toy stage that needs tokens: counts them into sentiment.score."""

    requires = ("tokens",)
    provides = ("sentiment",)

    def __init__(self, fail_on: str = "") -> None:
        self.fail_on = fail_on

    def process(self, docs: list[Document]) -> None:
        for doc in docs:
            if self.fail_on and self.fail_on in doc.text:
                raise RuntimeError("boom")
            doc.sentiment = cxnlp.Sentiment("neutral", float(len(doc.tokens)))

    def get_config(self) -> dict[str, Any]:
        return {"fail_on": self.fail_on}


def test_unmet_requirement_fails_at_construction() -> None:
    with pytest.raises(PipelineError, match="requires \\['tokens'\\]"):
        Pipeline([LengthStage()])


def test_stages_must_be_stages_with_unique_names() -> None:
    with pytest.raises(ConfigError, match="Stage objects"):
        Pipeline(["segment"])  # type: ignore[list-item]
    with pytest.raises(ConfigError, match="unique"):
        Pipeline([("a", Segmenter()), ("a", Segmenter())])


def test_pipe_keeps_order_and_count() -> None:
    nlp = Pipeline([Segmenter(), LengthStage()])
    texts = TEXTS + [None, "", 12] + TEXTS
    docs = list(nlp.pipe(texts, batch_size=3))
    assert len(docs) == len(texts)
    for text, doc in zip(texts, docs, strict=True):
        if isinstance(text, str) and text:
            assert doc.text == text and doc.ok
            assert doc.sentiment is not None and doc.sentiment.score == len(doc.tokens)
        else:
            assert doc.error


def test_a_failing_document_does_not_lose_its_batch() -> None:
    nlp = Pipeline([Segmenter(), LengthStage(fail_on="客服")])
    docs = list(nlp.pipe(TEXTS, batch_size=8))
    assert [d.error is None for d in docs] == [True, False, True, True]
    assert "test_length failed: RuntimeError: boom" in (docs[1].error or "")
    assert docs[0].sentiment is not None


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    nlp = Pipeline([Segmenter(user_dict=["给力啊"]), ("count", LengthStage(fail_on="x"))])
    nlp.to_dir(tmp_path / "p")
    loaded = cxnlp.load(tmp_path / "p")
    assert loaded.stage_names == ["segment", "count"]
    assert loaded.get_stage("count").fail_on == "x"  # type: ignore[attr-defined]
    assert [d.to_dict() for d in loaded.pipe(TEXTS)] == [d.to_dict() for d in nlp.pipe(TEXTS)]


def test_load_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        cxnlp.load(tmp_path / "missing")
    with pytest.raises(ModelError, match="not a cxnlp pipeline"):
        cxnlp.load(tmp_path)
    with pytest.raises(ConfigError, match="directory path"):
        cxnlp.load(42)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="Did you mean 'segment'"):
        Pipeline([Segmenter()]).get_stage("segmnt")


def test_bad_arguments_raise_clear_errors() -> None:
    nlp = Pipeline([Segmenter()])
    with pytest.raises(ConfigError, match="batch_size"):
        list(nlp.pipe(TEXTS, batch_size=0))
    with pytest.raises(ConfigError, match="n_process"):
        list(nlp.pipe(TEXTS, n_process=0))
    with pytest.raises(ConfigError, match="single string"):
        list(nlp.pipe("一段文字"))


def test_n_process_2_equals_n_process_1() -> None:
    nlp = cxnlp.load()
    texts = (TEXTS + [None, "  ", "😀", "OK good"]) * 10
    one = [d.to_dict() for d in nlp.pipe(texts, batch_size=7)]
    two = [d.to_dict() for d in nlp.pipe(texts, batch_size=7, n_process=2)]
    assert two == one


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (None, "missing text"),
        (float("nan"), "missing text"),
        (3.5, "expected a string"),
        ("", "empty text"),
        (" \n\t", "empty text"),
        (b"\xff\xfe\xfa", "undecodable bytes"),
        ("好" * 11, "text too long"),
    ],
)
def test_make_doc_reports_bad_values(value: object, error: str) -> None:
    assert error in (make_doc(value, max_chars=10).error or "")


def test_make_doc_decodes_bytes() -> None:
    assert make_doc("好评".encode()).text == "好评"
    assert make_doc("好评".encode("gb18030")).text == "好评"


def test_default_pipeline_is_offline_and_complete() -> None:
    nlp = cxnlp.load()
    assert nlp.stage_names[0] == "segment"
    doc = nlp("快递很快，包装完好，好评")
    assert doc.ok and doc.tokens


def test_models_frozen_is_scoped_to_its_block() -> None:
    import gc

    nlp = Pipeline([Segmenter()])
    before = gc.get_freeze_count()
    with models_frozen(nlp) as frozen:
        assert frozen is nlp and gc.get_freeze_count() > before
        assert [t.text for t in nlp("送餐很快").tokens] == ["送餐", "很快"]
    assert gc.get_freeze_count() == 0


def test_word_spans_fall_back_to_the_text_when_norm_does_not_line_up() -> None:
    from cxnlp.doc import Document, Token

    tokens = [Token("ＡＢ", 0, 2, "ab"), Token("好", 2, 3)]
    assert Document("ＡＢ好", norm="ab好", tokens=tokens).word_spans() == [(0, 2, "ab"), (2, 3, "好")]
    shorter = Document("ＡＢ好", norm="ab", tokens=tokens)  # built by hand, out of line with the text
    assert shorter.aligned_norm() == "ＡＢ好"
    assert shorter.word_spans() == [(0, 2, "ＡＢ"), (2, 3, "好")]
