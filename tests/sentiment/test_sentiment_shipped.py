"""The shipped default model: negation minimal pairs, neutral rules, calibration, out-of-domain accuracy."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxnlp.pipeline import Pipeline
from cxnlp.sentiment import SentimentClassifier

OOD = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "ood_sentiment.csv"
OOD_MIN_ACCURACY = 0.85

# (positive text, its negated or degraded twin)
MINIMAL_PAIRS = [
    ("好吃", "不好吃"),
    ("满意", "不是很满意"),
    ("好用", "一点都不好用"),
    ("味道很好", "味道不好"),
    ("质量不错", "质量很差"),
    ("送餐很快", "送餐太慢了"),  # the model alone: ~0.55 (neutral band); the endorsement rule reads the praise
    ("房间干净", "房间不干净"),
    ("很喜欢", "不喜欢"),
    ("值得购买", "不值得购买"),
    ("会再来的", "不会再来了"),
    ("推荐购买", "不推荐购买"),  # the model alone: 0.44; the endorsement rule
    ("服务态度好", "服务态度不好"),
    ("物流很快", "物流太慢"),
    ("没有任何问题", "问题很多"),  # a negated complaint: the label rule, not the model (which said 0.08)
    ("质量不差", "质量很差"),
    ("一点都不贵", "太贵了"),
    ("用了三个月没出过问题", "用了三个月就出问题了"),
    ("性价比很高", "性价比不高"),
]


@pytest.mark.parametrize(("positive", "negative"), MINIMAL_PAIRS)
def test_negation_minimal_pairs(nlp: Pipeline, positive: str, negative: str) -> None:
    pos, neg = nlp(positive).sentiment, nlp(negative).sentiment
    assert pos is not None and neg is not None
    assert pos.score >= 0.5, (positive, pos)
    assert neg.score < 0.5, (negative, neg)
    assert pos.label == "positive" and neg.label == "negative"


@pytest.mark.parametrize("text", ["本以为没问题，结果用了两天就坏了", "质量没问题，就是物流太慢", "没问题吗？"])
def test_negated_complaint_rule_needs_every_clause(nlp: Pipeline, text: str) -> None:
    assert nlp(text).sentiment.label != "positive"


@pytest.mark.parametrize(("text", "label"), [("👍", "positive"), ("👍👍", "positive"), ("❤️", "positive"),
                                           ("😡😡😡", "negative"), ("👎", "negative"), ("💔", "negative"),
                                           ("😊", "neutral"), ("😭😭", "neutral"), ("服务很好👍👍👍", "positive"),
                                           ("又迟到了😡😡", "negative")])
def test_emoji(nlp: Pipeline, text: str, label: str) -> None:
    # the training corpora hold almost no emoji: the common ones are read as words, the ambiguous ones as no opinion
    assert nlp(text).sentiment.label == label


@pytest.mark.parametrize("text", ["还没用不知道怎么样", "已收到", "还没吃", "还没用，不知道效果如何", "东西收到了，用了再来评价",
                                  "无", "暂无意见。", "没什么建议，嗯", "同上", "1111", "？？", "。。。", "希望能增加夜间模式"])
def test_no_opinion_is_neutral(nlp: Pipeline, text: str) -> None:
    assert nlp(text).sentiment.label == "neutral"


@pytest.mark.parametrize("text", ["还没用就坏了", "已收到，质量很差", "还没吃就闻到一股馊味"])
def test_no_opinion_rule_needs_every_clause(nlp: Pipeline, text: str) -> None:
    assert nlp(text).sentiment.label == "negative"


def _reconfigured(shipped: SentimentClassifier, path: Path, **overrides: object) -> SentimentClassifier:
    stage = SentimentClassifier.from_config({**shipped.get_config(), **overrides})
    stage.load_weights(path)
    return stage


def test_neutral_band_is_tunable(shipped: SentimentClassifier, shipped_dir: Path, segmenter) -> None:  # type: ignore[no-untyped-def]
    wide = _reconfigured(shipped, shipped_dir, neutral_band=[0.0, 1.0], no_opinion_patterns=[])
    off = _reconfigured(shipped, shipped_dir, neutral_band=[0.5, 0.5], no_opinion_patterns=[])
    texts = ["味道还行吧", "好吃", "已收到", "太难吃了"]
    assert all(d.sentiment.label == "neutral" for d in Pipeline([segmenter, wide]).pipe(texts))
    assert all(d.sentiment.label != "neutral" for d in Pipeline([segmenter, off]).pipe(texts))
    default = [d.sentiment.label for d in Pipeline([segmenter, shipped]).pipe(texts)]
    assert default[1:] == ["positive", "neutral", "negative"]


def test_shipped_meta_names_data_and_metrics(shipped_dir: Path) -> None:
    meta = json.loads((shipped_dir / "meta.json").read_text(encoding="utf-8"))
    for key in ("data", "terms", "dev", "versions", "seed"):
        assert key in meta
    size = sum(f.stat().st_size for f in shipped_dir.iterdir())
    assert size < 50 * 2**20


def _dev_sample(data_dir: Path, corpus: str, n: int) -> pd.DataFrame:
    frame = pd.read_csv(data_dir / "sentiment" / corpus / "dev.csv", dtype={"text": str}, keep_default_na=False)
    return frame.sample(n=min(n, len(frame)), random_state=0)


def test_calibration_sanity(nlp: Pipeline, data_dir: Path) -> None:
    frame = pd.concat([_dev_sample(data_dir, c, 500) for c in ("waimai_10k", "hotel_htl_all", "online_shopping_10_cats")])
    scores = np.array([d.sentiment.score for d in nlp.pipe(frame["text"].tolist())])
    labels = frame["label"].astype(int).to_numpy()
    assert np.all((scores >= 0) & (scores <= 1))
    assert scores[labels == 1].mean() > scores[labels == 0].mean() + 0.5
    # monotone: each higher score bin has a higher positive rate
    edges = np.quantile(scores, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    bins = np.clip(np.searchsorted(edges, scores, side="right") - 1, 0, 4)
    rates = [labels[bins == b].mean() for b in range(5)]
    assert all(a < b for a, b in zip(rates, rates[1:])), rates
    # calibrated: mean score close to the positive rate
    assert abs(scores.mean() - labels.mean()) < 0.05


def test_out_of_domain_accuracy(nlp: Pipeline) -> None:
    frame = pd.read_csv(OOD)
    assert len(frame) >= 60 and set(frame["domain"]) >= {"electronics", "cars", "telecom", "banking", "software"}
    scores = np.array([d.sentiment.score for d in nlp.pipe(frame["text"].tolist())])
    accuracy = float(np.mean((scores >= 0.5) == (frame["label"].to_numpy() == 1)))
    assert accuracy >= OOD_MIN_ACCURACY, f"OOD accuracy {accuracy:.3f} < {OOD_MIN_ACCURACY}; see benchmarks/results/sentiment_dev.md"


def test_shipped_config_lists_the_default_rules(shipped: SentimentClassifier) -> None:
    # the shipped config.json freezes the label rules; a change to the defaults must be written there too
    from cxnlp.sentiment.rules import ENDORSEMENT_PATTERNS, NEGATED_COMPLAINT_PATTERNS, NO_OPINION_PATTERNS

    config = shipped.get_config()
    assert config["no_opinion_patterns"] == list(NO_OPINION_PATTERNS)
    assert config["negated_complaint_patterns"] == list(NEGATED_COMPLAINT_PATTERNS)
    assert config["endorsement_patterns"] == list(ENDORSEMENT_PATTERNS)
