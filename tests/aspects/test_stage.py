"""The aspects stage contract: factory, requirements, bad input, long texts, summarize."""

from __future__ import annotations

import pandas as pd
import pytest

import cxnlp
from cxnlp.aspects import AspectExtractor, summarize
from cxnlp.errors import ConfigError, PipelineError
from cxnlp.pipeline import Pipeline
from cxnlp.stage import stage_class


def test_factory_and_contract() -> None:
    assert stage_class("aspects") is AspectExtractor
    assert AspectExtractor.requires == ("tokens", "clauses") and AspectExtractor.provides == ("opinions",)
    with pytest.raises(PipelineError):
        Pipeline([AspectExtractor(mode="lexicon")])


def test_bad_arguments() -> None:
    with pytest.raises(ConfigError, match="mode"):
        AspectExtractor(mode="magic")
    with pytest.raises(ConfigError, match="max_chunk"):
        AspectExtractor(max_chunk=0)


@pytest.mark.parametrize("text", ["今天去了公司", "1234567", "。。。，，", "a", "🙂🙂"])
def test_no_opinion_gives_empty_list(nlp, text: str) -> None:
    doc = nlp(text)
    assert doc.error is None and doc.opinions == []


@pytest.mark.parametrize(("text", "tags"), [("暂无意见", []), ("无无", []), ("同上", []),
                                           ("希望能增加夜间模式", ["中性评价: 希望能增加夜间模式"])])
def test_no_opinion_remarks_keep_only_requests(nlp, text: str, tags: list[str]) -> None:
    # the sentiment stage's no-opinion rule: a survey answer such as 暂无意见 is no praise, a request stays neutral
    assert nlp(text).tags == tags


@pytest.mark.parametrize(("text", "tags"), [("好吃👍", ["正向评价: 好吃"]), ("服务很好👍👍👍", ["正向评价: 服务好"]),
                                           ("肥肉太多...", ["负向评价: 肥肉太多"]),
                                           ("非常好吃，量足，价格也比较合适.服务也很好!",
                                            ["正向评价: 好吃", "正向评价: 量足", "正向评价: 服务好"])])
def test_tags_leave_emoji_and_punctuation_out(nlp, text: str, tags: list[str]) -> None:
    assert nlp(text).tags == tags


@pytest.mark.parametrize("text", ["😂😂😂笑死我了，包装破成这样", "🙄🙄服务员爱答不理", "❤️❤️味道很好"])
def test_emoji_are_never_aspects(nlp, text: str) -> None:
    doc = nlp(text)
    assert doc.opinions
    assert all(o.aspect is None or any(ch.isalnum() for ch in o.aspect) for o in doc.opinions), doc.opinions
    assert not any(ch in tag for tag in doc.tags for ch in "😂🙄❤"), doc.tags


def test_bad_values_keep_their_rows(nlp) -> None:
    docs = list(nlp.pipe([None, "", "送餐太慢了"]))
    assert [d.error is not None for d in docs] == [True, True, False]
    assert docs[2].tags == ["负向评价: 送餐慢"]


def test_long_text_is_processed_in_chunks(nlp) -> None:
    sentence = "送餐太慢了，味道还不错。"
    text = sentence * 420  # 5,040 characters
    doc = nlp(text)
    assert doc.error is None
    assert len(doc.opinions) >= 400
    for op in doc.opinions:
        assert doc.text[op.opinion_span[0]:op.opinion_span[1]] == op.opinion
        if op.aspect_span:
            assert doc.text[op.aspect_span[0]:op.aspect_span[1]] == op.aspect


def test_spans_index_the_original_text(nlp) -> None:
    doc = nlp("ＡＰＰ閃退，服務很差")  # full-width and traditional characters
    assert doc.opinions
    for op in doc.opinions:
        assert doc.text[op.opinion_span[0]:op.opinion_span[1]] == op.opinion


def test_sentiment_is_optional(nlp) -> None:
    doc = nlp("性价比很高")
    assert doc.sentiment is None and doc.tags == ["正向评价: 性价比高"]


def _docs(nlp):
    return list(nlp.pipe(["送餐太慢了", "送餐太慢了，菜也凉了", "服务员很热情", "网络很顺畅"]))


def test_summarize_documents(nlp) -> None:
    table = summarize(_docs(nlp))
    assert list(table.columns) == ["level", "category", "tag", "positive", "negative", "neutral", "total", "examples"]
    first = table.iloc[0]
    assert (first["level"], first["category"]) == ("category", "物流配送")
    assert first["negative"] >= 2
    tag_row = table[(table["level"] == "tag") & (table["tag"] == "负向评价: 送餐慢")].iloc[0]
    assert tag_row["negative"] == 2 and tag_row["examples"] == ["送餐太慢了", "送餐太慢了，菜也凉了"]
    assert summarize(_docs(nlp), examples=1).iloc[0]["examples"] == ["送餐太慢了"]


def test_summarize_frame(nlp) -> None:
    from cxnlp.frame import docs_to_frame

    docs = _docs(nlp)
    frame = pd.concat([pd.DataFrame({"comment": [d.text for d in docs]}), docs_to_frame(docs)], axis=1)
    table = summarize(frame, by="category", text_col="comment")
    assert table["total"].sum() == sum(len(d.opinions) for d in docs)
    named = table[table["category"] != "其他"]
    assert list(named["negative"]) == sorted(named["negative"], reverse=True)
    assert cxnlp.summarize is summarize
    with pytest.raises(Exception, match="text"):
        summarize(frame)
    with pytest.raises(ConfigError, match="by"):
        summarize(docs, by=("colour",))


def test_confident_document_sentiment_settles_an_unsure_polarity(extractor, segmenter) -> None:
    from cxnlp.doc import Document, Sentiment

    doc = segmenter(Document("口感奇特"))  # 奇特 is no lexicon word
    words = [(t.start, t.end, t.norm) for t in doc.tokens]

    def decide(score: float, sentiment: Sentiment | None) -> str:
        return extractor._check_polarity(doc.norm, words, (0, 2), (2, 4), "positive", score, sentiment)[0]

    assert decide(0.4, Sentiment("negative", 0.05)) == "negative"
    assert decide(0.4, None) == "positive"
    assert decide(0.4, Sentiment("negative", 0.45)) == "positive"  # an unsure document decides nothing
    assert decide(0.95, Sentiment("negative", 0.15)) == "positive"  # a confident model keeps its call
    # ... unless the document is surely a complaint and the opinion holds no praise word (花蛤里全是沙子)
    assert decide(0.95, Sentiment("negative", 0.03)) == "negative"


def test_summarize_puts_the_catch_all_category_last(nlp) -> None:
    docs = list(nlp.pipe(["等了132分钟", "等了两个小时", "太失望了", "送餐太慢了"]))  # waits with no aspect fall in 其他
    table = summarize(docs, by="category")
    assert table.iloc[-1]["category"] == "其他" and table.iloc[-1]["negative"] > table.iloc[0]["negative"]


def test_overall_verdicts_have_their_own_category(nlp) -> None:
    categories = {o.category for text in ["差评", "垃圾", "太失望了", "下次还会再来"] for o in nlp(text).opinions}
    assert categories == {"整体评价"}
