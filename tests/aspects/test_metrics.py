"""Metric definitions on hand-made gold / predicted triplets."""

from __future__ import annotations

import pytest

from cxnlp.aspects.evaluate import error_classes, triplet_scores

GOLD = [
    [((0, 2), (2, 5), "positive"), (None, (6, 10), "negative")],
    [((0, 3), (3, 8), "negative")],
]


def test_perfect_prediction() -> None:
    scores = triplet_scores(GOLD, GOLD)
    assert all(s["f1"] == 1.0 for s in scores.values())


def test_exact_needs_both_spans_and_polarity() -> None:
    pred = [
        [((0, 2), (2, 5), "negative"), (None, (6, 10), "negative")],  # polarity wrong, implicit right
        [((0, 3), (3, 7), "negative")],  # opinion boundary off by one
    ]
    s = triplet_scores(GOLD, pred)
    assert s["triplet"]["f1"] == pytest.approx(1 / 3)
    assert s["pair"]["f1"] == pytest.approx(2 / 3)  # polarity ignored
    assert s["triplet_overlap"]["f1"] == pytest.approx(2 / 3)  # overlap forgives the boundary
    assert s["aspect"]["f1"] == 1.0  # unique explicit aspect spans
    assert s["opinion"]["p"] == pytest.approx(2 / 3)


def test_implicit_matches_only_implicit() -> None:
    pred = [[((0, 2), (2, 5), "positive"), ((0, 2), (6, 10), "negative")], [((0, 3), (3, 8), "negative")]]
    s = triplet_scores(GOLD, pred)
    assert s["triplet"]["p"] == pytest.approx(2 / 3) and s["triplet"]["r"] == pytest.approx(2 / 3)
    assert s["triplet_overlap"]["f1"] == pytest.approx(2 / 3)


def test_overlap_matches_each_gold_once() -> None:
    gold = [[((0, 2), (2, 8), "positive")]]
    pred = [[((0, 2), (2, 4), "positive"), ((0, 2), (4, 8), "positive")]]
    s = triplet_scores(gold, pred)["triplet_overlap"]
    assert (s["p"], s["r"]) == (0.5, 1.0)


def test_empty_and_mismatched() -> None:
    s = triplet_scores([[]], [[]])
    assert s["triplet"] == {"p": 0.0, "r": 0.0, "f1": 0.0}
    with pytest.raises(ValueError, match="documents"):
        triplet_scores([[]], [])


def test_error_classes() -> None:
    pred = [
        [((0, 2), (2, 5), "negative"), ((7, 9), (6, 10), "negative")],
        [((1, 3), (3, 8), "negative"), ((9, 10), (10, 12), "neutral")],
    ]
    counts = error_classes(GOLD, pred)
    assert counts["polarity"] == 1 and counts["implicit"] == 1 and counts["aspect_boundary"] == 1
    assert counts["spurious"] == 1 and counts["correct"] == 0
