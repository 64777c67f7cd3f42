"""The ``sentiment`` stage: negation-aware word + character TF-IDF, a linear ensemble, Platt calibration.

The model is one weight vector over the TF-IDF features: the sum of a logistic regression on
TF-IDF and one on naive-Bayes-scaled TF-IDF (NBSVM-style). With domains (the shipped model uses
its three training corpora) every feature also has one weight per domain, mixed by the
probabilities of a domain classifier over the same features ("frustratingly easy" domain
adaptation with soft domains), so a text from an unseen domain leans on the shared weights and
its nearest domains. Scores are Platt-calibrated on out-of-fold logits. Optionally a small
character CNN (:mod:`cxnlp.sentiment.charcnn`) and a word CNN started from word vectors
pretrained on unlabelled text (:mod:`cxnlp.sentiment.wordcnn`) add their weighted logits to the
calibrated one.

Inference is plain numpy: the vocabulary, IDF, coefficients and calibration live in
``weights.npz`` (no object arrays, loaded with ``allow_pickle=False``). Training uses
scikit-learn's logistic regression (and torch for the CNNs), imported only in
:meth:`SentimentClassifier.fit`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..doc import Document
from ..errors import ConfigError, ModelError, describe
from ..stage import register_stage
from .base import SentimentStage
from .charcnn import DEFAULT_CNN, CharCNN, fit_char_cnn
from .features import FeatureBatch, TfidfVocab, check_features, extract
from .rules import PolarityRule
from .wordcnn import DEFAULT_WORD_CNN, WordCNN, fit_word_cnn

WEIGHTS_FILE = "weights.npz"
VIEWS = ("tfidf", "nb")
#: Emoji read as the word they stand for: the training corpora hold almost none, so alone (👍👍)
#: they would score as an empty text. Left out: 😊 / 🙂 (often sarcastic in Chinese: 微笑) and 😭
#: (joy as often as grief).
EMOJI_WORDS: dict[str, str] = {
    **dict.fromkeys("👍👏👌💯", "赞"), "👎": "差评", **dict.fromkeys("😡😠🤬💢😤", "生气"),
    **dict.fromkeys("🤮🤢", "恶心"), **dict.fromkeys("😍🥰❤💕💖💗😘", "喜欢"),
    **dict.fromkeys("😄😁😀😃😆🥳🎉", "开心"), **dict.fromkeys("😞😔😢☹🙁💔😩😫", "失望"),
}
_EMOJI_TABLE = str.maketrans(EMOJI_WORDS)
_HAS_EMOJI = re.compile("[" + "".join(EMOJI_WORDS) + "]")
#: Runs of whitespace read as one space (a chat transcript's blanked agent turns leave long runs).
_SPACE_RUN = re.compile(r"\s{2,}")


def read_emoji(text: str) -> str:
    """``text`` with each emoji of :data:`EMOJI_WORDS` replaced by its word (好吃👍 -> 好吃赞)."""
    return text.translate(_EMOJI_TABLE) if _HAS_EMOJI.search(text) else text


def emoji_words(word: str) -> list[str]:
    """The words of the :data:`EMOJI_WORDS` emoji in ``word`` (an emoji token), in order."""
    return [EMOJI_WORDS[c] for c in word if c in EMOJI_WORDS]


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -35.0, 35.0)))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def quantize(weights: np.ndarray, bits: int) -> np.ndarray:
    """Round each row of ``weights`` to ``bits``-bit integer levels (32: float32 unchanged)."""
    weights = np.asarray(weights, dtype=np.float32)
    if bits >= 32:
        return weights
    scale = _scales(weights, bits)
    return (np.round(weights / scale) * scale).astype(np.float32)


def _scales(weights: np.ndarray, bits: int) -> np.ndarray:
    """Per-row powers of two: levels times scale are exact in float32, so saving round-trips exactly."""
    top = np.abs(weights).max(axis=1, keepdims=True).astype(np.float64)
    step = np.where(top > 0, top / (2 ** (bits - 1) - 1), 1.0)
    return np.exp2(np.ceil(np.log2(step))).astype(np.float32)


def nb_ratio(X: Any, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Log-count ratio log(P(feature|pos) / P(feature|neg)) of binarised features, smoothed by ``alpha``."""
    present = (X > 0).astype(np.float64)
    pos = np.asarray(present[y == 1].sum(axis=0)).ravel() + alpha
    neg = np.asarray(present[y == 0].sum(axis=0)).ravel() + alpha
    return np.log(pos / pos.sum()) - np.log(neg / neg.sum())


def _augment(X: Any, onehot: np.ndarray | None) -> Any:
    """``[X, X*1[domain=1], ..., X*1[domain=K]]`` (X itself without domains)."""
    if onehot is None:
        return X
    import scipy.sparse as sp

    return sp.hstack([X] + [sp.diags(onehot[:, k]) @ X for k in range(onehot.shape[1])]).tocsr()


def _row_dot(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """``X @ weights.T`` for X given as COO triplets: shape (n, len(weights))."""
    return np.stack([np.bincount(rows, weights=values * w[cols], minlength=n) for w in weights], axis=1)


@register_stage("sentiment")
class SentimentClassifier(SentimentStage):
    """Document polarity: ``doc.sentiment = Sentiment(label, score)``.

    ``score`` is the calibrated probability that the text is positive. ``label`` is
    ``positive`` when ``score >= 0.5`` and ``negative`` below, except that it is ``neutral``
    when (1) every clause is a no-opinion remark matched by ``no_opinion_patterns``
    (还没用，不知道怎么样 / 已收到 / 还没吃) or (2) ``neutral_band[0] < score < neutral_band[1]``
    (the model is unsure), and ``positive`` when every clause denies a problem, matched by
    ``negated_complaint_patterns`` (没问题 / 质量不差 / 用了一个月没出过问题) or endorses, matched by
    ``endorsement_patterns`` (推荐购买 / 回头客了 / 下次还会再来) or tells of a problem the business fixed,
    matched by ``resolution_patterns`` (报修后两个小时就修好了); the score is then raised to at least 0.8.
    See :mod:`cxnlp.sentiment.rules`.

    Args:
        features: feature families (see :mod:`cxnlp.sentiment.features`); defaults to all.
        C: inverse L2 regularisation strength of the logistic regression.
        min_df: keep features seen in at least this many training documents.
        max_terms: cap on the vocabulary size (most frequent kept); None for no cap.
        calibration_folds: folds of out-of-fold predictions used to fit Platt scaling
            (0 or 1: no calibration, the raw logistic output is the score).
        neutral_band: ``(low, high)`` score band labelled neutral; ``(0.5, 0.5)`` turns it off.
        no_opinion_patterns: regexes for no-opinion clauses; None for the defaults, ``[]`` off.
        negated_complaint_patterns: regexes for clauses that deny a problem; None for the
            defaults, ``[]`` off.
        endorsement_patterns: regexes for clauses that recommend or return; None for the
            defaults, ``[]`` off.
        resolution_patterns: regexes for clauses telling of a fix or a refund the business made;
            None for the defaults, ``[]`` off.
        views: linear models summed into the one weight vector: ``tfidf`` (logistic regression on
            TF-IDF) and ``nb`` (the same on naive-Bayes-scaled features, NBSVM-style).
        weight_bits: 8 stores weights as int8 levels (per-row scale; ~4x smaller files, the
            fitted model already uses the rounded weights so saving loses nothing); 32 keeps float32.
        cnn: options of a character CNN ensembled with the linear model (see
            :data:`cxnlp.sentiment.charcnn.DEFAULT_CNN`; ``weight`` scales its logit, added to the
            calibrated linear logit); None for the linear model alone. Training it needs torch.
        word_cnn: options of a word CNN ensembled the same way (see
            :data:`cxnlp.sentiment.wordcnn.DEFAULT_WORD_CNN`); None for none. Training it needs torch.
        seed: random seed of the calibration folds and the CNNs.

    Example:
        >>> nlp = cxnlp.load()
        >>> nlp("味道不错，但是送餐太慢了").sentiment.label
        'negative'
    """

    requires = ("tokens",)

    def __init__(
        self,
        features: dict[str, Any] | None = None,
        C: float = 4.0,
        min_df: int = 2,
        max_terms: int | None = None,
        calibration_folds: int = 3,
        neutral_band: Sequence[float] = (0.4, 0.6),
        no_opinion_patterns: Sequence[str] | None = None,
        negated_complaint_patterns: Sequence[str] | None = None,
        endorsement_patterns: Sequence[str] | None = None,
        resolution_patterns: Sequence[str] | None = None,
        views: Sequence[str] = ("tfidf", "nb"),
        weight_bits: int = 8,
        cnn: dict[str, Any] | None = None,
        word_cnn: dict[str, Any] | None = None,
        seed: int = 0,
    ) -> None:
        self.features = check_features(features)
        if isinstance(C, bool) or not isinstance(C, int | float) or C <= 0:
            raise ConfigError(f"C must be a positive number, got {describe(C)}.")
        self.C = float(C)
        self.min_df = int(min_df)
        self.max_terms = max_terms
        self.calibration_folds = int(calibration_folds)
        self.rule = PolarityRule(neutral_band, no_opinion_patterns, negated_complaint_patterns,
                                 endorsement_patterns, resolution_patterns)
        if weight_bits not in (8, 16, 32):
            raise ConfigError(f"weight_bits must be 8, 16 or 32, got {describe(weight_bits)}.")
        self.weight_bits = int(weight_bits)
        bad_views = [v for v in views if v not in VIEWS]
        if not views or bad_views or isinstance(views, str):
            raise ConfigError(f"views must be a non-empty list drawn from {list(VIEWS)}, got {describe(views)}.")
        self.views = list(views)
        self.cnn = _network_options("cnn", cnn, DEFAULT_CNN)
        self.word_cnn = _network_options("word_cnn", word_cnn, DEFAULT_WORD_CNN)
        self.seed = int(seed)
        self.cnn_: CharCNN | None = None
        self.word_cnn_: WordCNN | None = None
        self.vocab_: TfidfVocab | None = None
        self.coef_: np.ndarray | None = None
        self.intercept_: float = 0.0
        self.calibration_: np.ndarray = np.array([1.0, 0.0])
        self.domains_: list[str] = []
        self.domain_coef_: np.ndarray | None = None
        self.domain_intercept_: np.ndarray = np.zeros(0)
        self.meta_: dict[str, Any] = {}

    # -- features ------------------------------------------------------------
    def featurize(self, docs: Sequence[Document], texts: Sequence[str] | None = None) -> FeatureBatch:
        """Features of segmented documents (``texts``: their :meth:`_texts`, when already at hand)."""
        return extract(self._words(docs), self._texts(docs) if texts is None else texts, self.features)

    @staticmethod
    def _texts(docs: Sequence[Document]) -> list[str]:
        """The normalised texts, emoji read as words (see :func:`read_emoji`), whitespace runs as one space."""
        return [_SPACE_RUN.sub(" ", read_emoji(d.norm or d.text)) for d in docs]

    @staticmethod
    def _words(docs: Sequence[Document]) -> list[list[str]]:
        """The normalised words; an emoji token becomes the words its emoji stand for (👍👍 -> 赞 赞)."""
        return [d.words if not _HAS_EMOJI.search(d.norm or d.text) else
                [w for word in d.words for w in (emoji_words(word) or [word])] for d in docs]

    def _matrix(self, feats: FeatureBatch) -> Any:
        import scipy.sparse as sp

        assert self.vocab_ is not None
        rows, cols, values = self.vocab_.transform(feats)
        return sp.csr_matrix((values, (rows, cols)), shape=(feats.n, len(self.vocab_)))

    # -- training ------------------------------------------------------------
    def fit(
        self, docs: Sequence[Document], labels: Sequence[int], domains: Sequence[str] | None = None,
        unlabelled: Sequence[Document] = (),
    ) -> SentimentClassifier:
        """Fit on segmented documents and 0/1 labels (1 = positive).

        ``domains`` (one name per document, e.g. the product line) turns on domain adaptation:
        besides shared weights, each domain gets its own weights, and at inference a domain
        classifier's probabilities mix them, so texts from unseen sources fall back smoothly.
        ``unlabelled`` segmented documents only add to the text the word CNN's word vectors
        are pretrained on.
        """
        y = np.asarray(labels, dtype=np.int64)
        if len(docs) != len(y):
            raise ConfigError(f"fit() got {len(docs)} documents but {len(y)} labels.")
        if set(np.unique(y).tolist()) != {0, 1}:
            raise ConfigError(f"fit() needs labels 0 and 1 (both present), got {sorted(set(y.tolist()))}.")
        feats = self.featurize(docs)
        self.vocab_ = TfidfVocab.fit(feats, min_df=self.min_df, max_terms=self.max_terms)
        if len(self.vocab_) == 0:
            self.vocab_ = TfidfVocab.fit(feats, min_df=1, max_terms=self.max_terms)
        X = self._matrix(feats)
        onehot = self._fit_domains(X, domains, len(y))
        coef, self.intercept_ = self._fit_views(X, onehot, y)
        self.coef_ = quantize(coef.reshape(1 + len(self.domains_), -1), self.weight_bits)
        self.calibration_, oof = self._fit_calibration(X, onehot, y)
        self.cnn_ = fit_char_cnn(self._texts(docs), y, self.cnn, self.seed) if self.cnn is not None else None
        self.word_cnn_ = (fit_word_cnn(self._words(docs), y, self.word_cnn, self.seed,
                                       unlabelled=self._words(unlabelled))
                          if self.word_cnn is not None else None)
        self.meta_ = {"vocab_size": len(self.vocab_), "train_rows": int(len(y)), "domains": self.domains_}
        if oof is not None:
            self.meta_["cv_accuracy"] = round(float(np.mean((oof >= 0) == y)), 4)
        return self

    def _fit_views(self, X: Any, onehot: np.ndarray | None, y: np.ndarray) -> tuple[np.ndarray, float]:
        """Sum of the linear models of each view, as one coefficient vector over the augmented features.

        ``tfidf``: logistic regression on the TF-IDF rows. ``nb``: the same on rows scaled by the
        naive-Bayes log-count ratio of each feature (NBSVM-style); its weights times the ratio are
        again weights on TF-IDF rows, so the ensemble costs nothing at inference.
        """
        import scipy.sparse as sp

        Xa = _augment(X, onehot)
        coef = np.zeros(Xa.shape[1])
        intercept = 0.0
        for view in self.views:
            scale = np.tile(nb_ratio(X, y), Xa.shape[1] // X.shape[1]) if view == "nb" else None
            model = self._logistic().fit(Xa @ sp.diags(scale) if scale is not None else Xa, y)
            coef += model.coef_.ravel() * (scale if scale is not None else 1.0)
            intercept += float(model.intercept_[0])
        return coef, intercept

    def _fit_domains(self, X: Any, domains: Sequence[str] | None, n: int) -> np.ndarray | None:
        """Fit the domain classifier; the one-hot domain matrix of the training rows (None: no domains)."""
        self.domains_ = sorted({str(d) for d in domains}) if domains is not None else []
        self.domain_coef_ = None
        if domains is not None and len(domains) != n:
            raise ConfigError(f"fit() got {n} documents but {len(domains)} domains.")
        if len(self.domains_) < 2:
            self.domains_ = []
            return None
        from sklearn.linear_model import LogisticRegression

        index = {d: i for i, d in enumerate(self.domains_)}
        d = np.array([index[str(x)] for x in domains])  # type: ignore[union-attr]
        model = LogisticRegression(C=self.C, solver="lbfgs", max_iter=300, random_state=self.seed).fit(X, d)
        coef, intercept = model.coef_, model.intercept_
        if len(self.domains_) == 2:  # binary sklearn model: one row for class 1
            coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
        self.domain_coef_ = quantize(coef, self.weight_bits)
        self.domain_intercept_ = intercept.astype(np.float64)
        return np.eye(len(self.domains_))[d]

    def _logistic(self) -> Any:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, solver="liblinear", max_iter=1000, random_state=self.seed)

    def _fit_calibration(self, X: Any, onehot: np.ndarray | None, y: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Platt scaling ``sigmoid(a * logit + b)`` fitted on out-of-fold logits (returned too).

        With domains, the held-out fold uses its true domains (not the domain classifier's).
        """
        folds = min(self.calibration_folds, int(np.bincount(y).min()))
        if folds < 2:
            return np.array([1.0, 0.0]), None
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        oof = np.zeros(len(y))
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.seed)
        for train_idx, test_idx in splitter.split(np.zeros(len(y)), y):
            fold_hot = onehot[train_idx] if onehot is not None else None
            coef, intercept = self._fit_views(X[train_idx], fold_hot, y[train_idx])
            held_hot = onehot[test_idx] if onehot is not None else None
            oof[test_idx] = _augment(X[test_idx], held_hot) @ coef + intercept
        platt = LogisticRegression(C=1e4, solver="lbfgs").fit(oof.reshape(-1, 1), y)
        return np.array([float(platt.coef_[0, 0]), float(platt.intercept_[0])]), oof

    # -- inference -----------------------------------------------------------
    def _check_fitted(self) -> None:
        if self.vocab_ is None or self.coef_ is None:
            raise ModelError(
                "This SentimentClassifier has no weights: fit() it, train one with cxnlp.train_sentiment(...), "
                "or load a trained directory with SentimentClassifier.from_dir(path)."
            )

    def decision_function(self, docs: Sequence[Document], texts: Sequence[str] | None = None) -> np.ndarray:
        """Uncalibrated logits of the linear model for segmented documents (without the CNN)."""
        self._check_fitted()
        assert self.vocab_ is not None and self.coef_ is not None
        rows, cols, values = self.vocab_.transform(self.featurize(docs, texts))
        scores = _row_dot(rows, cols, values, self.coef_, len(docs))
        logits = scores[:, 0] + self.intercept_
        if self.domains_:
            assert self.domain_coef_ is not None
            probs = softmax(_row_dot(rows, cols, values, self.domain_coef_, len(docs)) + self.domain_intercept_)
            logits += np.sum(probs * scores[:, 1:], axis=1)
        return logits

    def domain_proba(self, docs: Sequence[Document]) -> np.ndarray:
        """P(domain) of each document, columns in ``domains_`` order (empty without domains)."""
        self._check_fitted()
        if not self.domains_:
            return np.zeros((len(docs), 0))
        assert self.vocab_ is not None and self.domain_coef_ is not None
        rows, cols, values = self.vocab_.transform(self.featurize(docs))
        return softmax(_row_dot(rows, cols, values, self.domain_coef_, len(docs)) + self.domain_intercept_)

    def member_logits(self, docs: Sequence[Document]) -> dict[str, np.ndarray]:
        """Unweighted logits of each fitted ensemble member: ``linear`` (calibrated), ``cnn``, ``word_cnn``."""
        a, b = self.calibration_
        texts = self._texts(docs)  # read by the linear model and the char CNN alike
        logits = {"linear": a * self.decision_function(docs, texts) + b}
        if self.cnn_ is not None:
            logits["cnn"] = self.cnn_.logits(texts)
        if self.word_cnn_ is not None:
            logits["word_cnn"] = self.word_cnn_.logits(self._words(docs))
        return logits

    def member_weights(self) -> dict[str, float]:
        """The weight of each ensemble member's logit in the score."""
        return {"linear": 1.0, "cnn": float((self.cnn or {}).get("weight", 0.0)),
                "word_cnn": float((self.word_cnn or {}).get("weight", 0.0))}

    def predict_proba(self, docs: Sequence[Document]) -> np.ndarray:
        """Calibrated P(positive) of segmented documents: the sigmoid of the weighted member logits."""
        weights = self.member_weights()
        return sigmoid(sum(weights[name] * logit for name, logit in self.member_logits(docs).items()))

    def doc_scores(self, docs: Sequence[Document]) -> np.ndarray:
        return self.predict_proba(docs)

    # -- persistence ---------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {
            "features": self.features, "C": self.C, "min_df": self.min_df, "max_terms": self.max_terms,
            "calibration_folds": self.calibration_folds, **self.rule_config(), "views": self.views,
            "weight_bits": self.weight_bits, "cnn": self.cnn, "word_cnn": self.word_cnn, "seed": self.seed,
        }

    def save_weights(self, path: Path) -> None:
        self._check_fitted()
        assert self.vocab_ is not None and self.coef_ is not None
        from ..io import atomic_open

        arrays = {**self.vocab_.to_arrays(), **_packed("coef", self.coef_, self.weight_bits),
                  "intercept": np.array([self.intercept_]), "calibration": self.calibration_.astype(np.float64),
                  "domains_utf8": np.frombuffer("\n".join(self.domains_).encode("utf-8"), dtype=np.uint8)}
        if self.domain_coef_ is not None:
            arrays.update(_packed("domain_coef", self.domain_coef_, self.weight_bits))
            arrays["domain_intercept"] = self.domain_intercept_
        for network in (self.cnn_, self.word_cnn_):
            if network is not None:
                arrays.update(network.to_arrays())
        with atomic_open(Path(path) / WEIGHTS_FILE, "wb", encoding=None) as f:
            np.savez_compressed(f, **arrays)

    def load_weights(self, path: Path) -> None:
        file = Path(path) / WEIGHTS_FILE
        if not file.is_file():
            raise ModelError(f"Missing {WEIGHTS_FILE} in {path}: not a trained sentiment model directory.")
        try:
            with np.load(file, allow_pickle=False) as arrays:
                self.vocab_ = TfidfVocab.from_arrays(arrays)
                self.coef_ = _unpacked(arrays, "coef")
                self.intercept_ = float(arrays["intercept"][0])
                self.calibration_ = arrays["calibration"].astype(np.float64)
                names = arrays["domains_utf8"].tobytes().decode("utf-8")
                self.domains_ = names.split("\n") if names else []
                if self.domains_:
                    self.domain_coef_ = _unpacked(arrays, "domain_coef")
                    self.domain_intercept_ = arrays["domain_intercept"].astype(np.float64)
                self.cnn_ = CharCNN.from_arrays(arrays)
                self.word_cnn_ = WordCNN.from_arrays(arrays)
        except (KeyError, ValueError, OSError) as e:
            raise ModelError(f"{file} is not a valid sentiment weights file: {e}.") from None
        if self.coef_.shape != (1 + len(self.domains_), len(self.vocab_)):
            raise ModelError(f"{file}: coefficients of shape {self.coef_.shape} do not fit "
                             f"{len(self.vocab_)} terms and {len(self.domains_)} domains.")


def _network_options(name: str, options: dict[str, Any] | None, defaults: dict[str, Any]) -> dict[str, Any] | None:
    """``options`` over ``defaults`` (None stays None); a non-dict or unknown keys raise ConfigError."""
    if options is None:
        return None
    if not isinstance(options, dict) or set(options) - set(defaults):
        raise ConfigError(f"{name} must be None or a dict with keys from {sorted(defaults)}, got {describe(options)}.")
    return {**defaults, **options}


def _packed(name: str, weights: np.ndarray, bits: int) -> dict[str, np.ndarray]:
    """Arrays storing ``weights``: float32, or integer levels plus per-row scales."""
    if bits >= 32:
        return {name: weights.astype(np.float32)}
    scale = _scales(weights, bits)
    dtype = np.int8 if bits == 8 else np.int16
    return {name + "_q": np.round(weights / scale).astype(dtype), name + "_scale": scale}


def _unpacked(arrays: Any, name: str) -> np.ndarray:
    if name in arrays:
        return arrays[name].astype(np.float32)
    return (arrays[name + "_q"].astype(np.float32) * arrays[name + "_scale"]).astype(np.float32)
