"""Negation-aware word + character features and a fixed-vocabulary TF-IDF stored as arrays.

Two kinds of features, both looked up in a fixed vocabulary learned at training time:

* **character 1..3-grams** of the normalised text (whitespace and control characters folded to
  one space), computed with numpy for a whole batch: each n-gram is an integer key, the code
  points packed 21 bits apiece, and looked up by binary search in a sorted key array;
* **word features**, strings starting with a one-letter family:
  ``w`` words outside a negation scope; ``n`` words inside one (不 **好吃** -> ``n好吃``), so the
  weight learned for 好吃 is never applied to 不好吃; ``b`` word bigrams (``w1|w2``) with the same
  marking; ``t`` (optional, off by default: it did not help on dev) words after the last contrast
  connective (但是, 不过, 就是 ...); ``L`` (optional) one feature per word of a small seed lexicon:
  ``L+`` / ``L-`` for a positive / negative word, ``L+~`` / ``L-~`` for one inside a negation scope.

A negation scope opens at a negator token (不, 没有, 不是, 无法 ...) and covers the next
``scope`` tokens, closing early at punctuation or a contrast connective.

:class:`TfidfVocab` applies sublinear TF, IDF and L2 normalisation with plain numpy, so that
training (scipy/sklearn) and inference (numpy only) use exactly the same numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import ConfigError, describe

#: Tokens that open a negation scope.
NEGATORS: frozenset[str] = frozenset(
    "不 没 没有 无 非 未 别 不是 并不 并非 从不 从没 从未 绝不 毫无 无法 不太 不够 不怎么 不算 不会 "
    "不能 没什么 根本不 不再 再也不 一点也不 一点都不 不大 不甚 甭 勿 莫 算不上 谈不上 称不上".split()
)
#: Connectives after which the following clause(s) carry the verdict.
CONTRAST: frozenset[str] = frozenset("但是 但 不过 可是 然而 只是 就是 却 可惜 无奈 偏偏 反而".split())
#: A small hand-written seed lexicon (cxnlp's own): evidence that generalises beyond the training domains.
POSITIVE_WORDS: frozenset[str] = frozenset(
    "好 很好 不错 满意 喜欢 推荐 值得 赞 棒 好吃 好用 好看 好评 干净 舒服 舒适 方便 快 很快 及时 准时 热情 "
    "耐心 周到 贴心 专业 清晰 流畅 稳定 划算 实惠 便宜 精美 新鲜 美味 正宗 可口 完美 优秀 给力 靠谱 省心 "
    "放心 惊喜 漂亮 安静 宽敞 结实 耐用 高效 快捷 顺利 友好 细心 合适 超值 物美价廉 性价比高 五星 好喝 "
    "喜爱 感谢 谢谢 满分 点赞 不错的 挺好 还行 可以 值 优惠 清爽 香 嫩".split()
)
NEGATIVE_WORDS: frozenset[str] = frozenset(
    "差 很差 太差 不好 失望 垃圾 难吃 难用 难看 差评 脏 慢 太慢 很慢 贵 太贵 坑 骗 骗人 恶心 糟糕 烂 "
    "破 坏 坏了 退货 退款 投诉 后悔 问题 毛病 故障 卡 卡顿 死机 闪退 掉线 断线 发热 发烫 异味 异响 噪音 "
    "吵 冷 凉 咸 淡 油腻 变质 馊 过期 假货 敷衍 冷漠 恶劣 粗鲁 态度差 不满 生气 无语 郁闷 可惜 麻烦 "
    "折腾 浪费 不值 不行 一般 差劲 忽悠 扣费 乱收费 延迟 漏 破损 少 缺 错 慢吞吞 拖延 再也不".split()
)
_PUNCT = re.compile(r"^[\s\W_]+$")
_BLANK = re.compile(r"[\s\x00-\x1f\x7f]+")
SEPARATOR = "\n"
#: Values of :func:`negation_flags` (also the rows of the word CNN's flag embedding).
OUTSIDE, IN_SCOPE, NEGATOR = 0, 1, 2
#: Values of :func:`word_kind`.
PLAIN, PUNCTUATION, CONNECTIVE, NEGATING = 0, 1, 2, 3
CODE_BITS = 21  # every Unicode code point fits in 21 bits; three of them in a uint64
MAX_CHAR_N = 3

#: Feature families and their defaults (stored in a model's config).
DEFAULT_FEATURES: dict[str, Any] = {
    "char_ngrams": [1, 3],
    "words": True,
    "bigrams": True,
    "negation": True,
    "scope": 3,
    "contrast": False,
    "lexicon": False,
}


def check_features(options: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults filled in; unknown names or a bad n-gram range raise ConfigError."""
    unknown = set(options or {}) - set(DEFAULT_FEATURES)
    if unknown:
        raise ConfigError(f"Unknown feature options {sorted(unknown)}; known: {sorted(DEFAULT_FEATURES)}.")
    merged = {**DEFAULT_FEATURES, **(options or {})}
    span = merged["char_ngrams"]
    if span:
        if (not isinstance(span, list | tuple) or len(span) != 2
                or not all(isinstance(n, int) for n in span) or not 1 <= span[0] <= span[1] <= MAX_CHAR_N):
            raise ConfigError(f"char_ngrams must be [low, high] with 1 <= low <= high <= {MAX_CHAR_N} "
                              f"(or null for none), got {describe(span)}.")
        merged["char_ngrams"] = [int(span[0]), int(span[1])]
    return merged


@lru_cache(maxsize=1 << 17)
def word_kind(word: str) -> int:
    """``PUNCTUATION``, ``CONNECTIVE`` (contrast), ``NEGATING`` (a negator) or ``PLAIN`` (cached)."""
    if _PUNCT.match(word):
        return PUNCTUATION
    return CONNECTIVE if word in CONTRAST else NEGATING if word in NEGATORS else PLAIN


def negation_flags(words: Sequence[str], scope: int) -> list[int]:
    """Per word: ``IN_SCOPE`` inside a negation scope, else ``NEGATOR`` for a negator, else ``OUTSIDE``.

    A scope opens after a negator and covers the next ``scope`` words, closing early at
    punctuation or a contrast connective (both always ``OUTSIDE``).
    """
    return _scope_flags([word_kind(w) for w in words], scope)


def _scope_flags(kinds: Sequence[int], scope: int) -> list[int]:
    """:func:`negation_flags` from the words' :func:`word_kind`."""
    flags: list[int] = []
    left = 0
    for kind in kinds:
        if kind == PUNCTUATION or kind == CONNECTIVE:
            flags.append(OUTSIDE)
            left = 0
            continue
        flags.append(IN_SCOPE if left > 0 else NEGATOR if kind == NEGATING else OUTSIDE)
        left -= 1
        if kind == NEGATING:
            left = scope
    return flags


def word_features(words: Sequence[str], options: dict[str, Any]) -> list[str]:
    """Word-level feature strings of one document's normalised words."""
    if not (options.get("words") or options.get("bigrams") or options.get("contrast") or options.get("lexicon")):
        return []
    kinds = [word_kind(w) for w in words]
    flags = _scope_flags(kinds, int(options.get("scope", 3))) if options.get("negation", True) else None
    marked: list[str] = []  # word with its family letter, "" at punctuation
    last_contrast = -1
    for i, (w, kind) in enumerate(zip(words, kinds)):
        if kind == PUNCTUATION:
            marked.append("")
            continue
        if kind == CONNECTIVE:
            last_contrast = len(marked)
        marked.append(("n" if flags is not None and flags[i] == IN_SCOPE else "w") + w)
    feats = [m for m in marked if m] if options.get("words", True) else []
    if options.get("bigrams", True):
        feats.extend("b" + a + "|" + b for a, b in zip(marked, marked[1:]) if a and b)
    if options.get("contrast", False) and last_contrast >= 0:
        feats.extend("t" + m[1:] for m in marked[last_contrast + 1:] if m)
    if options.get("lexicon", False):
        for m in marked:
            sign = "+" if m[1:] in POSITIVE_WORDS else "-" if m[1:] in NEGATIVE_WORDS else ""
            if sign:
                feats.append("L" + sign + ("~" if m[0] == "n" else ""))
    return feats


def char_ngram_keys(texts: Sequence[str], span: Sequence[int] | None) -> tuple[np.ndarray, np.ndarray]:
    """``(row, key)`` of every character n-gram of ``texts`` (n in ``span``), as int64 / uint64 arrays.

    Keys are distinct for distinct n-grams: code 0 never occurs (control characters fold to a
    space), so a shorter n-gram's key is always below 2**(21*(n-1)).
    """
    if not span or not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    joined = "\x00".join(_BLANK.sub(" ", t) for t in texts) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    ends = codes == 0
    doc = np.cumsum(ends) - ends  # document index of each position
    rows, keys = [], []
    for n in range(span[0], span[1] + 1):
        size = len(codes) - n + 1
        key = codes[:size].copy()
        valid = ~ends[:size]
        for k in range(1, n):
            key = (key << np.uint64(CODE_BITS)) | codes[k:k + size]
            valid &= ~ends[k:k + size]
        rows.append(doc[:size][valid])
        keys.append(key[valid])
    return np.concatenate(rows).astype(np.int64), np.concatenate(keys)


def char_key(ngram: str) -> int:
    """The integer key of one character n-gram (for inspection and tests)."""
    key = 0
    for ch in ngram:
        key = (key << CODE_BITS) | ord(ch)
    return key


@dataclass
class FeatureBatch:
    """The features of a batch of documents: word feature strings and character n-gram keys."""

    words: list[list[str]]
    char_rows: np.ndarray
    char_keys: np.ndarray

    @property
    def n(self) -> int:
        return len(self.words)


def extract(words: Sequence[Sequence[str]], norms: Sequence[str], options: dict[str, Any]) -> FeatureBatch:
    """Features of documents given their normalised words and normalised texts."""
    rows, keys = char_ngram_keys(norms, options.get("char_ngrams"))
    return FeatureBatch([word_features(w, options) for w in words], rows, keys)


class TfidfVocab:
    """Fixed vocabulary + IDF: word terms (columns ``0..W-1``) then sorted character keys.

    Stored as arrays only: the word terms as one separator-joined UTF-8 string, the character
    keys as uint64, the IDF as float32.
    """

    def __init__(self, terms: Sequence[str], char_keys: np.ndarray, idf: np.ndarray) -> None:
        # a tuple of strings, which Python's garbage collector stops tracking: every full collection
        # walks a list (250,000 items here: half the cost of a collection with the pipeline loaded)
        self.terms = tuple(terms)
        self.index: dict[str, int] = {t: i for i, t in enumerate(terms)}
        self.char_keys = np.asarray(char_keys, dtype=np.uint64)
        self.idf = np.asarray(idf, dtype=np.float32)

    @classmethod
    def fit(cls, batch: FeatureBatch, min_df: int = 2, max_terms: int | None = None) -> TfidfVocab:
        """Keep features seen in at least ``min_df`` documents (at most ``max_terms``, most frequent first)."""
        df: Counter[str] = Counter()
        for feats in batch.words:
            df.update(set(feats))
        words = [(t, c) for t, c in df.items() if c >= min_df and SEPARATOR not in t]
        words.sort(key=lambda tc: (-tc[1], tc[0]))
        pairs = np.unique(np.stack([batch.char_rows.astype(np.uint64), batch.char_keys]), axis=1)
        keys, counts = np.unique(pairs[1], return_counts=True)
        keep = counts >= min_df
        keys, counts = keys[keep], counts[keep]
        if max_terms is not None and len(words) + len(keys) > max_terms:
            n_words = len(words)
            all_counts = np.concatenate([np.array([c for _, c in words], dtype=np.int64), counts])
            order = np.argsort(-all_counts, kind="stable")[:max_terms]
            words = [words[i] for i in np.sort(order[order < n_words])]
            chosen = np.sort(order[order >= n_words] - n_words)
            keys, counts = keys[chosen], counts[chosen]
        df_all = np.concatenate([np.array([c for _, c in words], dtype=np.float64), counts.astype(np.float64)])
        idf = np.log((1.0 + batch.n) / (1.0 + df_all)) + 1.0
        return cls([t for t, _ in words], keys, idf)

    def __len__(self) -> int:
        return len(self.terms) + len(self.char_keys)

    def transform(self, batch: FeatureBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """COO triplets ``(row, col, value)`` of the TF-IDF matrix, rows L2-normalised."""
        get = self.index.get
        cols_per_doc = [[j for j in map(get, feats) if j is not None] for feats in batch.words]
        lengths = np.fromiter((len(c) for c in cols_per_doc), dtype=np.int64, count=batch.n)
        word_cols = np.fromiter((j for c in cols_per_doc for j in c), dtype=np.int64, count=int(lengths.sum()))
        word_rows = np.repeat(np.arange(batch.n, dtype=np.int64), lengths)
        char_rows, char_cols = self._char_columns(batch)
        rows = np.concatenate([word_rows, char_rows])
        cols = np.concatenate([word_cols, char_cols])
        width = max(len(self), 1)
        keys, counts = np.unique(rows * width + cols, return_counts=True)
        rows, cols = keys // width, keys % width
        values = (1.0 + np.log(counts)) * self.idf[cols]
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=batch.n))
        values = values / np.where(norms > 0, norms, 1.0)[rows]
        return rows, cols, values.astype(np.float32)

    def _char_columns(self, batch: FeatureBatch) -> tuple[np.ndarray, np.ndarray]:
        if not len(self.char_keys) or not len(batch.char_keys):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        order = np.argsort(batch.char_keys)  # sorted queries search the vocabulary ~4x faster
        keys = batch.char_keys[order]
        pos = np.minimum(np.searchsorted(self.char_keys, keys), len(self.char_keys) - 1)
        found = self.char_keys[pos] == keys
        return batch.char_rows[order[found]], pos[found].astype(np.int64) + len(self.terms)

    def to_arrays(self) -> dict[str, np.ndarray]:
        data = SEPARATOR.join(self.terms).encode("utf-8")
        return {"vocab_utf8": np.frombuffer(data, dtype=np.uint8), "char_keys": self.char_keys, "idf": self.idf}

    @classmethod
    def from_arrays(cls, arrays: Any) -> TfidfVocab:
        text = arrays["vocab_utf8"].tobytes().decode("utf-8")
        return cls(text.split(SEPARATOR) if text else [], arrays["char_keys"], arrays["idf"])
