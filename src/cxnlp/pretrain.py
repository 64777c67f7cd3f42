"""Pretrain a small BERT encoder on unlabelled feedback, offline (masked-language modelling).

No Hugging Face hub is needed: the vocabulary is the characters of the text itself (Chinese is
read a character at a time, as BERT-Chinese does; Latin letters and digits also get ``##``
pieces so English words split into characters instead of ``[UNK]``), and the network starts
from random weights. The result is an ordinary local checkpoint directory, so the transformer
backends fine-tune it like any other::

    cxnlp pretrain --data my_feedback.csv --out encoder --max-steps 20000
    cxnlp train sentiment --data labelled.csv --out my_model --backend transformer --base-model encoder

What it is for: domain text a team has plenty of but has not labelled (tickets, chat logs), and
machines that cannot download a pretrained checkpoint. A useful encoder needs millions of
characters and thousands of steps, which is a GPU's work; on a CPU, keep to small settings.
"""

from __future__ import annotations

import json
import math
import string
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ConfigError, DataError, describe, missing_column
from .hf import Checkpoint, require_torch, resolve_device, seed_everything
from .io import atomic_write_text, read_frame
from .stage import check_batch_size

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
META_FILE = "pretrain_meta.json"
#: Share of the text pieces kept out of training to measure the masked-token loss and accuracy.
HELD_OUT_SHARE = 0.02


def read_texts(data: Any, text_col: str = "text") -> tuple[list[str], str]:
    """Non-empty texts of ``data`` (a list of strings, a DataFrame, a table file or a ``datasets.Dataset``)."""
    if isinstance(data, list | tuple):
        values, source = list(data), f"a list of {len(data)} texts"
    else:
        frame, source = read_frame(data, text_col)
        if text_col not in frame.columns:
            raise missing_column(text_col, frame.columns, source)
        values = frame[text_col].tolist()
    texts = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    if not texts:
        raise DataError(f"No text to pretrain on in {source}: every value is empty or not a string.")
    return texts, source


#: Always in the vocabulary, with their ``##`` forms: English words and numbers split into them.
ASCII_ALNUM = string.ascii_letters + string.digits


def char_vocab(texts: Iterable[str], min_count: int = 2) -> list[str]:
    """Special tokens, every character seen ``min_count`` times or more (most frequent first), the
    ASCII letters and digits, and their ``##`` forms (so 5G, iPhone split into characters)."""
    counts = Counter(ch for text in texts for ch in text if not ch.isspace())
    chars = [ch for ch, n in counts.most_common() if n >= min_count and ch not in ASCII_ALNUM]
    return [*SPECIAL_TOKENS, *chars, *ASCII_ALNUM, *("##" + ch for ch in ASCII_ALNUM)]


def text_pieces(texts: Iterable[str], max_chars: int) -> list[str]:
    """Texts cut into pieces of at most ``max_chars`` characters, so long texts are read in full."""
    return [text[i:i + max_chars] for text in texts for i in range(0, len(text), max_chars)]


def _check_positive(whole: bool, **values: Any) -> None:
    """A ConfigError unless each value is a positive int (``whole``) or a positive number."""
    kinds = int if whole else int | float
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, kinds) or value <= 0:
            raise ConfigError(f"{name} must be a positive {'int' if whole else 'number'}, got {describe(value)}.")


def pretrain_encoder(
    data: Any,
    out: str | Path,
    text_col: str = "text",
    hidden_size: int = 256,
    num_layers: int = 4,
    num_heads: int = 4,
    max_length: int = 128,
    epochs: float = 1.0,
    max_steps: int | None = None,
    lr: float = 5e-4,
    batch_size: int = 64,
    mask_prob: float = 0.15,
    min_char_count: int = 2,
    seed: int = 0,
    device: str = "auto",
) -> dict[str, Any]:
    """Pretrain a BERT encoder with masked-language modelling on ``data``; save it to ``out``.

    Args:
        data: unlabelled texts: a list of strings, a DataFrame, a CSV / JSONL / Parquet file or a
            ``datasets.Dataset`` (column ``text_col``).
        out: directory for the checkpoint (Hugging Face format: config, safetensors weights,
            tokenizer) and ``pretrain_meta.json``.
        hidden_size, num_layers, num_heads: the encoder's size (``hidden_size`` a multiple of
            ``num_heads``; the feed-forward layer is 4 x ``hidden_size``).
        max_length: tokens a piece of text may have (longer texts are cut into pieces).
        epochs / max_steps: passes over the pieces, or exactly ``max_steps`` optimiser steps.
        lr, batch_size: AdamW learning rate (linear warm-up and decay) and pieces per step.
        mask_prob: share of tokens masked (of those, 80 % become ``[MASK]``, 10 % a random
            token, 10 % stay), by ``transformers.DataCollatorForLanguageModeling``.
        min_char_count: characters seen fewer times become ``[UNK]``.
        seed: seeds the held-out split, the initial weights, the masking and the batch order.
        device: ``auto`` (CUDA when available), ``cpu``, ``cuda`` ...

    Returns:
        What is also written to ``pretrain_meta.json``: data, sizes, steps, seconds, and the
        masked-token loss and accuracy on a held-out 2 % of the pieces.

    Raises:
        DataError: no usable text. ConfigError: impossible sizes.
        ModelError: torch or transformers missing (the ``cxnlp[transformers]`` extra).
    """
    _check_positive(True, hidden_size=hidden_size, num_layers=num_layers, num_heads=num_heads, max_length=max_length,
                    min_char_count=min_char_count, **({} if max_steps is None else {"max_steps": max_steps}))
    _check_positive(False, epochs=epochs, lr=lr, mask_prob=mask_prob)
    check_batch_size(batch_size)
    if hidden_size % num_heads:
        raise ConfigError(f"hidden_size must be a multiple of num_heads, got {hidden_size} and {num_heads}.")
    if max_length < 8 or not mask_prob < 1:
        raise ConfigError(f"max_length must be >= 8 and mask_prob < 1, got {max_length} and {mask_prob}.")
    texts, source = read_texts(data, text_col)
    require_torch()  # a clear ModelError without the extra
    import transformers

    seed_everything(seed)
    vocab = char_vocab(texts, min_char_count)
    tokenizer = transformers.BertTokenizerFast(vocab={token: i for i, token in enumerate(vocab)},
                                               do_lower_case=False, model_max_length=max_length)
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=hidden_size, num_hidden_layers=num_layers,
                                     num_attention_heads=num_heads, intermediate_size=4 * hidden_size,
                                     max_position_embeddings=max_length, pad_token_id=0)
    where = resolve_device(device)
    checkpoint = Checkpoint(tokenizer, transformers.BertForMaskedLM(config).to(where), where)
    pieces = text_pieces(texts, max_length - 2)
    order = np.random.default_rng(seed).permutation(len(pieces))
    n_held = max(1, int(len(pieces) * HELD_OUT_SHARE)) if len(pieces) >= 50 else 0
    encoded = tokenizer([pieces[i] for i in order], truncation=True, max_length=max_length)["input_ids"]
    held, train = encoded[:n_held], encoded[n_held:]
    collator = transformers.DataCollatorForLanguageModeling(tokenizer, mlm_probability=mask_prob)

    def batch_of(ids: list[list[int]]) -> dict[str, Any]:
        return {k: v.to(checkpoint.device) for k, v in collator([{"input_ids": x} for x in ids]).items()}

    def loss_of(idx: np.ndarray) -> Any:
        return checkpoint.net(**batch_of([train[i] for i in idx])).loss

    started = time.perf_counter()
    steps = checkpoint.fit(len(train), loss_of, epochs, lr, batch_size, max_steps, seed=seed)
    seconds = time.perf_counter() - started
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    checkpoint.save(out)
    meta = {
        "data": source, "texts": len(texts), "pieces": len(pieces), "characters": sum(len(t) for t in texts),
        "vocab_size": len(vocab), "hidden_size": hidden_size, "num_layers": num_layers, "num_heads": num_heads,
        "max_length": max_length, "mask_prob": mask_prob, "lr": lr, "batch_size": batch_size, "steps": steps,
        "seed": seed, "device": checkpoint.device, "train_seconds": round(seconds, 1),
        "held_out_pieces": len(held), **_masked_scores(checkpoint, held, batch_of, seed),
    }
    atomic_write_text(out / META_FILE, json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    return meta


def _masked_scores(checkpoint: Checkpoint, held: list[list[int]], batch_of: Any, seed: int) -> dict[str, float | None]:
    """Masked-token loss and accuracy on the held-out pieces (masks drawn with the seed); None without any."""
    torch = require_torch()
    torch.manual_seed(seed)
    total_loss, correct, masked = 0.0, 0, 0
    with torch.no_grad():
        for start in range(0, len(held), 64):
            batch = batch_of(held[start:start + 64])
            output = checkpoint.net(**batch)
            target = batch["labels"] != -100
            n = int(target.sum())
            if not n:
                continue  # nothing masked in this batch: its loss is NaN
            total_loss += float(output.loss) * n
            correct += int((output.logits.argmax(-1)[target] == batch["labels"][target]).sum())
            masked += n
    if not masked:
        return {"held_out_loss": None, "held_out_perplexity": None, "held_out_accuracy": None}
    loss = total_loss / masked
    return {"held_out_loss": round(loss, 4), "held_out_perplexity": round(math.exp(min(loss, 50.0)), 2),
            "held_out_accuracy": round(correct / masked, 4)}
