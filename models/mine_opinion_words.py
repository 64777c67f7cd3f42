"""List candidate opinion words for the aspects lexicon, mined from the labelled sentiment train splits.

    python models/mine_opinion_words.py > candidates.tsv      # from the repository root

A word (2+ characters, as the cxnlp segmenter cuts it) is a candidate when it occurs in at least
``--min-count`` reviews outside a negation scope, in at most 30% of its occurrences inside one, and its
smoothed log-odds of a positive against a negative review exceed ``--min-log-odds`` in absolute value.
Words the lexicon already reads with that polarity are left out. The output (log-odds, word, positive
and negative review counts, jieba's part of speech) is for a person to read: only words that judge
(not topics such as 轮渡 or 回忆) go into ``src/cxnlp/aspects/data/opinion_words.tsv``.
"""

from __future__ import annotations

import argparse
import math
from collections import Counter

import jieba.posseg
import pandas as pd

from cxnlp.aspects.extractor import AspectExtractor
from cxnlp.data import data_file
from cxnlp.pipeline import Pipeline
from cxnlp.segment import Segmenter

CORPORA = ("waimai_10k", "hotel_htl_all", "online_shopping_10_cats")
#: Tokens whose next two tokens are read as negated.
NEGATORS = frozenset("不 没 没有 无 未 别 不是 不太 不够 不会 不能 并不 从不 毫无 不怎么".split())


def review_counts(texts: list[str], labels: list[int]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Per word: reviews it occurs in un-negated, by label (positive, negative), and its negated occurrences."""
    positive: Counter[str] = Counter()
    negative: Counter[str] = Counter()
    negated: Counter[str] = Counter()
    for doc, label in zip(Pipeline([Segmenter()]).pipe(texts), labels, strict=True):
        words = [doc.norm[t.start:t.end] for t in doc.tokens]
        seen: set[str] = set()
        for i, word in enumerate(words):
            if len(word) < 2 or word in seen:
                continue
            if NEGATORS.intersection(words[max(0, i - 2):i]):
                negated[word] += 1
                continue
            seen.add(word)
            (positive if label == 1 else negative)[word] += 1
    return positive, negative, negated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, default=8)
    parser.add_argument("--min-log-odds", type=float, default=1.8)
    args = parser.parse_args()
    frames = [pd.read_csv(data_file("sentiment", c, "train.csv"), dtype={"text": str}, keep_default_na=False)
              for c in CORPORA]
    data = pd.concat(frames, ignore_index=True)
    labels = data["label"].astype(int).tolist()
    positive, negative, negated = review_counts(data["text"].tolist(), labels)
    n_pos, n_neg = sum(labels), len(labels) - sum(labels)
    reader = Pipeline([Segmenter(), AspectExtractor(mode="lexicon")])
    rows = []
    for word in positive.keys() | negative.keys():
        a, b = positive[word], negative[word]
        if a + b < args.min_count or negated[word] > 0.3 * (a + b):
            continue
        log_odds = math.log((a + 1) / (n_pos + 2)) - math.log((b + 1) / (n_neg + 2))
        if abs(log_odds) < args.min_log_odds:
            continue
        polarity = "positive" if log_odds > 0 else "negative"
        read = [o.polarity for o in reader(word).opinions]
        if read and all(p == polarity for p in read):
            continue  # the lexicon already reads it so
        tags = [pair.flag for pair in jieba.posseg.cut(word)]
        rows.append((round(log_odds, 2), word, a, b, tags[0] if len(tags) == 1 else "?"))
    for row in sorted(rows):
        print(*row, sep="\t")


if __name__ == "__main__":
    main()
