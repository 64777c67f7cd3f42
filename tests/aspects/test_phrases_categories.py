"""Tag phrases (fillers trimmed) and category assignment with user overrides."""

from __future__ import annotations

import json

import pytest

from cxnlp.aspects import AspectExtractor, CategoryMapper, Lexicon
from cxnlp.doc import Document, Opinion
from cxnlp.errors import ConfigError
from cxnlp.pipeline import Pipeline


@pytest.mark.parametrize(("text", "aspect", "opinion", "phrase"), [
    ("鳕鱼有点少", "鳕鱼", "有点少", "鳕鱼少"),
    ("送餐速度很慢", "送餐速度", "很慢", "送餐速度慢"),
    ("味道就是非常一般", "味道", "就是非常一般", "味道一般"),
    ("服务员也很热情的", "服务员", "也很热情的", "服务员热情"),
    ("房间不太干净", "房间", "不太干净", "房间不太干净"),
    ("下次还会光顾的", None, "下次还会光顾的", "下次还会光顾"),
    # an aspect after the opinion words of its short clause stays in place
    ("强烈推荐他家的芒果汁", "芒果汁", "强烈推荐他家的芒果汁", "强烈推荐他家芒果汁"),
    ("不推荐购买", "购买", "不推荐购买", "不推荐购买"),
    ("我对这家酒店非常满意", "酒店", "我对这家酒店非常满意", "对这家酒店满意"),
    # ... unless the phrase would grow long: the aspect then leads the trimmed core
    ("一般的服务员很和气会主动向你问好", "服务员", "一般的服务员很和气会主动向你问好", "服务员一般"),
    # 很多 ending the clause is the verdict, not a filler
    ("米饭给的很多", "米饭", "给的很多", "米饭给很多"),
    # a long core is cut around the opinion word; 满意 of 满意度 is no opinion word (满意度很低 is no praise)
    ("客户满意度提升了不少", None, "客户满意度提升了不少", "提升不少"),
])
def test_phrase_trims_fillers(segmenter, text: str, aspect: str | None, opinion: str, phrase: str) -> None:
    doc = segmenter(Document(text))
    words = [(t.start, t.end, t.norm) for t in doc.tokens]
    a = (text.index(aspect), text.index(aspect) + len(aspect)) if aspect else None
    o = (text.index(opinion), text.index(opinion) + len(opinion))
    assert Lexicon.default().phrase(doc.norm, words, a, o) == phrase


@pytest.mark.parametrize(("opinion", "polarity"), [
    ("下次还住", "positive"), ("下次还会再来的", "positive"), ("还会光顾", "positive"), ("以后还会在京东继续购物", None),
    ("下次绝对不会购买", "negative"), ("下次也不考虑入住", "negative"), ("以后不可能再来了", "negative"),
    ("以后基本不大可能再来了吧", "negative"), ("下次不敢购买", "negative"), ("以后不得光顾了", "negative"),
    ("不好吃", None), ("越吃越热", None), ("下次请注意", None), ("很好吃", None),
])
def test_return_statements(opinion: str, polarity: str | None) -> None:
    assert Lexicon.default().return_polarity(opinion) == polarity


def test_tag_uses_phrase() -> None:
    op = Opinion("鳕鱼", "有点少", "negative", (0, 2), (2, 5), phrase="鳕鱼少")
    assert op.tag == "负向评价: 鳕鱼少"


def test_negation_flips_polarity(lexicon_nlp) -> None:
    assert lexicon_nlp("房间不干净").opinions[0].polarity == "negative"
    assert lexicon_nlp("菜一点都不油腻").opinions[0].polarity == "positive"
    assert lexicon_nlp("价格不贵").opinions[0].polarity == "positive"


@pytest.mark.parametrize(("text", "phrase"), [
    ("质量不怎么好", "质量不怎么好"), ("早餐不咋好吃", "早餐不好吃"), ("质量不大好", "质量不大好"),
    ("味道没那么好", "味道没那么好"), ("味道不那么好", "味道不那么好"), ("服务算不上好", "服务算不上好"),
    ("服务谈不上好", "服务谈不上好"), ("效果不太理想", "效果不太理想"), ("布料不咋地", "布料不咋地"),
])
def test_weakened_negations_are_complaints(lexicon_nlp, text: str, phrase: str) -> None:
    assert lexicon_nlp(text).tags == [f"负向评价: {phrase}"]


def test_cost_aspects_flip_up_and_down_words(lexicon_nlp) -> None:
    assert lexicon_nlp("价格很高").opinions[0].polarity == "negative"
    assert lexicon_nlp("评分很高").opinions[0].polarity == "positive"
    assert lexicon_nlp("价格很低").opinions[0].polarity == "positive"


@pytest.mark.parametrize(("aspect", "opinion", "category"), [
    ("送餐", "慢", "物流配送"),
    ("服务员", "热情", "服务态度"),
    ("性价比", "高", "价格"),
    ("味道", "一般", "口味"),
    ("系统", "卡", "系统功能"),
    ("卫生间", "脏", "卫生"),
    ("停车场", "难找", "位置交通"),
    ("退款", "太慢", "售后"),
    ("装修", "漂亮", "环境"),
    ("做工", "精致", "产品质量"),
    (None, "好吃", "口味"),
    ("阿姨", "nice", "其他"), ("阿姨", "不错", "其他"),
    # a verdict with no aspect at all judges the whole; other implicit opinions stay in 其他
    (None, "差评", "整体评价"), (None, "不错", "整体评价"), (None, "等132分钟", "其他"),
    # implicit complaints whose words name the area
    (None, "没收到", "物流配送"), (None, "屏幕有瑕疵", "产品质量"), (None, "申请价保不给", "售后"), (None, "一直推销", "服务态度"),
    # products, dishes and sellers named in reviews (were 其他)
    ("机子", "不错", "产品质量"), ("寿司", "新鲜", "口味"), ("商家", "不回复", "服务态度"), ("报表", "好用", "系统功能"),
    # hygiene and safety complaints go to 卫生 whatever the aspect; 头发 as the aspect of a shampoo does not
    ("饭", "饭里有塑料片", "卫生"), ("房间", "房间里有蟑螂", "卫生"), ("菜", "吃出一根头发", "卫生"),
    ("头发", "顺滑", "产品质量"),
])
def test_default_categories(aspect: str | None, opinion: str, category: str) -> None:
    assert CategoryMapper()(aspect, opinion) == category


def test_user_category_map_overrides(tmp_path) -> None:
    mapper = CategoryMapper({"阿姨": "服务态度", "送餐": "外卖平台"})
    assert mapper("阿姨", "") == "服务态度"
    assert mapper("送餐速度", "慢") == "外卖平台"  # user words beat the taxonomy, also inside longer aspects
    assert "外卖平台" in mapper.categories
    path = tmp_path / "map.json"
    path.write_text(json.dumps({"网速": "网络质量"}, ensure_ascii=False), encoding="utf-8")
    assert CategoryMapper(path)("网速", "慢") == "网络质量"
    csv_path = tmp_path / "map.csv"
    csv_path.write_text("aspect,category\n网速,网络质量\n", encoding="utf-8")
    assert CategoryMapper(csv_path)("网速", "慢") == "网络质量"


def test_user_category_map_in_the_stage(segmenter) -> None:
    nlp = Pipeline([segmenter, AspectExtractor(mode="lexicon", category_map={"网络": "网络质量"})])
    assert [o.category for o in nlp("网络很顺畅").opinions] == ["网络质量"]


def test_bad_category_map(tmp_path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        CategoryMapper(tmp_path / "missing.json")
    bad = tmp_path / "bad.csv"
    bad.write_text("网速\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="rows \\[1\\]"):
        CategoryMapper(bad)
    with pytest.raises(ConfigError):
        CategoryMapper(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "pos", "start"), [
    ("山药粥没有海鲜粥好喝", 8, 3), ("不如以前好吃", 4, 0), ("没那么好吃", 3, 0), ("没有比这更好吃的了", 5, None),
    ("没有异味，很好吃", 7, None), ("很好吃", 1, None),
])
def test_comparison_start(text: str, pos: int, start: int | None) -> None:
    from cxnlp.aspects.lexicon import comparison_start

    assert comparison_start(text, 0, pos) == start
