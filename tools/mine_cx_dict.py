"""Mine candidate entries for the customer-experience dictionary (src/cxnlp/segment/cx_dict.txt).

Reads only the train splits of the shared corpora (sentiment/*/train.csv and
aspects/zh_restaurant_aste/train.jsonl), segments them with a plain jieba tokenizer
(no CX dictionary) and prints a TSV of candidates for hand curation:

* ``aspect``: aspect strings annotated in the ASTE train file that jieba splits apart;
* ``bigram``: frequent pairs of adjacent jieba words that behave like one unit
  (each word rarely occurs without the other) and start with no degree / negation word.

Usage (from the repository root)::

    .venv/bin/python tools/mine_cx_dict.py --min-count 20 --top 300 > /tmp/cx_candidates.tsv
    .venv/bin/python tools/mine_cx_dict.py --check    # segmentation changed by cx_dict.txt
    .venv/bin/python tools/mine_cx_dict.py --evaluate # aspect spans of the ASTE dev split vs tokens
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

from cxnlp.data import SENTIMENT_CORPORA, data_file
from cxnlp.segment import Segmenter

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
#: Words that make a phrase an opinion rather than a term: degree, negation, copula, particles.
FUNCTION_START = tuple("很不太没有是的了也都就还真挺好最更超蛮特巨贼非别再")


def train_texts() -> Iterator[str]:
    """Every train-split text of the sentiment corpora and the ASTE restaurant file."""
    for corpus in SENTIMENT_CORPORA:
        with open(data_file("sentiment", corpus, "train.csv"), encoding="utf-8", newline="") as f:
            yield from (row["text"] for row in csv.DictReader(f))
    yield from (row["text"] for row in aste_rows())


def aste_rows(split: str = "train") -> Iterator[dict[str, Any]]:
    with open(data_file("aspects", "zh_restaurant_aste", f"{split}.jsonl"), encoding="utf-8") as f:
        yield from (json.loads(line) for line in f)


def aspect_candidates(plain: Segmenter, min_count: int) -> list[tuple[str, int, str]]:
    """ASTE aspect strings (2-6 Chinese characters) seen ``min_count`` times that jieba splits."""
    counts = Counter(plain.normalizer(t["aspect"]) for row in aste_rows() for t in row["triplets"] if t.get("aspect"))
    rows = []
    for aspect, count in counts.most_common():
        if count < min_count or not (2 <= len(aspect) <= 6 and _HAN.match(aspect)):
            continue
        pieces = plain.tokenizer.lcut(aspect, HMM=False)
        if len(pieces) > 1:
            rows.append((aspect, count, "/".join(pieces)))
    return rows


def bigram_candidates(plain: Segmenter, min_count: int, min_cohesion: float) -> list[tuple[str, int, str, float]]:
    """Adjacent jieba word pairs forming 2-4 Chinese characters that mostly occur together."""
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for text in train_texts():
        tokens = [t.norm for t in plain.tokenize(text)]
        words.update(tokens)
        pairs.update(zip(tokens, tokens[1:]))
    rows = []
    for (left, right), count in pairs.items():
        phrase = left + right
        if count < min_count or not (2 <= len(phrase) <= 4 and _HAN.match(phrase)):
            continue
        if left.startswith(FUNCTION_START) or right in ("了", "的", "吗", "呢", "啊", "吧"):
            continue
        cohesion = count / max(words[left], words[right])  # 1.0: the words never occur apart
        if cohesion >= min_cohesion:
            rows.append((phrase, count, f"{left}/{right}", round(cohesion, 3)))
    return sorted(rows, key=lambda r: (-r[3] * r[1] ** 0.5, r[0]))


def check(sample: int) -> None:
    """Print how the shipped dictionary changes segmentation on train texts."""
    plain, cx = Segmenter(use_cx_dict=False), Segmenter()
    shown = 0
    for text in train_texts():
        a, b = [t.text for t in plain.tokenize(text)], [t.text for t in cx.tokenize(text)]
        if a != b:
            print(" ".join(a), "\n ->", " ".join(b), "\n")
            shown += 1
            if shown >= sample:
                break


def evaluate() -> None:
    """How often ASTE dev aspect spans fall on token boundaries / are one token, without and with the dictionary."""
    spans = [(row["text"], tuple(t["aspect_span"])) for row in aste_rows("dev") for t in row["triplets"] if t.get("aspect_span")]
    for name, segmenter in (("jieba only", Segmenter(use_cx_dict=False)), ("jieba + cx_dict", Segmenter())):
        aligned = single = 0
        for text, (start, end) in spans:
            bounds = {(t.start, t.end) for t in segmenter.tokenize(text)}
            edges = {s for s, _ in bounds} | {e for _, e in bounds}
            aligned += start in edges and end in edges
            single += (start, end) in bounds
        print(f"{name}: {len(spans)} dev aspects, on token boundaries {aligned / len(spans):.1%}, "
              f"exactly one token {single / len(spans):.1%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-count", type=int, default=20, help="least corpus count of a bigram")
    parser.add_argument("--min-aspect-count", type=int, default=3, help="least count of an ASTE aspect")
    parser.add_argument("--min-cohesion", type=float, default=0.2, help="count(pair) / count(more frequent word)")
    parser.add_argument("--top", type=int, default=300, help="bigram candidates to print")
    parser.add_argument("--check", type=int, nargs="?", const=40, default=0,
                        help="instead: show N texts whose segmentation cx_dict.txt changes")
    parser.add_argument("--evaluate", action="store_true", help="instead: ASTE dev aspect spans vs token boundaries")
    args = parser.parse_args(argv)
    if args.evaluate:
        evaluate()
        return 0
    if args.check:
        check(args.check)
        return 0
    plain = Segmenter(use_cx_dict=False)
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["candidate", "count", "jieba", "source", "cohesion"])
    for aspect, count, pieces in aspect_candidates(plain, args.min_aspect_count):
        out.writerow([aspect, count, pieces, "aspect", ""])
    for phrase, count, pieces, cohesion in bigram_candidates(plain, args.min_count, args.min_cohesion)[: args.top]:
        out.writerow([phrase, count, pieces, "bigram", cohesion])
    return 0


if __name__ == "__main__":
    sys.exit(main())
