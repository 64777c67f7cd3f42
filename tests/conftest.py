"""Shared fixtures: the labelled data directory (skip when absent), a session-wide segmenter and
tiny randomly initialised local BERT checkpoints for the transformer backends (no download)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from cxnlp.data import data_dir as find_data_dir


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = find_data_dir(required=False)
    if path is None:
        pytest.skip("labelled data not found: set CXNLP_DATA or put shared/data beside the checkout")
    return path


@pytest.fixture(scope="session")
def segmenter():
    from cxnlp.segment import Segmenter

    return Segmenter()


@pytest.fixture(scope="session")
def make_tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Iterable[str]], Path]:
    """A function writing a tiny random BERT (base model + fast tokenizer) whose vocabulary is the
    characters of ``texts``; other characters become ``[UNK]``. Skips when torch/transformers are missing."""
    pytest.importorskip("torch", reason="the transformer backends need the optional torch extra")
    pytest.importorskip("transformers", reason="the transformer backends need the optional transformers extra")
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    def make(texts: Iterable[str]) -> Path:
        root = tmp_path_factory.mktemp("tiny_bert")
        chars = sorted({c for t in texts for c in t if not c.isspace()})
        vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]
        config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                            intermediate_size=64, max_position_embeddings=64)
        torch.manual_seed(0)
        BertModel(config).save_pretrained(root)
        BertTokenizerFast(vocab={t: i for i, t in enumerate(vocab)}).save_pretrained(root)
        return root

    return make
