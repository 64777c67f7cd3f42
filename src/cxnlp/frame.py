"""pandas adapter: a DataFrame in, the same DataFrame with result columns out."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from .doc import Document
from .errors import ConfigError, describe, missing_column

if TYPE_CHECKING:
    import pandas as pd

    from .pipeline import Pipeline

#: Columns added by analyze_frame, in order.
RESULT_COLUMNS = ("tokens", "turns", "opinion_tags", "opinions", "sentiment", "sentiment_score", "sentiment_rule",
                  "risk", "risk_score", "risk_reasons", "error")
#: The result columns holding lists of records (dicts), stored as JSON text in csv and parquet.
RECORD_COLUMNS = ("turns", "opinions")


def docs_to_frame(docs: Iterable[Document], index: Any = None, prefix: str = "") -> pd.DataFrame:
    """One row per Document with the result columns (see ``RESULT_COLUMNS``)."""
    import pandas as pd

    records = [doc.to_record() for doc in docs]
    frame = pd.DataFrame.from_records(records, columns=list(RESULT_COLUMNS), index=index)
    return frame.add_prefix(prefix) if prefix else frame


def analyze_frame(
    df: pd.DataFrame,
    text_col: str = "text",
    nlp: Pipeline | None = None,
    batch_size: int = 256,
    n_process: int = 1,
    prefix: str = "",
    progress: bool = False,
) -> pd.DataFrame:
    """Analyse ``df[text_col]``; return ``df`` (index and columns kept) with result columns added.

    Bad cells (None, NaN, numbers, empty strings) keep their row and get an ``error``.

    Example:
        >>> import pandas as pd, cxnlp
        >>> out = cxnlp.analyze_frame(pd.DataFrame({"text": ["物流很快，好评", None]}))
        >>> out[["sentiment", "opinion_tags", "risk", "error"]]
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ConfigError(f"analyze_frame expects a pandas DataFrame, got {describe(df)}.")
    frames = analyze_chunks([df], text_col, nlp, batch_size, n_process, prefix,
                            total=len(df) if progress else -1, where="the DataFrame")
    out = next(frames, None)
    return out if out is not None else pd.concat([df, docs_to_frame([], index=df.index, prefix=prefix)], axis=1)


def check_columns(columns: Iterable[Any], text_col: str, prefix: str, where: str) -> None:
    """The text column exists and no result column would overwrite an input column."""
    columns = list(columns)
    if text_col not in columns:
        raise missing_column(text_col, columns, where)
    clashes = [prefix + c for c in RESULT_COLUMNS if prefix + c in columns]
    if clashes:
        raise ConfigError(
            f"{where} already has result column(s) {clashes}; pass prefix='cx_' (CLI: --prefix) to keep both."
        )


def analyze_chunks(
    chunks: Iterable[pd.DataFrame],
    text_col: str = "text",
    nlp: Pipeline | None = None,
    batch_size: int = 256,
    n_process: int = 1,
    prefix: str = "",
    total: int | None = -1,
    where: str = "the input",
) -> Iterator[pd.DataFrame]:
    """Analyse a stream of DataFrames (e.g. a file read in chunks) through one ``nlp.pipe``.

    Yields each chunk with the result columns added, in order; worker processes (``n_process``)
    are started once for the whole stream. ``total``: rows expected, for a progress bar on stderr
    (None: a bar without a total; -1: no bar).
    """
    import pandas as pd

    if nlp is None:
        from .pipeline import load

        nlp = load()
    pending: deque[pd.DataFrame] = deque()

    def texts() -> Iterator[Any]:
        for chunk in chunks:
            check_columns(chunk.columns, text_col, prefix, where)
            if len(chunk):
                pending.append(chunk)
                yield from chunk[text_col].tolist()

    docs: Iterator[Document] = nlp.pipe(texts(), batch_size=batch_size, n_process=n_process)
    if total != -1:
        from tqdm.auto import tqdm

        docs = iter(tqdm(docs, total=total, unit="doc", desc="cxnlp", mininterval=1.0))
    while (first := next(docs, None)) is not None:
        chunk = pending.popleft()
        batch = [first, *islice(docs, len(chunk) - 1)]
        yield pd.concat([chunk, docs_to_frame(batch, index=chunk.index, prefix=prefix)], axis=1)



def analyze_dataset(
    dataset: Any,
    text_col: str = "text",
    nlp: Pipeline | None = None,
    batch_size: int = 256,
    prefix: str = "",
) -> Any:
    """Analyse a Hugging Face ``datasets.Dataset``; return it with the result columns added.

    Same columns as :func:`analyze_frame`, except that ``opinions`` holds one JSON string per
    opinion (Arrow needs one type per column; implicit aspects have no span).

    Example:
        >>> from datasets import Dataset
        >>> ds = cxnlp.frame.analyze_dataset(Dataset.from_dict({"text": ["物流很快", None]}))
        >>> ds["sentiment"], ds["error"]
    """
    try:
        from datasets import Dataset, Features, Sequence, Value
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ConfigError("analyze_dataset needs the `datasets` package: pip install 'cxnlp[transformers]'.") from e
    if not isinstance(dataset, Dataset):
        raise ConfigError(f"analyze_dataset expects a datasets.Dataset, got {describe(dataset)}.")
    if text_col not in dataset.column_names:
        raise missing_column(text_col, dataset.column_names, "the Dataset")
    from .pipeline import load

    pipeline = nlp if nlp is not None else load()

    def annotate(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        frame = docs_to_frame(pipeline.pipe(batch[text_col], batch_size=batch_size), prefix=prefix)
        for column in RECORD_COLUMNS:  # one JSON string per record
            frame[prefix + column] = frame[prefix + column].map(lambda items: [json.dumps(x, ensure_ascii=False) for x in items])
        return {column: frame[column].tolist() for column in frame.columns}

    text, number, texts = Value("string"), Value("float64"), Sequence(Value("string"))
    types = {"tokens": texts, "turns": texts, "opinion_tags": texts, "opinions": texts, "sentiment": text, "sentiment_score": number,
             "sentiment_rule": text,
             "risk": text, "risk_score": number, "risk_reasons": texts, "error": text}
    features = Features({**dataset.features, **{prefix + c: types[c] for c in RESULT_COLUMNS}})
    return dataset.map(annotate, batched=True, batch_size=batch_size, features=features, desc="cxnlp")
