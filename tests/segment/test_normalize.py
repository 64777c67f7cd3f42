"""Length-preserving normalisation: width, case, traditional -> simplified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxnlp.segment import Normalizer
from cxnlp.segment.normalize import opencc_t2s, t2s_chars, width_table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＢＣａｂｃ１２３！？　", "abcabc123!? "),
        ("iPhone", "iphone"),
        ("烹調後來", "烹调后来"),
        ("乾隆年間", "乾隆年间"),  # phrase-aware when the text holds a traditional character
        ("万一坏了", "万一坏了"),  # simplified text never goes through OpenCC (its t2s gives 坯)
        ("万一坏了😀", "万一坏了😀"),  # nor does an emoji make it look traditional
        ("😀\x00\u200b", "😀\x00\u200b"),
        ("", ""),
    ],
)
def test_normalize_table(text: str, expected: str) -> None:
    assert Normalizer()(text) == expected


def test_supplementary_plane_traditional_characters_convert() -> None:
    char, simple = next((c, s) for c, s in t2s_chars().items() if ord(c) > 0xFFFF)
    assert Normalizer()("好😀" + char) == "好😀" + simple


def test_options_switch_steps_off() -> None:
    assert Normalizer(simplify=False, lowercase=False)("ＡＢ烹調") == "AB烹調"


def test_lone_surrogates_are_kept_and_length_preserved() -> None:
    text = "烹調\ud800好"
    assert Normalizer()(text) == "烹调\ud800好"


def test_traditional_set_matches_opencc_one_character_at_a_time() -> None:
    chars = t2s_chars()
    assert len(chars) > 2_000
    for char, simple in list(chars.items())[::97]:
        assert opencc_t2s().convert(char) == simple
    assert "好" not in chars and "烹" not in chars and chars["調"] == "调"


@pytest.mark.data
def test_fast_path_agrees_with_opencc_on_traditional_corpus_texts(data_dir: Path) -> None:
    normalize, table = Normalizer(), width_table()
    path = data_dir / "aspects" / "zh_restaurant_aste" / "dev.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    converted = [t for t in texts if normalize(t) != t.translate(table)]
    assert converted, "the dev file holds some traditional sentences"
    for text in converted:
        full = opencc_t2s().convert(text.translate(table))
        assert normalize(text) == full
