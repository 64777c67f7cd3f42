"""Character features for the span tagger: hashed window n-grams, word shape and clause position.

Every character of the normalised text gets a list of string features; they are hashed
into a fixed-size sparse matrix with scikit-learn's ``FeatureHasher`` (MurmurHash3, stable
across versions), so a saved model is a plain weight array.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Characters that end a clause (a superset of the segment stage's clause breaks).
BREAKS = frozenset("，,。!！?？;；：:、…~～\n\r\t ")
#: Characters that end a sentence.
SENTENCE_ENDS = frozenset("。!！?？;；\n")


def char_class(char: str) -> str:
    """A coarse character class: punctuation, digit, latin, han or other."""
    if char in BREAKS:
        return "P"
    if char.isdigit():
        return "D"
    if char.isascii() and char.isalpha():
        return "L"
    if "\u4e00" <= char <= "\u9fff":
        return "H"
    return "O"


def word_positions(n: int, words: Sequence[tuple[int, int]]) -> tuple[list[int], list[str]]:
    """For each character: the index of the word covering it and its B/M/E/S position."""
    owner = [-1] * n
    pos = ["S"] * n
    for k, (start, end) in enumerate(words):
        for i in range(start, min(end, n)):
            owner[i] = k
            pos[i] = "S" if end - start == 1 else ("B" if i == start else ("E" if i == end - 1 else "M"))
    return owner, pos


def char_features(text: str, words: Sequence[tuple[int, int]]) -> list[list[str]]:
    """Feature strings for every character of ``text`` (normalised) given word spans."""
    n = len(text)
    padded = "^^" + text + "$$"
    owner, wpos = word_positions(n, words)
    word_text = [text[s:e] for s, e in words]
    # distance (in characters) to the clause start / end, and clause index
    clause_start = [0] * n
    clause_end = [0] * n
    start = 0
    for i, ch in enumerate(text):
        if ch in BREAKS:
            start = i + 1
        clause_start[i] = start
    end = n
    for i in range(n - 1, -1, -1):
        if text[i] in BREAKS:
            end = i
        clause_end[i] = end
    feats: list[list[str]] = []
    for i in range(n):
        j = i + 2
        c = padded
        k = owner[i]
        w = word_text[k] if k >= 0 else c[j]
        prev_w = word_text[k - 1] if k > 0 else "^"
        next_w = word_text[k + 1] if 0 <= k < len(word_text) - 1 else "$"
        ds = min(i - clause_start[i], 6)
        de = min(clause_end[i] - i - 1, 6) if clause_end[i] > i else -1
        feats.append([
            "b",
            "c0" + c[j], "c-1" + c[j - 1], "c+1" + c[j + 1], "c-2" + c[j - 2], "c+2" + c[j + 2],
            "b-1" + c[j - 1:j + 1], "b+1" + c[j:j + 2], "b-2" + c[j - 2:j], "b+2" + c[j + 1:j + 3],
            "t0" + c[j - 1:j + 2],
            "w" + w, "wp" + wpos[i] + w, "p" + wpos[i], "pw" + prev_w, "nw" + next_w,
            "pw_w" + prev_w + "|" + w, "w_nw" + w + "|" + next_w,
            "k" + char_class(c[j - 1]) + char_class(c[j]) + char_class(c[j + 1]),
            f"ds{ds}", f"de{de}", f"dsde{ds}_{de}",
            f"ds{ds}c{c[j]}", f"de{de}c{c[j]}",
        ])
    return feats


class Hasher:
    """Hash feature lists into a CSR matrix with ``2**bits`` columns."""

    def __init__(self, bits: int = 18) -> None:
        from sklearn.feature_extraction import FeatureHasher

        self.bits = bits
        self._hasher = FeatureHasher(n_features=2**bits, input_type="string", alternate_sign=False,
                                     dtype=np.float32)

    def transform(self, rows: list[list[str]]):  # type: ignore[no-untyped-def]
        """A scipy CSR matrix, one row per feature list."""
        return self._hasher.transform(rows)
