"""evaluate_sentiment: the dict the CLI writes, from files and frames, with any model form."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cxnlp.errors import ConfigError
from cxnlp.pipeline import Pipeline
from cxnlp.sentiment import SentimentClassifier, evaluate_sentiment
from cxnlp.sentiment.evaluate import binary_metrics

ROWS = pd.DataFrame({
    "review": ["菜很好吃，送餐也快", "太难吃了，再也不点了", "质量很好，物流也快", "客服态度恶劣，差评", "", "一般般"],
    "stars": [5, 1, 4, 2, 5, 3],
})


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_evaluate_file_with_stars(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"eval{suffix}"
    if suffix == ".csv":
        ROWS.to_csv(path, index=False)
    else:
        ROWS.to_json(path, orient="records", lines=True, force_ascii=False)
    result = evaluate_sentiment(path, text_col="review", label_col="stars")
    assert {"task", "n", "accuracy", "macro_f1", "docs_per_s"} <= set(result)
    assert result["task"] == "sentiment" and result["n"] == 4
    assert result["accuracy"] == 1.0 and result["macro_f1"] == 1.0
    assert result["dropped"]["empty_text"] == 1 and result["dropped"]["neutral"] == 1
    assert result["docs_per_s"] > 0


def test_model_forms_agree(shipped: SentimentClassifier, nlp: Pipeline, shipped_dir: Path) -> None:
    frame = ROWS.rename(columns={"review": "text", "stars": "label"})
    results = [evaluate_sentiment(frame, model=m) for m in (None, shipped_dir, str(shipped_dir), shipped, nlp)]
    assert len({(r["n"], r["accuracy"], r["macro_f1"]) for r in results}) == 1


def test_bad_model(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="neither a cxnlp pipeline"):
        evaluate_sentiment(ROWS, model=tmp_path, text_col="review", label_col="stars")
    with pytest.raises(ConfigError, match="model must be"):
        evaluate_sentiment(ROWS, model=3, text_col="review", label_col="stars")


def test_binary_metrics() -> None:
    import numpy as np

    m = binary_metrics(np.array([1, 1, 0, 0]), np.array([1, 0, 0, 0]))
    assert m["accuracy"] == 0.75
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)
