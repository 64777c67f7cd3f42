"""Save / load round trips of the segment stage and of a pipeline holding it."""

from __future__ import annotations

import json
from pathlib import Path

from cxnlp import Pipeline
from cxnlp.segment import Segmenter
from cxnlp.stage import load_stage

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "default" / "segment"


def test_stage_round_trip_keeps_user_words(tmp_path: Path) -> None:
    stage = Segmenter(user_dict=["运单号"], hmm=False)
    stage.add_words(["小龙坎 100"])
    stage.to_dir(tmp_path / "segment")
    loaded = load_stage(tmp_path / "segment")
    assert isinstance(loaded, Segmenter)
    assert loaded.get_config() == stage.get_config()
    assert loaded.user_words == ["运单号", "小龙坎 100"]
    text = "小龙坎的运单号查不到"
    assert [t.text for t in loaded.tokenize(text)] == [t.text for t in stage.tokenize(text)]


def test_pipeline_round_trip(tmp_path: Path) -> None:
    nlp = Pipeline([Segmenter(user_dict=["运单号"])])
    nlp.to_dir(tmp_path)
    again = Pipeline.from_dir(tmp_path)
    text = "运单号查不到，客服不理人"
    assert again(text).to_dict() == nlp(text).to_dict()


def test_shipped_config_matches_the_default_stage() -> None:
    saved = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    assert saved == {"factory": "segment", "config": Segmenter().get_config()}
