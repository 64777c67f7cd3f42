"""The neutral rules on their own: the score band and the no-opinion clause patterns."""

from __future__ import annotations

import pytest

from cxnlp.doc import Clause, Document
from cxnlp.errors import ConfigError
from cxnlp.sentiment.neutral import NO_OPINION_PATTERNS, NoOpinionRule, PolarityRule, check_band, clause_texts

RULE = NoOpinionRule(NO_OPINION_PATTERNS)


@pytest.mark.parametrize(
    "clauses",
    [["还没用"], ["还没用", "不知道怎么样"], ["已收到"], ["还没吃"], ["东西刚到"], ["用了再来评价"], ["效果有待观察"],
     ["暂时还没拆开"], ["还没用不知道怎么样"], ["嗯"], ["还 没 用 过"], ["没用过"], ["外卖到了"]],
)
def test_no_opinion_clauses(clauses: list[str]) -> None:
    assert RULE(clauses)


@pytest.mark.parametrize(
    "clauses",
    [["还没用就坏了"], ["已收到", "质量很好"], ["不知道为什么这么难吃"], ["很好"], [], ["没用"], ["真没用"], ["到了就坏了"]],
)
def test_opinion_clauses_are_not_caught(clauses: list[str]) -> None:
    # a bare 没用 is "useless", an opinion: the patterns need 还/暂时... before it or 过 after it
    assert not RULE(clauses)


def test_band_and_rule_order() -> None:
    rule = PolarityRule((0.4, 0.6), [])
    doc = Document("x")
    assert [rule(s, doc) for s in (0.0, 0.4, 0.41, 0.5, 0.59, 0.6, 1.0)] == [
        "negative", "negative", "neutral", "neutral", "neutral", "positive", "positive"]
    off = PolarityRule((0.5, 0.5), [])
    assert [off(s, doc) for s in (0.49, 0.5)] == ["negative", "positive"]
    no_opinion = PolarityRule((0.5, 0.5), None)
    assert no_opinion(0.99, Document("已收到")) == "neutral"


@pytest.mark.parametrize("band", [(0.6, 0.4), (0.2, 0.4), (0.6, 1.2), ("a", "b"), (0.5,), None])
def test_bad_band(band: object) -> None:
    with pytest.raises(ConfigError, match="neutral_band"):
        check_band(band)  # type: ignore[arg-type]


def test_bad_pattern() -> None:
    with pytest.raises(ConfigError, match="regular expressions"):
        NoOpinionRule(["(unclosed"])


def test_clause_texts_use_norm_and_fallback_split() -> None:
    doc = Document("還沒用，不知道", norm="还没用,不知道", clauses=[Clause(0, 3, "還沒用"), Clause(4, 7, "不知道")])
    assert clause_texts(doc) == ["还没用", "不知道"]
    assert clause_texts(Document("还没用，已收到")) == ["还没用", "已收到"]
