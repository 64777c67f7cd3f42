"""Length-preserving text normalisation.

``normalize(text)`` returns a string of the same length as ``text`` in which
full-width ASCII is half-width, Latin letters are lower-case and traditional
characters are simplified (OpenCC ``t2s``). Because every character maps to
exactly one character, offsets found in the normalised text index the original.

OpenCC runs only on texts holding at least one character that ``t2s`` changes on
its own; that set is computed once from OpenCC itself, so simplified texts skip the
conversion entirely (which also spares them OpenCC's phrase rules: t2s turns the
simplified 万一坏了 into 万一坯了).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Code points that may hold traditional characters: CJK radicals .. Hangul, the CJK
# compatibility block and half/full-width forms, and the supplementary ideographic planes.
_CJK_RANGES = ((0x2E80, 0xD800), (0xF900, 0x10000), (0x20000, 0x40000))


def width_table(lowercase: bool = True) -> dict[int, int]:
    """str.translate table: full-width ASCII and ideographic space to half-width (+ A-Z to a-z)."""
    table = {0x3000: 0x20}
    table.update({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})  # ！..～ -> !..~
    if lowercase:
        table.update({code: code + 32 for code in range(ord("A"), ord("Z") + 1)})
        table.update({code: code - 0xFEE0 + 32 for code in range(0xFF21, 0xFF3B)})  # Ａ..Ｚ -> a..z
    return table


@lru_cache(maxsize=1)
def opencc_t2s() -> Any:
    """The shared OpenCC traditional -> simplified converter."""
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def t2s_chars() -> dict[str, str]:
    """Every character that OpenCC ``t2s`` converts on its own, mapped to its single-character result.

    Computed in one OpenCC call over all CJK code points, one per line (about 0.1 s, once).
    """
    chars = [chr(code) for start, stop in _CJK_RANGES for code in range(start, stop)]
    converted = opencc_t2s().convert("\n".join(chars)).split("\n")
    return {c: s for c, s in zip(chars, converted, strict=True) if s != c and len(s) == 1}


@lru_cache(maxsize=1)
def traditional_pattern() -> re.Pattern[str]:
    """Finds the first character that may be traditional: one of :func:`t2s_chars` in the BMP, or any
    supplementary-plane character (emoji too, so a hit there is confirmed against the set)."""
    bmp = "".join(sorted(c for c in t2s_chars() if c <= "\uffff"))
    return re.compile("[" + re.escape(bmp) + "\U00010000-\U0010ffff]")  # a fast BMP charset + one range


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """:func:`t2s_chars` as a ``str.translate`` table (character-by-character conversion)."""
    return {ord(char): simple for char, simple in t2s_chars().items()}


class Normalizer:
    """Full-width -> half-width, lower-case, traditional -> simplified; same length out as in.

    Args:
        simplify: convert traditional characters to simplified with OpenCC (``t2s``).
        lowercase: lower-case Latin letters.
    """

    def __init__(self, simplify: bool = True, lowercase: bool = True) -> None:
        self.simplify = simplify
        self.lowercase = lowercase
        self._narrow = {chr(wide): chr(narrow) for wide, narrow in width_table(lowercase).items()}
        self._wide = re.compile("[" + re.escape("".join(sorted(self._narrow))) + "]")

    def __call__(self, text: str) -> str:
        out = self._wide.sub(self._to_narrow, text)  # faster than str.translate on CJK text
        if self.simplify and not out.isascii() and self._has_traditional(out):
            try:  # phrase-aware conversion (乾隆 stays, 乾燥 -> 干燥) when it keeps the length
                converted = opencc_t2s().convert(out)
            except UnicodeError:  # lone surrogates cannot be passed to OpenCC
                converted = ""
            out = converted if len(converted) == len(out) else out.translate(t2s_table())
        return out

    @staticmethod
    def _has_traditional(text: str) -> bool:
        hit = traditional_pattern().search(text)
        return hit is not None and not t2s_chars().keys().isdisjoint(text[hit.start():])

    def _to_narrow(self, match: re.Match[str]) -> str:
        return self._narrow[match.group()]

