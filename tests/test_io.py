"""Readers and atomic writers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cxnlp.errors import ConfigError, FileFormatError
from cxnlp.io import atomic_open, infer_format, read_table, write_table

FRAME = pd.DataFrame({"text": ["好评", "物流太慢"], "tokens": [["好评"], ["物流", "太慢"]],
                      "opinions": [[], [{"aspect": "物流", "aspect_span": [0, 2]}]]})


@pytest.mark.parametrize(("name", "fmt"), [("a.csv", "csv"), ("a.tsv", "csv"), ("a.JSONL", "jsonl"),
                                           ("a.parquet", "parquet"), ("a.txt", "txt"), ("a", "txt"), ("-", "txt")])
def test_infer_format_from_suffix(name: str, fmt: str) -> None:
    assert infer_format(name) == fmt


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(FileFormatError, match=r"'\.xlsx'.*\['csv', 'jsonl', 'parquet', 'txt'\]"):
        infer_format("feedback.xlsx")
    with pytest.raises(ConfigError, match="format must be one of"):
        infer_format("feedback.csv", "xml")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_write_then_read_round_trip(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    write_table(FRAME, path)
    back = read_table(path)
    assert back["text"].tolist() == FRAME["text"].tolist()
    assert len(back) == len(FRAME)


def test_interrupted_write_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "result.jsonl"
    target.write_text("previous result\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_open(target) as f:
        f.write("half a line")
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "previous result\n"  # untouched
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_blank_lines_are_rows(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("text\n好评\n\n差评\n", encoding="utf-8")
    assert len(read_table(path)) == 3
