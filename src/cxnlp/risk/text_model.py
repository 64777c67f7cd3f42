"""A learned second opinion on ``high``: P(high | text) from word and character n-grams.

The cue lexicon is precise, but leaving, warning and fraud are said in a long tail of ways
(住了一晚就跑了, 照片与实物不符, 谁订谁知道) that no list of phrases keeps up with. This
logistic model, fitted on labelled feedback, reads the same negation-aware word and
character n-gram features as the sentiment classifier (:mod:`cxnlp.sentiment.features`).
The scorer only lets it raise a ``medium`` document to ``high`` (see ``RiskScorer.text_threshold``):
explicit cues, negation and hypotheticals stay the lexicon's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..doc import Document
from ..errors import DataError
from ..sentiment.features import CODE_BITS, FeatureBatch, TfidfVocab, check_features, extract

#: Fewest documents of each side (high / not high) needed to fit.
MIN_PER_SIDE = 10


def featurize(docs: Sequence[Document], options: dict[str, Any]) -> FeatureBatch:
    """Features of segmented documents: their normalised words and text."""
    return extract([d.words for d in docs], [d.norm or d.text for d in docs], options)


def readable(term: str | int) -> str:
    """A vocabulary entry as text: a word feature's word(s), or a character key's characters."""
    if isinstance(term, str):  # "w退房", "n好" (in a negation's scope), "bw不会|w再" (a word pair)
        body = term[1:]
        return "".join(part[1:] for part in body.split("|")) if term[0] == "b" else body
    mask = (1 << CODE_BITS) - 1
    chars = []
    while term:
        chars.append(chr(term & mask))
        term >>= CODE_BITS
    return "".join(reversed(chars))


class TextRiskModel:
    """Logistic P(high) over TF-IDF word and character n-grams.

    Stored as arrays only (``to_arrays`` / ``from_arrays``); inference needs numpy alone.
    """

    def __init__(self, vocab: TfidfVocab, coef: np.ndarray, intercept: float,
                 options: dict[str, Any] | None = None) -> None:
        self.vocab = vocab
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = float(intercept)
        self.options = check_features(options)

    @classmethod
    def fit(cls, docs: Sequence[Document], is_high: Sequence[bool], C: float = 4.0, min_df: int = 2,
            options: dict[str, Any] | None = None) -> TextRiskModel:
        """Fit on segmented documents, classes balanced (``high`` is the rarer side); ``options`` are
        feature families as in :data:`cxnlp.sentiment.features.DEFAULT_FEATURES` (None: those defaults)."""
        import scipy.sparse as sp
        from sklearn.linear_model import LogisticRegression

        y = np.asarray(is_high, dtype=bool)
        if len(y) != len(docs):
            raise DataError(f"Got {len(docs)} documents but {len(y)} labels.")
        if min(int(y.sum()), int((~y).sum())) < MIN_PER_SIDE:
            raise DataError(f"The text model needs at least {MIN_PER_SIDE} high and {MIN_PER_SIDE} other "
                            f"documents, got {int(y.sum())} and {int((~y).sum())}.")
        options = check_features(options)
        batch = featurize(docs, options)
        vocab = TfidfVocab.fit(batch, min_df=min_df)
        rows, cols, values = vocab.transform(batch)
        x = sp.csr_matrix((values, (rows, cols)), shape=(batch.n, len(vocab)))
        model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x, y)
        return cls(vocab, model.coef_[0], float(model.intercept_[0]), options)

    def _contributions(self, docs: Sequence[Document]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(row, column, value × weight)`` of the documents' features, sorted by row."""
        rows, cols, values = self.vocab.transform(featurize(docs, self.options))
        return rows, cols, values * self.coef[cols]

    def _probabilities(self, rows: np.ndarray, parts: np.ndarray, n: int) -> np.ndarray:
        z = np.bincount(rows, weights=parts, minlength=n) + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0)))

    def predict_proba(self, docs: Sequence[Document]) -> np.ndarray:
        """P(high) of each document."""
        if not docs:
            return np.zeros(0)
        rows, _, parts = self._contributions(docs)
        return self._probabilities(rows, parts, len(docs))

    def high_evidence(self, docs: Sequence[Document], threshold: float, k: int = 3) -> dict[int, tuple[float, list[str]]]:
        """P(high) and :meth:`top_terms` of the documents at or above ``threshold``, by position."""
        if not docs:
            return {}
        rows, cols, parts = self._contributions(docs)
        p = self._probabilities(rows, parts, len(docs))
        bounds = np.searchsorted(rows, np.arange(len(docs) + 1))
        return {i: (float(p[i]), self._ranked_terms(cols[bounds[i]:bounds[i + 1]], parts[bounds[i]:bounds[i + 1]], k))
                for i in np.flatnonzero(p >= threshold).tolist()}

    def top_terms(self, doc: Document, k: int = 3) -> list[str]:
        """The ``k`` n-grams of ``doc`` that push hardest towards ``high``: words (and word pairs) of two
        characters or more first, then character n-grams, single characters last; a term inside a
        chosen one is skipped."""
        _, cols, parts = self._contributions([doc])
        return self._ranked_terms(cols, parts, k)

    def _ranked_terms(self, cols: np.ndarray, parts: np.ndarray, k: int) -> list[str]:
        n_words = len(self.vocab.terms)
        ranked: list[tuple[int, str]] = []  # (kind, text) by falling contribution
        for i in np.argsort(-parts, kind="stable"):
            if parts[i] <= 0:
                break
            col = int(cols[i])
            text = readable(self.vocab.terms[col] if col < n_words else int(self.vocab.char_keys[col - n_words]))
            if text.isalnum():  # not an n-gram across punctuation or spaces
                ranked.append((2 if len(text) == 1 else 0 if col < n_words else 1, text))
        terms: list[str] = []
        for _, text in sorted(ranked, key=lambda kind_text: kind_text[0]):
            if len(terms) < k and not any(text in t or t in text for t in terms):
                terms.append(text)
        return terms

    def to_arrays(self) -> dict[str, np.ndarray]:
        span = self.options["char_ngrams"] or [0, 0]
        flags = [self.options[f] for f in ("words", "bigrams", "negation", "contrast", "lexicon")]
        return {**self.vocab.to_arrays(), "coef": self.coef, "intercept": np.array([self.intercept]),
                "char_ngrams": np.array(span, dtype=np.int64), "scope": np.array([self.options["scope"]]),
                "flags": np.array(flags, dtype=bool)}

    @classmethod
    def from_arrays(cls, arrays: Any) -> TextRiskModel:
        span = [int(n) for n in arrays["char_ngrams"]]
        flags = dict(zip(("words", "bigrams", "negation", "contrast", "lexicon"),
                         (bool(f) for f in arrays["flags"]), strict=True))
        options = {**flags, "char_ngrams": span if span[0] else None, "scope": int(arrays["scope"][0])}
        return cls(TfidfVocab.from_arrays(arrays), arrays["coef"], float(arrays["intercept"][0]), options)
