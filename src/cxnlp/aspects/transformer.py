"""The ``transformer`` backend of the aspects stage: a fine-tuned Hugging Face token classifier.

One tag per token in a unified scheme (:data:`TAGS`): aspects are ``B-ASP``/``I-ASP``, opinions
``B-``/``I-`` with their polarity (``POS``, ``NEG``, ``NEU``). Tags are given to characters and
moved to tokens through the fast tokenizer's offset mapping, so a token covering several
characters (an English word, a number, ``[UNK]``) takes the tag of the characters it covers,
and characters beyond ``max_length`` tokens get no prediction. Opinions are paired with aspects
by :func:`~cxnlp.aspects.model.pair_opinions`, as in the linear model.

:class:`TransformerTripletModel` has the interface of :class:`~cxnlp.aspects.model.TripletModel`,
so :class:`~cxnlp.aspects.AspectExtractor` chunks, falls back on the lexicon, checks polarities
and maps categories the same way whichever model it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..doc import Span
from ..errors import ConfigError, ModelError, describe
from ..hf import HF_DIR, Checkpoint, length_sorted_batches, require_torch, seed_everything
from ..stage import check_batch_size
from .lexicon import Word
from .model import POLARITY_LABELS, Prediction, pair_opinions

BACKEND = "transformer"
#: polarity -> the suffix of its opinion tags
POLARITY_TAGS = {"negative": "NEG", "neutral": "NEU", "positive": "POS"}
TAGS = ("O", "B-ASP", "I-ASP", *(f"{bi}-{POLARITY_TAGS[p]}" for p in POLARITY_LABELS for bi in "BI"))
TAG_IDS = {tag: i for i, tag in enumerate(TAGS)}
#: column indices in ``TAGS`` of each polarity's B and I tags, in ``POLARITY_LABELS`` order
POLARITY_COLUMNS = [[TAG_IDS["B-" + POLARITY_TAGS[p]], TAG_IDS["I-" + POLARITY_TAGS[p]]] for p in POLARITY_LABELS]
#: label of tokens that take no part in the loss (special tokens, padding)
IGNORED = -100


def char_tags(n: int, triplets: Sequence[dict[str, Any]]) -> list[str]:
    """Tag of each of ``n`` characters from gold triplets; an aspect inside an opinion keeps its tags."""
    tags = ["O"] * n
    for t in triplets:
        s, e = t["opinion_span"]
        suffix = POLARITY_TAGS[t["polarity"]]
        tags[s:e] = ["B-" + suffix] + ["I-" + suffix] * (e - s - 1)
    for t in triplets:
        if t.get("aspect_span"):
            s, e = t["aspect_span"]
            tags[s:e] = ["B-ASP"] + ["I-ASP"] * (e - s - 1)
    return tags


def token_labels(tags: Sequence[str], offsets: np.ndarray) -> list[int]:
    """Tag ids of the tokens with character ``offsets``: a token takes the tag of its first
    character, or the ``B-`` tag of a span that begins inside it; special tokens are ignored."""
    labels: list[int] = []
    for s, e in offsets.tolist():
        if e <= s:
            labels.append(IGNORED)
            continue
        begins = [tag for tag in tags[s:e] if tag.startswith("B-")]
        labels.append(TAG_IDS[begins[0] if begins and tags[s] == "O" else tags[s]])
    return labels


def decode_tags(labels: Sequence[int], offsets: np.ndarray) -> list[tuple[str, Span, list[int]]]:
    """Spans from token tag ids: ``(kind, char span, token positions)`` with kind ``ASP`` or ``OPN``.

    An ``I-`` tag after a token of another kind starts a span; an opinion runs over its tokens
    whatever their polarity tags (the polarity is decided afterwards); tokens without
    characters (special tokens) end a span.
    """
    spans: list[tuple[str, Span, list[int]]] = []
    kind: str | None = None
    start = end = 0
    tokens: list[int] = []
    for position, (label, (s, e)) in enumerate(zip(labels, offsets.tolist(), strict=True)):
        tag = TAGS[label] if e > s and label != IGNORED else "O"
        tag_kind = None if tag == "O" else ("ASP" if tag.endswith("ASP") else "OPN")
        if kind is not None and (tag_kind != kind or tag.startswith("B-")):
            spans.append((kind, (start, end), tokens))
            kind = None
        if tag_kind is None:
            continue
        if kind is None:
            kind, start, tokens = tag_kind, s, []
        end = e
        tokens.append(position)
    if kind is not None:
        spans.append((kind, (start, end), tokens))
    return spans


def opinion_polarity(probs: np.ndarray) -> tuple[str, float]:
    """Polarity of an opinion from its tokens' tag probabilities, and its mean probability.

    Each token's opinion-tag probabilities are normalised to a distribution over the three
    polarities; the opinion takes the polarity of the highest mean.
    """
    per_polarity = np.stack([probs[:, cols].sum(axis=1) for cols in POLARITY_COLUMNS], axis=1)
    per_polarity /= np.maximum(per_polarity.sum(axis=1, keepdims=True), 1e-12)
    mean = per_polarity.mean(axis=0)
    best = int(mean.argmax())
    return POLARITY_LABELS[best], float(mean[best])


class TransformerTripletModel:
    """Aspect / opinion / polarity triplets from a fine-tuned token classifier.

    Args:
        device: ``auto`` (CUDA when available), ``cpu``, ``cuda``, ``cuda:1`` ...
        batch_size: texts per forward (and, in training, backward) pass.
        max_length: tokens kept per text; characters beyond get no prediction (the extractor
            cuts documents into chunks of ``max_chunk`` characters first).
    """

    def __init__(self, device: str = "auto", batch_size: int = 16, max_length: int = 512) -> None:
        check_batch_size(batch_size)
        if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 8:
            raise ConfigError(f"max_length must be an int >= 8, got {describe(max_length)}.")
        self.device = device
        self.batch_size = batch_size
        self.max_length = max_length
        self.checkpoint: Checkpoint | None = None

    def _load(self, source: str | Path, new_head: bool = False) -> Checkpoint:
        checkpoint = Checkpoint.load(source, "AutoModelForTokenClassification", self.device,
                                     ignore_mismatched_sizes=new_head, num_labels=len(TAGS),
                                     id2label=dict(enumerate(TAGS)), label2id=TAG_IDS)
        if not checkpoint.tokenizer.is_fast:
            raise ModelError(f"{str(source)!r} has no fast tokenizer; the aspects backend needs its offset mapping.")
        self.checkpoint = checkpoint
        return checkpoint

    def _loaded(self) -> Checkpoint:
        if self.checkpoint is None:
            raise ModelError("TransformerTripletModel has no checkpoint: train it or load a saved stage.")
        return self.checkpoint

    # -- training ----------------------------------------------------------------
    def fit(self, rows: list[dict[str, Any]], base_model: str | Path, seed: int = 0, epochs: float = 3.0,
            lr: float = 5e-5, max_steps: int | None = None) -> int:
        """Fine-tune ``base_model`` on rows ``{"norm", "triplets"}``; returns the optimiser steps taken."""
        torch = require_torch()
        seed_everything(seed)
        checkpoint = self._load(base_model, new_head=True)
        texts = [r["norm"] for r in rows]
        tags = [char_tags(len(r["norm"]), r["triplets"]) for r in rows]

        def loss_of(idx: np.ndarray) -> Any:
            batch = checkpoint.encode([texts[i] for i in idx], self.max_length, offsets=True)
            offsets = batch.pop("offset_mapping")
            labels = [token_labels(tags[i], offsets[k]) for k, i in enumerate(idx)]
            return checkpoint.net(**batch, labels=torch.as_tensor(labels, device=checkpoint.device)).loss

        return checkpoint.fit(len(texts), loss_of, epochs, lr, self.batch_size, max_steps, seed=seed)

    # -- inference ---------------------------------------------------------------
    def predict(self, units: list[tuple[str, list[Word]]],
                aspects: list[list[Span]] | None = None) -> list[list[Prediction]]:
        """Triplets of each ``(normalised text, words)`` unit, spans relative to the unit.

        ``aspects`` (one list of spans per unit) replaces the tagged aspects.
        """
        if not units:
            return []
        checkpoint = self._loaded()
        torch = require_torch()
        texts = [text for text, _ in units]
        out: list[list[Prediction]] = [[] for _ in units]
        with torch.no_grad():
            for idx in length_sorted_batches([len(t) for t in texts], self.batch_size):
                batch = checkpoint.encode([texts[i] for i in idx], self.max_length, offsets=True)
                offsets = batch.pop("offset_mapping")
                probs = torch.softmax(checkpoint.net(**batch).logits.float(), dim=-1).cpu().numpy()
                for k, i in enumerate(idx):
                    known = sorted(aspects[i]) if aspects is not None else None
                    out[i] = self._triplets(texts[i], probs[k], offsets[k], known)
        return out

    @staticmethod
    def _triplets(text: str, probs: np.ndarray, offsets: np.ndarray,
                  known_aspects: list[Span] | None) -> list[Prediction]:
        """Triplets of one text from its tokens' tag probabilities."""
        spans = decode_tags(probs.argmax(axis=1).tolist(), offsets)
        tagged = [span for kind, span, _ in spans if kind == "ASP"]
        polarities = {span: opinion_polarity(probs[tokens]) for kind, span, tokens in spans if kind == "OPN"}
        pairs = pair_opinions(text, tagged if known_aspects is None else known_aspects, list(polarities))
        return [(aspect, opinion, *polarities[opinion]) for aspect, opinion in pairs]

    # -- persistence ---------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {"backend": BACKEND, "device": self.device, "batch_size": self.batch_size, "max_length": self.max_length}

    def save(self, path: Path) -> None:
        self._loaded().save(Path(path) / HF_DIR)

    @classmethod
    def load(cls, path: Path, config: dict[str, Any]) -> TransformerTripletModel:
        """The model saved in ``path``; ``config`` holds the constructor options (no ``backend`` key)."""
        try:
            model = cls(**config)
        except TypeError as e:
            raise ModelError(f"Bad transformer aspects configuration in {path}: {e}.") from None
        source = Path(path) / HF_DIR
        if not source.is_dir():
            raise ModelError(f"Missing {HF_DIR}/ in {path}: not a saved transformer aspects stage.")
        model._load(source)
        return model
