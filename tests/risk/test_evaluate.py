"""evaluate_risk: the result dict, model forms it accepts, and errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cxnlp.errors import ConfigError, DataError
from cxnlp.pipeline import Pipeline
from cxnlp.risk import RiskScorer
from cxnlp.risk.evaluate import evaluate_risk, risk_pipeline, scores

FRAME = pd.DataFrame({
    "text": ["再也不点了", "假货，大家别买", "送餐很慢，菜都凉了，失望", "很好吃，下次还来", None],
    "label": ["high", "高", "medium", "low", "low"],
})


def test_scores_by_hand() -> None:
    s = scores(["high", "high", "medium", "low"], ["high", "medium", "medium", "high"])
    assert s["accuracy"] == 0.5
    assert s["high_precision"] == 0.5 and s["high_recall"] == 0.5
    assert s["confusion"] == [[0, 0, 1], [0, 1, 0], [0, 1, 1]]


def test_evaluate_with_a_pipeline(segmenter) -> None:
    result = evaluate_risk(FRAME, model=Pipeline([segmenter, RiskScorer()]))
    assert {"task", "n", "accuracy", "macro_f1", "high_precision", "high_recall", "docs_per_s"} <= set(result)
    assert result["task"] == "risk" and result["n"] == 5
    assert result["high_recall"] == 1.0 and result["accuracy"] == 1.0
    assert result["docs_per_s"] > 0


def test_evaluate_a_saved_stage_directory(segmenter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cxnlp.risk.evaluate as evaluate_module

    monkeypatch.setattr(evaluate_module, "upstream_pipeline", lambda: Pipeline([segmenter]))
    RiskScorer(high_threshold=0.6, medium_threshold=0.3).to_dir(tmp_path / "risk")
    nlp = risk_pipeline(tmp_path / "risk")
    assert nlp.stage_names == ["segment", "risk"]
    assert nlp.get_stage("risk").thresholds == (0.3, 0.6)
    assert evaluate_risk(FRAME, model=str(tmp_path / "risk"))["n"] == 5


def test_evaluate_errors(segmenter, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no risk stage"):
        risk_pipeline(Pipeline([segmenter]))
    with pytest.raises(ConfigError):
        risk_pipeline(42)
    with pytest.raises(DataError, match="unmappable"):
        evaluate_risk(FRAME.assign(label=["high", "bad", "low", "low", "low"]), model=Pipeline([segmenter, RiskScorer()]))
