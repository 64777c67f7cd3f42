"""Pretraining a small encoder offline, and fine-tuning the result with the transformer backend."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxnlp.cli import main
from cxnlp.errors import ConfigError, DataError
from cxnlp.pretrain import META_FILE, SPECIAL_TOKENS, char_vocab, pretrain_encoder, read_texts, text_pieces

pytest.importorskip("torch", reason="pretraining needs the optional torch extra")
pytest.importorskip("transformers", reason="pretraining needs the optional transformers extra")

POS = ["送餐很快", "味道很好", "服务热情", "包装很好", "网速很快"]
NEG = ["送餐太慢", "味道很差", "服务冷淡", "包装破了", "网速太慢"]
TINY = {"hidden_size": 32, "num_layers": 2, "num_heads": 2, "max_length": 16, "batch_size": 32, "lr": 3e-3,
        "device": "cpu"}


@pytest.fixture(scope="module")
def texts() -> list[str]:
    rng = np.random.default_rng(0)
    return ["，".join(rng.choice(POS + NEG, size=2)) for _ in range(1000)]


def test_vocab_has_the_special_tokens_first_frequent_characters_and_ascii_pieces() -> None:
    vocab = char_vocab(["好好好", "差", "5G网速"], min_count=2)
    assert tuple(vocab[:len(SPECIAL_TOKENS)]) == SPECIAL_TOKENS
    assert "好" in vocab and "差" not in vocab  # seen once: [UNK]
    assert {"5", "G", "##5", "##G", "a", "##z"} <= set(vocab)
    assert len(vocab) == len(set(vocab))


def test_long_texts_are_cut_into_pieces_without_losing_characters() -> None:
    pieces = text_pieces(["一二三四五六七", "八"], 3)
    assert pieces == ["一二三", "四五六", "七", "八"]


def test_read_texts_keeps_only_usable_strings(tmp_path: Path) -> None:
    frame = pd.DataFrame({"comment": ["好", None, "  ", 3, "差"]})
    assert read_texts(frame, "comment")[0] == ["好", "差"]
    assert read_texts(["好", ""])[0] == ["好"]
    with pytest.raises(DataError, match="No text"):
        read_texts(["", None])  # type: ignore[list-item]
    with pytest.raises(DataError, match="comment"):
        read_texts(frame, "text")


@pytest.mark.parametrize("bad", [{"hidden_size": 30, "num_heads": 4}, {"epochs": 0}, {"max_length": 4},
                                 {"mask_prob": 1.0}, {"batch_size": True}, {"max_steps": -1}])
def test_impossible_settings_are_clear_errors(bad: dict[str, object], tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        pretrain_encoder(["好"], tmp_path, **bad)  # type: ignore[arg-type]


def test_pretraining_learns_and_the_checkpoint_fine_tunes(texts: list[str], tmp_path: Path) -> None:
    barely = pretrain_encoder(texts, tmp_path / "one", max_steps=1, **TINY)
    trained = pretrain_encoder(texts, tmp_path / "enc", max_steps=60, **TINY)
    assert trained["steps"] == 60 and trained["texts"] == 1000 and trained["held_out_pieces"] == 20
    # the same held-out pieces and masks: 60 steps predict the masked characters far better than 1
    assert trained["held_out_loss"] < barely["held_out_loss"] - 1.0
    assert trained["held_out_accuracy"] > barely["held_out_accuracy"]
    for name in ("config.json", "model.safetensors", "tokenizer.json", META_FILE):
        assert (tmp_path / "enc" / name).is_file()
    assert json.loads((tmp_path / "enc" / META_FILE).read_text(encoding="utf-8")) == trained

    from transformers import AutoTokenizer

    from cxnlp.sentiment.transformer import TransformerSentiment

    assert "[UNK]" not in AutoTokenizer.from_pretrained(tmp_path / "enc").tokenize("5G网速很快")
    stage = TransformerSentiment.train(POS * 6 + NEG * 6, [1] * 30 + [0] * 30, base_model=str(tmp_path / "enc"),
                                       max_steps=3, device="cpu")
    scores = stage.predict_proba(["送餐很快", "送餐太慢"])
    assert scores.shape == (2,) and np.all((scores >= 0) & (scores <= 1))


def test_cli_pretrain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "feedback.csv"
    pd.DataFrame({"comment": POS + NEG}).to_csv(data, index=False)
    out = tmp_path / "enc"
    assert main(["pretrain", "--data", str(data), "--out", str(out), "--text-column", "comment", "--max-steps", "2",
                 "--hidden-size", "16", "--layers", "1", "--heads", "2", "--max-length", "16", "--device", "cpu"]) == 0
    assert json.loads((out / META_FILE).read_text(encoding="utf-8"))["steps"] == 2
    assert "encoder written to" in capsys.readouterr().err
    assert main(["pretrain", "--data", str(data), "--out", str(out), "--max-steps", "2"]) == 2  # no `text` column
    assert "comment" in capsys.readouterr().err
