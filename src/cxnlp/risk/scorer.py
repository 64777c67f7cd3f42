"""The ``risk`` stage: churn risk low / medium / high with a score and the evidence.

Requires only ``tokens`` (the segment stage, which also gives ``norm`` and
``clauses``). When the ``sentiment`` and ``aspects`` stages run before it, their
results improve the score and name the complaints (``负向评价: 送餐慢``); without
them a lexicon estimate takes the sentiment's place.

Decisions on the guideline's hard cases (see :mod:`cxnlp.risk.cues` for the detection):

- 不会再来 / 再也不点了 / 已经申请退款 / 投诉到12315 / 假货 / 吃坏肚子 / 大家别买: high (rule floor).
- 下次还会再来, 退货很方便, 支持七天无理由退货, 不退货也行, 不是假货: the cue does not count.
- 差点就退货了 / 要不是态度好就投诉了 / 以为是假货 / 能退货吗 (unrealised) and
  申请了退款，后来客服解决了 (resolved): not high; the cue only adds a little to the score.
- 如果再这样就投诉 (a threat on a condition): at least medium, not high by itself. The guideline
  takes the higher label only for a concrete reason, and a condition is not one; a team that
  wants threats flagged high can train on its own outcomes (``train_risk``) or lower
  ``high_threshold``.
- Warnings stay warnings under a condition: 如果怕吵千万别住 is high.
- A long list of complaints with no such cue (太差…差评差评差评) is medium at most: the guideline asks
  for a concrete reason before the higher label (``high_needs_cue``). On churn dev folds 0-3 the
  three texts the score alone put at high were all tagged medium.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..doc import Document, Risk
from ..errors import ConfigError, ModelError, describe
from ..stage import Stage, register_stage
from .cues import DISSATISFACTION, HIGH_CATEGORIES, CueHit, CueLexicon
from .model import FEATURES, OrdinalModel, featurize

WEIGHTS_FILE = "risk_weights.npz"
CUES_FILE = "cues.json"
LEVEL_ORDER = ("low", "medium", "high")
#: Reasons shown per document, at most.
MAX_REASONS = 6
_SOFTENED = {"threat": "条件", "unrealised": "未发生", "resolved": "已解决"}


@register_stage("risk")
class RiskScorer(Stage):
    """Churn risk per the tagging guideline: ``doc.risk = Risk(level, score, reasons)``.

    Args:
        medium_threshold: score from which a document is ``medium`` (None: the model's cut point).
        high_threshold: score from which a document is ``high`` (None: the model's cut point).
            Lower it to catch more at-risk customers (recall) at the cost of precision.
        rule_floors: an explicit, non-negated leave / refund / escalation / fraud / safety /
            warning cue makes the level at least ``high``; a conditional threat at least ``medium``.
        high_needs_cue: without such a cue the score stops just below the model's own ``high`` cut
            point, so at the default thresholds the level is at most ``medium`` however many
            complaints pile up (the guideline's concrete reason); a lower ``high_threshold`` still
            flags more documents. False lets the score alone reach ``high``.
        cues: a cue lexicon JSON file shaped like the shipped ``cues.json`` (None: shipped);
            a saved stage keeps a copy, so the directory can be moved.
        max_reasons: how many reasons to list per document.

    Example:
        >>> nlp = Pipeline([Segmenter(), RiskScorer()])
        >>> nlp("送餐太慢了，再也不点了").risk
        Risk(level='high', score=0.9575, reasons=['流失意图: 再也不点了', '不满: 送餐太慢了'])
    """

    requires = ("tokens",)
    provides = ("risk",)
    #: Used when an earlier stage provides them; never required (the pipeline check stays satisfiable).
    uses = ("norm", "clauses", "sentiment", "opinions")

    def __init__(
        self,
        medium_threshold: float | None = None,
        high_threshold: float | None = None,
        rule_floors: bool = True,
        high_needs_cue: bool = True,
        cues: str | None = None,
        max_reasons: int = MAX_REASONS,
    ) -> None:
        for name, value in (("medium_threshold", medium_threshold), ("high_threshold", high_threshold)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                      or not 0.0 < float(value) < 1.0):
                raise ConfigError(f"{name} must be a number strictly between 0 and 1 or None, got {describe(value)}.")
        if medium_threshold is not None and high_threshold is not None and medium_threshold >= high_threshold:
            raise ConfigError(f"medium_threshold ({medium_threshold}) must be below high_threshold ({high_threshold}).")
        if isinstance(max_reasons, bool) or not isinstance(max_reasons, int) or max_reasons < 0:
            raise ConfigError(f"max_reasons must be a non-negative int, got {describe(max_reasons)}.")
        self.medium_threshold = medium_threshold
        self.high_threshold = high_threshold
        self.rule_floors = bool(rule_floors)
        self.high_needs_cue = bool(high_needs_cue)
        self.cues = cues
        self.max_reasons = max_reasons
        self.model_ = OrdinalModel.prior()
        # Compiled now when readable (early errors); a saved stage may supply its own copy instead.
        self.lexicon_: CueLexicon | None = CueLexicon(cues) if cues is None or Path(cues).is_file() else None
        self.meta_: dict[str, Any] = {}

    @property
    def lexicon(self) -> CueLexicon:
        """The compiled cue lexicon."""
        if self.lexicon_ is None:
            self.lexicon_ = CueLexicon(self.cues)
        return self.lexicon_

    # -- thresholds ----------------------------------------------------------
    @property
    def thresholds(self) -> tuple[float, float]:
        """(medium, high) thresholds in use: the configured ones, else the model's cut points.

        When only one is configured and it crosses the model's other one, that other one
        moves to keep medium below high (half-way to 0, resp. to 1).
        """
        medium, high = self.model_.default_thresholds()
        if self.medium_threshold is not None:
            medium = self.medium_threshold
            if self.high_threshold is None and high <= medium:
                high = 0.5 * (medium + 1.0)
        if self.high_threshold is not None:
            high = self.high_threshold
            if self.medium_threshold is None and medium >= high:
                medium = 0.5 * high
        return medium, high

    def level_of(self, score: float) -> str:
        """The level a score maps to under the current thresholds."""
        medium, high = self.thresholds
        return "high" if score >= high else "medium" if score >= medium else "low"

    # -- inference -----------------------------------------------------------
    def evidence(self, docs: list[Document]) -> tuple[np.ndarray, list[list[CueHit]]]:
        """Feature matrix (rows follow :data:`FEATURES`) and cue hits of each document."""
        lexicon = self.lexicon
        hits = [lexicon.find(doc) for doc in docs]
        x = np.zeros((len(docs), len(FEATURES)))
        for i, (doc, doc_hits) in enumerate(zip(docs, hits, strict=True)):
            x[i] = featurize(doc, doc_hits, lexicon.is_inquiry(doc))
        return x, hits

    def process(self, docs: list[Document]) -> None:
        if not docs:
            return
        x, hits = self.evidence(docs)
        scores = self.model_.score(x)
        medium, high = self.thresholds
        ceiling = self.model_.default_thresholds()[1] - 1e-3
        for doc, row, doc_hits, score in zip(docs, x, hits, scores, strict=True):
            score = float(score)
            cue = bool(row[: len(HIGH_CATEGORIES)].any())
            if self.rule_floors:
                if cue:  # above the high floor, still ranked by the evidence
                    floor = 0.5 * (1.0 + high)
                    score = max(score, floor + (1.0 - floor) * score)
                elif row[FEATURES.index("threat")] > 0:
                    score = max(score, 0.5 * (medium + high))
            if self.high_needs_cue and not cue:  # just below the model's own high cut point: a lower
                score = min(score, ceiling)       # high_threshold still flags more documents
            score = round(min(1.0, max(0.0, score)), 4)
            doc.risk = Risk(self.level_of(score), score, self.reasons(doc, doc_hits))

    def reasons(self, doc: Document, hits: list[CueHit]) -> list[str]:
        """Short Chinese evidence strings, strongest first, without repeats."""
        found: list[str] = []
        for hit in hits:  # explicit high-risk cues, then softened ones
            if hit.category in HIGH_CATEGORIES and hit.status == "active":
                found.append(f"{hit.category}: {hit.evidence}")
        for hit in hits:
            if hit.category in HIGH_CATEGORIES and hit.status in _SOFTENED:
                found.append(f"{hit.category}({_SOFTENED[hit.status]}): {hit.evidence}")
        negative = [o for o in doc.opinions if o.polarity == "negative"]
        cited = [(h.start, h.end) for h in hits if h.category in HIGH_CATEGORIES]
        found.extend(o.tag for o in sorted(negative, key=lambda o: -o.score)  # not the cue again as an opinion
                     if not any(s < o.opinion_span[1] and o.opinion_span[0] < e for s, e in cited))
        if not negative:
            found.extend(f"{DISSATISFACTION}: {h.evidence}" for h in hits if h.category == DISSATISFACTION)
        if doc.sentiment is not None and doc.sentiment.label == "negative":  # the stage's own call (it has a neutral band)
            found.append(f"负面情绪: {1.0 - doc.sentiment.score:.2f}")
        unique = list(dict.fromkeys(found))
        return unique[: self.max_reasons]

    # -- training ------------------------------------------------------------
    def fit(self, docs: list[Document], levels: list[str], l2: float = 1.0,
            class_weight: str | None = "balanced") -> RiskScorer:
        """Fit the combiner on analysed documents (segment, and sentiment/aspects if used) and levels."""
        from .model import fit_ordinal

        y = np.array([LEVEL_ORDER.index(level) for level in levels])
        x, _ = self.evidence(docs)
        weights = None
        if class_weight == "balanced":
            counts = np.bincount(y, minlength=3).astype(float)
            weights = [len(y) / (3.0 * c) if c else 0.0 for c in counts]
        elif class_weight is not None:
            raise ConfigError(f"class_weight must be 'balanced' or None, got {describe(class_weight)}.")
        self.model_ = fit_ordinal(x, y, l2=l2, class_weight=weights)
        return self

    # -- persistence ---------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {"medium_threshold": self.medium_threshold, "high_threshold": self.high_threshold,
                "rule_floors": self.rule_floors, "high_needs_cue": self.high_needs_cue, "cues": self.cues,
                "max_reasons": self.max_reasons}

    def save_weights(self, path: Path) -> None:
        import io

        from ..io import atomic_write_bytes

        if self.cues is not None:  # keep a custom lexicon with the model
            atomic_write_bytes(Path(path) / CUES_FILE, self.lexicon.path.read_bytes())
        buffer = io.BytesIO()
        np.savez(buffer, weights=self.model_.weights, cuts=self.model_.cuts,
                 features=np.array(FEATURES, dtype=np.str_))
        atomic_write_bytes(Path(path) / WEIGHTS_FILE, buffer.getvalue())

    def load_weights(self, path: Path) -> None:
        if self.cues is not None and (Path(path) / CUES_FILE).is_file():
            self.lexicon_ = CueLexicon(Path(path) / CUES_FILE)
        file = Path(path) / WEIGHTS_FILE
        if not file.is_file():  # the unfitted rule + prior model
            return
        with np.load(file, allow_pickle=False) as data:
            names = tuple(str(n) for n in data["features"])
            if names != FEATURES:
                raise ModelError(f"{file} was saved with features {list(names)}; this cxnlp expects "
                                 f"{list(FEATURES)}. Retrain it with cxnlp.risk.train_risk.")
            self.model_ = OrdinalModel(data["weights"].astype(np.float64), data["cuts"].astype(np.float64))
