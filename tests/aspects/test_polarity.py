"""Opinion polarity outside the restaurant training data: the lexicon's negation scope, quantity
phrases, cost-like aspects, and the vote of lexicon and document sentiment against the model.

Sentences are hand-written for these tests (telecom, software, e-commerce, hotel, banking).
"""

from __future__ import annotations

import pytest

import cxnlp
from cxnlp.aspects import Lexicon
from cxnlp.aspects.lexicon import Word
from cxnlp.doc import Document
from cxnlp.pipeline import Pipeline

#: (text, opinion word in the text, expected lexicon polarity of the clause holding it)
LEXICON_CASES: list[tuple[str, str, str]] = [
    ("这款路由器一点都不卡", "卡", "positive"),           # 不卡 is one token: the negation is glued on
    ("新系统用起来不卡了", "卡", "positive"),
    ("用了两年从来没遇到过死机", "死机", "positive"),     # negation before bridge words (遇到, 过)
    ("手机没出现过发热", "发热", "positive"),
    ("出现过几次死机", "死机", "negative"),               # a bridge word alone negates nothing
    ("这个套餐月租太高了", "高", "negative"),             # cost-like thing rated inside the opinion
    ("信号覆盖率很高", "高", "positive"),
    ("冰箱的小毛病不少", "不少", "negative"),             # 不少 = many: bad for faults, good for food
    ("赠品给得不少", "不少", "positive"),
    ("客服互相推卸，让人很反感", "反感", "negative"),
    ("退款流程来回折腾", "折腾", "negative"),
    ("房间有股烟味", "烟味", "negative"),
    ("这价格真不值", "不值", "negative"),
    ("饮料一点都没洒", "洒", "positive"),
    ("打开文件全是乱码", "乱码", "negative"),
    ("售后电话一直占线", "占线", "negative"),
    ("隔音太差，一晚上没睡好", "好", "negative"),         # 没睡 + 好: a negated verb before its result
    ("床单没洗干净", "干净", "negative"),
    ("一晚上都睡得很好", "好", "positive"),
    ("这家店我不会推荐给朋友", "推荐", "negative"),       # 不会 negates
    ("价格不会太贵", "贵", "positive"),
    ("房间里好吵", "吵", "negative"),                   # 好 before an opinion word is its degree
    ("等了好久还没到，好郁闷", "郁闷", "negative"),
    ("等了将近两个小时才送到", "等", "negative"),       # a long wait, with no opinion word
    ("包装精致，可是等了近两个小时", "等", "negative"),  # 近 inside the wait is no praise of a location
    ("和企业微信打通了，消息再也不会漏了", "漏", "positive"),  # 再也不会 negates
    ("早上去人也不多", "人也不多", "positive"),
]


def _words(doc: Document) -> list[Word]:
    return [(t.start, t.end, doc.norm[t.start:t.end]) for t in doc.tokens]


def _clause_polarity(lexicon: Lexicon, doc: Document, word: str) -> str | None:
    start = doc.norm.index(word)
    clause = next((c.start, c.end) for c in doc.clauses if c.start <= start < c.end)
    return lexicon.span_polarity(doc.norm, _words(doc), clause, None)


@pytest.fixture(scope="module")
def segment(segmenter) -> Pipeline:  # type: ignore[no-untyped-def]
    return Pipeline([segmenter])


@pytest.mark.parametrize(("text", "word", "expected"), LEXICON_CASES, ids=[c[0] for c in LEXICON_CASES])
def test_lexicon_polarity(segment: Pipeline, text: str, word: str, expected: str) -> None:
    assert _clause_polarity(Lexicon.default(), segment(text), word) == expected


@pytest.mark.parametrize(("text", "not_an_opinion"), [
    ("打了好几次电话才接通", "好"),       # 好几次: a quantity
    ("等了好久才有人理", "好"),
    ("快递到了，还没用", "没用"),         # not used yet, not useless
    ("最近一直在用", "近"),               # 最近: recently
    ("快半个小时了还没送到", "快"),       # 快 + a number: almost
    ("抽到大奖，全家高兴坏了", "坏"),     # 坏 as a degree after an emotion
    ("发现盗刷后马上冻结了卡", "卡"),     # a card, not lag
    ("好贵的菜", "好"),                   # a degree before an opinion word
    ("等了近两个小时", "近"),             # part of a wait
    ("主管随时能看到排队情况", "排队"),   # the queue's status, not a complaint about queueing
])
def test_phrases_that_only_look_like_opinions(segment: Pipeline, text: str, not_an_opinion: str) -> None:
    doc = segment(text)
    hits = Lexicon.default().find_hits(doc.norm, _words(doc), 0, len(doc.norm))
    assert not_an_opinion not in [w for _, _, w in hits]


@pytest.mark.parametrize("text", ["检查过了，网络没有问题", "用了一个月，暂时没发现大问题", "刚收到还没试"])
def test_no_problem_is_not_a_missing_feature(lexicon_nlp: Pipeline, text: str) -> None:
    # no complaint; a denied problem may be praise (正向评价: 网络没有问题), as in the sentiment stage
    assert all(o.polarity == "positive" for o in lexicon_nlp(text).opinions)


def test_a_missing_feature_is_a_complaint(lexicon_nlp: Pipeline) -> None:
    assert [o.polarity for o in lexicon_nlp("没有消息提醒").opinions] == ["negative"]


@pytest.fixture(scope="module")
def full() -> Pipeline:
    return cxnlp.load()


@pytest.mark.parametrize(("text", "expected"), [
    # lexicon and a confident document sentiment outvote an overconfident restaurant model
    ("开户要跑三趟，手续费还高，体验很差", ["负向评价: ~手续费"]),
    ("升级以后电脑一点都不卡了，速度飞快", ["正向评价: ~不卡"]),
    # mixed feedback keeps both polarities: the document sentiment alone never flips an opinion
    ("屏幕很清晰，但是电池太不耐用了", ["正向评价: ~清晰", "负向评价: ~耐用"]),
    ("房间有点小，不过前台很热情", ["负向评价: ~小", "正向评价: ~热情"]),
    # an unsure model's opinion that is the whole text takes the confident document's polarity
    ("在牛肉饭里吃出钢丝球", ["负向评价: ~钢丝球"]),
    ("要求退款", ["负向评价: 要求退款"]),
    ("2个多小时才送到", ["负向评价: ~送到"]),
    # requests are neutral, unless they recommend (建议大家去吃) or warn (建议不要买)
    ("界面不太好找，希望优化一下", ["负向评价: ~好找", "中性评价: ~优化"]),
    ("希望商家尽快处理", ["中性评价: ~尽快处理"]),
    # praise in quotation marks, in a text the sentiment stage calls negative, is irony; a quoted name is not
    ('电话打了五遍没人接，这服务真是"五星级"', ["负向评价: ~五星级"]),
    ("真是“准时”啊，预计40分钟，实际两个小时", ["负向评价: 准时"]),
    ("这家的“招牌菜”很好吃", ["正向评价: ~好吃"]),
])
def test_polarity_in_the_full_pipeline(full: Pipeline, has_tag, text: str, expected: list[str]) -> None:
    tags = full(text).tags
    missing = [e for e in expected if not has_tag(e, tags)]
    assert not missing, f"{text}: expected {missing} among {tags}"


@pytest.mark.parametrize(("opinion", "polarity"), [
    ("希望优化一下", "neutral"), ("建议改进一下包装", "neutral"), ("，也希望能提高配送速度", "neutral"),
    ("建议大家去吃", "positive"), ("希望越来越好", "positive"), ("建议不要买", "negative"),
    ("很好吃", None), ("不希望", None),
])
def test_request_polarity(opinion: str, polarity: str | None) -> None:
    assert Lexicon.default().request_polarity(opinion) == polarity
