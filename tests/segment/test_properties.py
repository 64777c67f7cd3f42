"""Property test: arbitrary Unicode through the segment pipeline never fails and keeps offsets valid."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cxnlp import Pipeline
from cxnlp.segment import Segmenter

NLP = Pipeline([Segmenter(user_dict=["快递小哥"])])

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
TRADITIONAL = st.sampled_from("烹調後來頭髮軟體閃退櫃檯態度還錯")
EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF) | st.sampled_from("\u200d\ufe0f\u20e3☆★")
PUNCT = st.sampled_from("，。！？；：、…～,.!?;:~ \t\n\r\u3000http://www.@ＡＢＣ１２３")
ODD = st.characters(codec=None, categories=["Cc", "Cf", "Mn", "Zs", "Cs", "Co"]) | st.sampled_from("\x00\u202e\u200b\ufeff")
ANY = st.characters()
FRAGMENTS = st.sampled_from(
    ["http://x.com/a?b=1", "https://t.cn/x.y,", "www.a.cn。", "kf@qq.com", "3.5分", "1,299元", "10:30",
     "iPhone13", "ＡＢＣ", "快递小哥", "烹調", "很给力", "👍🏻", "1\ufe0f\u20e3", "\r\n", "...", "！！"]
)
TEXTS = st.lists(st.text(CJK | TRADITIONAL | EMOJI | PUNCT | ODD | ANY, max_size=20) | FRAGMENTS, max_size=6).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=4))
def test_arbitrary_unicode_never_fails_and_offsets_hold(texts: list[str]) -> None:
    docs = list(NLP.pipe(texts))
    assert len(docs) == len(texts)
    for doc in docs:
        if doc.error is not None:
            assert doc.error == "empty text"
            continue
        assert len(doc.norm) == len(doc.text)
        position = 0
        for token in doc.tokens:
            assert token.text and token.norm
            assert position <= token.start < token.end <= len(doc.text)
            assert doc.text[token.start:token.end] == token.text
            assert not token.text.isspace()
            position = token.end
        position = 0
        for clause in doc.clauses:
            assert position <= clause.start < clause.end <= len(doc.text)
            assert doc.text[clause.start:clause.end] == clause.text
            assert clause.text == clause.text.strip() != ""
            position = clause.end
