"""The aspects model's feature hashing: the columns scikit-learn's FeatureHasher gives, without it."""

from __future__ import annotations

import random
from itertools import repeat

import numpy as np
import pytest

from cxnlp.aspects.features import Hasher, murmurhash3_32


def _strings(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = "ab好差的味道😂é =|\x00"
    return ["", "a", "ab", "abc", "abcd", "abcde", "w=好吃"] + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50))) for _ in range(n)]


@pytest.mark.parametrize("with_nul", [False, True])
def test_murmurhash_equals_scikit_learn(with_nul: bool) -> None:
    from sklearn.utils import murmurhash3_32 as reference

    strings = [s if with_nul else s.replace("\x00", "") for s in _strings(0, 5000)]
    expected = np.array([reference(s.encode("utf-8"), seed=0) for s in strings])
    assert np.array_equal(murmurhash3_32(strings), expected)
    assert murmurhash3_32([]).shape == (0,)


def test_hasher_matches_feature_hasher_and_scores_like_a_matrix_product() -> None:
    from sklearn.feature_extraction import FeatureHasher

    rng = random.Random(1)
    pool = _strings(2, 300)
    rows = [[rng.choice(pool) for _ in range(rng.randint(0, 12))] for _ in range(400)]  # empty rows too
    ours = Hasher(10).transform(rows)
    theirs = FeatureHasher(n_features=2**10, input_type="pair", alternate_sign=False,
                           dtype=np.float32).transform(zip(row, repeat(1)) for row in rows)
    assert (ours != theirs).nnz == 0
    weights = np.random.default_rng(0).normal(size=(3, 2**10)).astype(np.float32)
    bias = np.array([0.1, -0.2, 0.3], dtype=np.float32)
    assert np.allclose(Hasher(10).scores(rows, weights, bias), ours @ weights.T + bias, atol=1e-4)
    dense = ours.toarray()
    unit = dense / np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)
    assert np.allclose(Hasher(10).scores(rows, weights, bias, l2=True), unit @ weights.T + bias, atol=1e-4)


def test_inference_does_not_import_scikit_learn() -> None:
    import subprocess
    import sys

    code = ("import sys, cxnlp; nlp = cxnlp.load(); nlp('送餐太慢了，再也不点了'); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'torch'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
