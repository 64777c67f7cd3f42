"""Reading feedback tables and writing results, atomically.

Formats: ``csv``, ``jsonl``, ``parquet`` and ``txt`` (one item a line); ``-`` is
stdin / stdout. Every writer goes through a temporary file in the target folder
and a rename, so an interrupted run never leaves a half-written result.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import DataError, FileFormatError, describe, invalid_choice

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "jsonl", "parquet", "txt")
_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl",
             ".parquet": "parquet", ".pq": "parquet", ".txt": "txt", ".text": "txt"}


def infer_format(path: str | Path, fmt: str | None = None, default: str = "txt") -> str:
    """The format named by ``fmt``, else by the file suffix, else ``default``."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise invalid_choice("format", fmt, FORMATS)
        return fmt
    suffix = Path(path).suffix.lower()
    if str(path) == "-" or not suffix:
        return default
    if suffix not in _SUFFIXES:
        raise FileFormatError(
            f"Cannot tell the format of {str(path)!r} from its suffix {suffix!r}; "
            f"give it with --format (format=...), one of {list(FORMATS)}."
        )
    return _SUFFIXES[suffix]


@contextmanager
def atomic_open(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the file the usual permissions
    try:
        kwargs = {"encoding": encoding, "newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | Path, text: str) -> None:
    with atomic_open(path) as f:
        f.write(text)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_open(path, "wb", encoding=None) as f:
        f.write(data)


def iter_table(
    path: str | Path, fmt: str | None = None, text_col: str = "text", chunksize: int | None = None
) -> Iterator[pd.DataFrame]:
    """Read a feedback file as DataFrames of at most ``chunksize`` rows (all at once when None).

    ``txt`` files become a single column named ``text_col``, one row a line. The row index runs
    on across chunks, as if the file were read whole.
    Raises:
        FileFormatError: the file is missing or unreadable in that format.
    """
    import pandas as pd

    fmt = infer_format(path, fmt)
    source: Any = path
    if str(path) == "-":
        source = io.BytesIO(sys.stdin.buffer.read())
    elif not Path(path).is_file():
        raise FileFormatError(f"Input file {str(path)!r} does not exist.")
    try:
        if fmt == "csv":
            sep = "\t" if str(path).endswith(".tsv") else ","
            frames = pd.read_csv(source, sep=sep, dtype=object, keep_default_na=False, na_values=[""],
                                 skip_blank_lines=False, encoding_errors="replace", chunksize=chunksize)
        elif fmt == "jsonl":
            frames = pd.read_json(source, lines=True, dtype=False, encoding_errors="replace", chunksize=chunksize)
        elif fmt == "parquet":
            frames = _parquet_chunks(source, chunksize) if chunksize else pd.read_parquet(source)
        else:
            raw = source.read() if isinstance(source, io.BytesIO) else Path(source).read_bytes()
            frames = pd.DataFrame({text_col: raw.decode("utf-8", errors="replace").splitlines()})
        if isinstance(frames, pd.DataFrame):  # read whole: hand it out in slices
            whole, step = frames, chunksize or max(len(frames), 1)
            frames = (whole.iloc[i:i + step] for i in range(0, max(len(whole), 1), step))
        yield from frames
    except ImportError as e:
        raise FileFormatError(f"Reading {fmt} needs an optional package: {e}. Try: pip install 'cxnlp[parquet]'.") from e
    except (ValueError, OSError, UnicodeError) as e:
        raise FileFormatError(f"Could not read {str(path)!r} as {fmt}: {e}. Choose the format with --format {list(FORMATS)}.") from e


def _parquet_chunks(source: Any, chunksize: int) -> Iterator[pd.DataFrame]:
    """A Parquet file's rows ``chunksize`` at a time (one record batch in memory), index running on."""
    import pyarrow.parquet as pq

    start = 0
    for batch in pq.ParquetFile(source).iter_batches(batch_size=chunksize):
        frame = batch.to_pandas()
        frame.index += start
        start += len(frame)
        yield frame


def read_table(path: str | Path, fmt: str | None = None, text_col: str = "text") -> pd.DataFrame:
    """Read a whole feedback file into one DataFrame (see :func:`iter_table`)."""
    return next(iter_table(path, fmt, text_col))


def read_frame(data: Any, text_col: str = "text") -> tuple[pd.DataFrame, str]:
    """Labelled data as a DataFrame, from a DataFrame, a table file or a ``datasets.Dataset``, and where it came from."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data, f"DataFrame ({len(data)} rows)"
    if isinstance(data, str | Path):
        return read_table(data, text_col=text_col), str(data)
    if hasattr(data, "to_pandas") and hasattr(data, "column_names"):  # datasets.Dataset
        return data.to_pandas(), f"datasets.Dataset ({len(data)} rows)"
    raise DataError(
        f"Training data must be a pandas DataFrame, a CSV/JSONL/Parquet file path or a datasets.Dataset, "
        f"got {describe(data)}."
    )


def _jsonable(value: Any) -> Any:
    """numpy scalars / NaN to plain JSON values."""
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


class TableWriter:
    """Write DataFrames one after another into one csv / jsonl / parquet file, atomically.

    The file appears under its name only when the writer closes without error; ``-`` writes
    JSON lines or CSV to stdout. Parquet needs one schema for the whole file, while a column's
    type may only show in a later chunk (all empty so far, or integers then floats): each chunk
    goes to a temporary part file, and on closing the parts are copied one at a time into the
    file under the schema that fits them all, so memory holds one chunk whatever the length.

    csv holds every list as JSON text; parquet keeps plain string lists as lists, except in
    ``json_columns``, which it always stores as JSON text, even in a chunk where every value is an
    empty list (columns of records, such as the analysis's ``opinions``: else such a chunk would give
    a list column and the next one a text column).

    Example:
        >>> with TableWriter("out.jsonl") as writer:
        ...     for chunk in chunks:
        ...         writer.write(chunk)
    """

    def __init__(self, path: str | Path, fmt: str | None = None, json_columns: Iterable[str] = ()) -> None:
        self.path = path
        self.json_columns = frozenset(json_columns)
        self.fmt = infer_format(path, fmt, default="jsonl")
        if self.fmt == "txt":
            self.fmt = "jsonl"
        if str(path) == "-" and self.fmt == "parquet":
            raise FileFormatError("Parquet cannot be written to stdout; give an output file with -o.")
        self.rows = 0
        self._parts: list[Path] = []
        self._stack = ExitStack()
        self._file: IO[Any] | None = None
        self._part_dir: Path | None = None

    def __enter__(self) -> TableWriter:
        if self.fmt == "parquet":
            parent = Path(self.path).parent
            parent.mkdir(parents=True, exist_ok=True)
            self._part_dir = Path(self._stack.enter_context(
                tempfile.TemporaryDirectory(prefix=f".{Path(self.path).name}.", dir=parent)))
            return self
        self._file = sys.stdout if str(self.path) == "-" else self._stack.enter_context(atomic_open(self.path))
        return self

    def write(self, frame: pd.DataFrame) -> None:
        if self.fmt == "parquet":
            assert self._part_dir is not None, "use TableWriter as a context manager"
            part = self._part_dir / f"{len(self._parts)}.parquet"
            _nested_to_json(frame, keep_string_lists=True, always=self.json_columns).to_parquet(part, index=False)
            self._parts.append(part)
        elif self.fmt == "csv":
            _nested_to_json(frame, keep_string_lists=False).to_csv(self._file, index=False, header=self.rows == 0)
        else:
            assert self._file is not None
            _write_jsonl(frame, self._file)
        self.rows += len(frame)

    def __exit__(self, *exc_info: Any) -> None:
        try:
            if self.fmt == "parquet" and exc_info[0] is None:
                self._join_parts()
        finally:
            self._stack.__exit__(*exc_info)

    def _join_parts(self) -> None:
        """Copy the part files, one at a time, into the output under their common schema."""
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._parts:
            with atomic_open(self.path, "wb", encoding=None) as f:
                pd.DataFrame().to_parquet(f, index=False)
            return
        schemas = [pq.read_schema(part).remove_metadata() for part in self._parts]  # pandas' notes go stale
        try:
            schema = pa.unify_schemas(schemas, promote_options="permissive")
        except (pa.ArrowTypeError, pa.ArrowInvalid) as e:
            raise FileFormatError(f"Cannot write {str(self.path)!r} as Parquet: a column changes type between "
                                  f"chunks ({e}). Write csv or jsonl instead, or give the column one type.") from e
        with atomic_open(self.path, "wb", encoding=None) as f, pq.ParquetWriter(f, schema) as writer:
            for part in self._parts:
                table = pq.read_table(part)
                columns = [table[name] if name in table.column_names else pa.nulls(len(table), field.type)
                           for name, field in zip(schema.names, schema, strict=True)]
                writer.write_table(pa.Table.from_arrays(columns, schema=schema).cast(schema))


def write_table(frame: pd.DataFrame, path: str | Path, fmt: str | None = None) -> None:
    """Write ``frame`` atomically as csv / jsonl / parquet (``-``: stdout)."""
    with TableWriter(path, fmt) as writer:
        writer.write(frame)


def _nested_to_json(frame: pd.DataFrame, keep_string_lists: bool, always: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Columns holding lists / dicts as JSON strings; columns of plain string lists kept if asked
    (but not the columns named in ``always``)."""

    def is_nested(value: Any) -> bool:
        return isinstance(value, dict | list | tuple)

    def is_string_list(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)

    def encode(value: Any) -> Any:
        return json.dumps(value, ensure_ascii=False, default=_jsonable) if is_nested(value) else value

    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object or not values.map(is_nested).any():
            continue
        if keep_string_lists and column not in always and values.map(lambda v: v is None or is_string_list(v)).all():
            continue
        frame[column] = values.map(encode)
    return frame


def _write_jsonl(frame: pd.DataFrame, f: IO[str]) -> None:
    columns = [str(c) for c in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        record = {c: _jsonable(v) for c, v in zip(columns, row, strict=True)}
        f.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
