"""Training the aspects model on triplet data in the shared JSONL format.

One JSON object a line::

    {"text": "食物不用多说了不错的价格也适中。",
     "triplets": [{"aspect": "价格", "aspect_span": [10, 12], "opinion": "也适中",
                   "opinion_span": [12, 15], "polarity": "positive"}]}

``aspect`` / ``aspect_span`` are ``null`` for an implicit aspect; spans are ``[start, end)``
character offsets into ``text``.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ConfigError, DataError, describe
from ..hf import check_backend
from .model import POLARITY_LABELS, TripletModel

if TYPE_CHECKING:
    from .extractor import AspectExtractor

#: backend (each of cxnlp.stage.BACKENDS) -> (model constructor options, training options) accepted by train_aspects
BACKEND_OPTIONS = {
    "linear": ({"bits", "clause_bits", "polarity_bits"},
               {"alpha", "clause_alpha", "polarity_c", "epochs", "clause_average", "crossfit_aspects"}),
    "transformer": ({"device", "batch_size", "max_length"}, {"epochs", "lr", "max_steps"}),
}
DATA_TERMS = ("Lasted ASTE dataset of Zhang et al., 'Structural Bias for Aspect Sentiment Triplet Extraction' "
              "(COLING 2022), as redistributed in yangheng95/ABSADatasets; research use only.")


def _check_span(value: Any, n: int, allow_none: bool) -> str | None:
    if value is None:
        return None if allow_none else "missing span"
    if (not isinstance(value, list | tuple) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return f"span must be [start, end], got {describe(value, 30)}"
    if not 0 <= value[0] < value[1] <= n:
        return f"span {list(value)} outside the text (length {n})"
    return None


def validate_row(row: Any) -> str | None:
    """Why ``row`` is not a valid training row, or ``None`` when it is."""
    if not isinstance(row, dict):
        return f"expected a JSON object, got {describe(row, 30)}"
    text = row.get("text")
    if not isinstance(text, str) or not text:
        return "missing or empty 'text'"
    triplets = row.get("triplets")
    if not isinstance(triplets, list):
        return "'triplets' must be a list"
    for k, t in enumerate(triplets):
        if not isinstance(t, dict):
            return f"triplet {k} is not an object"
        problem = _check_span(t.get("aspect_span"), len(text), True) or _check_span(t.get("opinion_span"), len(text), False)
        if problem:
            return f"triplet {k}: {problem}"
        if t.get("polarity") not in POLARITY_LABELS:
            return f"triplet {k}: polarity must be one of {list(POLARITY_LABELS)}, got {describe(t.get('polarity'), 20)}"
    return None


def read_triplet_data(data: str | Path | Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows from a JSONL file or an iterable of dicts, validated.

    Raises:
        DataError: listing the (1-based) line numbers of malformed rows and why.
    """
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    if isinstance(data, str | Path):
        path = Path(data)
        if not path.is_file():
            raise DataError(f"Triplet data file {str(path)!r} does not exist; pass a JSONL path or a list of dicts.")
        source = f"{path}"
        with open(path, encoding="utf-8-sig") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    problems.append(f"line {number}: invalid JSON ({e.msg})")
                    continue
                problem = validate_row(row)
                if problem:
                    problems.append(f"line {number}: {problem}")
                else:
                    rows.append(row)
    elif isinstance(data, Iterable) and not isinstance(data, bytes | dict):
        source = "the given rows"
        for number, row in enumerate(data, 1):
            problem = validate_row(row)
            if problem:
                problems.append(f"row {number}: {problem}")
            else:
                rows.append(row)
    else:
        raise ConfigError(f"data must be a JSONL path or a list of dicts, got {describe(data)}.")
    if problems:
        shown = "; ".join(problems[:20]) + (f"; ... and {len(problems) - 20} more" if len(problems) > 20 else "")
        raise DataError(f"{len(problems)} malformed row(s) in {source}: {shown}. Expected one object a line: "
                        '{"text": ..., "triplets": [{"aspect_span": [s, e] or null, "opinion_span": [s, e], '
                        '"polarity": "positive|negative|neutral"}]}.')
    if not rows:
        raise DataError(f"No training rows in {source}.")
    return rows


def preprocess(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``norm`` and word spans (the segment stage's normaliser and tokenizer) to each row."""
    from ..segment import Segmenter

    segmenter = Segmenter()
    out = []
    for row in rows:
        norm = segmenter.normalizer(row["text"])
        words = [(t.start, t.end) for t in segmenter.tokenize(row["text"], norm)]
        out.append({"text": row["text"], "norm": norm, "words": words, "triplets": row["triplets"]})
    return out


def _fit_defaults(fit: Callable[..., Any]) -> dict[str, Any]:
    """The default training options of a model's ``fit`` (recorded in meta.json)."""
    import inspect

    return {name: p.default for name, p in inspect.signature(fit).parameters.items()
            if p.default is not inspect.Parameter.empty and name != "seed"}


def train_aspects(
    data: str | Path | Iterable[dict[str, Any]],
    out: str | Path | None = None,
    seed: int = 0,
    dev: str | Path | Iterable[dict[str, Any]] | None = None,
    data_name: str | None = None,
    data_terms: str | None = None,
    backend: str = "linear",
    base_model: str | Path | None = None,
    **kwargs: Any,
) -> AspectExtractor:
    """Train an :class:`AspectExtractor` on triplet data; save it to ``out`` when given.

    Args:
        data: training rows (JSONL path or list of dicts, format in the module docstring).
        out: directory to save the trained stage to (config.json, meta.json, and aspects.npz or hf/).
        seed: random seed (training is deterministic for a given seed on a given device).
        dev: optional evaluation rows; their metrics go into ``meta.json``.
        data_name / data_terms: recorded in ``meta.json`` (name and terms of use of the data).
        backend: ``"linear"`` (:class:`TripletModel`, CPU) or ``"transformer"`` (fine-tunes
            ``base_model`` as a token classifier, :mod:`cxnlp.aspects.transformer`).
        base_model: the checkpoint for ``backend="transformer"``: a local Hugging Face directory,
            or a hub name (the only case where a download may happen).
        **kwargs: ``AspectExtractor`` arguments (``mode``, ``category_map``, ...) and model
            options. Linear: ``alpha``, ``clause_alpha``, ``polarity_c``, ``epochs``,
            ``clause_average``, ``crossfit_aspects``, ``bits``. Transformer: ``epochs``, ``lr``,
            ``max_steps``, ``batch_size``, ``max_length``, ``device``.

    Raises:
        DataError: malformed rows, with their line numbers.
        ConfigError: an unknown backend or argument, ``base_model`` without the transformer
            backend or the transformer backend without ``base_model``.
    """
    from ..about import library_versions
    from .evaluate import evaluate_aspects
    from .extractor import AspectExtractor

    check_backend(backend, base_model)
    model_keys, fit_keys = BACKEND_OPTIONS[backend]
    model_args = {k: kwargs.pop(k) for k in list(kwargs) if k in model_keys}
    fit_args = {k: kwargs.pop(k) for k in list(kwargs) if k in fit_keys}
    try:
        extractor = AspectExtractor(**kwargs)
    except TypeError as e:
        raise ConfigError(f"Unknown argument for the {backend} aspects backend: {e}.") from None
    random.seed(seed)
    np.random.seed(seed)
    rows = read_triplet_data(data)
    started = time.perf_counter()
    if backend == "linear":
        model = TripletModel(**model_args).fit(preprocess(rows), seed=seed, **fit_args)
        extractor.set_model(model)
        details: dict[str, Any] = {
            "model": "hashed-feature linear aspect tagger + clause opinion model + pairing + polarity LR "
                     "(numpy inference)",
            "options": {**model.get_config(), **_fit_defaults(TripletModel.fit), **fit_args},
            "versions": library_versions("numpy", "scikit-learn", "jieba", "opencc"),
        }
    else:
        from .transformer import TAGS, TransformerTripletModel

        transformer = TransformerTripletModel(**model_args)
        steps = transformer.fit(preprocess(rows), base_model=str(base_model), seed=seed, **fit_args)
        extractor.set_model(transformer)
        details = {
            "model": f"fine-tuned transformer token classifier ({' '.join(TAGS)}) + pairing",
            "base_model": str(base_model),
            "steps": steps,
            "options": {**transformer.get_config(), **_fit_defaults(TransformerTripletModel.fit), **fit_args},
            "versions": library_versions("numpy", "torch", "transformers", "jieba", "opencc"),
        }
    meta: dict[str, Any] = {
        "task": "aspects",
        "backend": backend,
        "model": details.pop("model"),
        "training_data": data_name or (str(data) if isinstance(data, str | Path) else "user rows"),
        "training_rows": len(rows),
        "data_terms": data_terms or ("see the data source" if data_name is None else ""),
        "seed": seed,
        **details,
        "train_seconds": round(time.perf_counter() - started, 1),
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    extractor.meta_ = meta
    if dev is not None:
        metrics = evaluate_aspects(dev, extractor)
        metrics.pop("details", None)
        meta["dev_metrics"] = metrics
    if out is not None:
        extractor.to_dir(out)
    return extractor
