"""The command line: analyze options, train and evaluate dispatch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxnlp.cli import main


def _tokens(path: Path) -> list[list[str]]:
    return [json.loads(line)["tokens"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_user_dict_changes_segmentation(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("这个智能门锁识别很快\n", encoding="utf-8")
    words = tmp_path / "words.txt"
    words.write_text("# product names\n智能门锁识别 10\n", encoding="utf-8")
    plain, custom = tmp_path / "plain.jsonl", tmp_path / "custom.jsonl"
    assert main(["analyze", str(source), "-o", str(plain), "--quiet"]) == 0
    assert main(["analyze", str(source), "-o", str(custom), "--quiet", "--user-dict", str(words)]) == 0
    assert "智能门锁识别" not in _tokens(plain)[0]
    assert "智能门锁识别" in _tokens(custom)[0]


def test_missing_user_dict_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.txt"
    source.write_text("好评\n", encoding="utf-8")
    assert main(["analyze", str(source), "--user-dict", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt" in capsys.readouterr().err


def test_evaluate_sentiment_writes_json(tmp_path: Path) -> None:
    data = tmp_path / "labelled.csv"
    data.write_text("text,label\n" + "\n".join(
        [f"质量很好，很满意{i},1" for i in range(10)] + [f"质量太差，很失望{i},0" for i in range(10)]) + "\n",
        encoding="utf-8")
    out = tmp_path / "scores.json"
    assert main(["evaluate", "sentiment", "--data", str(data), "--json", str(out)]) == 0
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert scores["task"] == "sentiment" and scores["n"] == 20
    assert scores["accuracy"] >= 0.9 and {"macro_f1", "docs_per_s"} <= set(scores)


@pytest.mark.parametrize("flag", [[], ["--high-without-cue"]])
def test_train_risk_records_whether_high_needs_a_cue(tmp_path: Path, flag: list[str]) -> None:
    data = tmp_path / "labelled.csv"
    rows = [f"送餐很快，味道不错{i},low" for i in range(8)] + [f"菜有点咸，米饭偏硬{i},medium" for i in range(8)] \
        + [f"吃完拉肚子了，再也不点了{i},high" for i in range(8)]
    data.write_text("text,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    model = tmp_path / "risk"
    assert main(["train", "risk", "--data", str(data), "--out", str(model), *flag]) == 0
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))["config"]
    assert config["high_needs_cue"] is not bool(flag)


def test_train_sentiment_then_analyze_with_it(tmp_path: Path) -> None:
    data = tmp_path / "labelled.csv"
    positive = ["物流很快", "质量不错", "客服耐心", "非常满意", "包装精美", "性价比高", "推荐购买", "用着顺手", "做工精细", "送货准时"]
    negative = ["物流太慢", "质量很差", "客服敷衍", "非常失望", "包装破损", "价格太贵", "不推荐", "用着卡顿", "做工粗糙", "送货延迟"]
    rows = [f"{t}{i},1" for i in range(3) for t in positive] + [f"{t}{i},0" for i in range(3) for t in negative]
    data.write_text("text,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    model = tmp_path / "model"
    assert main(["train", "sentiment", "--data", str(data), "--out", str(model)]) == 0
    source = tmp_path / "in.txt"
    source.write_text("质量很差\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(source), "--model", str(model), "-o", str(out), "--quiet"]) == 0
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["sentiment"] == "negative"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_chunked_analysis_keeps_order_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    import pandas as pd

    import cxnlp.cli

    monkeypatch.setattr(cxnlp.cli, "CHUNK_ROWS", 7)
    texts = ["物流很快", "", "客服态度差，再也不买了", "😀", None, "质量一般"] * 5
    source = tmp_path / f"in.{fmt}"
    frame = pd.DataFrame({"id": range(len(texts)), "text": texts})
    frame.to_csv(source, index=False) if fmt == "csv" else frame.to_json(source, orient="records", lines=True, force_ascii=False)
    outputs = {}
    for n_process in (1, 2):
        out = tmp_path / f"out{n_process}.jsonl"
        assert main(["analyze", str(source), "-o", str(out), "--quiet", "--n-process", str(n_process)]) == 0
        outputs[n_process] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [int(r["id"]) for r in outputs[1]] == list(range(len(texts)))
    assert outputs[1] == outputs[2]
    assert [r["error"] is not None for r in outputs[1]] == [not t for t in texts]
