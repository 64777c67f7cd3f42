"""The shipped risk stage with whatever upstream stages models/default holds."""

from __future__ import annotations

import pytest

from cxnlp.pipeline import Pipeline, default_model_dir
from cxnlp.risk import RiskScorer
from cxnlp.risk.train import model_dir_upstream


@pytest.fixture(scope="module")
def nlp() -> Pipeline:
    base = default_model_dir()
    if not (base / "risk" / "config.json").is_file():
        pytest.skip("models/default/risk is not built (run models/fit_risk.py)")
    upstream = model_dir_upstream(base)
    return Pipeline([*upstream.stages, ("risk", RiskScorer.from_dir(base / "risk"))])


def test_shipped_stage_loads_with_meta(nlp: Pipeline) -> None:
    meta = nlp.get_stage("risk").meta()
    assert "fitted" in meta and "selection" in meta and meta["trained_on"]["terms"]


@pytest.mark.parametrize(
    ("text", "level", "first_reason"),
    [
        ("送餐太慢了，菜都凉了，再也不点了", "high", "流失意图: 再也不点了"),
        ("差点就退货了，还好客服耐心解决了", None, "退款退货(未发生): 差点就退货了"),
        ("味道很好，送餐也快，下次还点", "low", None),
        # survey answers with nothing to say: the sentiment stage's no-opinion call is no negative evidence
        ("无", "low", None),
        ("暂无意见", "low", None),
        ("同上", "low", None),
        ("？？", "low", None),
        ("建议增加发票功能", "low", None),
        ("你好，我的订单什么时候发货", "low", None),
        ("请问为什么还不发货", "medium", None),
        ("配送员相当没有礼貌", "medium", None),  # an unsure (band-neutral) sentiment still counts
    ],
)
def test_full_pipeline_levels_and_reasons(nlp: Pipeline, text: str, level: str | None, first_reason: str | None) -> None:
    risk = nlp(text).risk
    assert risk is not None
    if level is None:
        assert risk.level != "high"
    else:
        assert risk.level == level
    if first_reason is not None:
        assert risk.reasons[0] == first_reason


def test_negative_evidence_from_upstream_is_named(nlp: Pipeline) -> None:
    doc = nlp("送餐太慢了，等了两个小时，菜都凉了")
    assert doc.risk is not None and doc.risk.level == "medium"
    if "sentiment" in nlp:
        assert any(r.startswith("负面情绪: ") for r in doc.risk.reasons)
    if "aspects" in nlp and doc.opinions:
        assert any(r.startswith("负向评价: ") for r in doc.risk.reasons)


#: Praise the models alone misread (most scored below 0.45, so their risk came out medium): survey
#: answers that deny a problem, recommendations and returning customers (NPS-style answers), thanks.
NEGATED_COMPLAINTS = ["没问题", "没有问题", "没毛病", "不差", "不难吃", "不后悔", "不麻烦", "没有缺点", "挑不出毛病", "没有色差",
                      "零差评", "没有让我失望", "已收到，没有破损", "問題不大", "不到半小时就送到了", "当天就发货了",
                      "退款不到一天就到账了", "退货没问题"]
ENDORSEMENTS = ["推荐购买", "墙裂推荐", "推荐芝麻花生酱加麻油", "建议大家去吃", "已经推荐给朋友了", "回头客了", "老顾客了",
                "每次都点这家", "会再来的", "没有色差，推荐购买", "谢谢客服耐心解答", "客户表示对处理结果满意"]
#: Ticket notes that close a case.
RESOLVED = ["问题已解决", "客户已确认解决", "已经修好了"]


@pytest.mark.parametrize("text", ["扣费有误，客服核实后当场退还了", "路由器坏了，营业厅直接给换了台新的，没花一分钱"])
def test_a_fixed_problem_is_no_high_risk(nlp: Pipeline, text: str) -> None:
    # the sentiment stage reads a fix with nothing but praise after it; its refund or complaint words are softened
    doc = nlp(text)
    if "sentiment" in nlp:
        assert doc.sentiment.rule == "resolution", doc.sentiment
        assert doc.risk.level != "high", doc.risk


@pytest.mark.parametrize("text", NEGATED_COMPLAINTS + ENDORSEMENTS + RESOLVED)
def test_missed_praise_reads_as_praise_in_every_stage(nlp: Pipeline, text: str) -> None:
    doc = nlp(text)
    assert doc.sentiment.label == "positive" and doc.sentiment.score >= 0.8, doc.sentiment
    assert doc.risk.level == "low" and not doc.risk.reasons, doc.risk
    assert all(o.polarity == "positive" for o in doc.opinions), doc.tags


@pytest.mark.parametrize("text", ["花蛤里全是沙子", "错别字太多，怀疑是不是盗版，郁闷！", "粥里面竟然有蛋壳"])
def test_a_sure_complaint_gets_no_praise_tag(nlp: Pipeline, text: str) -> None:
    # the restaurant aspects model called these opinions praise; the sentiment stage is sure they are complaints
    doc = nlp(text)
    assert doc.sentiment.score <= 0.05 and not [t for t in doc.tags if t.startswith("正向评价")], doc.tags
