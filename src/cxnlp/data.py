"""Where the labelled corpora live: ``$CXNLP_DATA``, else ``../shared/data`` beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

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
