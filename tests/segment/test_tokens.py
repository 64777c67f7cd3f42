"""Token tables: expected words for Chinese sentences, offsets, special tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxnlp import Pipeline
from cxnlp.doc import Document
from cxnlp.errors import ConfigError
from cxnlp.segment import Segmenter


def words(segmenter: Segmenter, text: str) -> list[str]:
    return [t.text for t in segmenter.tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("快递小哥很给力", ["快递小哥", "很", "给力"]),
        ("太给力了", ["太", "给力", "了"]),
        ("不好吃", ["不", "好吃"]),
        ("性价比很高", ["性价比", "很", "高"]),
        ("退款一直没到账", ["退款", "一直", "没", "到账"]),
        ("外卖送餐太慢了", ["外卖", "送餐", "太慢", "了"]),
        ("前台服务热情", ["前台", "服务", "热情"]),
        ("手机经常卡顿", ["手机", "经常", "卡顿"]),
        ("游戏闪退", ["游戏", "闪退"]),
        ("信号差经常掉线", ["信号", "差", "经常", "掉线"]),
        ("续航能力不行", ["续航", "能力", "不行"]),
        ("客户经理很专业", ["客户经理", "很", "专业"]),
        ("信用卡年费太贵", ["信用卡", "年费", "太贵"]),
        ("4S店保养收费高", ["4S店", "保养", "收费", "高"]),
        ("售后服务不到位", ["售后服务", "不", "到位"]),
        ("这家店的菜量很足", ["这家", "店", "的", "菜量", "很足"]),
        ("上菜速度太慢", ["上菜", "速度", "太慢"]),  # aspect + attribute stays split
        ("隔音效果差", ["隔音", "效果", "差"]),
        ("乌冬面和菲力牛排", ["乌冬面", "和", "菲力牛排"]),
        ("五星好评", ["五星好评"]),
        ("给个差评", ["给", "个", "差评"]),
    ],
)
def test_cx_dictionary_words(segmenter: Segmenter, text: str, expected: list[str]) -> None:
    assert words(segmenter, text) == expected


@pytest.mark.parametrize(
    ("text", "plain", "with_cx"),
    [
        ("快递小哥很给力", ["快递", "小哥", "很", "给", "力"], ["快递小哥", "很", "给力"]),
        ("送餐员态度好", ["送", "餐员", "态度", "好"], ["送餐员", "态度", "好"]),
    ],
)
def test_cx_dictionary_can_be_switched_off(
    segmenter: Segmenter, plain_segmenter: Segmenter, text: str, plain: list[str], with_cx: list[str]
) -> None:
    assert words(plain_segmenter, text) == plain
    assert words(segmenter, text) == with_cx


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("烹調很好吃", "烹调很好吃"),
        ("後來的服務還不錯", "后来的服务还不错"),
        ("軟體閃退", "软体闪退"),
        ("頭髮很乾燥", "头发很干燥"),
        ("櫃檯人員態度很差", "柜台人员态度很差"),
    ],
)
def test_traditional_segments_like_simplified(segmenter: Segmenter, traditional: str, simplified: str) -> None:
    trad, simp = segmenter.tokenize(traditional), segmenter.tokenize(simplified)
    assert [(t.start, t.end) for t in trad] == [(t.start, t.end) for t in simp]
    assert [t.norm for t in trad] == [t.norm for t in simp]
    assert "".join(t.text for t in trad) == traditional


@pytest.mark.parametrize(
    ("text", "expected", "norms"),
    [
        ("ＷｉＦｉ信号差", ["ＷｉＦｉ", "信号", "差"], ["wifi", "信号", "差"]),
        ("价格１２９元！", ["价格", "１２９", "元", "！"], ["价格", "129", "元", "!"]),
        ("iPhone13 手机", ["iPhone13", "手机"], ["iphone13", "手机"]),
        ("用iPad看电影", ["用", "iPad", "看", "电影"], ["用", "ipad", "看", "电影"]),
        ("好评😀😀👍🏻赞", ["好评", "😀😀👍🏻", "赞"], ["好评", "😀😀👍🏻", "赞"]),
        ("家人👨\u200d👩\u200d👧开心", ["家人", "👨\u200d👩\u200d👧", "开心"], ["家人", "👨\u200d👩\u200d👧", "开心"]),
        ("打1\ufe0f\u20e3分🇨🇳", ["打", "1\ufe0f\u20e3", "分", "🇨🇳"], ["打", "1\ufe0f\u20e3", "分", "🇨🇳"]),
        ("看 http://x.com/a?b=1 很好", ["看", "http://x.com/a?b=1", "很", "好"], ["看", "<url>", "很", "好"]),
        ("官网www.Example.com/p。", ["官网", "www.Example.com/p", "。"], ["官网", "<url>", "。"]),
        ("联系 kf.01@qq.com 谢谢", ["联系", "kf.01@qq.com", "谢谢"], ["联系", "<email>", "谢谢"]),
        ("在JD.com买的", ["在", "JD.com", "买", "的"], ["在", "<url>", "买", "的"]),
        ("m.taobao.com/i/1.htm,差", ["m.taobao.com/i/1.htm", ",", "差"], ["<url>", ",", "差"]),
        ("评分3.5分", ["评分", "3.5", "分"], ["评分", "3.5", "分"]),
    ],
)
def test_width_case_emoji_links(segmenter: Segmenter, text: str, expected: list[str], norms: list[str]) -> None:
    tokens = segmenter.tokenize(text)
    assert [t.text for t in tokens] == expected
    assert [t.norm for t in tokens] == norms


@pytest.mark.parametrize(
    "text",
    ["很 好", "很\u3000好", "很\t\n好", "很\x00好", "很\u200b好", "很\u202e好", "很\ufeff好", "  很好  "],
)
def test_whitespace_and_invisible_characters_are_never_tokens(segmenter: Segmenter, text: str) -> None:
    assert words(segmenter, text) == ["很", "好"]


@pytest.mark.parametrize("as_file", [False, True], ids=["list", "file"])
def test_user_dictionary_as_list_or_file(tmp_path: Path, as_file: bool) -> None:
    entries = ["运单号", "小龙坎 100 nz"]
    user_dict: list[str] | str = entries
    if as_file:
        path = tmp_path / "words.txt"
        path.write_text("# my words\n" + "\n\n".join(entries) + "\n", encoding="utf-8")
        user_dict = str(path)
    segmenter = Segmenter(user_dict=user_dict)
    assert words(segmenter, "小龙坎的运单号查不到") == ["小龙坎", "的", "运单号", "查不到"]
    assert segmenter.user_words == entries


def test_user_words_are_normalised_like_the_text() -> None:
    segmenter = Segmenter(user_dict=["運單號", "ＰＬＵＳ會員"])
    assert words(segmenter, "运单号查不到") == ["运单号", "查不到"]
    assert words(segmenter, "plus会员续费") == ["plus会员", "续费"]


def test_add_words_after_first_use(segmenter: Segmenter) -> None:
    local = Segmenter()
    assert words(local, "运单号查不到") != ["运单号", "查不到"]
    local.add_words(["运单号"])
    assert words(local, "运单号查不到") == ["运单号", "查不到"]
    assert local.get_config()["user_dict"] == ["运单号"]


@pytest.mark.parametrize("bad", [42, [1, 2], "/no/such/dict.txt"])
def test_bad_user_dictionary_raises_config_error(bad: object) -> None:
    with pytest.raises(ConfigError):
        Segmenter(user_dict=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "快递小哥很给力，物流很快！",
        "ＡＢＣ，烹調 http://x.com/a?b=1 😀😀 3.5分\n\t好",
        "a\x00b\u200b好\u202e吃\u0301 \ud800 é",
        "𠀀𠀁 ㄅㄆ ｶﾀｶﾅ 한국어 عربى",
    ],
)
def test_offsets_index_the_original_text(segmenter: Segmenter, text: str) -> None:
    doc = segmenter(Document(text))
    assert doc.error is None
    assert len(doc.norm) == len(text)
    for token in doc.tokens:
        assert text[token.start:token.end] == token.text
        assert token.text.strip()
    ends = [0] + [t.end for t in doc.tokens]
    assert all(a <= t.start for a, t in zip(ends, doc.tokens))
    for clause in doc.clauses:
        assert text[clause.start:clause.end] == clause.text


def test_very_long_text() -> None:
    text = "快递小哥很给力，物流很快！性价比高😀 http://x.com/a?b=1。" * 3_000
    assert len(text) > 100_000
    doc = Pipeline([Segmenter()])(text)
    assert doc.error is None
    assert doc.tokens[-1].end == len(text)
    assert all(text[t.start:t.end] == t.text for t in doc.tokens)
    assert len(doc.clauses) == 3 * 3_000


@pytest.mark.parametrize(
    "text",
    ["好" * 100_000, "a" * 100_000, "😀" * 100_000, "。" * 100_000, "a." * 50_000 + "com", "x@" * 50_000 + "a.com",
     "龘" * 100_000],  # 龘: unknown to jieba, so one 100,000-character HMM run
)
def test_very_long_runs(segmenter: Segmenter, text: str) -> None:
    tokens = segmenter.tokenize(text)
    assert tokens[0].start == 0 and tokens[-1].end == len(text)


def test_pipeline_marks_no_error_on_odd_input() -> None:
    docs = list(Pipeline([Segmenter()]).pipe(["好", "\ud800好", "\x00", "   ", None]))
    assert [d.error is None for d in docs] == [True, True, True, False, False]
    assert [t.text for t in docs[1].tokens] == ["\ufffd", "好"]
