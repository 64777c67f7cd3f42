"""fastcut.cut gives exactly the words of jieba's own Tokenizer.lcut."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxnlp.segment import Segmenter
from cxnlp.segment.fastcut import cut, hmm_cut

COMMON = "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴善送餐慢差评卡顿闪退续航给力"
TEXT = st.text(st.sampled_from(COMMON) | st.sampled_from("abcXYZ019 +#&._%-，。!\n\t") | st.characters(), max_size=60)


@pytest.fixture(scope="module")
def tokenizer(segmenter: Segmenter) -> Any:
    return segmenter.tokenizer


@pytest.mark.parametrize("hmm", [True, False])
@pytest.mark.parametrize(
    "text",
    ["", "快递小哥很给力", "iPhone13 手机\r\n好用", "c++ 和 c# 3.5% a-b", "送餐员特好", "２０２０年，很好！", "😀好\u3000的"],
)
def test_table_matches_jieba(tokenizer: Any, text: str, hmm: bool) -> None:
    assert cut(tokenizer, text, hmm) == tokenizer.lcut(text, HMM=hmm)


@settings(max_examples=200, deadline=None)
@given(TEXT, st.booleans())
def test_random_text_matches_jieba(tokenizer: Any, text: str, hmm: bool) -> None:
    assert cut(tokenizer, text, hmm) == tokenizer.lcut(text, HMM=hmm)


HMM_TEXT = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FD5) | st.sampled_from(COMMON + "ab1.5%，龘靐"), max_size=40)


@settings(max_examples=200, deadline=None)
@given(HMM_TEXT)
def test_hmm_matches_jieba_finalseg(text: str) -> None:
    from jieba import finalseg

    words: list[str] = []
    hmm_cut(text, words)
    assert words == list(finalseg.cut(text))


def test_hmm_honours_jieba_force_split_words(monkeypatch: pytest.MonkeyPatch) -> None:
    from jieba import finalseg

    words: list[str] = []
    hmm_cut("张晓明说话", words)
    assert "张晓明" in words
    monkeypatch.setattr(finalseg, "Force_Split_Words", {"张晓明"})
    words.clear()
    hmm_cut("张晓明说话", words)
    assert words == list(finalseg.cut("张晓明说话")) == ["张", "晓", "明", "说", "话"]


@pytest.mark.data
def test_corpus_matches_jieba(tokenizer: Any, segmenter: Segmenter, data_dir: Path) -> None:
    with open(data_dir / "sentiment" / "waimai_10k" / "dev.csv", encoding="utf-8", newline="") as f:
        texts = [segmenter.normalizer(row["text"]) for row in csv.DictReader(f)]
    assert [t for t in texts if cut(tokenizer, t) != tokenizer.lcut(t)] == []
