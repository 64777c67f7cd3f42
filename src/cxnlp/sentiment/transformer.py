"""The ``sentiment_transformer`` stage: a fine-tuned Hugging Face sequence classifier.

torch and transformers are imported only when a model is loaded or trained; loading, batching
and the fine-tuning loop are shared with the aspects backend (:mod:`cxnlp.hf`). Saved models
keep the checkpoint in Hugging Face format (safetensors) under ``<stage dir>/hf/``.

Scores are softmax probabilities of class 1 (positive), temperature-scaled on a held-out
slice of the training data; labels follow the same neutral rules as the linear stage
(:mod:`cxnlp.sentiment.rules`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..doc import Document
from ..errors import ConfigError, ModelError, describe
from ..hf import HF_DIR, Checkpoint, length_sorted_batches, require_torch, seed_everything
from ..stage import register_stage
from .base import SentimentStage
from .rules import PolarityRule

CALIBRATION_FILE = "calibration.npz"
ID2LABEL = {0: "negative", 1: "positive"}


@register_stage("sentiment_transformer")
class TransformerSentiment(SentimentStage):
    """Document polarity from a fine-tuned transformer (any HF sequence-classification checkpoint).

    Args:
        model: a local checkpoint directory (or an explicit hub name) to load when the stage
            is not loaded from a saved directory.
        device: ``auto`` (CUDA when available), ``cpu``, ``cuda``, ``cuda:1`` ...
        batch_size: texts per forward pass at inference.
        max_length: tokens kept per text (longer texts are truncated).
        neutral_band, no_opinion_patterns, negated_complaint_patterns, endorsement_patterns,
            resolution_patterns: label rules, as in :class:`SentimentClassifier`.
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
        negated_complaint_patterns: Sequence[str] | None = None,
        endorsement_patterns: Sequence[str] | None = None,
        resolution_patterns: Sequence[str] | None = None,
    ) -> None:
        if model is not None and not isinstance(model, str | Path):
            raise ConfigError(f"model must be a checkpoint directory or hub name, got {describe(model)}.")
        self.model = str(model) if model is not None else None
        self.device = device
        self.batch_size = int(batch_size)
        self.max_length = int(max_length)
        self.rule = PolarityRule(neutral_band, no_opinion_patterns, negated_complaint_patterns,
                                 endorsement_patterns, resolution_patterns)
        self.temperature_ = 1.0
        self.meta_: dict[str, Any] = {}
        self._checkpoint: Checkpoint | None = None

    # -- loading -------------------------------------------------------------
    def _load(self, source: str | Path, new_head: bool = False) -> None:
        self._checkpoint = Checkpoint.load(
            source, "AutoModelForSequenceClassification", self.device, ignore_mismatched_sizes=new_head,
            num_labels=2, id2label=ID2LABEL, label2id={v: k for k, v in ID2LABEL.items()})

    def _ensure_loaded(self) -> Checkpoint:
        if self._checkpoint is None:
            if self.model is None:
                raise ModelError("TransformerSentiment has no model: pass model=<checkpoint dir> or load a saved stage.")
            self._load(self.model)
        assert self._checkpoint is not None
        return self._checkpoint

    # -- inference -----------------------------------------------------------
    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Class-1-minus-class-0 logits, batched by length, under ``torch.no_grad``."""
        checkpoint = self._ensure_loaded()
        torch = require_torch()
        out = np.zeros(len(texts), dtype=np.float64)
        with torch.no_grad():
            for idx in length_sorted_batches([len(t) for t in texts], self.batch_size):
                batch = checkpoint.encode([texts[i] for i in idx], self.max_length)
                logits = checkpoint.net(**batch).logits.float()
                out[idx] = (logits[:, 1] - logits[:, 0]).cpu().numpy()
        return out

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
        torch = require_torch()
        try:
            stage = cls(model=base_model, **stage_kwargs)
        except TypeError as e:
            raise ConfigError(f"Unknown argument for the transformer sentiment backend: {e}.") from None
        seed_everything(seed)
        stage._load(base_model, new_head=True)
        checkpoint = stage._ensure_loaded()
        y = np.asarray(labels, dtype=np.int64)
        perm = np.random.default_rng(seed).permutation(len(y))
        n_held = int(len(y) * heldout_fraction) if len(y) >= 50 else 0
        held, train_idx = perm[:n_held], perm[n_held:]
        train_texts, train_y = [texts[i] for i in train_idx], torch.as_tensor(y[train_idx], device=checkpoint.device)

        def loss_of(idx: np.ndarray) -> Any:
            logits = checkpoint.net(**checkpoint.encode([train_texts[i] for i in idx], stage.max_length)).logits
            return torch.nn.functional.cross_entropy(logits, train_y[idx])

        steps = checkpoint.fit(len(train_texts), loss_of, epochs, lr, train_batch_size, max_steps, seed=seed)
        stage.meta_ = {"base_model": str(base_model), "epochs": epochs, "lr": lr, "steps": steps,
                       "train_rows": len(train_idx), "heldout_rows": n_held}
        if n_held:
            held_logits = stage.logits([texts[i] for i in held])
            stage.temperature_ = fit_temperature(held_logits, y[held])
            stage.meta_["heldout_accuracy"] = round(float(((held_logits >= 0) == y[held]).mean()), 4)
            stage.meta_["temperature"] = stage.temperature_
        return stage

    # -- persistence ---------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {"model": None, "device": self.device, "batch_size": self.batch_size, "max_length": self.max_length,
                **self.rule_config()}

    def save_weights(self, path: Path) -> None:
        self._ensure_loaded().save(Path(path) / HF_DIR)
        from ..io import atomic_open

        with atomic_open(Path(path) / CALIBRATION_FILE, "wb", encoding=None) as f:
            np.savez(f, temperature=np.array([self.temperature_]))

    def load_weights(self, path: Path) -> None:
        source = Path(path) / HF_DIR
        if not source.is_dir():
            raise ModelError(f"Missing {HF_DIR}/ in {path}: not a saved transformer sentiment stage.")
        self._load(source)
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
