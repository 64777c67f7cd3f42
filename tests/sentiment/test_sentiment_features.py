"""Feature extraction: negation scopes, character n-gram keys, the TF-IDF vocabulary round trip."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

from cxnlp.errors import ConfigError
from cxnlp.sentiment.features import (
    DEFAULT_FEATURES, TfidfVocab, char_key, char_ngram_keys, check_features, extract, word_features,
)


def test_negation_scope_marks_following_words() -> None:
    feats = word_features(["不", "好吃", ",", "好吃"], {**DEFAULT_FEATURES, "bigrams": False})
    assert feats == ["w不", "n好吃", "w好吃"]  # the comma closes the scope
    plain = word_features(["不", "好吃"], {**DEFAULT_FEATURES, "bigrams": False, "negation": False})
    assert plain == ["w不", "w好吃"]
    scoped = word_features(["不是", "很", "满意", "的", "菜"], {**DEFAULT_FEATURES, "bigrams": False, "scope": 3})
    assert scoped == ["w不是", "n很", "n满意", "n的", "w菜"]


def test_bigrams_and_contrast() -> None:
    opts = {**DEFAULT_FEATURES, "words": False, "contrast": True}
    assert word_features(["好吃", "但是", "太", "慢"], opts) == ["bw好吃|w但是", "bw但是|w太", "bw太|w慢", "t太", "t慢"]


@pytest.mark.parametrize("text", ["好吃不贵", "a  b\tc\n很好", "😀好评！", "x"])
def test_char_keys_match_string_ngrams(text: str) -> None:
    folded = re.sub(r"\s+", " ", text)
    expected = Counter(char_key(folded[i:i + n]) for n in (1, 2, 3) for i in range(len(folded) - n + 1))
    rows, keys = char_ngram_keys(["前文", text, "后文"], [1, 3])
    assert Counter(keys[rows == 1].tolist()) == expected  # nothing leaks across documents


def test_char_keys_distinct_across_lengths() -> None:
    assert len({char_key("a"), char_key("\x01a"), char_key("\x01\x01a")}) == 3


def test_vocab_fit_transform_round_trip() -> None:
    words = [["w好吃", "w很"], ["w难吃"], ["w好吃"]]
    batch = extract(words, ["很好吃", "难吃", "好吃"], DEFAULT_FEATURES)
    vocab = TfidfVocab.fit(batch, min_df=1)
    rows, cols, values = vocab.transform(batch)
    norms = np.sqrt(np.bincount(rows, weights=values.astype(np.float64) ** 2))
    np.testing.assert_allclose(norms, 1.0, rtol=1e-6)
    again = TfidfVocab.from_arrays(vocab.to_arrays())
    for a, b in zip(again.transform(batch), (rows, cols, values), strict=True):
        np.testing.assert_array_equal(a, b)
    capped = TfidfVocab.fit(batch, min_df=1, max_terms=3)
    assert len(capped) == 3 and len(capped.idf) == 3


def test_unknown_features_are_dropped_not_errors() -> None:
    vocab = TfidfVocab.fit(extract([["w好"]], ["好"], DEFAULT_FEATURES), min_df=1)
    rows, _, _ = vocab.transform(extract([["w新词"], []], ["新词", ""], DEFAULT_FEATURES))
    assert len(rows) == 0


@pytest.mark.parametrize("bad", [{"char_ngrams": [1, 4]}, {"char_ngrams": [0, 2]}, {"colour": 1}])
def test_bad_feature_options(bad: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        check_features(bad)


def test_lexicon_features_flip_in_negation_scope() -> None:
    opts = {**DEFAULT_FEATURES, "words": False, "bigrams": False, "lexicon": True}
    assert word_features(["好吃"], opts) == ["L+"]
    assert word_features(["不", "好吃"], opts) == ["L+~"]
    assert word_features(["没有", "任何", "问题"], opts) == ["L-~"]
    assert word_features(["菜", "到", "了"], opts) == []
    assert word_features(["好吃"], {**opts, "lexicon": False}) == []
