"""Reading labelled tables and mapping their labels to 0 (negative) / 1 (positive).

Accepted label values (case-insensitive, surrounding spaces ignored):

* binary numbers ``0`` / ``1`` (also ``"0"``, ``"1"``, ``0.0``, ``True`` / ``False``);
* words: ``positive`` / ``negative``, ``pos`` / ``neg``, 正面 / 负面, 正向 / 负向, 积极 / 消极,
  好评 / 差评; ``neutral`` / 中性 / 中评 are neutral;
* star ratings ``1``..``5`` (recognised when some label is 2..5): 1-2 negative, 4-5 positive,
  3 neutral.

Neutral rows are dropped and counted (the binary models learn positive vs negative; neutral
comes from the stage's band and no-opinion rules). Rows with an empty text or a missing label
are dropped and counted too. Anything else raises :class:`~cxnlp.errors.DataError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import DataError, missing_column, suggest
from ..io import read_frame

POSITIVE_WORDS = frozenset({"positive", "pos", "正面", "正向", "积极", "好评", "正"})
NEGATIVE_WORDS = frozenset({"negative", "neg", "负面", "负向", "消极", "差评", "负"})
NEUTRAL_WORDS = frozenset({"neutral", "neu", "中性", "中评", "中立"})
ACCEPTED = ("0/1", "1-5 stars (1-2 neg, 3 neutral, 4-5 pos)", "positive/negative", "pos/neg", "正面/负面",
            "正向/负向", "积极/消极", "好评/差评", "neutral/中性 (dropped)")
MIN_ROWS = 20


@dataclass
class LabelledData:
    """Texts with 0/1 labels plus counts of what was dropped and how labels were read."""

    texts: list[str]
    labels: np.ndarray
    scheme: str
    dropped: dict[str, int] = field(default_factory=dict)
    source: str = ""
    domains: list[str] | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "source": self.source, "rows_used": len(self.texts), "label_scheme": self.scheme,
            "positive": int(self.labels.sum()), "negative": int(len(self.labels) - self.labels.sum()),
            "dropped": dict(self.dropped),
            **({"domains": sorted(set(self.domains))} if self.domains is not None else {}),
        }


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool | np.bool_):
        return float(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def map_labels(values: list[Any]) -> tuple[list[int | None], str]:
    """Each label as 1, 0 or None (neutral), and the scheme used; raises on unmappable values."""
    numbers = [_as_number(v) for v in values]
    if all(n is not None for n in numbers):
        distinct = set(numbers)
        if distinct <= {0.0, 1.0}:
            return [int(n) for n in numbers], "binary 0/1"  # type: ignore[arg-type]
        if distinct <= {1.0, 2.0, 3.0, 4.0, 5.0}:
            return [1 if n >= 4 else 0 if n <= 2 else None for n in numbers], "stars 1-5"  # type: ignore[operator]
    mapped: list[int | None] = []
    bad: list[tuple[int, Any]] = []
    for i, (value, number) in enumerate(zip(values, numbers, strict=True)):
        word = str(value).strip().lower()
        if number in (0.0, 1.0):
            mapped.append(int(number))  # type: ignore[arg-type]
        elif word in POSITIVE_WORDS:
            mapped.append(1)
        elif word in NEGATIVE_WORDS:
            mapped.append(0)
        elif word in NEUTRAL_WORDS:
            mapped.append(None)
        else:
            mapped.append(None)
            bad.append((i, value))
    if bad:
        examples = ", ".join(f"row {i}: {v!r}" for i, v in bad[:5])
        raise DataError(
            f"{len(bad)} label value(s) cannot be mapped to positive/negative ({examples}). "
            f"Accepted labels: {', '.join(ACCEPTED)}. Fix or drop those rows, or map them yourself."
        )
    return mapped, "words"


def load_labelled(data: Any, text_col: str = "text", label_col: str = "label", min_rows: int = MIN_ROWS,
                  require_both: bool = True, domain_col: str | None = None) -> LabelledData:
    """Read ``data`` and return usable texts with 0/1 labels; raise DataError when it cannot train a model.

    ``domain_col`` names an optional column (product line, channel ...) kept beside each text.
    """
    frame, source = read_frame(data, text_col)
    if text_col not in frame.columns:
        raise missing_column(text_col, frame.columns, source)
    if label_col not in frame.columns:
        names = [str(c) for c in frame.columns]
        raise DataError(f"Label column {label_col!r} not found in {source}; available columns: {names}."
                        f"{suggest(label_col, names)} Pass the right name with label_col=....")
    if domain_col is not None and domain_col not in frame.columns:
        raise DataError(f"Domain column {domain_col!r} not found in {source}; available columns: "
                        f"{[str(c) for c in frame.columns]}.")
    domains_in = frame[domain_col].astype(str).tolist() if domain_col is not None else [""] * len(frame)
    texts_in = frame[text_col].tolist()
    labels_in = frame[label_col].tolist()
    keep_label = [not _is_missing(v) for v in labels_in]
    mapped_known, scheme = map_labels([v for v, k in zip(labels_in, keep_label, strict=True) if k])
    it = iter(mapped_known)
    mapped = [next(it) if k else None for k in keep_label]
    dropped = {"missing_label": keep_label.count(False), "empty_text": 0, "neutral": 0}
    texts: list[str] = []
    labels: list[int] = []
    domains: list[str] = []
    for text, label, known, domain in zip(texts_in, mapped, keep_label, domains_in, strict=True):
        if not known:
            continue
        if _is_missing(text) or not isinstance(text, str):
            dropped["empty_text"] += 1
            continue
        if label is None:
            dropped["neutral"] += 1
            continue
        texts.append(text)
        labels.append(label)
        domains.append(domain)
    y = np.asarray(labels, dtype=np.int64)
    if len(texts) < min_rows:
        raise DataError(
            f"Only {len(texts)} usable row(s) in {source} (dropped: {dropped}); at least {min_rows} labelled, "
            "non-empty, non-neutral rows are needed."
        )
    if require_both and len(set(labels)) < 2:
        only = "positive" if labels[0] == 1 else "negative"
        raise DataError(
            f"All {len(texts)} usable rows in {source} are {only}: a sentiment model needs both positive and "
            f"negative examples (labels read as {scheme})."
        )
    return LabelledData(texts, y, scheme, dropped, source, domains if domain_col is not None else None)
