"""Chat transcripts: the agent's turns and the speaker labels give no token or clause."""

from __future__ import annotations

import pytest

from cxnlp.doc import Document
from cxnlp.segment import Segmenter
from cxnlp.segment.turns import AGENT, CUSTOMER, find_turns, speaker_of

CHAT = "客服：您好，请问有什么可以帮您？\n客户：我的快递三天了还没到\n客服：非常抱歉，给您带来不便\n客户：好的"


@pytest.mark.parametrize(("label", "speaker"), [
    ("客服", AGENT), ("客服小王", AGENT), ("人工客服", AGENT), ("售后专员", AGENT), ("商家", AGENT), ("客户经理", AGENT),
    ("agent", AGENT), ("客户", CUSTOMER), ("用户", CUSTOMER), ("买家", CUSTOMER), ("我", CUSTOMER), ("customer", CUSTOMER),
    ("物流", None), ("总结", None), ("http", None), ("味道", None), ("会员", None),  # 会员：很划算 rates the membership
])
def test_speaker_labels(label: str, speaker: str | None) -> None:
    assert speaker_of(label) == speaker


def test_transcript_turns_and_blanked_agent(segmenter: Segmenter) -> None:
    doc = segmenter(Document(CHAT))
    assert [t.speaker for t in doc.turns] == [AGENT, CUSTOMER, AGENT, CUSTOMER]
    assert doc.turns[0].start == 0 and doc.turns[-1].end == len(CHAT)
    assert all(a.end == b.start for a, b in zip(doc.turns, doc.turns[1:]))
    assert CHAT[doc.turns[1].body_start:doc.turns[1].end].startswith("我的快递")
    assert len(doc.norm) == len(CHAT)
    assert [c.text for c in doc.clauses] == ["我的快递三天了还没到", "好的"]
    words = "".join(t.text for t in doc.tokens)
    assert "抱歉" not in words and "客服" not in words and "客户" not in words and "快递" in words
    assert all(CHAT[t.start:t.end] == t.text for t in doc.tokens)  # offsets still index the original


@pytest.mark.parametrize("text", [
    "[10:31] 客服小王: 很高兴为您服务\n[10:32] 我: 空调不制冷，师傅一直没来",
    "客服:很高兴为您服务\n用户:空调不制冷，师傅一直没来",
    "2024-05-01 10:31 客服：很高兴为您服务\n2024-05-01 10:32 客户：空调不制冷，师傅一直没来",
    # a transcript exported as one line: labels after a space, a bar or a sentence end
    "客服：很高兴为您服务 客户：空调不制冷，师傅一直没来",
    "客服:很高兴为您服务|用户:空调不制冷，师傅一直没来",
    "2024-05-01 10:31:05 客服小王：很高兴为您服务 2024-05-01 10:32:40 我：空调不制冷，师傅一直没来",
])
def test_time_stamps_and_label_forms(segmenter: Segmenter, text: str) -> None:
    doc = segmenter(Document(text))
    assert [t.speaker for t in doc.turns] == [AGENT, CUSTOMER]
    assert [c.text for c in doc.clauses] == ["空调不制冷", "师傅一直没来"]


@pytest.mark.parametrize("text", [
    "客服：态度很差\n物流：很快",  # aspects laid out with colons: no customer speaks, so no transcript
    "客户：快递三天了还没到",  # a ticket note: nobody answers
    "服务态度：很好，下次还来",
    "客服：很耐心\n会员：很划算",
    # inside a line only a bare speaker name is a label: these report or rate
    "昨天打电话问。客服说：明天到。我觉得：不靠谱",
    "包装：很好 物流：很快 客服：态度好",
    "我们的客服系统：很好用 用户体验：一般",
])
def test_not_transcripts_stay_whole(segmenter: Segmenter, text: str) -> None:
    doc = segmenter(Document(text))
    assert doc.turns == [] and doc.norm == segmenter.normalizer(text)
    assert find_turns(doc.norm) == []


def test_chat_turns_off(segmenter: Segmenter) -> None:
    doc = Segmenter(chat_turns=False)(Document(CHAT))
    assert doc.turns == [] and "非常抱歉" in [c.text for c in doc.clauses]
    assert Segmenter(chat_turns=False).get_config()["chat_turns"] is False


def test_turns_round_trip(segmenter: Segmenter) -> None:
    doc = segmenter(Document(CHAT))
    assert Document.from_dict(doc.to_dict()).turns == doc.turns
