"""pandas and datasets adapters."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import cxnlp

TEXTS = ["物流很快，好评", None, "送餐太慢了，再也不点了", 7]


@pytest.fixture(scope="module")
def nlp() -> cxnlp.Pipeline:
    return cxnlp.load()


def _values(column: pd.Series) -> list[object]:
    return [None if not isinstance(v, list) and pd.isna(v) else v for v in column]


def test_analyze_frame_matches_pipe(nlp: cxnlp.Pipeline) -> None:
    out = cxnlp.analyze_frame(pd.DataFrame({"text": TEXTS}), nlp=nlp)
    docs = list(nlp.pipe(TEXTS))
    assert _values(out["sentiment"]) == [d.sentiment.label if d.sentiment else None for d in docs]
    assert out["opinion_tags"].tolist() == [d.tags for d in docs]
    assert _values(out["risk"]) == [d.risk.level if d.risk else None for d in docs]


def test_analyze_dataset_adds_the_same_columns(nlp: cxnlp.Pipeline) -> None:
    datasets = pytest.importorskip("datasets")
    texts = [t if isinstance(t, str) else None for t in TEXTS]  # Arrow columns hold one type
    ds = cxnlp.analyze_dataset(datasets.Dataset.from_dict({"text": texts, "id": [1, 2, 3, 4]}), nlp=nlp, batch_size=2)
    frame = cxnlp.analyze_frame(pd.DataFrame({"text": texts, "id": [1, 2, 3, 4]}), nlp=nlp)
    assert ds.column_names == list(frame.columns)
    assert list(ds["opinion_tags"]) == frame["opinion_tags"].tolist()
    assert list(ds["error"]) == _values(frame["error"])
    assert [[json.loads(o) for o in row] for row in ds["opinions"]] == frame["opinions"].tolist()


def test_analyze_dataset_argument_errors(nlp: cxnlp.Pipeline) -> None:
    datasets = pytest.importorskip("datasets")
    with pytest.raises(cxnlp.ConfigError, match="datasets.Dataset"):
        cxnlp.analyze_dataset(pd.DataFrame({"text": ["好"]}), nlp=nlp)
    with pytest.raises(cxnlp.DataError, match="Column 'body' not found"):
        cxnlp.analyze_dataset(datasets.Dataset.from_dict({"text": ["好"]}), text_col="body", nlp=nlp)
