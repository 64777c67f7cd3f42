"""The one data model passed between stages.

A :class:`Document` starts with the raw ``text`` and each stage fills in its part:
``segment`` adds ``norm``, ``tokens``, ``clauses`` and, for a chat transcript, ``turns`` (the
later stages then read only the customer's turns); ``aspects`` adds ``opinions``;
``sentiment`` adds ``sentiment``; ``risk`` adds ``risk``. Every span is a pair of
character offsets ``[start, end)`` into the original ``text``, so
``doc.text[t.start:t.end] == t.text`` always holds.

This module imports nothing from the rest of cxnlp.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Polarity = Literal["positive", "negative", "neutral"]
RiskLevel = Literal["low", "medium", "high"]

POLARITIES: tuple[str, ...] = ("positive", "negative", "neutral")
RISK_LEVELS: tuple[str, ...] = ("low", "medium", "high")

#: Display words for opinion tags, as CX tools show them.
POLARITY_TAG_WORDS: dict[str, str] = {
    "positive": "正向评价",
    "negative": "负向评价",
    "neutral": "中性评价",
}

Span = tuple[int, int]


@dataclass(slots=True)
class Token:
    """A word. ``text`` is the original characters; ``norm`` the normalised form used by models."""

    text: str
    start: int
    end: int
    norm: str = ""

    def __post_init__(self) -> None:
        if not self.norm:
            self.norm = self.text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Clause:
    """A stretch of text between punctuation marks (逗号, 句号, ! ? ; …)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Turn:
    """One speaker's turn in a chat transcript: ``agent`` or ``customer``, from its label
    (``客服：``) to the next; the words start at ``body_start``, after the label."""

    speaker: str
    start: int
    end: int
    body_start: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Opinion:
    """One aspect · opinion · polarity triplet.

    ``aspect`` is ``None`` for an implicit aspect (下次还会光顾的). ``tag`` is the short
    display form, e.g. ``负向评价: 送餐慢``.
    """

    aspect: str | None
    opinion: str
    polarity: str
    aspect_span: Span | None
    opinion_span: Span
    category: str = "其他"
    score: float = 1.0
    phrase: str = ""

    @property
    def tag(self) -> str:
        phrase = self.phrase or ((self.aspect or "") + self.opinion)
        return f"{POLARITY_TAG_WORDS.get(self.polarity, self.polarity)}: {phrase}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["aspect_span"] = list(self.aspect_span) if self.aspect_span else None
        data["opinion_span"] = list(self.opinion_span)
        data["tag"] = self.tag
        return data


@dataclass(slots=True)
class Sentiment:
    """Document polarity; ``score`` is the calibrated probability that the text is positive.

    ``rule`` names the label rule that decided ``label`` (``no_opinion``, ``negated_complaint``,
    ``endorsement``, ``resolution`` or ``neutral_band``; see :mod:`cxnlp.sentiment.rules`), None when the score alone did.
    """

    label: str
    score: float
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Risk:
    """Churn risk: ``level`` low / medium / high, ``score`` in [0, 1], ``reasons`` the evidence."""

    level: str
    score: float
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Document:
    """A piece of feedback and everything the pipeline found in it.

    ``error`` is set (and analysis skipped) when the input could not be processed;
    the document still takes its place in the output so no row is lost.
    """

    text: str
    norm: str = ""
    tokens: list[Token] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    opinions: list[Opinion] = field(default_factory=list)
    sentiment: Sentiment | None = None
    risk: Risk | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def words(self) -> list[str]:
        """Normalised token strings, the usual model input."""
        return [t.norm for t in self.tokens]

    def aligned_norm(self) -> str:
        """``norm`` where it lines up with ``text`` character for character (the segment stage's does),
        else ``text``: token and clause offsets index both."""
        return self.norm if len(self.norm) == len(self.text) else self.text

    def word_spans(self) -> list[tuple[int, int, str]]:
        """``(start, end, word)`` of each token, the word sliced from :meth:`aligned_norm`."""
        norm = self.aligned_norm()
        return [(t.start, t.end, norm[t.start:t.end]) for t in self.tokens]

    @property
    def tags(self) -> list[str]:
        return [o.tag for o in self.opinions]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "tokens": [t.to_dict() for t in self.tokens],
            "clauses": [c.to_dict() for c in self.clauses],
            "turns": [t.to_dict() for t in self.turns],
            "opinions": [o.to_dict() for o in self.opinions],
            "sentiment": self.sentiment.to_dict() if self.sentiment else None,
            "risk": self.risk.to_dict() if self.risk else None,
            "error": self.error,
        }

    def to_record(self) -> dict[str, Any]:
        """A flat row for tables: one column per result, lists kept as lists."""
        return {
            "tokens": [t.text for t in self.tokens],
            "turns": [{"speaker": t.speaker, "text": self.text[t.body_start:t.end].strip(" \t\r\n|｜")} for t in self.turns],
            "opinion_tags": self.tags,
            "opinions": [o.to_dict() for o in self.opinions],
            "sentiment": self.sentiment.label if self.sentiment else None,
            "sentiment_score": self.sentiment.score if self.sentiment else None,
            "sentiment_rule": self.sentiment.rule if self.sentiment else None,
            "risk": self.risk.level if self.risk else None,
            "risk_score": self.risk.score if self.risk else None,
            "risk_reasons": list(self.risk.reasons) if self.risk else [],
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        def span(value: Any) -> Span | None:
            return (int(value[0]), int(value[1])) if value is not None else None

        opinions = []
        for o in data.get("opinions") or []:
            fields = {k: v for k, v in o.items() if k != "tag"}
            fields["aspect_span"] = span(fields.get("aspect_span"))
            fields["opinion_span"] = span(fields["opinion_span"])
            opinions.append(Opinion(**fields))
        return cls(
            text=data["text"],
            norm=data.get("norm", ""),
            tokens=[Token(**t) for t in data.get("tokens") or []],
            clauses=[Clause(**c) for c in data.get("clauses") or []],
            turns=[Turn(**t) for t in data.get("turns") or []],
            opinions=opinions,
            sentiment=Sentiment(**data["sentiment"]) if data.get("sentiment") else None,
            risk=Risk(**data["risk"]) if data.get("risk") else None,
            error=data.get("error"),
        )
