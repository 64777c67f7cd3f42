"""What the transformer backends share: loading, batching and fine-tuning a Hugging Face checkpoint.

torch and transformers (the ``cxnlp[transformers]`` extra) are imported only here, and only
when a model is loaded or trained. A saved stage keeps its checkpoint in Hugging Face format
(safetensors) under ``<stage dir>/hf/``. A source that is an existing path is always loaded
with ``local_files_only=True``; any other name is treated as a hub name the user asked for
explicitly, the only case where transformers may download.
"""

from __future__ import annotations

import importlib
import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ConfigError, ModelError, describe, invalid_choice
from .stage import BACKENDS

HF_DIR = "hf"


def check_backend(backend: str, base_model: str | Path | None) -> None:
    """A :class:`ConfigError` unless ``backend`` is one of :data:`~cxnlp.stage.BACKENDS` and ``base_model`` is given
    exactly when ``backend == "transformer"`` (training functions' argument check)."""
    if backend not in BACKENDS:
        raise invalid_choice("backend", backend, BACKENDS)
    if backend != "transformer" and base_model is not None:
        raise ConfigError(
            f"base_model is only used by backend='transformer', got base_model={describe(base_model)} with "
            f"backend={backend!r}. Pass backend='transformer' to fine-tune a checkpoint."
        )
    if backend == "transformer" and base_model is None:
        raise ConfigError("backend='transformer' needs base_model=<local checkpoint directory or hub name>.")


def require_torch() -> Any:
    """The ``torch`` module, or a :class:`ModelError` saying how to install the extra."""
    try:
        import torch

        importlib.import_module("transformers")
    except ImportError as e:
        raise ModelError(
            f"The transformer backends need torch and transformers ({e}). "
            "Install torch first (CPU: pip install torch --index-url https://download.pytorch.org/whl/cpu), "
            "then pip install 'cxnlp[transformers]'."
        ) from None
    return torch


def resolve_device(device: str) -> str:
    """``auto`` -> ``cuda`` when available, else ``cpu``; other values are passed to torch."""
    torch = require_torch()
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigError(f"device={device!r} but CUDA is not available; use device='cpu' or 'auto'.")
    return device


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and torch (weight initialisation of new heads, dropout)."""
    random.seed(seed)
    np.random.seed(seed)
    require_torch().manual_seed(seed)


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> Iterator[np.ndarray]:
    """Indices of the items in batches of similar length (less padding), shortest first."""
    order = np.argsort(np.asarray(lengths), kind="stable")
    for start in range(0, len(order), batch_size):
        yield order[start:start + batch_size]


@dataclass
class Checkpoint:
    """A tokenizer and a model on a device."""

    tokenizer: Any
    net: Any
    device: str

    @classmethod
    def load(cls, source: str | Path, auto_class: str, device: str, ignore_mismatched_sizes: bool = False,
             **model_kwargs: Any) -> Checkpoint:
        """Load ``source`` with ``transformers.<auto_class>``; local paths with ``local_files_only=True``.

        Raises:
            ModelError: the checkpoint cannot be read (missing files, not a model directory ...).
        """
        require_torch()
        import transformers

        local_only = Path(source).exists()
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(str(source), local_files_only=local_only)
            net = getattr(transformers, auto_class).from_pretrained(
                str(source), local_files_only=local_only, ignore_mismatched_sizes=ignore_mismatched_sizes,
                **model_kwargs)
        except (OSError, ValueError) as e:
            where = "local directory" if local_only else "checkpoint"
            raise ModelError(f"Could not load the transformer {where} {str(source)!r}: {e}") from None
        resolved = resolve_device(device)
        net.to(resolved)
        net.eval()
        return cls(tokenizer, net, resolved)

    def save(self, target: Path) -> None:
        """Write the model (safetensors) and the tokenizer to ``target``."""
        self.net.save_pretrained(target, safe_serialization=True)
        self.tokenizer.save_pretrained(target)

    def usable_length(self, max_length: int) -> int:
        """``max_length`` capped by what the tokenizer and the position embeddings allow."""
        limits = [max_length, self.tokenizer.model_max_length,
                  getattr(self.net.config, "max_position_embeddings", max_length)]
        return int(min(limits))

    def encode(self, texts: list[str], max_length: int, offsets: bool = False) -> dict[str, Any]:
        """Padded, truncated model inputs on the device; with ``offsets``, also ``offset_mapping``
        (a numpy array of character ``(start, end)`` per token, ``(0, 0)`` for special tokens)."""
        enc = self.tokenizer(texts, padding=True, truncation=True, max_length=self.usable_length(max_length),
                             return_tensors="pt", return_offsets_mapping=offsets)
        mapping = enc.pop("offset_mapping", None)
        batch = {k: v.to(self.device) for k, v in enc.items()}
        if mapping is not None:
            batch["offset_mapping"] = mapping.numpy()
        return batch

    def fit(self, n_items: int, loss_of: Callable[[np.ndarray], Any], epochs: float, lr: float,
            batch_size: int, max_steps: int | None = None, seed: int = 0) -> int:
        """Fine-tune with AdamW, linear warm-up (10 % of the steps) and linear decay.

        ``loss_of(indices)`` returns the loss tensor of a batch of item indices. Runs
        ``epochs`` passes over shuffled items, or exactly ``max_steps`` steps when given.

        Returns:
            The number of optimiser steps taken.
        """
        torch = require_torch()
        per_epoch = max(1, math.ceil(n_items / batch_size))
        total = max(1, int(per_epoch * epochs)) if max_steps is None else int(max_steps)
        optimizer = torch.optim.AdamW(self.net.parameters(), lr=lr, weight_decay=0.01)
        warmup = max(1, total // 10)
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup))))
        rng = np.random.default_rng(seed)
        self.net.train()
        step = 0
        while step < total:
            order = rng.permutation(n_items)
            for start in range(0, n_items, batch_size):
                loss = loss_of(order[start:start + batch_size])
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.net.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
                step += 1
                if step >= total:
                    break
        self.net.eval()
        return step
