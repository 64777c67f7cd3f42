"""The ``segment`` stage: normalisation, jieba words with character offsets, clauses.

Each Segmenter owns its ``jieba.Tokenizer`` (no global state) loaded with jieba's
dictionary, the shipped customer-experience dictionary and any user words.
URLs and emoji become single tokens; clauses split on Chinese and Western punctuation.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..doc import Clause, Document, Token
from ..errors import ConfigError, describe
from ..stage import Stage, register_stage
from .normalize import Normalizer

CX_DICT = Path(__file__).with_name("cx_dict.txt")

# URLs, e-mail addresses and runs of emoji are kept whole.
_SPECIAL = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+)"
    r"|(?P<emoji>[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF][\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u200d\ufe0f\U0001F3FB-\U0001F3FF]*)"
)
# Clause boundaries: Chinese and Western sentence/clause punctuation, newlines; a '.'
# between digits (3.5分) is not a boundary.
_CLAUSE_BREAK = re.compile(r"[，,。!！?？;；：:、…~～\n\r\t]+|(?<!\d)\.+|\.+(?!\d)")


def parse_user_words(words: Iterable[str] | str | Path | None) -> list[str]:
    """User dictionary entries from a list or a file (jieba format: ``word [freq] [tag]`` a line)."""
    if words is None:
        return []
    if isinstance(words, str | Path):
        path = Path(words)
        if not path.is_file():
            raise ConfigError(f"User dictionary file {str(path)!r} does not exist; pass a file path or a list of words.")
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    elif isinstance(words, Iterable):
        lines = list(words)
    else:
        raise ConfigError(f"user_dict must be a file path or a list of words, got {describe(words)}.")
    entries = []
    for line in lines:
        if not isinstance(line, str):
            raise ConfigError(f"user_dict entries must be strings, got {describe(line)}.")
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return entries


@register_stage("segment")
class Segmenter(Stage):
    """Tokens with offsets into the original text, plus clauses.

    Args:
        user_dict: extra words, as a list (``["快递小哥", "性价比 2000"]``) or a jieba-format file.
        use_cx_dict: load the shipped customer-experience dictionary.
        simplify: map traditional characters to simplified before segmenting (烹調 == 烹调).
        hmm: let jieba's HMM find words missing from the dictionaries.

    Example:
        >>> seg = Segmenter(user_dict=["快递小哥"])
        >>> [t.text for t in seg(Document("快递小哥很给力")).tokens]
        ['快递小哥', '很', '给力']
    """

    requires = ("text",)
    provides = ("norm", "tokens", "clauses")

    def __init__(
        self,
        user_dict: Iterable[str] | str | Path | None = None,
        use_cx_dict: bool = True,
        simplify: bool = True,
        hmm: bool = True,
    ) -> None:
        self.user_words = parse_user_words(user_dict)
        self.use_cx_dict = use_cx_dict
        self.simplify = simplify
        self.hmm = hmm
        self.normalizer = Normalizer(simplify=simplify)
        self._tokenizer: Any = None

    @property
    def tokenizer(self) -> Any:
        """This segmenter's own ``jieba.Tokenizer``, built on first use."""
        if self._tokenizer is None:
            import jieba

            logging.getLogger("jieba").setLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            entries = (parse_user_words(CX_DICT) if self.use_cx_dict and CX_DICT.is_file() else []) + self.user_words
            for entry in entries:
                word, *rest = entry.split()
                freq = int(rest[0]) if rest and rest[0].isdigit() else None
                tokenizer.add_word(self.normalizer(word), freq)
            self._tokenizer = tokenizer
        return self._tokenizer

    def add_words(self, words: Iterable[str] | str | Path) -> None:
        """Add user dictionary entries (kept when the stage is saved)."""
        new = parse_user_words(words)
        self.user_words.extend(new)
        if self._tokenizer is not None:
            for entry in new:
                word, *rest = entry.split()
                self._tokenizer.add_word(self.normalizer(word), int(rest[0]) if rest and rest[0].isdigit() else None)

    # -- inference -----------------------------------------------------------
    def process(self, docs: list[Document]) -> None:
        for doc in docs:
            doc.norm = self.normalizer(doc.text)
            doc.tokens = list(self.tokenize(doc.text, doc.norm))
            doc.clauses = split_clauses(doc.text)

    def tokenize(self, text: str, norm: str | None = None) -> Iterator[Token]:
        """Tokens of ``text`` (offsets into ``text``); ``norm`` is its normalised form if known."""
        norm = self.normalizer(text) if norm is None else norm
        pos = 0
        for match in _SPECIAL.finditer(norm):
            yield from self._cut(text, norm, pos, match.start())
            yield Token(text[match.start():match.end()], match.start(), match.end(),
                        "<url>" if match.lastgroup == "url" else match.group())
            pos = match.end()
        yield from self._cut(text, norm, pos, len(norm))

    def _cut(self, text: str, norm: str, start: int, end: int) -> Iterator[Token]:
        if start >= end:
            return
        pos = start
        for word in self.tokenizer.cut(norm[start:end], HMM=self.hmm):
            stop = pos + len(word)
            if not word.isspace():
                yield Token(text[pos:stop], pos, stop, word)
            pos = stop

    # -- persistence ---------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {"user_dict": self.user_words, "use_cx_dict": self.use_cx_dict,
                "simplify": self.simplify, "hmm": self.hmm}


def split_clauses(text: str) -> list[Clause]:
    """Clauses between punctuation marks, with offsets into ``text``; blank stretches dropped."""
    clauses = []
    pos = 0
    for match in _CLAUSE_BREAK.finditer(text):
        if text[pos:match.start()].strip():
            clauses.append(Clause(pos, match.start(), text[pos:match.start()]))
        pos = match.end()
    if text[pos:].strip():
        clauses.append(Clause(pos, len(text), text[pos:]))
    return clauses
