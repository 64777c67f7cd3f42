"""The ``segment`` stage: normalisation, jieba words with character offsets, clauses.

Each Segmenter owns its ``jieba.Tokenizer`` (no global state) loaded with jieba's
dictionary, the shipped customer-experience dictionary and any user words; its words
are found by :mod:`.fastcut` (the same words as ``Tokenizer.lcut``, faster). jieba
runs on the normalised text (same length as the original), so every offset it
yields indexes the original text too. URLs (also bare jd.com), e-mail addresses and
emoji runs are single tokens; whitespace and invisible control characters are never tokens;
clauses split on Chinese and Western punctuation, never inside a URL or a number
(3.5分, 1,299元, 10:30). In a chat transcript (客服：… / 客户：… lines, see :mod:`.turns`) the
agent's turns and the speaker labels are blanked in ``norm``, so they give no token or clause.

Degree and negation words stay jieba's: the CX dictionary never glues them onto a
word (很 / 给力, 不 / 好吃, 没 / 卡顿), while words jieba lists whole (不错, 很快) stay whole.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from itertools import accumulate
from pathlib import Path
from typing import Any

from ..doc import Clause, Document, Token
from ..errors import ConfigError, describe
from ..stage import Stage, register_stage
from .fastcut import cut as fast_cut
from .turns import blank_agent_turns, find_turns
from .normalize import Normalizer, width_table

CX_DICT = Path(__file__).with_name("cx_dict.txt")

# Patterns run on normalised text: half-width and lower case.
_PATH = r"[0-9a-z\-._~:/?#\[\]@!$&'()*+,;=%]*[0-9a-z\-_~/#@$&*+=%]"  # never ends on punctuation
_URL = rf"(?:https?://|www\.){_PATH}"
_EMAIL = r"(?<![0-9a-z._%+\-])[0-9a-z][0-9a-z._%+\-]*@[0-9a-z\-]+(?:\.[0-9a-z\-]+)+"
_TLD = r"\.(?:com|cn|net|org|edu|gov|io|hk|tw)(?![0-9a-z\-])"
_DOMAIN = rf"(?<![0-9a-z.\-@])[0-9a-z][0-9a-z\-]*(?:\.[0-9a-z\-]+)*{_TLD}(?:/{_PATH})?"  # jd.com, taobao.com/x
_PICTO = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff"
_EMOJI = rf"(?:[{_PICTO}]|[0-9#*]\ufe0f?\u20e3)[{_PICTO}\u200d\ufe0e\ufe0f\u20e3\U000e0020-\U000e007f]*"  # + keycaps
_LINK = re.compile(rf"(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<domain>{_DOMAIN})")
_SPECIAL = re.compile(rf"{_LINK.pattern}|(?P<emoji>{_EMOJI})")
_EMOJI_ONLY = re.compile(rf"(?P<emoji>{_EMOJI})")
_PLACEHOLDER = {"url": "<url>", "domain": "<url>", "email": "<email>"}
_MAY_LINK = re.compile(rf"://|www\.|@|{_TLD}")

# A clause boundary: a run of punctuation / line breaks with the spaces around it. Leading
# spaces are taken only from the start of a space run (no quadratic retries inside long runs).
_BREAK_CHARS = ",.:;!?~。、…⋯｡﹐﹑﹔﹕﹖﹗\n\r\t\u2028\u2029"
_BREAK = re.compile(rf"(?:(?<!\s)\s*)?[{_BREAK_CHARS}][{_BREAK_CHARS}\s]*")
_WIDTH = width_table(lowercase=True)

_INVISIBLE = frozenset({"Cc", "Cf"})


def _may_link(norm: str) -> bool:
    """Cheap test before running the URL / e-mail pattern."""
    return _MAY_LINK.search(norm) is not None


def _is_blank(word: str) -> bool:
    """Whitespace, or only control / format characters (NUL, zero-width space, RTL marks)."""
    return word.isspace() or (
        not word.isprintable() and all(unicodedata.category(c) in _INVISIBLE or c.isspace() for c in word)
    )


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
        user_dict: extra words, as a list (``["快递小哥", "性价比 2000"]``) or a jieba-format file
            (``word [freq] [tag]`` a line, ``#`` comments). Words are normalised like the text,
            so a traditional or full-width entry also matches its simplified, half-width form.
        use_cx_dict: load the shipped customer-experience dictionary (``cx_dict.txt``).
        simplify: map traditional characters to simplified before segmenting (烹調 == 烹调).
        hmm: let jieba's HMM find words missing from the dictionaries.
        chat_turns: in a chat transcript, analyse only the customer's turns (``doc.turns`` lists
            them all; ``doc.norm`` has the agent's turns and the speaker labels blanked).

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
        chat_turns: bool = True,
    ) -> None:
        self.user_words = parse_user_words(user_dict)
        self.use_cx_dict = use_cx_dict
        self.simplify = simplify
        self.hmm = hmm
        self.chat_turns = chat_turns
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
            self._tokenizer = tokenizer
            self._add_entries((parse_user_words(CX_DICT) if self.use_cx_dict else []) + self.user_words)
        return self._tokenizer

    def _add_entries(self, entries: list[str]) -> None:
        for entry in entries:
            word, *rest = entry.split()
            freq = int(rest[0]) if rest and rest[0].isascii() and rest[0].isdigit() else None
            self._tokenizer.add_word(self.normalizer(word), freq)

    def add_words(self, words: Iterable[str] | str | Path) -> None:
        """Add user dictionary entries (a list or a file; kept when the stage is saved)."""
        new = parse_user_words(words)
        self.user_words.extend(new)
        if self._tokenizer is not None:
            self._add_entries(new)

    # -- inference -----------------------------------------------------------
    def process(self, docs: list[Document]) -> None:
        for doc in docs:
            norm = self.normalizer(doc.text)
            if self.chat_turns:
                doc.turns = find_turns(norm)
                norm = blank_agent_turns(norm, doc.turns)
            doc.norm = norm
            doc.tokens = self.tokenize(doc.text, norm)
            doc.clauses = split_clauses(doc.text, norm)

    def tokenize(self, text: str, norm: str | None = None) -> list[Token]:
        """Tokens of ``text`` (offsets into ``text``); ``norm`` is its normalised form if known."""
        norm = self.normalizer(text) if norm is None else norm
        blank = str.isspace if norm.isprintable() else _is_blank
        tokens: list[Token] = []
        pos = 0
        for match in (_SPECIAL if _may_link(norm) else _EMOJI_ONLY).finditer(norm):
            start, end = match.span()
            self._cut(tokens, text, norm[pos:start], pos, blank)
            tokens.append(Token(text[start:end], start, end, _PLACEHOLDER.get(match.lastgroup or "", match.group())))
            pos = end
        self._cut(tokens, text, norm[pos:], pos, blank)
        return tokens

    def _cut(self, tokens: list[Token], text: str, piece: str, start: int, blank: Callable[[str], bool]) -> None:
        """Append the words of ``piece`` (the normalised text from ``start`` on) that are not ``blank``."""
        if not piece:
            return
        words = fast_cut(self.tokenizer, piece, self.hmm)
        bounds = list(accumulate(map(len, words), initial=start))
        tokens += [Token(text[s:e], s, e, w) for w, s, e in zip(words, bounds, bounds[1:]) if not blank(w)]

    # -- persistence ---------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        return {"user_dict": self.user_words, "use_cx_dict": self.use_cx_dict,
                "simplify": self.simplify, "hmm": self.hmm, "chat_turns": self.chat_turns}


def split_clauses(text: str, norm: str | None = None) -> list[Clause]:
    """Clauses between punctuation marks and line breaks, with offsets into ``text``.

    Spaces around a boundary are left out of the clauses; a ``.`` ``,`` or ``:`` between
    digits (3.5分, 1,299元, 10:30) and punctuation inside URLs / e-mail addresses never
    split. ``norm`` is the normalised text (same length) when already known.
    """
    norm = text.translate(_WIDTH) if norm is None else norm
    links = iter(m.span() for m in _LINK.finditer(norm)) if _may_link(norm) else iter(())
    link = next(links, None)
    clauses = []
    pos = len(norm) - len(norm.lstrip())
    stop = len(norm.rstrip())
    for match in _BREAK.finditer(norm, pos, stop):
        start, end = match.span()
        while link is not None and link[1] <= start:
            link = next(links, None)
        if (link is not None and link[0] <= start) or (
            end - start == 1 and norm[start] in ".,:" and norm[start - 1:start].isdigit() and norm[end:end + 1].isdigit()
        ):
            continue  # inside a URL / e-mail address, or a number
        if start > pos:
            clauses.append(Clause(pos, start, text[pos:start]))
        pos = end
    if stop > pos:
        clauses.append(Clause(pos, stop, text[pos:stop]))
    return clauses
