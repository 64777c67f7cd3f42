"""Bad input never loses a row: the same table through the Python API, analyze_frame and the CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

import cxnlp
from cxnlp.cli import main

LONG = "这家店的外卖送得很快，味道也不错。" * 6000  # ~100,000 characters

# (input value, error expected?) — a row with no error must carry a valid analysis.
BAD_INPUTS = [
    (None, True),
    (float("nan"), True),
    (42, True),
    (3.14, True),
    ("", True),
    ("   \n ", True),
    (b"\xff\xfe\xfd invalid", True),
    ("好评".encode("gb18030"), False),
    (LONG, False),
    ("😀😀👍", False),
    ("Great service, fast delivery!", False),
    ("服務態度很好，烹調一流", False),
    ("iPhone 续航不行，电池掉电快 🔋", False),
    ("http://example.com/order/123 客服一直不回", False),
]


@pytest.fixture(scope="module")
def nlp() -> cxnlp.Pipeline:
    return cxnlp.load()


@pytest.mark.parametrize(("value", "has_error"), BAD_INPUTS, ids=lambda v: repr(v)[:20])
def test_python_api_one_doc_per_input(nlp: cxnlp.Pipeline, value: object, has_error: bool) -> None:
    doc = nlp(value)
    assert (doc.error is not None) == has_error
    if not has_error:
        assert doc.tokens and all(doc.text[t.start:t.end] == t.text for t in doc.tokens)


def test_pipe_over_the_whole_table_keeps_every_row(nlp: cxnlp.Pipeline) -> None:
    values = [v for v, _ in BAD_INPUTS]
    docs = list(nlp.pipe(values, batch_size=4))
    assert len(docs) == len(values)
    assert [d.error is not None for d in docs] == [e for _, e in BAD_INPUTS]


def test_analyze_frame_keeps_index_columns_and_rows(nlp: cxnlp.Pipeline) -> None:
    df = pd.DataFrame({"text": [v for v, _ in BAD_INPUTS], "id": range(len(BAD_INPUTS))},
                      index=[f"r{i}" for i in range(len(BAD_INPUTS))])
    out = cxnlp.analyze_frame(df, nlp=nlp)
    assert list(out.index) == list(df.index)
    assert list(out.columns[:2]) == ["text", "id"]
    assert out["error"].notna().tolist() == [e for _, e in BAD_INPUTS]


def test_analyze_frame_argument_errors(nlp: cxnlp.Pipeline) -> None:
    with pytest.raises(cxnlp.DataError, match="available columns: \\['txt'\\]. Did you mean 'txt'"):
        cxnlp.analyze_frame(pd.DataFrame({"txt": ["好"]}), nlp=nlp)
    with pytest.raises(cxnlp.ConfigError, match="DataFrame"):
        cxnlp.analyze_frame(["好"], nlp=nlp)  # type: ignore[arg-type]
    with pytest.raises(cxnlp.ConfigError, match="prefix"):
        cxnlp.analyze_frame(pd.DataFrame({"text": ["好"], "sentiment": [1]}), nlp=nlp)
    out = cxnlp.analyze_frame(pd.DataFrame({"text": ["好"], "sentiment": [1]}), nlp=nlp, prefix="cx_")
    assert {"sentiment", "cx_sentiment"} <= set(out.columns)


def _write_bad_csv(path: Path) -> list[bool]:
    """A CSV holding the table's text cells (bytes written raw, so invalid UTF-8 is in the file)."""
    rows = [b"id,text"]
    expected = []
    for i, (value, has_error) in enumerate(BAD_INPUTS):
        if isinstance(value, bytes):
            cell, has_error = value, False  # read back with replacement characters: analysable
        elif isinstance(value, str):
            cell = ('"' + value.replace('"', '""') + '"').encode()
        elif value is None or (isinstance(value, float) and math.isnan(value)):
            cell = b""
        else:  # numbers in a CSV are text: analysed, no error
            cell, has_error = str(value).encode(), False
        rows.append(str(i).encode() + b"," + cell)
        expected.append(has_error)
    path.write_bytes(b"\n".join(rows) + b"\n")
    return expected


def test_cli_keeps_every_row(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    expected = _write_bad_csv(source)
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(source), "-o", str(out), "--quiet"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [str(i) for i in range(len(BAD_INPUTS))]
    assert [r["error"] is not None for r in records] == expected


def test_cli_plain_text_one_row_per_line(tmp_path: Path) -> None:
    source = tmp_path / "lines.txt"
    source.write_text("好评\n\n  \n😀\nbad service\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["analyze", str(source), "-o", str(out), "--quiet"]) == 0
    frame = pd.read_csv(out, keep_default_na=False)
    assert len(frame) == 5
    assert [bool(e) for e in frame["error"]] == [False, True, True, False, False]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "{dir}/missing.csv"], "does not exist"),
        (["analyze", "{dir}/ok.csv", "--text-column", "body"], "Column 'body' not found"),
        (["analyze", "{dir}/ok.csv", "--format", "xml"], None),  # argparse rejects the choice
        (["analyze", "{dir}/broken.parquet"], "Could not read"),
    ],
)
def test_cli_input_errors_are_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str | None) -> None:
    (tmp_path / "ok.csv").write_text("text\n好评\n", encoding="utf-8")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    argv = [a.format(dir=tmp_path) for a in args]
    if message is None:
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        assert "invalid choice: 'xml'" in capsys.readouterr().err
        return
    assert main(argv) == 2
    assert message in capsys.readouterr().err
