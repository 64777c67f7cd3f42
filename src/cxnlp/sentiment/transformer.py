"""The ``sentiment_transformer`` stage: a fine-tuned Hugging Face sequence classifier.

torch and transformers (the ``cxnlp[transformers]`` extra) are imported only here, and only
when a model is loaded or trained. Saved models keep the checkpoint in Hugging Face format
(safetensors) under ``<stage dir>/hf/`` and are always loaded from there with
``local_files_only=True``. A ``model`` name that is not an existing directory is treated as a
hub name the user asked for explicitly; that is the only case where transformers may download.

Scores are softmax probabilities of class 1 (positive), temperature-scaled on a held-out
slice of the training data; labels follow the same neutral rules as the linear stage
(:mod:`cxnlp.sentiment.neutral`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..doc import Document
from ..errors import ConfigError, ModelError, describe
from ..stage import register_stage
from .base import SentimentStage
from .neutral import PolarityRule

HF_DIR = "hf"
CALIBRATION_FILE = "calibration.npz"
ID2LABEL = {0: "negative", 1: "positive"}


def _require_torch() -> Any:
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError as e:
        raise ModelError(
            f"The transformer sentiment backend needs torch and transformers ({e}). "
            "Install torch first (CPU: pip install torch --index-url https://download.pytorch.org/whl/cpu), "
            "then pip install 'cxnlp[transformers]'."
        ) from None
    return torch


def resolve_device(device: str) -> str:
    """``auto`` -> ``cuda`` when available, else ``cpu``; other values are passed to torch."""
    torch = _require_torch()
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigError(f"device={device!r} but CUDA is not available; use device='cpu' or 'auto'.")
    return device


@register_stage("sentiment_transformer")
class TransformerSentiment(SentimentStage):
    """Document polarity from a fine-tuned transformer (any HF sequence-classification checkpoint).

    Args:
        model: a local checkpoint directory (or an explicit hub name) to load when the stage
            is not loaded from a saved directory.
        device: ``auto`` (CUDA when available), ``cpu``, ``cuda``, ``cuda:1`` ...
        batch_size: texts per forward pass at inference.
        max_length: tokens kept per text (longer texts are truncated).
        neutral_band, no_opinion_patterns: neutral rules, as in :class:`SentimentClassifier`.
    """

    requires = ("text",)

    def __init__(
        self,
        model: str | None = None,
        device: str = "auto",
        batch_size: int = 32,
        max_length: int = 256,
        neutral_band: Sequence[float] = (0.4, 0.6),
        no_opinion_patterns: Sequence[str] | None = None,
    ) -> None:
        if model is not None and not isinstance(model, str | Path):
            raise ConfigError(f"model must be a checkpoint directory or hub name, got {describe(model)}.")
        self.model = str(model) if model is not None else None
        self.device = device
        self.batch_size = int(batch_size)
        self.max_length = int(max_length)
        self.rule = PolarityRule(neutral_band, no_opinion_patterns)
        self.temperature_ = 1.0
        self.meta_: dict[str, Any] = {}
        self._net: Any = None
        self._tokenizer: Any = None
        self._device: str | None = None

    # -- loading -------------------------------------------------------------
    def _load(self, source: str | Path, local_only: bool, num_labels_fix: bool = False) -> None:
        _require_torch()
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        kwargs: dict[str, Any] = {"local_files_only": local_only}
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(str(source), **kwargs)
            self._net = AutoModelForSequenceClassification.from_pretrained(
                str(source), num_labels=2, id2label=ID2LABEL, label2id={v: k for k, v in ID2LABEL.items()},
                ignore_mismatched_sizes=num_labels_fix, **kwargs,
            )
        except (OSError, ValueError) as e:
            where = "local directory" if local_only else "checkpoint"
            raise ModelError(f"Could not load the transformer {where} {str(source)!r}: {e}") from None
        self._device = resolve_device(self.device)
        self._net.to(self._device)

    def _ensure_loaded(self) -> None:
        if self._net is None:
            if self.model is None:
                raise ModelError("TransformerSentiment has no model: pass model=<checkpoint dir> or load a saved stage.")
            self._load(self.model, local_only=Path(self.model).exists())

    # -- inference -----------------------------------------------------------
    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Class-1-minus-class-0 logits, batched, under ``torch.no_grad``."""
        self._ensure_loaded()
        torch = _require_torch()
        self._net.eval()
        order = np.argsort([len(t) for t in texts], kind="stable")  # similar lengths pad less
        out = np.zeros(len(texts), dtype=np.float64)
        with torch.no_grad():
            for start in range(0, len(texts), self.batch_size):
                idx = order[start:start + self.batch_size]
                batch = self._encode([texts[i] for i in idx])
                logits = self._net(**batch).logits.float()
                out[idx] = (logits[:, 1] - logits[:, 0]).cpu().numpy()
        return out

    def _encode(self, texts: list[str]) -> dict[str, Any]:
        enc = self._tokenizer(texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt")
        return {k: v.to(self._device) for k, v in enc.items()}

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated P(positive) of raw texts."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.logits(texts) / self.temperature_, -35, 35)))

    def doc_scores(self, docs: Sequence[Document]) -> np.ndarray:
        return self.predict_proba([d.text for d in docs])

    # -- training ------------------------------------------------------------
    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[int],
        base_model: str,
        seed: int = 0,
        epochs: float = 3.0,
        lr: float = 3e-5,
        train_batch_size: int = 16,
        heldout_fraction: float = 0.1,
        max_steps: int | None = None,
        **stage_kwargs: Any,
    ) -> TransformerSentiment:
        """Fine-tune ``base_model`` on ``texts``/``labels`` (0/1); temperature fitted on a held-out slice."""
        torch = _require_torch()
        try:
            stage = cls(model=base_model, **stage_kwargs)
        except TypeError as e:
            raise ConfigError(f"Unknown argument for the transformer sentiment backend: {e}.") from None
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)
        stage._load(base_model, local_only=Path(base_model).exists(), num_labels_fix=True)
        y = np.asarray(labels, dtype=np.int64)
        perm = np.random.default_rng(seed).permutation(len(y))
        n_held = int(len(y) * heldout_fraction) if len(y) >= 50 else 0
        held, train_idx = perm[:n_held], perm[n_held:]
        steps = stage._fit_loop([texts[i] for i in train_idx], y[train_idx], epochs, lr, train_batch_size, max_steps)
        stage.meta_ = {"base_model": str(base_model), "epochs": epochs, "lr": lr, "steps": steps,
                       "train_rows": len(train_idx), "heldout_rows": n_held}
        if n_held:
            held_logits = stage.logits([texts[i] for i in held])
            stage.temperature_ = fit_temperature(held_logits, y[held])
            stage.meta_["heldout_accuracy"] = round(float(((held_logits >= 0) == y[held]).mean()), 4)
            stage.meta_["temperature"] = stage.temperature_
        return stage

    def _fit_loop(self, texts: list[str], y: np.ndarray, epochs: float, lr: float, batch_size: int,
                  max_steps: int | None) -> int:
        torch = _require_torch()
        per_epoch = max(1, math.ceil(len(texts) / batch_size))
        total = max(1, int(per_epoch * epochs)) if max_steps is None else int(max_steps)
        optimizer = torch.optim.AdamW(self._net.parameters(), lr=lr, weight_decay=0.01)
        warmup = max(1, total // 10)
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup))))
        rng = np.random.default_rng(0)
        self._net.train()
        step = 0
        while step < total:
            order = rng.permutation(len(texts))
            for start in range(0, len(texts), batch_size):
                idx = order[start:start + batch_size]
                batch = self._encode([texts[i] for i in idx])
                target = torch.as_tensor(y[idx], device=self._device)
                loss = torch.nn.functional.cross_entropy(self._net(**batch).logits, target)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self._net.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
                step += 1
                if step >= total:
                    break
        self._net.eval()
        return step

    # -- persistence ---------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {"model": None, "device": self.device, "batch_size": self.batch_size, "max_length": self.max_length,
                **self.neutral_config()}

    def save_weights(self, path: Path) -> None:
        self._ensure_loaded()
        target = Path(path) / HF_DIR
        self._net.save_pretrained(target, safe_serialization=True)
        self._tokenizer.save_pretrained(target)
        from ..io import atomic_open

        with atomic_open(Path(path) / CALIBRATION_FILE, "wb", encoding=None) as f:
            np.savez(f, temperature=np.array([self.temperature_]))

    def load_weights(self, path: Path) -> None:
        source = Path(path) / HF_DIR
        if not source.is_dir():
            raise ModelError(f"Missing {HF_DIR}/ in {path}: not a saved transformer sentiment stage.")
        self._load(source, local_only=True)
        self.model = None
        calibration = Path(path) / CALIBRATION_FILE
        if calibration.is_file():
            with np.load(calibration, allow_pickle=False) as arrays:
                self.temperature_ = float(arrays["temperature"][0])


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising the held-out log loss (grid over 0.25..8)."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 61))
    signs = np.where(y == 1, 1.0, -1.0)
    losses = [float(np.mean(np.logaddexp(0.0, -signs * logits / t))) for t in grid]
    return float(grid[int(np.argmin(losses))])
