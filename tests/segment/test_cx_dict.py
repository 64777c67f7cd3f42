"""The shipped customer-experience dictionary: format and segmentation policy."""

from __future__ import annotations

import re

import pytest

from cxnlp.segment import Segmenter
from cxnlp.segment.tokenizer import CX_DICT, parse_user_words

ENTRIES = parse_user_words(CX_DICT)
WORDS = [entry.split()[0] for entry in ENTRIES]

#: Degree and negation words stay separate tokens: no entry may glue them onto a word.
DEGREE_OR_NEGATION = ("很", "太", "挺", "超", "蛮", "最", "更", "非常", "特别", "不", "没", "别", "无法")


def test_header_says_how_it_was_made() -> None:
    header = CX_DICT.read_text(encoding="utf-8").split("\n\n")[0]
    assert header.startswith("#") and "tools/mine_cx_dict.py" in header


def test_entries_are_well_formed() -> None:
    assert 300 <= len(ENTRIES) <= 1_000
    assert len(set(WORDS)) == len(WORDS), "duplicate entries"
    for entry in ENTRIES:
        assert re.fullmatch(r"\S+( \d+)?", entry), entry


def test_no_entry_glues_a_degree_or_negation_word(plain_segmenter: Segmenter) -> None:
    """Only words jieba already knows as one word (更新) may start like a degree or negation word."""
    known = plain_segmenter.tokenizer.FREQ
    assert [w for w in WORDS if w.startswith(DEGREE_OR_NEGATION) and not known.get(w)] == []


def test_every_entry_is_one_token(segmenter: Segmenter) -> None:
    split = [w for w in WORDS if [t.text for t in segmenter.tokenize(w)] != [w]]
    assert split == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("很给力", ["很", "给力"]),
        ("不给力", ["不", "给力"]),
        ("不好吃", ["不", "好吃"]),
        ("没卡顿", ["没", "卡顿"]),
        ("不卡顿", ["不", "卡顿"]),
        ("很靠谱", ["很", "靠谱"]),
        ("客服很耐心", ["客服", "很", "耐心"]),
        ("物流太慢", ["物流", "太慢"]),
    ],
)
def test_common_opinions_keep_degree_and_negation_apart(segmenter: Segmenter, text: str, expected: list[str]) -> None:
    assert [t.text for t in segmenter.tokenize(text)] == expected
