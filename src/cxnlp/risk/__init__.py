"""Churn risk: ``RiskScorer`` (the ``risk`` stage), ``train_risk`` and ``evaluate_risk``.

    >>> from cxnlp.risk import RiskScorer
    >>> doc.risk   # Risk(level='high', score=0.86, reasons=['流失意图: 再也不点了', '负向评价: 送餐慢'])
"""

from __future__ import annotations

from typing import Any

from .cues import CueHit, CueLexicon
from .scorer import RiskScorer

__all__ = ["RiskScorer", "CueLexicon", "CueHit", "train_risk", "evaluate_risk"]


def __getattr__(name: str) -> Any:
    if name == "train_risk":
        from .train import train_risk

        return train_risk
    if name == "evaluate_risk":
        from .evaluate import evaluate_risk

        return evaluate_risk
    raise AttributeError(f"module 'cxnlp.risk' has no attribute {name!r}")
