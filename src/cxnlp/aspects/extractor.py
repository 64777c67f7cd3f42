"""The ``aspects`` stage: aspect · opinion · polarity triplets with tags and categories."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from ..doc import Document, Opinion, Sentiment, Span
from ..errors import ConfigError, ModelError, describe, invalid_choice
from ..sentiment.rules import denies_problem, has_no_opinion, says_nothing
from ..stage import BACKENDS, Stage, register_stage
from .features import BREAKS, SENTENCE_ENDS
from .lexicon import Lexicon, Word, overlapping
from .model import WEIGHTS_FILE, Prediction, TripletModel
from .taxonomy import CategoryMapper, read_category_map

MODES = ("model", "model_only", "lexicon")
#: Below this polarity probability (and with no lexicon word), a confident doc.sentiment decides.
SENTIMENT_FALLBACK = 0.5
#: A document scored at most this is a complaint for sure: a model opinion in it needs a praise word to stay positive.
CERTAIN_NEGATIVE = 0.05

#: (aspect_span, opinion_span, polarity, score, source)
Raw = tuple[Span | None, Span, str, float, str]


class TripletPredictor(Protocol):
    """What the extractor needs of its learned model (:class:`TripletModel` or the transformer one)."""

    def predict(self, units: list[tuple[str, list[Word]]],
                aspects: list[list[Span]] | None = None) -> list[list[Prediction]]: ...

    def get_config(self) -> dict[str, Any]: ...

    def save(self, path: Path) -> None: ...


def chunk_spans(text: str, max_chars: int) -> list[Span]:
    """Cut ``text`` into pieces of at most ``max_chars``, at sentence ends, else clause breaks."""
    if len(text) <= max_chars:
        return [(0, len(text))] if text else []
    pieces: list[Span] = []
    start = 0
    while start < len(text):
        end = min(start + max_chars, len(text))
        if end < len(text):
            window = text[start:end]
            cut = max((i for i, ch in enumerate(window) if ch in SENTENCE_ENDS), default=-1)
            if cut < max_chars // 4:
                cut = max((i for i, ch in enumerate(window) if ch in BREAKS), default=-1)
            if cut >= max_chars // 4:
                end = start + cut + 1
        pieces.append((start, end))
        start = end
    return pieces


@register_stage("aspects")
class AspectExtractor(Stage):
    """Fill ``doc.opinions`` with Udesk-style opinion tags (``负向评价: 送餐慢``).

    Args:
        mode: ``"model"`` the learned model, and the lexicon for documents where it finds
            nothing (the default), ``"model_only"``, or ``"lexicon"`` (rules only; also what
            an extractor without trained weights does).
        category_map: user ``{aspect word: category}`` overrides (dict, JSON or CSV file);
            see :mod:`cxnlp.aspects.taxonomy`.
        max_chunk: longest stretch (characters) analysed at once; longer texts are cut at
            sentence ends, so 5,000-character texts cost memory like short ones.
        lexicon_polarity: when the lexicon finds an opinion word in a model opinion and the
            model's polarity probability is below this value, the lexicon polarity wins. When the
            lexicon and a confident ``doc.sentiment`` (set by an earlier stage) agree against the
            model, they win whatever its probability. A confident ``doc.sentiment`` also settles
            an opinion below this value that spans (nearly) the whole text, and, with no lexicon
            word, a model polarity below 0.5; the stage never requires ``sentiment``.
        model: the learned model's configuration (set by training; ``None`` = no model);
            ``{"backend": "transformer", ...}`` for a fine-tuned transformer
            (:mod:`cxnlp.aspects.transformer`), else the linear :class:`TripletModel`.

    Example:
        >>> nlp = Pipeline([Segmenter(), AspectExtractor.from_dir("models/default/aspects")])
        >>> nlp("送餐太慢了").tags
        ['负向评价: 送餐慢']
    """

    requires = ("tokens", "clauses")
    provides = ("opinions",)

    def __init__(self, mode: str = "model", category_map: Mapping[str, str] | str | Path | None = None,
                 max_chunk: int = 300, lexicon_polarity: float = 0.85,
                 model: dict[str, Any] | None = None) -> None:
        if mode not in MODES:
            raise invalid_choice("mode", mode, MODES)
        if isinstance(max_chunk, bool) or not isinstance(max_chunk, int) or max_chunk < 20:
            raise ConfigError(f"max_chunk must be an int >= 20, got {describe(max_chunk)}.")
        if model is not None and not isinstance(model, Mapping):
            raise ConfigError(f"model must be a dict of model options or None, got {describe(model)}.")
        if model is not None and model.get("backend", "linear") not in BACKENDS:
            raise invalid_choice("model backend", model.get("backend"), BACKENDS)
        self.mode = mode
        self.category_map = read_category_map(category_map)
        self.max_chunk = max_chunk
        self.lexicon_polarity = float(lexicon_polarity)
        self.model_config = model
        self.lexicon = Lexicon.default()
        self.categories = CategoryMapper(self.category_map)
        self.model_: TripletPredictor | None = None

    # -- inference -----------------------------------------------------------
    def process(self, docs: list[Document]) -> None:
        prepared = [self._prepare(doc) for doc in docs]
        use_model = self.mode != "lexicon" and self.model_ is not None
        model_raw = self._run_model(prepared, [d.sentiment for d in docs]) if use_model else [[] for _ in docs]
        for doc, (norm, words, clauses), raw in zip(docs, prepared, model_raw, strict=True):
            if not use_model:
                raw = self._lexicon_triplets(norm, words, clauses)
            elif self.mode == "model":
                raw = raw + self._lexicon_fallback(norm, words, clauses, raw)
            doc.opinions = self._opinions(doc, norm, words, raw)

    def _prepare(self, doc: Document) -> tuple[str, list[Word], list[Span]]:
        return doc.aligned_norm(), doc.word_spans(), [(c.start, c.end) for c in doc.clauses]

    def _run_model(self, prepared: list[tuple[str, list[Word], list[Span]]],
                   sentiments: list[Sentiment | None]) -> list[list[Raw]]:
        assert self.model_ is not None
        units: list[tuple[str, list[Word]]] = []
        owners: list[tuple[int, int]] = []
        for i, (norm, words, _) in enumerate(prepared):
            for start, end in chunk_spans(norm, self.max_chunk):
                if (start, end) == (0, len(norm)):  # the usual case: one chunk, the words as they are
                    inside = words
                else:
                    inside = [(max(s, start) - start, min(e, end) - start, w) for s, e, w in overlapping(words, start, end)]
                units.append((norm[start:end], inside))
                owners.append((i, start))
        out: list[list[Raw]] = [[] for _ in prepared]
        for (i, offset), triplets in zip(owners, self.model_.predict(units), strict=True):
            norm, words, _ = prepared[i]
            for aspect, opinion, polarity, score in triplets:
                a = (aspect[0] + offset, aspect[1] + offset) if aspect else None
                o = (opinion[0] + offset, opinion[1] + offset)
                turn = self._contrast_turn(norm, words, a, o)
                if turn is not None:  # 不错，就是物流慢: the complaint after the turn is an opinion of its own
                    o = (o[0], _before_break(norm, o[0], turn[1][0]))
                    out[i].append((*turn, 0.6, "lexicon"))
                polarity, score = self._check_polarity(norm, words, a, o, polarity, score, sentiments[i])
                out[i].append((a, o, polarity, score, "model"))
        return out

    def _contrast_turn(self, norm: str, words: list[Word], aspect: Span | None,
                       opinion: Span) -> tuple[Span | None, Span, str] | None:
        """A model opinion running over a clause break into a contrast (不错，就是物流慢) whose two
        sides the lexicon reads with opposite polarities: the (aspect, span, polarity) after the turn."""
        for cs in _clause_starts(norm, opinion):
            if not norm.startswith(CONTRAST_OPENERS, cs):
                continue
            before = self.lexicon.span_polarity(norm, words, (opinion[0], _before_break(norm, opinion[0], cs)), aspect)
            after = self.lexicon.span_polarity(norm, words, (cs, opinion[1]), None)
            if {before, after} == {"positive", "negative"}:
                hits = self.lexicon.find_hits(norm, words, cs, opinion[1])
                limit = self.lexicon.modifier_start(words, cs, hits[0][0]) if hits else opinion[1]
                return self.lexicon.aspect_before(norm, words, cs, limit), (cs, opinion[1]), after
        return None

    def _check_polarity(self, norm: str, words: list[Word], aspect: Span | None, opinion: Span,
                        polarity: str, score: float, sentiment: Sentiment | None) -> tuple[str, float]:
        """Settle the model polarity with the lexicon and the document sentiment (other domains
        than the restaurant training data): when the lexicon and a confident document sentiment
        agree against the model, they win (手续费还高 in a complaint); otherwise a confident
        document decides an unsure model's opinion that is (nearly) the whole text (要求退款), the
        lexicon overrules an unsure model, and with no lexicon word a confident document decides.
        A model's praise that the lexicon reads as a complaint, in a text the sentiment stage leans
        negative on, is a complaint (平台优惠券用不了)."""
        document = None
        if sentiment is not None and abs(sentiment.score - 0.5) >= 0.3:
            document = "positive" if sentiment.score > 0.5 else "negative"
        confident = score >= self.lexicon_polarity
        unopposed = confident and document in (None, polarity)  # only the lexicon could outvote the model
        praise_in_complaint = polarity == "positive" and sentiment is not None and sentiment.score < 0.5
        if unopposed and not praise_in_complaint:
            return polarity, score
        lexicon = self.lexicon.span_polarity(norm, words, opinion, aspect)
        if praise_in_complaint and lexicon == "negative":
            return "negative", score  # a complaint word in a complaint: the restaurant model misreads 用不了, 坑
        if unopposed:
            return polarity, score
        if lexicon is not None and lexicon != polarity and lexicon == document:
            return lexicon, score
        if lexicon is None and polarity == "positive" and sentiment is not None and sentiment.score <= CERTAIN_NEGATIVE:
            return "negative", score  # no praise word, in a text the sentiment stage is sure is a complaint (花蛤里全是沙子)
        if confident:
            return polarity, score
        if document is not None and len(norm[opinion[0]:opinion[1]].strip()) >= 0.8 * len(norm.strip()):
            return document, score  # the opinion is the whole text (要求退款): the document's polarity is its own
        if lexicon is not None:
            return lexicon, score
        if document is not None and score < SENTIMENT_FALLBACK:
            return document, score
        return polarity, score

    def _lexicon_triplets(self, norm: str, words: list[Word], clauses: list[Span]) -> list[Raw]:
        return [(a, o, p, 0.6, "lexicon") for a, o, p in self.lexicon.extract(norm, words, clauses)]

    def _lexicon_fallback(self, norm: str, words: list[Word], clauses: list[Span], found: list[Raw]) -> list[Raw]:
        """Lexicon triplets in clauses the model left empty: complaints, and opinions on a known
        aspect (all of them if the model found nothing)."""
        if not found:
            return self._lexicon_triplets(norm, words, clauses)
        covered = bytearray(len(norm))
        for _, (start, end), _, _, _ in found:
            covered[start:end] = b"\x01" * (end - start)
        empty = [c for c in clauses if covered.find(1, c[0], c[1]) == -1]
        return [t for t in self._lexicon_triplets(norm, words, empty)
                if t[2] == "negative" or (t[0] is not None and norm[t[0][0]:t[0][1]] in self.lexicon.aspect_terms)]

    def _opinions(self, doc: Document, norm: str, words: list[Word], raw: list[Raw]) -> list[Opinion]:
        if raw and has_no_opinion(doc):  # 暂无意见, 同上: only requests stay (中性评价)
            raw = [r for r in raw if r[2] == "neutral"]
        seen: set[tuple[Span | None, Span]] = set()
        clause_starts = [c.start for c in doc.clauses]
        opinions: list[Opinion] = []
        for aspect, opinion, polarity, score, _source in sorted(raw, key=lambda r: (r[1], r[0] or (-1, -1))):
            if aspect is not None and (norm[aspect[0]:aspect[1]] in self.lexicon.not_aspects
                                       or not any(ch.isalnum() for ch in norm[aspect[0]:aspect[1]])):
                aspect = None  # 时候, 老 (of 老用户), emoji (😂😂😂笑死): no aspect, the opinion stands alone
            said = norm[opinion[0]:opinion[1]]
            if aspect is not None and norm[aspect[0]:aspect[1]] in self.lexicon.request_markers:
                said, aspect = norm[aspect[0]:opinion[1]], None  # 麻烦 + 尽快处理一下 is a request, 麻烦 no aspect
            if aspect is not None and aspect[1] <= opinion[0] and any(ch in BREAKS for ch in norm[aspect[1]:opinion[0]]) \
                    and (said.startswith(self.lexicon.scope_words) or self.lexicon.leads_with_complement(words, opinion)):
                # 床太软了，其他都挺好: the praise is of the rest, not of 床 (but 酸菜鱼整体一般);
                # 味道不错，就是送得慢: the verb is what is rated, not 味道
                aspect = None
            comes_back = self.lexicon.return_polarity(said)
            if comes_back is not None:
                polarity = comes_back  # 下次绝对不会购买 is no praise
                if aspect is not None and aspect[1] <= opinion[0] and any(ch in BREAKS for ch in norm[aspect[1]:opinion[0]]):
                    aspect = None  # 性价比很高，下次还住: a promise to return is about the whole visit
            if (aspect, opinion) in seen or opinion[0] >= opinion[1]:
                continue
            seen.add((aspect, opinion))
            if polarity != "positive" and denies_problem(said):
                polarity = "positive"  # 没有任何问题, 没有让我失望: the complaint word is denied
            request = self.lexicon.request_polarity(said)
            if request is None and says_nothing(_clause_around(doc, clause_starts, norm, opinion)):
                continue  # 好的 answering an agent, 已收到: no opinion, though 好 is a praise word
            if request is not None and not (request == "neutral" and polarity == "negative"):
                polarity = request  # 希望优化一下 is no praise; 希望改进 after a complaint may stay negative
            wish = _WISH.search(said)
            wish = wish if wish and not any(ch in BREAKS for ch in said[:wish.start()]) else None
            if wish:
                polarity = "neutral"  # 要是再薄点就更好了: a wish (but 有些慢，要是能快些就好了 stays a complaint)
            if polarity == "positive" and doc.sentiment is not None and doc.sentiment.label == "negative" \
                    and _scare_quoted(norm, opinion):
                polarity = "negative"  # 这服务真是“五星级”, 真是“准时”啊: praise in quotes, in a complaint, is irony
            phrase = self.lexicon.phrase(norm, words, aspect, opinion)
            if wish and phrase.endswith(_WISH_ENDS) and len(phrase) > 2:
                phrase = phrase.removesuffix("完美").removesuffix("好")  # the wish itself: 豆腐脑多点香菜
            aspect_norm = norm[aspect[0]:aspect[1]] if aspect else None
            opinions.append(Opinion(
                aspect=doc.text[aspect[0]:aspect[1]] if aspect else None,
                opinion=doc.text[opinion[0]:opinion[1]],
                polarity=polarity,
                aspect_span=aspect,
                opinion_span=opinion,
                category=self._category(aspect_norm, phrase),
                score=round(score, 4),
                phrase=phrase,
            ))
        return opinions

    def _category(self, aspect: str | None, phrase: str) -> str:
        """The aspect's category, or the phrase's when the phrase names an aspect of its own in its
        place (质量很好，但是发货太慢 -> 发货慢: 物流配送, not the 产品质量 of 质量)."""
        if aspect and aspect not in phrase:
            return self.categories.named_in(phrase) or self.categories(aspect, phrase)
        return self.categories(aspect, phrase)

    # -- persistence ---------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {"mode": self.mode, "category_map": self.category_map, "max_chunk": self.max_chunk,
                "lexicon_polarity": self.lexicon_polarity, "model": self.model_config}

    def save_weights(self, path: Path) -> None:
        if self.model_ is not None:
            self.model_.save(path)

    def load_weights(self, path: Path) -> None:
        if self.model_config is None:
            return
        options = dict(self.model_config)
        if options.pop("backend", "linear") == "transformer":
            from .transformer import TransformerTripletModel

            self.model_ = TransformerTripletModel.load(path, options)
            return
        if not (path / WEIGHTS_FILE).is_file():
            raise ModelError(f"{path} names a learned aspects model but has no {WEIGHTS_FILE}; retrain or copy it.")
        self.model_ = TripletModel.load(path, options)

    def set_model(self, model: TripletPredictor) -> AspectExtractor:
        """Attach a trained model (used by training)."""
        self.model_ = model
        self.model_config = model.get_config()
        return self


def load_default_extractor() -> AspectExtractor:
    """The shipped default aspects stage (``models/default/aspects``), else the lexicon alone."""
    from ..pipeline import default_model_dir

    try:
        path = default_model_dir() / "aspects"
    except ModelError:
        path = Path(__file__).resolve().parents[3] / "models" / "default" / "aspects"
    if (path / "config.json").is_file():
        return AspectExtractor.from_dir(path)
    raise ModelError(f"No shipped aspects model at {path}; train one with cxnlp.aspects.train_aspects "
                     "or use AspectExtractor(mode='lexicon').")


#: Words that open a clause turning against what came before (不错，就是物流慢).
CONTRAST_OPENERS = ("但是", "但", "就是", "不过", "可是", "只是", "可惜", "然而", "美中不足", "唯一")


def _clause_starts(norm: str, span: Span) -> list[int]:
    """Where the clauses of ``span`` after its first start (right after a break)."""
    return [k + 1 for k in range(span[0], span[1] - 1) if norm[k] in BREAKS and norm[k + 1] not in BREAKS]


def _before_break(norm: str, start: int, end: int) -> int:
    """``end`` moved back over the breaks in front of it (not before ``start``)."""
    while end > start and norm[end - 1] in BREAKS:
        end -= 1
    return end


#: An opinion that ends as a wish (豆腐脑再多点香菜就好了, 要是能便宜点就更好了).
_WISH = re.compile("(?:就|会|那就|那)(?:更|最)?(?:好|完美)(?:了|啦|哦|呢)?[~～!！。.…]*$")
_WISH_ENDS = ("好", "完美")


#: A short stretch in quotation marks.
_QUOTED = re.compile("[“\"「『‘'][^”\"」』’'，,。!！?？]{1,8}[”\"」』’']")


def _scare_quoted(norm: str, span: Span) -> bool:
    """True when a short quoted stretch holds the opinion, or the opinion holds it (“准时”)."""
    return any((m.start() <= span[0] + 1 and span[1] - 1 <= m.end()) or span[0] <= m.start() < m.end() <= span[1]
               for m in _QUOTED.finditer(norm, max(0, span[0] - 1), span[1] + 1))


def _clause_around(doc: Document, clause_starts: list[int], norm: str, span: Span) -> str:
    """The normalised text of the segmenter's clause holding ``span`` (the span's own text when it
    crosses clauses or there are none); ``clause_starts`` are the clauses' starts."""
    k = bisect_right(clause_starts, span[0]) - 1
    if k >= 0 and span[1] <= doc.clauses[k].end:
        return norm[doc.clauses[k].start:doc.clauses[k].end]
    return norm[span[0]:span[1]]
