"""Features and the ordinal combiner behind the risk score.

Each document becomes a small feature vector (:data:`FEATURES`): which high-risk
cue categories are active, softened cues (hypothetical threats, resolved problems),
dissatisfaction / satisfaction cue counts, the sentiment stage's probability, the
aspects stage's negative opinions, and length. A proportional-odds (ordinal
logistic) model turns it into one latent value ``z`` with two cut points::

    P(level >= medium) = sigmoid(z - cut_medium)     P(level = high) = sigmoid(z - cut_high)
    score = (P(level >= medium) + P(level = high)) / 2    # expected level / 2, in [0, 1]

The hand-set :data:`PRIOR` is the unfitted rule + prior model. :func:`fit_ordinal`
fits weights and cut points on labelled rows by maximum a posteriori with a
Gaussian prior centred on :data:`PRIOR`, so small data sets stay near the rules.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..doc import Document
from ..sentiment.rules import has_no_opinion
from .cues import DISSATISFACTION, HIGH_CATEGORIES, SATISFACTION, CueHit
FEATURES: tuple[str, ...] = (
    *(f"cue:{c}" for c in HIGH_CATEGORIES),
    "threat",          # a high cue under a condition on the future (如果再这样就投诉)
    "softened",        # a high cue that did not happen or was resolved (差点就退货了, 还好客服解决了)
    "dissatisfaction",  # log1p(count of dissatisfaction cues, after negation)
    "satisfaction",     # log1p(count of satisfaction cues, after negation)
    "negative_sentiment",  # 1 - 2 P(positive) from the sentiment stage, else a lexicon estimate
    "negative_opinions",   # log1p(count of negative opinions)
    "positive_opinions",   # log1p(count of positive opinions)
    "negative_categories",  # distinct categories among negative opinions
    "length",           # log1p(characters) / 5
    "inquiry",          # a question to the business (请问 …) with no complaint cue
)

#: Unfitted rule + prior parameters (weights by feature, then the two cut points).
PRIOR: dict[str, float] = {
    **{f"cue:{c}": 3.0 for c in HIGH_CATEGORIES},
    "threat": 1.0,
    "softened": 0.5,
    "dissatisfaction": 1.0,
    "satisfaction": -0.8,
    "negative_sentiment": 1.6,
    "negative_opinions": 0.6,
    "positive_opinions": -0.4,
    "negative_categories": 0.2,
    "length": 0.2,
    "inquiry": -1.5,
}
PRIOR_CUTS: tuple[float, float] = (0.6, 5.5)


@dataclass(slots=True)
class Evidence:
    """What the scorer found in one document: feature vector plus the hits behind it."""

    features: np.ndarray
    hits: list[CueHit]


def featurize(doc: Document, hits: list[CueHit], inquiry: bool = False) -> np.ndarray:
    """The :data:`FEATURES` vector of ``doc`` given its cue hits (and whether it opens as a question)."""
    x = np.zeros(len(FEATURES), dtype=np.float64)
    index = {name: i for i, name in enumerate(FEATURES)}
    dissatisfied = satisfied = 0
    for hit in hits:
        if hit.category == DISSATISFACTION:
            dissatisfied += 1
        elif hit.category == SATISFACTION:
            satisfied += 1
        elif hit.status == "active":
            x[index[f"cue:{hit.category}"]] = 1.0
        elif hit.status == "threat":
            x[index["threat"]] = 1.0
        elif hit.status in ("unrealised", "resolved"):
            x[index["softened"]] = 1.0
    x[index["dissatisfaction"]] = math.log1p(dissatisfied)
    x[index["satisfaction"]] = math.log1p(satisfied)
    if doc.sentiment is not None:  # a text with no opinion (无, 同上, 请问…) is no evidence whatever its score
        x[index["negative_sentiment"]] = 0.0 if has_no_opinion(doc) else 1.0 - 2.0 * float(doc.sentiment.score)
    else:  # no sentiment stage: a lexicon estimate on the same -1..1 scale
        x[index["negative_sentiment"]] = math.tanh(0.8 * (dissatisfied - satisfied))
    negative = [o for o in doc.opinions if o.polarity == "negative"]
    x[index["negative_opinions"]] = math.log1p(len(negative))
    x[index["positive_opinions"]] = math.log1p(sum(o.polarity == "positive" for o in doc.opinions))
    x[index["negative_categories"]] = len({o.category for o in negative})
    x[index["length"]] = math.log1p(len(doc.text)) / 5.0
    complaint = dissatisfied > 0 or x[: len(HIGH_CATEGORIES)].any() or x[index["threat"]] > 0
    x[index["inquiry"]] = float(inquiry and not complaint)
    return x


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(v, -35.0, 35.0)))


@dataclass(slots=True)
class OrdinalModel:
    """Weights over :data:`FEATURES` and two increasing cut points."""

    weights: np.ndarray
    cuts: np.ndarray

    @classmethod
    def prior(cls) -> OrdinalModel:
        return cls(np.array([PRIOR[f] for f in FEATURES], dtype=np.float64), np.array(PRIOR_CUTS, dtype=np.float64))

    def latent(self, x: np.ndarray) -> np.ndarray:
        return x @ self.weights

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """(n, 3) probabilities of low, medium, high."""
        z = self.latent(np.atleast_2d(x))
        at_least_medium = _sigmoid(z - self.cuts[0])
        high = _sigmoid(z - self.cuts[1])
        return np.stack([1.0 - at_least_medium, at_least_medium - high, high], axis=1)

    def score(self, x: np.ndarray) -> np.ndarray:
        """Expected level / 2 in [0, 1]."""
        p = self.probabilities(x)
        return p[:, 1] * 0.5 + p[:, 2]

    def default_thresholds(self) -> tuple[float, float]:
        """Score at each cut point: where medium (resp. high) becomes the likelier side."""
        gap = float(self.cuts[1] - self.cuts[0])
        medium = 0.5 * (0.5 + float(_sigmoid(np.array(-gap))))
        high = 0.5 * (float(_sigmoid(np.array(gap))) + 0.5)
        return medium, high


def fit_ordinal(
    x: np.ndarray,
    y: np.ndarray,
    prior: OrdinalModel | None = None,
    l2: float = 1.0,
    class_weight: Sequence[float] | None = None,
) -> OrdinalModel:
    """MAP fit of an ordinal logistic model; ``y`` holds 0 / 1 / 2 (low / medium / high).

    The weights get a Gaussian prior of precision ``l2`` centred on ``prior``; the
    cut points are free (kept increasing by a log-gap parameterisation).
    """
    from scipy.optimize import minimize

    prior = prior or OrdinalModel.prior()
    y = np.asarray(y, dtype=np.int64)
    sample_weight = np.ones(len(y)) if class_weight is None else np.asarray(class_weight, dtype=np.float64)[y]
    n_features = x.shape[1]

    def unpack(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return theta[:n_features], np.array([theta[n_features], theta[n_features] + math.exp(theta[n_features + 1])])

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, cuts = unpack(theta)
        z = x @ w
        a = _sigmoid(z - cuts[0])  # P(y >= 1)
        b = _sigmoid(z - cuts[1])  # P(y >= 2)
        eps = 1e-12
        p = np.where(y == 0, 1.0 - a, np.where(y == 1, a - b, b))
        loss = -np.sum(sample_weight * np.log(p + eps)) + 0.5 * l2 * np.sum((w - prior.weights) ** 2)
        # d log p / d(z - cut) for each cumulative term.
        da = a * (1.0 - a)
        db = b * (1.0 - b)
        g_a = np.where(y == 0, -da / (1.0 - a + eps), np.where(y == 1, da / (a - b + eps), 0.0))
        g_b = np.where(y == 1, -db / (a - b + eps), np.where(y == 2, db / (b + eps), 0.0))
        g_a *= sample_weight
        g_b *= sample_weight
        grad_w = -(x.T @ (g_a + g_b)) + l2 * (w - prior.weights)
        grad_c0 = np.sum(g_a + g_b)  # both cuts shift with theta[n]
        grad_gap = np.sum(g_b) * math.exp(theta[n_features + 1])
        return float(loss), np.concatenate([grad_w, [grad_c0, grad_gap]])

    start = np.concatenate([prior.weights, [prior.cuts[0], math.log(max(prior.cuts[1] - prior.cuts[0], 1e-3))]])
    result = minimize(objective, start, jac=True, method="L-BFGS-B")
    w, cuts = unpack(result.x)
    return OrdinalModel(w, cuts)
