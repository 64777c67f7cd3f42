"""Length-preserving text normalisation.

``normalize(text)`` returns a string of the same length as ``text`` in which
full-width ASCII is half-width, Latin letters are lower-case and traditional
characters are simplified (OpenCC ``t2s``). Because every character maps to
exactly one character, offsets found in the normalised text index the original.
"""

from __future__ import annotations

import unicodedata
from functools import cached_property


def width_table(lowercase: bool = True) -> dict[int, int]:
    """str.translate table: full-width ASCII and ideographic space to half-width (+ A-Z to a-z)."""
    table = {0x3000: 0x20}
    table.update({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})  # ！..～ -> !..~
    if lowercase:
        table.update({code: code + 32 for code in range(ord("A"), ord("Z") + 1)})
        table.update({code: code - 0xFEE0 + 32 for code in range(0xFF21, 0xFF3B)})  # Ａ..Ｚ -> a..z
    return table


class Normalizer:
    """Full-width -> half-width, lower-case, traditional -> simplified; same length out as in.

    Args:
        simplify: convert traditional characters to simplified with OpenCC (``t2s``).
        lowercase: lower-case Latin letters.
    """

    def __init__(self, simplify: bool = True, lowercase: bool = True) -> None:
        self.simplify = simplify
        self.lowercase = lowercase
        self._table = width_table(lowercase)

    @cached_property
    def _opencc(self):  # type: ignore[no-untyped-def]
        import opencc

        return opencc.OpenCC("t2s")

    def __call__(self, text: str) -> str:
        out = text.translate(self._table)
        if self.simplify and not out.isascii():
            converted = self._opencc.convert(out)
            if len(converted) == len(out):
                out = converted
            else:  # a phrase rule changed the length: convert character by character
                out = "".join(c if len(s := self._opencc.convert(c)) != 1 else s for c in out)
        return out


def is_emoji(char: str) -> bool:
    """True for pictographic symbols (emoji, dingbats) and their modifiers."""
    return unicodedata.category(char) == "So" or 0x1F000 <= ord(char) <= 0x1FAFF or char in "\u200d\ufe0f"
