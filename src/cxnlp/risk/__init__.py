"""Churn risk: ``RiskScorer`` (the ``risk`` stage), ``train_risk`` and ``evaluate_risk``.

``doc.risk = Risk(level, score, reasons)``: ``level`` low / medium / high per the churn
tagging guideline, ``score`` in [0, 1] (expected level / 2; higher is riskier, monotone with
level), ``reasons`` the evidence a CX team can act on::

    >>> import cxnlp
    >>> nlp = cxnlp.load()
    >>> nlp("送餐太慢了，菜都凉了，再也不点了").risk
    Risk(level='high', score=0.987, reasons=['流失意图: 再也不点了', '负向评价: 送餐慢', '负向评价: 菜凉', '负面情绪: 1.00'])

How it decides: a clause-scoped cue lexicon (``cues.json``: leave intent, refunds / returns,
escalation, fraud, safety, warnings to others; plus dissatisfaction and satisfaction words),
with negation, conditions, near misses, resolution and policy mentions handled in
:mod:`cxnlp.risk.cues`; then an ordinal model over the cues, the sentiment stage's probability
and the aspects stage's negative opinions (:mod:`cxnlp.risk.model`); then rule floors (an
explicit cue is at least high, a conditional threat at least medium) and a ceiling (without
an explicit cue, medium at most); last, a learned text model (:mod:`cxnlp.risk.text_model`)
raises a medium text to high when it reads like the high ones it was fitted on
(住了一晚就跑了, 照片与实物差距太大), unless the lexicon discounted a cue in it.

Operating point::

    RiskScorer(text_threshold=0.45)   # the text model flags more: recall for `high`, less precision
    RiskScorer(text_threshold=None)   # cues only
    RiskScorer(high_threshold=0.55)   # the combiner's score flags more
    RiskScorer(rule_floors=False, high_needs_cue=False)     # the score alone decides

Calibrate to your own outcomes (labels low/medium/high or 低/中/高)::

    >>> from cxnlp.risk import train_risk, evaluate_risk
    >>> scorer = train_risk("tickets.csv", label_col="risk", out="my_risk")   # a stage directory
    >>> evaluate_risk("tickets_holdout.csv", model="my_risk", label_col="risk")
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
