"""Deprecated alias of :mod:`cxnlp.sentiment.rules` (renamed when the negated-complaint rule joined
the neutral rules); kept so that existing imports keep working."""

from __future__ import annotations

import warnings

from .rules import (
    NO_OPINION_PATTERNS,
    ClauseRule,
    PolarityRule,
    check_band,
    clause_texts,
    default_no_opinion_rule,
    has_no_opinion,
)

__all__ = ["NO_OPINION_PATTERNS", "ClauseRule", "NoOpinionRule", "PolarityRule", "check_band", "clause_texts",
           "default_no_opinion_rule", "has_no_opinion"]

#: The former name of :class:`~cxnlp.sentiment.rules.ClauseRule`.
NoOpinionRule = ClauseRule

warnings.warn("cxnlp.sentiment.neutral is now cxnlp.sentiment.rules", DeprecationWarning, stacklevel=2)
