"""Readers and atomic writers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cxnlp.errors import ConfigError, FileFormatError
from cxnlp.io import TableWriter, atomic_open, infer_format, iter_table, read_table, write_table

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


def test_parquet_written_in_chunks_takes_the_type_that_fits_every_chunk(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    with TableWriter(path) as writer:
        writer.write(pd.DataFrame({"text": ["好评", "差评"], "stars": [5, 1], "note": [None, None],
                                   "tokens": [["好评"], ["差评"]]}))
        writer.write(pd.DataFrame({"text": ["一般"], "stars": [2.5], "note": ["回访"], "tokens": [["一般"]]}))
        writer.write(pd.DataFrame({"text": ["还行"], "stars": [3]}))  # columns missing here are empty
    back = pd.read_parquet(path)
    assert back["stars"].tolist() == [5.0, 1.0, 2.5, 3.0]
    assert back["note"].tolist()[2] == "回访" and back["note"].isna().tolist() == [True, True, False, True]
    assert [list(t) if t is not None else None for t in back["tokens"]] == [["好评"], ["差评"], ["一般"], None]
    assert list(tmp_path.iterdir()) == [path]  # the part files are gone


def test_parquet_column_changing_type_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    with pytest.raises(FileFormatError, match="changes type between chunks"), TableWriter(path) as writer:
        writer.write(pd.DataFrame({"text": ["好评"], "id": ["a-1"]}))
        writer.write(pd.DataFrame({"text": ["差评"], "id": [2]}))
    assert list(tmp_path.iterdir()) == []  # no output, no part files


def test_parquet_is_read_in_chunks_with_a_running_index(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    pd.DataFrame({"text": [f"评论{i}" for i in range(5)]}).to_parquet(path, index=False)
    chunks = list(iter_table(path, chunksize=2))
    assert [len(c) for c in chunks] == [2, 2, 1]
    assert [i for c in chunks for i in c.index] == [0, 1, 2, 3, 4]
    assert pd.concat(chunks)["text"].tolist() == [f"评论{i}" for i in range(5)]


def test_record_columns_stay_json_text_when_a_chunk_has_none(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    with TableWriter(path, json_columns=["opinions"]) as writer:
        writer.write(pd.DataFrame({"text": ["嗯"], "opinions": [[]]}))  # alone this chunk would be a list column
        writer.write(pd.DataFrame({"text": ["好评"], "opinions": [[{"tag": "正向评价: 好评"}]]}))
    assert pd.read_parquet(path)["opinions"].tolist() == ["[]", '[{"tag": "正向评价: 好评"}]']
