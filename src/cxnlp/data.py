"""Where the labelled corpora live: ``$CXNLP_DATA``, else ``../shared/data`` beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import DataError

ENV_VAR = "CXNLP_DATA"
SENTIMENT_CORPORA = ("waimai_10k", "hotel_htl_all", "online_shopping_10_cats")


def data_dir(required: bool = True) -> Path | None:
    """The shared data directory, or None (``required=False``) when it is absent."""
    candidates = [Path(os.environ[ENV_VAR])] if os.environ.get(ENV_VAR) else []
    checkout = Path(__file__).resolve().parents[2]
    candidates += [checkout.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    for path in candidates:
        if path.is_dir():
            return path
    if required:
        raise DataError(
            f"Labelled data not found (looked in {[str(c) for c in candidates]}). "
            f"Set {ENV_VAR}=/path/to/shared/data."
        )
    return None


def data_file(*parts: str) -> Path:
    """A file under the data directory, e.g. ``data_file("sentiment", "waimai_10k", "dev.csv")``."""
    base = data_dir()
    assert base is not None
    path = base.joinpath(*parts)
    if not path.exists():
        raise DataError(f"{path} does not exist under {base}.")
    return path


def with_texts(frame: Any, split: str = "train") -> Any:
    """Annotations kept by reference, with their text added.

    ``frame`` (a DataFrame) names each text by ``corpus`` (a sentiment corpus) and ``md5`` (the
    hex MD5 of its UTF-8 text), so the project can commit its own labels without copying the
    corpora; the texts come from ``sentiment/<corpus>/<split>.csv`` under :func:`data_dir`.
    Raises DataError if a row's text is not found.
    """
    import hashlib

    import pandas as pd

    frame = frame.copy()
    texts: dict[tuple[str, str], str] = {}
    for corpus in sorted(set(frame["corpus"])):
        if corpus not in SENTIMENT_CORPORA:
            raise DataError(f"Unknown corpus {corpus!r}; expected one of {list(SENTIMENT_CORPORA)}.")
        for text in pd.read_csv(data_file("sentiment", corpus, f"{split}.csv"))["text"].astype(str):
            texts[corpus, hashlib.md5(text.encode("utf-8")).hexdigest()] = text
    keys = list(zip(frame["corpus"], frame["md5"], strict=True))
    missing = [k for k in keys if k not in texts]
    if missing:
        raise DataError(f"{len(missing)} annotated text(s) not found in the {split} splits, e.g. {missing[0]}.")
    frame["text"] = [texts[k] for k in keys]
    return frame
