"""``summarize``: opinion counts per category and per tag, with example texts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..doc import POLARITIES, Document
from ..errors import ConfigError, describe, invalid_choice, missing_column
from .taxonomy import OTHER

if TYPE_CHECKING:
    import pandas as pd

GROUP_KEYS = ("category", "tag", "aspect", "phrase", "polarity")


def _records(source: Iterable[Document] | pd.DataFrame, text_col: str,
             opinions_col: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """(text, opinion dicts) for each document or row."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        for col in (opinions_col, text_col):
            if col not in source.columns:
                raise missing_column(col, source.columns, "the DataFrame (expected cxnlp.analyze_frame output)")
        out = []
        for text, ops in zip(source[text_col].tolist(), source[opinions_col].tolist(), strict=True):
            if isinstance(ops, str):
                ops = json.loads(ops) if ops.strip() else []
            out.append(("" if text is None else str(text), list(ops) if isinstance(ops, list | tuple) else []))
        return out
    if isinstance(source, str | bytes) or not isinstance(source, Iterable):
        raise ConfigError(f"summarize takes Documents or an analyze_frame DataFrame, got {describe(source)}.")
    out = []
    for doc in source:
        if not isinstance(doc, Document):
            raise ConfigError(f"summarize takes Documents or an analyze_frame DataFrame, got an item {describe(doc)}.")
        out.append((doc.text, [o.to_dict() for o in doc.opinions]))
    return out


def summarize(
    docs_or_frame: Iterable[Document] | pd.DataFrame,
    by: Sequence[str] = ("category", "tag"),
    examples: int = 3,
    text_col: str = "text",
    opinions_col: str = "opinions",
) -> pd.DataFrame:
    """Count positive / negative / neutral opinions per group, most complained-about first.

    One row per value of ``by[0]`` (e.g. each category), followed by one row per value of
    ``by[:2]`` inside it (each tag of that category), and so on; ``level`` names the depth.
    Groups are ordered by negative count, then total, with the catch-all category 其他 last.
    ``examples`` distinct texts are kept per group.

    Args:
        docs_or_frame: analysed Documents, or the DataFrame from :func:`cxnlp.analyze_frame`.
        by: opinion fields to group by, from ``category``, ``tag``, ``aspect``, ``phrase``, ``polarity``.
        examples: how many example texts to keep per group.
        text_col / opinions_col: column names in a DataFrame (``opinions`` holds Opinion dicts).

    Example:
        >>> summarize(nlp.pipe(texts))[["level", "category", "tag", "negative", "total"]]
    """
    import pandas as pd

    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ConfigError("summarize needs at least one field in by=, e.g. ('category', 'tag').")
    for key in by:
        if key not in GROUP_KEYS:
            raise invalid_choice("summarize by", key, GROUP_KEYS)
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 0:
        raise ConfigError(f"examples must be an int >= 0, got {describe(examples)}.")
    counts: dict[tuple[str, ...], dict[str, Any]] = {}
    for text, opinions in _records(docs_or_frame, text_col, opinions_col):
        for op in opinions:
            values = tuple("" if op.get(k) is None else str(op.get(k)) for k in by)
            for depth in range(1, len(by) + 1):
                group = counts.setdefault(values[:depth], {p: 0 for p in POLARITIES} | {"examples": []})
                polarity = op.get("polarity", "neutral")
                group[polarity if polarity in POLARITIES else "neutral"] += 1
                if len(group["examples"]) < examples and text not in group["examples"]:
                    group["examples"].append(text)
    columns = ["level", *by, *POLARITIES, "total", "examples"]
    rows: list[dict[str, Any]] = []

    def order(key: tuple[str, ...]) -> tuple[bool, int, int, tuple[str, ...]]:
        c = counts[key]
        catch_all = by[len(key) - 1] == "category" and key[-1] == OTHER  # 其他 says least: it goes last
        return (catch_all, -c["negative"], -sum(c[p] for p in POLARITIES), key)

    def emit(prefix: tuple[str, ...]) -> None:
        children = sorted((k for k in counts if len(k) == len(prefix) + 1 and k[:len(prefix)] == prefix), key=order)
        for key in children:
            c = counts[key]
            row = {"level": by[len(key) - 1], **{b: (key[i] if i < len(key) else "") for i, b in enumerate(by)}}
            row.update({p: c[p] for p in POLARITIES})
            row["total"] = sum(c[p] for p in POLARITIES)
            row["examples"] = list(c["examples"])
            rows.append(row)
            emit(key)

    emit(())
    return pd.DataFrame(rows, columns=columns)
