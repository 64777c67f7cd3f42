"""A word CNN over Segmenter tokens, started from word vectors pretrained on unlabelled text.

The word vectors are PPMI + truncated SVD: co-occurrence counts within ``window`` words
(weighted by distance) over all the training texts plus any unlabelled texts, positive pointwise
mutual information with context-distribution smoothing, then the top ``dim`` singular vectors.
They initialise the embedding of a :class:`~cxnlp.sentiment.charcnn.ConvNet`, fine-tuned on the
labelled texts. Negation is visible to the network: each word's flag
(:func:`~cxnlp.sentiment.features.negation_flags`: outside a scope, inside one, a negator) has
an embedding of its own, added to the word's.

Training uses torch and scikit-learn (imported only in :func:`fit_word_cnn`); inference is plain numpy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .charcnn import INFERENCE_STEP, ConvNet, fit_conv_net
from .features import NEGATOR, SEPARATOR, negation_flags

#: Defaults of the ``word_cnn`` option of :class:`~cxnlp.sentiment.classifier.SentimentClassifier`.
DEFAULT_WORD_CNN: dict[str, Any] = {"weight": 0.5, "dim": 100, "filters": 128, "width": 3, "epochs": 4,
                                    "max_words": 100, "min_count": 3, "window": 5, "scope": 3,
                                    "lr": 2e-3, "dropout": 0.3}


@dataclass
class WordCNN:
    """A :class:`ConvNet` over words (id ``i + 1`` is ``terms[i]``, 0 unknown) and their negation flags."""

    terms: list[str]
    net: ConvNet
    max_words: int
    scope: int
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {t: i + 1 for i, t in enumerate(self.terms)}

    def logits(self, words: Sequence[Sequence[str]], batch_size: int = INFERENCE_STEP) -> np.ndarray:
        """The CNN's logit of each document, given its words."""
        ids, flags = encode_words(words, self.index, self.max_words, self.scope)
        return self.net.logits(ids, flags, batch_size=batch_size)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The arrays to save; the embedding as float16 (exact: :func:`fit_word_cnn` rounds it so)."""
        terms = np.frombuffer(SEPARATOR.join(self.terms).encode("utf-8"), dtype=np.uint8)
        return {**self.net.to_arrays("wcnn_"), "wcnn_embed": self.net.embed.astype(np.float16),
                "wcnn_terms_utf8": terms, "wcnn_max_words": np.array([self.max_words]),
                "wcnn_scope": np.array([self.scope])}

    @classmethod
    def from_arrays(cls, arrays: Any) -> WordCNN | None:
        """The word CNN stored in ``arrays`` (None when there is none)."""
        if "wcnn_terms_utf8" not in arrays:
            return None
        terms = arrays["wcnn_terms_utf8"].tobytes().decode("utf-8").split(SEPARATOR)
        return cls(terms, ConvNet.from_arrays(arrays, "wcnn_"), int(arrays["wcnn_max_words"][0]),
                   int(arrays["wcnn_scope"][0]))


def encode_words(docs: Sequence[Sequence[str]], index: dict[str, int], max_words: int,
                 scope: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Word ids (``index``, 0 unknown) and negation flags of each document, truncated to ``max_words``."""
    if not docs:
        return [], []
    get = index.get
    docs = [list(doc[:max_words]) or [""] for doc in docs]
    ends = np.cumsum([len(doc) for doc in docs])[:-1]
    ids = np.fromiter((get(w, 0) for doc in docs for w in doc), dtype=np.int64)
    flags = np.fromiter((f for doc in docs for f in negation_flags(doc, scope)), dtype=np.int64)
    return np.split(ids, ends), np.split(flags, ends)


def word_vectors(docs: Sequence[Sequence[str]], index: dict[str, int], window: int, dim: int,
                 seed: int) -> np.ndarray:
    """PPMI + truncated SVD vectors, ``(len(index) + 1, dim)``; row 0 (unknown) is zero.

    Pairs up to ``window`` words apart count ``(window - distance + 1) / window``; context
    probabilities are smoothed to the power 0.75 (Levy, Goldberg & Dagan 2015).
    """
    import scipy.sparse as sp
    from sklearn.utils.extmath import randomized_svd

    n = len(index) + 1
    ids = np.fromiter((index.get(w, 0) for doc in docs for w in [*doc, SEPARATOR]), dtype=np.int64)
    boundary = np.fromiter((w == SEPARATOR for doc in docs for w in [*doc, SEPARATOR]), dtype=bool)
    doc_of = np.cumsum(boundary) - boundary
    rows, cols, weights = [], [], []
    for distance in range(1, window + 1):
        left, right = ids[:-distance], ids[distance:]
        keep = (left > 0) & (right > 0) & (doc_of[:-distance] == doc_of[distance:])
        weight = np.full(int(keep.sum()), (window - distance + 1) / window)
        rows += [left[keep], right[keep]]
        cols += [right[keep], left[keep]]
        weights += [weight, weight]
    counts = sp.coo_matrix((np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))),
                           shape=(n, n)).tocsr().tocoo()
    total = counts.data.sum()
    word_p = np.asarray(counts.sum(axis=1)).ravel() / total
    context_p = np.asarray(counts.sum(axis=0)).ravel() ** 0.75
    context_p /= context_p.sum()
    pmi = np.log(counts.data / total) - np.log(word_p[counts.row]) - np.log(context_p[counts.col])
    positive = pmi > 0
    ppmi = sp.csr_matrix((pmi[positive], (counts.row[positive], counts.col[positive])), shape=(n, n))
    u, s, _ = randomized_svd(ppmi, min(dim, n - 1), n_iter=5, random_state=seed)
    vectors = np.zeros((n, dim))
    vectors[1:, : len(s)] = (u * np.sqrt(s))[1:]  # a vocabulary smaller than dim leaves columns at zero
    return vectors


def fit_word_cnn(words: Sequence[Sequence[str]], labels: np.ndarray, options: dict[str, Any], seed: int = 0,
                 unlabelled: Sequence[Sequence[str]] = ()) -> WordCNN:
    """Pretrain word vectors on ``words`` + ``unlabelled``, then train a :class:`WordCNN` on ``words``."""
    opts = {**DEFAULT_WORD_CNN, **options}
    corpus = [*words, *unlabelled]
    counts = Counter(w for doc in corpus for w in doc if w != SEPARATOR)
    terms = sorted((w for w, c in counts.items() if c >= opts["min_count"]), key=lambda w: (-counts[w], w))
    index = {t: i + 1 for i, t in enumerate(terms)}
    max_words, scope = int(opts["max_words"]), int(opts["scope"])
    vectors = word_vectors(corpus, index, int(opts["window"]), int(opts["dim"]), seed)
    ids, flags = encode_words(words, index, max_words, scope)
    net = fit_conv_net(ids, labels, len(terms), opts, seed, flags=flags, n_flags=NEGATOR + 1,
                       init_embed=0.5 * vectors / max(float(vectors[1:].std()), 1e-12))
    return WordCNN(terms, replace(net, embed=net.embed.astype(np.float16).astype(np.float32)), max_words, scope)
