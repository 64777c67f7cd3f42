"""Features: hashed character-window n-grams for the tagger, hashed strings for the rest.

The tagger's features are computed for all characters at once with numpy: each template
(a character at an offset, a character bigram, the covering word, distance to the clause
edge, ...) is hashed arithmetically from Unicode code points and word CRC32s into
``2**bits`` buckets, so scoring is a gather-and-sum over a weight array. Clause, start and
polarity features are strings, hashed by :class:`Hasher` with MurmurHash3 into the columns
scikit-learn's ``FeatureHasher`` gives (so models trained with it still load), vectorised in
numpy so that inference imports neither scikit-learn nor scipy (about 1 s of import time and
100,000 objects every full garbage collection walks). Both hashes are stable across runs and
versions, so a saved model is a plain weight array.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from itertools import chain

import numpy as np

#: Characters that end a clause (a superset of the segment stage's clause breaks).
BREAKS = frozenset("，,。!！?？;；：:、…~～\n\r\t ")
#: Characters that end a sentence.
SENTENCE_ENDS = frozenset("。!！?？;；\n")


_MIX = np.uint64(0x9E3779B97F4A7C15)
_BREAK_CODES = np.array(sorted(ord(c) for c in BREAKS), dtype=np.int64)
_PAD_LEFT, _PAD_RIGHT = 1, 2
_SEPARATOR = np.array([_PAD_RIGHT, _PAD_RIGHT, _PAD_LEFT, _PAD_LEFT], dtype=np.int64)


def _mix(template: int, *parts: np.ndarray) -> np.ndarray:
    """Hash a feature template number and integer arrays into one 64-bit value per position."""
    h = np.full(parts[0].shape, 0x2545F4914F6CDD1D + template, dtype=np.uint64)
    for part in parts:
        h ^= part.astype(np.uint64, copy=False)
        h *= _MIX
        h ^= h >> np.uint64(29)
    return h


def char_classes(codes: np.ndarray) -> np.ndarray:
    """0 punctuation, 1 digit, 2 latin, 3 han, 4 other."""
    out = np.full(codes.shape, 4, dtype=np.int64)
    out[(codes >= 0x4E00) & (codes <= 0x9FFF)] = 3
    out[((codes >= 65) & (codes <= 90)) | ((codes >= 97) & (codes <= 122))] = 2
    out[(codes >= 48) & (codes <= 57)] = 1
    out[np.isin(codes, _BREAK_CODES)] = 0
    return out


def word_context(classes: np.ndarray, unit_sizes: Sequence[int], opinion_classes: frozenset[int]) -> np.ndarray:
    """Per word, given the word classes of consecutive units (breaks are class 7): the class of the
    previous word, of the next, of the one after (8 past a unit's edge), and 1 if an opinion word
    follows later in the same clause; shape ``(words, 4)``."""
    n = len(classes)
    index = np.arange(n)
    sizes = np.asarray(unit_sizes, dtype=np.int64)
    unit_end = np.repeat(np.cumsum(sizes), sizes)  # one past each word's unit
    after = unit_end - index - 1  # words after each word in its unit
    before = index - (unit_end - np.repeat(sizes, sizes))
    out = np.full((n, 4), 8, dtype=np.int64)
    out[before > 0, 0] = classes[index[before > 0] - 1]
    out[after > 0, 1] = classes[index[after > 0] + 1]
    out[after > 1, 2] = classes[index[after > 1] + 2]
    # later: the first break-or-opinion word after each word (in its unit) is an opinion word
    opinion = np.isin(classes, list(opinion_classes))
    marked = np.where(opinion | (classes == 7), index, n)
    next_marked = np.append(np.minimum.accumulate(marked[::-1])[::-1], n)[index + 1]
    out[:, 3] = (next_marked < unit_end) & np.append(opinion, False)[next_marked]
    return out


def char_feature_ids(units: Sequence[tuple[str, Sequence[tuple[int, int, str]]]], bits: int,
                     classify: Callable[[str], int] | None = None,
                     opinion_classes: frozenset[int] = frozenset()) -> np.ndarray:
    """Hashed feature ids, shape ``(total characters, N_CHAR_FEATURES)``, of every character of
    every ``(text, words)`` unit, in order (words as ``(start, end, text[start:end])``). All units are
    featurised in one numpy pass.
    ``classify`` maps a word to a small lexical class (see :func:`word_context`)."""
    # units are laid end to end, each followed by [R, R, L, L] so that windows never cross units
    codes_parts: list[np.ndarray] = []
    word_texts: list[str] = []
    word_starts: list[int] = []
    word_ends: list[int] = []
    unit_sizes: list[int] = []
    offset = 0
    separators: list[int] = []
    for text, words in units:
        codes_parts.append(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64))
        codes_parts.append(_SEPARATOR)
        word_texts += [w for _, _, w in words]
        word_starts += [offset + s for s, _, _ in words]
        word_ends += [offset + e for _, e, _ in words]
        unit_sizes.append(len(words))
        separators.append(offset + len(text))
        offset += len(text) + len(_SEPARATOR)
    if offset == 0:
        return np.zeros((0, N_CHAR_FEATURES), dtype=np.int64)
    codes = np.concatenate(codes_parts)
    n = len(codes)
    keep = np.ones(n, dtype=bool)
    keep[(np.array(separators)[:, None] + np.arange(len(_SEPARATOR))).ravel()] = False
    padded = np.concatenate([[_PAD_LEFT, _PAD_LEFT], codes, [_PAD_RIGHT, _PAD_RIGHT]])
    c = [padded[k:k + n] for k in range(5)]  # offsets -2..+2
    own = codes + (1 << 33)  # characters outside any word stand for themselves
    prev_w = np.full(n, 5, dtype=np.int64)
    next_w = np.full(n, 6, dtype=np.int64)
    position = np.full(n, 3, dtype=np.int64)  # B 0, M 1, E 2, S 3
    next_cls = np.zeros(n, dtype=np.int64)
    ctx_cls = np.zeros(n, dtype=np.int64)
    if word_texts:  # spread each word's values over its characters, all words at once
        starts, ends = np.array(word_starts, dtype=np.int64), np.array(word_ends, dtype=np.int64)
        ids = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in word_texts), dtype=np.int64, count=len(word_texts))
        first = np.cumsum(unit_sizes) - unit_sizes  # each unit's first word
        last = first + unit_sizes - 1
        has_words = np.asarray(unit_sizes) > 0
        previous, following = np.roll(ids, 1), np.roll(ids, -1)
        previous[first[has_words]], following[last[has_words]] = 5, 6
        if classify is not None:
            classes = np.fromiter((7 if w in BREAKS or w.isspace() else classify(w) for w in word_texts),
                                  dtype=np.int64, count=len(word_texts))
            p, n1, n2, later = word_context(classes, unit_sizes, opinion_classes).T
        else:
            p = n1 = n2 = later = np.zeros(len(word_texts), dtype=np.int64)
        rows = np.stack([ids, previous, following, n1 * 10 + n2, p * 20 + n1 * 2 + later], axis=1)
        lengths = ends - starts
        which = np.repeat(np.arange(len(rows)), lengths)  # the word of each word character
        chars = np.arange(len(which)) - np.repeat(np.cumsum(lengths) - lengths - starts, lengths)
        own[chars], prev_w[chars], next_w[chars], next_cls[chars], ctx_cls[chars] = rows[which].T
        multi = lengths > 1
        position[chars[multi[which]]] = 1
        position[starts[multi]] = 0
        position[ends[multi] - 1] = 2
    # distance to the clause start / end, capped (separators count as breaks)
    idx = np.arange(n)
    is_break = np.isin(codes, _BREAK_CODES) | ~keep
    start = np.maximum.accumulate(np.where(is_break, idx + 1, 0))
    end = np.minimum.accumulate(np.where(is_break, idx, n)[::-1])[::-1]
    ds = np.minimum(idx - start, 6)
    de = np.where(end > idx, np.minimum(end - idx - 1, 6), -1) + 1
    cls = char_classes(padded)
    kind = cls[1:n + 1] * 25 + cls[2:n + 2] * 5 + cls[3:n + 3]
    columns = [
        _mix(0, np.zeros(n, dtype=np.int64)),
        _mix(1, c[2]), _mix(2, c[1]), _mix(3, c[3]), _mix(4, c[0]), _mix(5, c[4]),
        _mix(6, c[1], c[2]), _mix(7, c[2], c[3]), _mix(8, c[0], c[1]), _mix(9, c[3], c[4]),
        _mix(10, c[1], c[2], c[3]),
        _mix(11, own), _mix(12, own, position), _mix(13, position), _mix(14, prev_w), _mix(15, next_w),
        _mix(16, prev_w, own), _mix(17, own, next_w),
        _mix(18, kind), _mix(19, ds), _mix(20, de), _mix(21, ds, de), _mix(22, ds, c[2]), _mix(23, de, c[2]),
        _mix(24, next_cls), _mix(25, ctx_cls), _mix(26, ctx_cls, position), _mix(27, next_cls, own),
    ]
    # one row per template, so that the (characters x templates) result is column-major (a
    # template's ids are contiguous for the tagger's gather); "& (2**bits - 1)" is "% 2**bits"
    ids = np.stack(columns)[:, keep]
    ids &= np.uint64((1 << bits) - 1)
    return ids.view(np.int64).T


N_CHAR_FEATURES = 28


N_LABEL_FEATURES = 5


def label_feature_ids(labels: np.ndarray, lengths: Sequence[int], bits: int) -> np.ndarray:
    """Hashed ids of the first-pass tagger labels around each character (stacked second pass):
    shape ``(sum(lengths), N_LABEL_FEATURES)``; ``labels`` are the per-character labels of
    consecutive units of the given lengths."""
    parts: list[np.ndarray] = []
    pos = 0
    for n in lengths:
        parts += [labels[pos:pos + n].astype(np.int64), np.array([4, 4, 3, 3], dtype=np.int64)]
        pos += n
    if not parts:
        return np.zeros((0, N_LABEL_FEATURES), dtype=np.int64)
    seq = np.concatenate(parts)
    keep = np.ones(len(seq), dtype=bool)
    ends = np.cumsum([n + 4 for n in lengths]) - 4
    keep[(ends[:, None] + np.arange(4)).ravel()] = False
    padded = np.concatenate([[3, 3], seq, [4, 4]])
    n = len(seq)
    l = [padded[k:k + n] for k in range(5)]  # offsets -2..+2  # noqa: E741
    columns = [_mix(100, l[1], l[2], l[3]), _mix(101, l[0], l[1], l[2], l[3], l[4]), _mix(102, l[2]),
               _mix(103, l[1], l[2]), _mix(104, l[2], l[3])]
    return (np.stack(columns, axis=1)[keep] % np.uint64(1 << bits)).astype(np.int64)


def feature_matrix(ids: np.ndarray, bits: int):  # type: ignore[no-untyped-def]
    """A scipy CSR matrix (rows x ``2**bits``) with a 1 at every id of each row."""
    import scipy.sparse as sp

    n, k = ids.shape
    data = np.ones(n * k, dtype=np.float32)
    return sp.csr_matrix((data, ids.ravel(), np.arange(0, n * k + 1, k)), shape=(n, 1 << bits))


_C1, _C2 = np.uint64(0xCC9E2D51), np.uint64(0x1B873593)
_M32 = np.uint64(0xFFFFFFFF)


def _rotl32(x: np.ndarray, r: int) -> np.ndarray:
    return ((x << np.uint64(r)) | (x >> np.uint64(32 - r))) & _M32


def _mix_block(k: np.ndarray) -> np.ndarray:
    """A 32-bit block scrambled as MurmurHash3 does before it joins the hash."""
    return (_rotl32((k * _C1) & _M32, 15) * _C2) & _M32


def murmurhash3_32(strings: Sequence[str]) -> np.ndarray:
    """Signed 32-bit MurmurHash3 (x86, seed 0) of each string's UTF-8 bytes, as int64.

    Vectorised over the batch: the strings are encoded at once, sorted by their number of 4-byte
    blocks so that each block round works on a prefix, and hashed with numpy uint64 arithmetic
    kept to 32 bits. Equal to the hash scikit-learn's ``FeatureHasher`` uses (tests check it).
    """
    n = len(strings)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    joined = "\x00".join(strings)
    if joined.count("\x00") == n - 1:  # the usual case: NUL separates the strings
        data = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
        ends = np.append(np.flatnonzero(data == 0), len(data))
        starts = np.concatenate([[0], ends[:-1] + 1])
    else:  # a string holds NUL itself
        encoded = [x.encode("utf-8") for x in strings]
        data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=n)
        ends = np.cumsum(lengths)
        starts = ends - lengths
    return _murmur(data, starts, ends - starts)


_TAIL_MASKS = np.array([0, 0xFF, 0xFFFF, 0xFFFFFF], dtype=np.uint64)


def _murmur(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """:func:`murmurhash3_32` of the byte strings ``data[starts[i]:starts[i] + lengths[i]]``."""
    n = len(starts)
    buffer = data.tobytes() + bytes(8)
    # the little-endian 32-bit word at byte position p is words[p % 4, p // 4] (no arithmetic over the buffer)
    count = (len(buffer) - 3) // 4
    words = np.stack([np.frombuffer(buffer, dtype="<u4", count=count, offset=k) for k in range(4)])

    def word_at(positions: np.ndarray) -> np.ndarray:
        return words[positions & 3, positions >> 2].astype(np.uint64)

    blocks = lengths // 4
    # most blocks (most first); as int16 when they fit, which numpy sorts by radix
    order = np.argsort(-(blocks.astype(np.int16) if blocks.max() < 2**15 else blocks), kind="stable")
    starts_sorted, blocks_sorted = starts[order], blocks[order]
    h = np.zeros(n, dtype=np.uint64)
    for b in range(int(blocks_sorted[0])):
        m = int(np.searchsorted(-blocks_sorted, -b, side="left"))  # the strings with more than b blocks
        x = _rotl32(h[:m] ^ _mix_block(word_at(starts_sorted[:m] + 4 * b)), 13)
        h[:m] = (x * np.uint64(5) + np.uint64(0xE6546B64)) & _M32
    hashes = np.empty(n, dtype=np.uint64)
    hashes[order] = h
    rest = lengths - 4 * blocks
    has_tail = rest > 0
    hashes[has_tail] ^= _mix_block(word_at((starts + 4 * blocks)[has_tail]) & _TAIL_MASKS[rest[has_tail]])
    hashes ^= lengths.astype(np.uint64)
    hashes ^= hashes >> np.uint64(16)
    hashes = (hashes * np.uint64(0x85EBCA6B)) & _M32
    hashes ^= hashes >> np.uint64(13)
    hashes = (hashes * np.uint64(0xC2B2AE35)) & _M32
    hashes ^= hashes >> np.uint64(16)
    return hashes.astype(np.int64) - ((hashes >> np.uint64(31)).astype(np.int64) << 32)


class Hasher:
    """Hash feature lists (strings) into ``2**bits`` columns: ``abs(murmurhash3_32) % 2**bits``,
    the columns scikit-learn's ``FeatureHasher(alternate_sign=False)`` gives, without importing it."""

    def __init__(self, bits: int = 18) -> None:
        self.bits = bits

    def ids(self, rows: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """``(row, column)`` of every feature of every row, in order (repeats kept)."""
        counts, columns = self._columns(rows)
        return np.repeat(np.arange(len(rows), dtype=np.int64), counts), columns

    def _columns(self, rows: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """The number of features of each row, and the columns of all features, row after row."""
        counts = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        return counts, np.abs(murmurhash3_32(list(chain.from_iterable(rows)))) & ((1 << self.bits) - 1)

    def transform(self, rows: Sequence[Sequence[str]]):  # type: ignore[no-untyped-def]
        """A scipy CSR matrix, one row per feature list, repeated features summed (for training)."""
        import scipy.sparse as sp

        r, c = self.ids(rows)
        matrix = sp.csr_matrix((np.ones(len(c), dtype=np.float32), (r, c)), shape=(len(rows), 1 << self.bits))
        matrix.sum_duplicates()
        return matrix

    def scores(self, rows: Sequence[Sequence[str]], weights: np.ndarray, bias: np.ndarray,
               l2: bool = False) -> np.ndarray:
        """``X @ weights.T + bias`` for the hashed rows X (``l2``: rows scaled to unit length
        first), with numpy only: ``weights`` is (classes x 2**bits)."""
        counts, c = self._columns(rows)
        n = len(rows)
        # rows are consecutive runs of features: each row's sum is a difference of running sums
        running = np.zeros((len(c) + 1, len(weights)))
        np.cumsum(np.take(weights, c, axis=1).T, axis=0, out=running[1:])
        ends = np.cumsum(counts)
        out = running[ends] - running[ends - counts]
        if l2:
            r = np.repeat(np.arange(n, dtype=np.int64), counts)
            keys, repeats = np.unique(r * (1 << self.bits) + c, return_counts=True)
            norms = np.sqrt(np.bincount(keys >> self.bits, weights=repeats.astype(np.float64) ** 2, minlength=n))
            out /= np.where(norms > 0, norms, 1.0)[:, None]
        return out + bias
