"""Aspect categories: the default CX taxonomy and user overrides.

The default taxonomy (``data/taxonomy.json``) has the categories 产品质量, 价格, 服务态度,
物流配送, 口味, 环境, 卫生, 位置交通, 系统功能, 售后, 整体评价 and 其他. An opinion's category comes from

1. the user mapping (``{aspect word: category}``; exact aspect first, then the longest
   user word contained in the aspect),
2. 卫生 for a hygiene or safety complaint in the opinion text (the taxonomy's ``hygiene_first``:
   饭里有头发, 房间有蟑螂), whatever the aspect,
3. the longest taxonomy keyword contained in the aspect,
4. for implicit or unknown aspects, the keywords found in the opinion text,
5. for an opinion with no aspect at all, a verdict on the whole (好评, 不错, 失望, 垃圾): ``整体评价``,
6. else ``其他``.

A user mapping is a dict, a JSON file (``{"网速": "系统功能"}``) or a CSV file with two
columns ``aspect,category`` (a header row is optional).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigError, describe
from .lexicon import DATA_DIR

OTHER = "其他"
#: Where an implicit opinion that judges the whole goes (差评, 不错, 下次还会再来).
OVERALL = "整体评价"
#: Where hygiene and safety complaints go, whatever their aspect (饭里有头发).
HYGIENE = "卫生"


def read_category_map(source: Mapping[str, str] | str | Path | None) -> dict[str, str]:
    """A user ``{aspect word: category}`` mapping from a dict, a JSON file or a CSV file."""
    if source is None:
        return {}
    if isinstance(source, Mapping):
        items = dict(source)
    elif isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise ConfigError(f"category_map file {str(path)!r} does not exist; pass a JSON or CSV file or a dict.")
        if path.suffix.lower() == ".json":
            try:
                items = json.loads(path.read_text(encoding="utf-8-sig"))
            except json.JSONDecodeError as e:
                raise ConfigError(f"category_map {str(path)!r} is not valid JSON ({e}).") from None
            if not isinstance(items, dict):
                raise ConfigError(f"category_map JSON must be an object {{aspect: category}}, got {describe(items)}.")
        else:
            with open(path, encoding="utf-8-sig", newline="") as f:
                rows = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
            if rows and [c.strip().lower() for c in rows[0][:2]] == ["aspect", "category"]:
                rows = rows[1:]
            bad = [i + 1 for i, r in enumerate(rows) if len(r) < 2 or not r[0].strip() or not r[1].strip()]
            if bad:
                raise ConfigError(f"category_map CSV {str(path)!r}: rows {bad[:10]} need two columns aspect,category.")
            items = {r[0].strip(): r[1].strip() for r in rows}
    else:
        raise ConfigError(f"category_map must be a dict or a JSON/CSV file path, got {describe(source)}.")
    bad_items = [k for k, v in items.items() if not isinstance(k, str) or not isinstance(v, str) or not k or not v]
    if bad_items:
        raise ConfigError(f"category_map entries must be non-empty strings, got {bad_items[:5]}.")
    return items


def default_taxonomy() -> dict[str, Any]:
    """The shipped taxonomy file as a dict."""
    return json.loads((DATA_DIR / "taxonomy.json").read_text(encoding="utf-8"))


class CategoryMapper:
    """Assign a category to an (aspect, opinion) pair; see the module docstring for the order."""

    def __init__(self, user_map: Mapping[str, str] | str | Path | None = None) -> None:
        taxonomy = default_taxonomy()
        self.categories: list[str] = list(taxonomy["categories"])
        self.user_map = read_category_map(user_map)
        for category in self.user_map.values():
            if category not in self.categories:
                self.categories.append(category)
        aspect_keys = {k: c for c, ks in taxonomy["aspects"].items() for k in ks}
        opinion_keys = {k: c for c, ks in taxonomy["opinions"].items() for k in ks}
        self._aspect_tables = (_table(dict(self.user_map)), _table(aspect_keys))
        self._text_tables = (*self._aspect_tables, _table(opinion_keys))
        self._overall = _table({k: OVERALL for k in taxonomy.get("overall", [])})
        self._hygiene = _table({k: HYGIENE for k in taxonomy.get("hygiene_first", [])})

    def __call__(self, aspect: str | None, opinion: str = "") -> str:
        user_keys, taxonomy_keys = self._aspect_tables
        if aspect:
            found = self.user_map.get(aspect) or _longest(aspect, *user_keys)
            if found:
                return found
        if _longest(opinion or "", *self._hygiene):
            return HYGIENE
        if aspect:
            found = _longest(aspect, *taxonomy_keys)
            if found:
                return found
        found = self.named_in(opinion or "")
        if found:
            return found
        if not aspect and _longest(opinion or "", *self._overall):
            return OVERALL
        return OTHER

    def named_in(self, text: str) -> str | None:
        """The category of the longest aspect or opinion key in ``text`` (user map first), or None."""
        for keys, max_len in self._text_tables:
            found = _longest(text, keys, max_len)
            if found:
                return found
        return None


def _table(keys: dict[str, str], max_len: int = 8) -> tuple[dict[str, str], int]:
    """The keys with the length to look up from: their longest, at most ``max_len``."""
    return keys, min(max_len, max(map(len, keys), default=0))


def _longest(text: str, keys: Mapping[str, str], max_len: int = 8) -> str | None:
    """The category of the longest key (of at most ``max_len`` characters) found in ``text``
    (leftmost among equals)."""
    for length in range(min(max_len, len(text)), 0, -1):
        for i in range(len(text) - length + 1):
            category = keys.get(text[i:i + length])
            if category is not None:
                return category
    return None
