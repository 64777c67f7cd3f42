"""What the sentiment stages share: labels from scores, and loading from a pipeline directory."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..doc import Document
from ..stage import CONFIG_FILE, Stage
from .rules import PolarityRule

S = TypeVar("S", bound="SentimentStage")

#: The folder a trained sentiment stage has inside a pipeline directory written by train_sentiment.
STAGE_NAME = "sentiment"


class SentimentStage(Stage):
    """Base of sentiment stages: ``doc_scores`` gives P(positive); ``rule`` turns it into a label."""

    provides = ("sentiment",)
    rule: PolarityRule

    @abstractmethod
    def doc_scores(self, docs: Sequence[Document]) -> np.ndarray:
        """Calibrated P(positive) of each document."""

    def process(self, docs: list[Document]) -> None:
        if docs:
            self.rule.annotate(docs, self.doc_scores(docs))

    @classmethod
    def from_dir(cls: type[S], path: str | Path) -> S:
        """Load a stage directory, or the ``sentiment`` stage of a pipeline directory."""
        path = Path(path)
        if not (path / CONFIG_FILE).is_file() and (path / STAGE_NAME / CONFIG_FILE).is_file():
            path = path / STAGE_NAME
        return super().from_dir(path)

    def rule_config(self) -> dict[str, Any]:
        """The label rules' options (see :mod:`cxnlp.sentiment.rules`), for ``get_config``."""
        return {"neutral_band": list(self.rule.neutral_band), "no_opinion_patterns": self.rule.patterns,
                "negated_complaint_patterns": self.rule.complaint_patterns,
                "endorsement_patterns": self.rule.endorsement_patterns,
                "resolution_patterns": self.rule.resolution_patterns}
