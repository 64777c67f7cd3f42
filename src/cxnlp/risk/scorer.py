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

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..doc import Document, Risk
from ..errors import ConfigError, ModelError, describe
from ..stage import Stage, register_stage
from .cues import DISSATISFACTION, HIGH_CATEGORIES, CueHit, CueLexicon
from .model import FEATURES, OrdinalModel, featurize
from .text_model import MIN_PER_SIDE, TextRiskModel

logger = logging.getLogger("cxnlp")

WEIGHTS_FILE = "risk_weights.npz"
TEXT_MODEL_FILE = "risk_text.npz"
CUES_FILE = "cues.json"
LEVEL_ORDER = ("low", "medium", "high")
#: Reasons shown per document, at most.
MAX_REASONS = 6
_SOFTENED = {"threat": "条件", "unrealised": "未发生", "resolved": "已解决"}
#: Reason heading for a document the text model raised to high.
TEXT_REASON = "高风险措辞"


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
        text_threshold: a ``medium`` document whose learned text model (:mod:`cxnlp.risk.text_model`,
            shipped in the default model, fitted by :meth:`fit`) gives P(high) at or above this
            becomes ``high``, with the n-grams behind it as a reason (``高风险措辞: 住一晚、跑了``).
            Lower it for recall, raise it for precision; None turns the text model off. A scorer
            without a text model (``RiskScorer()`` before fitting) ignores it.
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
        text_threshold: float | None = 0.5,
    ) -> None:
        for name, value in (("medium_threshold", medium_threshold), ("high_threshold", high_threshold),
                            ("text_threshold", text_threshold)):
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
        self.text_threshold = text_threshold
        self.model_ = OrdinalModel.prior()
        self.text_model_: TextRiskModel | None = None
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
        medium, high = self.thresholds
        ceiling = self.model_.default_thresholds()[1] - 1e-3
        scores = [self._rule_score(row, float(s), medium, high, ceiling)
                  for row, s in zip(x, self.model_.score(x), strict=True)]
        raised = self._text_raised(docs, scores, hits, medium, high)
        for i, (doc, doc_hits) in enumerate(zip(docs, hits, strict=True)):
            score, text_reason = scores[i], []
            if i in raised:
                score, terms = max(score, raised[i][0]), raised[i][1]
                text_reason = [f"{TEXT_REASON}: {'、'.join(terms) or '全文'}"]  # no single n-gram stands out
            score = round(min(1.0, max(0.0, score)), 4)
            doc.risk = Risk(self.level_of(score), score, self.reasons(doc, doc_hits, text_reason))

    def _rule_score(self, row: np.ndarray, score: float, medium: float, high: float, ceiling: float) -> float:
        """The combiner's score after the rule floors and the no-cue ceiling."""
        cue = bool(row[: len(HIGH_CATEGORIES)].any())
        if self.rule_floors:
            if cue:  # above the high floor, still ranked by the evidence
                floor = 0.5 * (1.0 + high)
                score = max(score, floor + (1.0 - floor) * score)
            elif row[FEATURES.index("threat")] > 0:
                score = max(score, 0.5 * (medium + high))
        if self.high_needs_cue and not cue:  # just below the model's own high cut point: a lower
            score = min(score, ceiling)       # high_threshold still flags more documents
        return score

    def _text_raised(self, docs: list[Document], scores: list[float], hits: list[list[CueHit]],
                     medium: float, high: float) -> dict[int, tuple[float, list[str]]]:
        """Score and n-grams of each ``medium`` document (score in [``medium``, ``high``), the thresholds
        in use) the text model puts at high, by position; the score lies between the high threshold and
        the explicit-cue floor, ranked by P(high).

        A document with a cue the lexicon judged not to count (negated, a threat on a condition,
        a near miss, resolved, a policy) is left alone: 差点就退货了，还好客服解决了 stays below high
        however much 退货 weighs in the n-grams.
        """
        if self.text_model_ is None or self.text_threshold is None:
            return {}
        todo = [i for i, s in enumerate(scores) if medium <= s < high
                and not any(h.category in HIGH_CATEGORIES and h.status != "active" for h in hits[i])]
        t, floor = self.text_threshold, 0.5 * (1.0 + high)
        found = self.text_model_.high_evidence([docs[i] for i in todo], t)
        return {todo[j]: (high + 1e-4 + (floor - high - 1e-4) * (p - t) / (1.0 - t), terms)
                for j, (p, terms) in found.items()}

    def reasons(self, doc: Document, hits: list[CueHit], first: Sequence[str] = ()) -> list[str]:
        """Short Chinese evidence strings, strongest first (``first`` before all), without repeats."""
        found: list[str] = list(first)
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
            class_weight: str | None = "balanced", text_model: bool = True) -> RiskScorer:
        """Fit the combiner on analysed documents (segment, and sentiment/aspects if used) and levels,
        and the text model too (``text_model``) when there are enough ``high`` and other documents."""
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
        if text_model:
            self.fit_text(docs, levels)
        return self

    def fit_text(self, docs: list[Document], levels: list[str]) -> RiskScorer:
        """Fit only the text model (the combiner stays as it is); none when there are fewer than
        :data:`~cxnlp.risk.text_model.MIN_PER_SIDE` ``high`` or other documents."""
        high = sum(level == "high" for level in levels)
        self.text_model_ = None
        if min(high, len(levels) - high) >= MIN_PER_SIDE:
            self.text_model_ = TextRiskModel.fit(docs, [level == "high" for level in levels])
        else:
            logger.warning("RiskScorer.fit_text: no text model (needs %d high and %d other documents, got %d and %d).",
                           MIN_PER_SIDE, MIN_PER_SIDE, high, len(levels) - high)
        return self

    # -- persistence ---------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {"medium_threshold": self.medium_threshold, "high_threshold": self.high_threshold,
                "rule_floors": self.rule_floors, "high_needs_cue": self.high_needs_cue, "cues": self.cues,
                "max_reasons": self.max_reasons, "text_threshold": self.text_threshold}

    def save_weights(self, path: Path) -> None:
        import io

        from ..io import atomic_write_bytes

        if self.cues is not None:  # keep a custom lexicon with the model
            atomic_write_bytes(Path(path) / CUES_FILE, self.lexicon.path.read_bytes())
        buffer = io.BytesIO()
        np.savez(buffer, weights=self.model_.weights, cuts=self.model_.cuts,
                 features=np.array(FEATURES, dtype=np.str_))
        atomic_write_bytes(Path(path) / WEIGHTS_FILE, buffer.getvalue())
        text_file = Path(path) / TEXT_MODEL_FILE
        if self.text_model_ is not None:
            buffer = io.BytesIO()
            np.savez(buffer, **self.text_model_.to_arrays())
            atomic_write_bytes(text_file, buffer.getvalue())
        elif text_file.is_file():  # not another model's left-over
            text_file.unlink()

    def load_weights(self, path: Path) -> None:
        if self.cues is not None and (Path(path) / CUES_FILE).is_file():
            self.lexicon_ = CueLexicon(Path(path) / CUES_FILE)
        text_file = Path(path) / TEXT_MODEL_FILE
        if text_file.is_file():
            with np.load(text_file, allow_pickle=False) as arrays:
                self.text_model_ = TextRiskModel.from_arrays(arrays)
        file = Path(path) / WEIGHTS_FILE
        if not file.is_file():  # the unfitted rule + prior model
            return
        with np.load(file, allow_pickle=False) as data:
            names = tuple(str(n) for n in data["features"])
            if names != FEATURES:
                raise ModelError(f"{file} was saved with features {list(names)}; this cxnlp expects "
                                 f"{list(FEATURES)}. Retrain it with cxnlp.risk.train_risk.")
            self.model_ = OrdinalModel(data["weights"].astype(np.float64), data["cuts"].astype(np.float64))
