"""Pipeline: named stages run in order over documents.

Each stage declares what it ``requires`` and ``provides``; a pipeline whose stage
needs something no earlier stage provides fails at construction, naming it.
A pipeline saves as a directory::

    pipeline.json        {"cxnlp_version": ..., "stages": [{"name": ..., "factory": ...}, ...]}
    <name>/config.json   one folder per stage (+ meta.json, weights)
"""

from __future__ import annotations

import math
import multiprocessing as mp
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .about import __version__
from .doc import Document
from .errors import ConfigError, ModelError, PipelineError, describe, suggest
from .stage import Stage, batched, check_batch_size, logger, read_json, stage_class, write_json

PIPELINE_FILE = "pipeline.json"

#: Longest text analysed; longer inputs get an error row instead of exhausting memory.
DEFAULT_MAX_CHARS = 1_000_000

_SURROGATES = re.compile("[\ud800-\udfff]")


def make_doc(value: Any, max_chars: int = DEFAULT_MAX_CHARS) -> Document:
    """Turn one input value into a Document, recording why when it cannot be analysed.

    Never raises: ``None``/NaN, non-strings, undecodable bytes, empty and over-long
    texts all give a Document whose ``error`` says what was wrong.
    """
    if isinstance(value, bytes | bytearray):
        for encoding in ("utf-8", "gb18030"):
            try:
                value = bytes(value).decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            return Document(text="", error="undecodable bytes: neither valid UTF-8 nor GB18030")
    if not isinstance(value, str):
        if value is None or (isinstance(value, float) and math.isnan(value)) or _is_missing(value):
            return Document(text="", error="missing text (got None/NaN)")
        return Document(text="", error=f"expected a string, got {describe(value, 40)}")
    if _SURROGATES.search(value):  # lone surrogates cannot be encoded; same-length repair
        value = _SURROGATES.sub("\ufffd", value)
    if not value.strip():
        return Document(text=value, error="empty text")
    if len(value) > max_chars:
        return Document(text=value, error=f"text too long: {len(value):,} characters > max_chars={max_chars:,}")
    return Document(text=value)


def _is_missing(value: Any) -> bool:
    """pandas.NA / NaT and numpy NaN without importing pandas eagerly."""
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, str | list | tuple | dict) else False
    except (TypeError, ValueError, ImportError):
        return False


class Pipeline:
    """Stages run in order: ``nlp(text) -> Document``, ``nlp.pipe(texts) -> Iterator[Document]``.

    Example:
        >>> import cxnlp
        >>> nlp = cxnlp.load()
        >>> doc = nlp("送餐太慢了，再也不点了")
        >>> doc.risk.level
        'high'
    """

    def __init__(
        self,
        stages: Sequence[Stage] | Sequence[tuple[str, Stage]],
        max_chars: int = DEFAULT_MAX_CHARS,
        meta: dict[str, Any] | None = None,
    ) -> None:
        named: list[tuple[str, Stage]] = []
        for item in stages:
            name, stage = item if isinstance(item, tuple) else (getattr(item, "factory", ""), item)
            if not isinstance(stage, Stage):
                raise ConfigError(f"Pipeline stages must be cxnlp Stage objects, got {describe(stage)}.")
            if not name or any(name == n for n, _ in named):
                raise ConfigError(f"Stage names must be unique and non-empty, got {name!r}.")
            named.append((name, stage))
        self.stages = named
        self.max_chars = max_chars
        self.meta = dict(meta or {})
        self._check_requirements()

    def _check_requirements(self) -> None:
        available = {"text"}
        for name, stage in self.stages:
            missing = [r for r in stage.requires if r not in available]
            if missing:
                raise PipelineError(
                    f"Stage {name!r} requires {missing}, which no earlier stage provides "
                    f"(available: {sorted(available)}). Add the stage that provides it before {name!r}."
                )
            available.update(stage.provides)

    # -- access --------------------------------------------------------------
    @property
    def stage_names(self) -> list[str]:
        return [name for name, _ in self.stages]

    def get_stage(self, name: str) -> Stage:
        for stage_name, stage in self.stages:
            if stage_name == name:
                return stage
        raise KeyError(f"No stage {name!r} in this pipeline; stages: {self.stage_names}.{suggest(name, self.stage_names)}")

    def __contains__(self, name: object) -> bool:
        return name in self.stage_names

    def __repr__(self) -> str:
        return f"Pipeline({self.stage_names})"

    # -- inference -----------------------------------------------------------
    def __call__(self, text: Any) -> Document:
        return next(self.pipe([text], batch_size=1))

    def pipe(
        self,
        texts: Iterable[Any],
        batch_size: int = 256,
        n_process: int = 1,
    ) -> Iterator[Document]:
        """Analyse texts in input order; one Document per input, whatever the input.

        Args:
            texts: strings (or anything: bad values become error rows).
            batch_size: documents per stage call.
            n_process: worker processes; ``> 1`` gives the same results as 1.
        """
        check_batch_size(batch_size)
        if isinstance(n_process, bool) or not isinstance(n_process, int) or n_process < 1:
            raise ConfigError(f"n_process must be a positive int, got {describe(n_process)}.")
        if isinstance(texts, str | bytes):
            raise ConfigError("pipe() takes an iterable of texts, got a single string; use nlp(text) for one text.")
        if n_process > 1:
            yield from self._pipe_multiprocess(texts, batch_size, n_process)
            return
        for chunk in batched(texts, batch_size):
            docs: Iterable[Document] = [make_doc(t, self.max_chars) for t in chunk]
            for _, stage in self.stages:
                docs = stage.pipe(docs, batch_size=batch_size)
            yield from docs

    def _pipe_multiprocess(self, texts: Iterable[Any], batch_size: int, n_process: int) -> Iterator[Document]:
        # Workers load the pipeline from a saved copy: works with any start method and
        # never pickles live tokenizers or models.
        tmp = Path(tempfile.mkdtemp(prefix="cxnlp-"))
        try:
            self.to_dir(tmp)
            context = mp.get_context("spawn")
            with context.Pool(n_process, initializer=_worker_init, initargs=(str(tmp), batch_size)) as pool:
                for docs in pool.imap(_worker_run, batched(texts, batch_size)):
                    yield from docs
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    # -- persistence ---------------------------------------------------------
    def to_dir(self, path: str | Path) -> None:
        """Save every stage under ``path/<name>/`` plus ``pipeline.json``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, stage in self.stages:
            stage.to_dir(path / name)
        write_json(
            path / PIPELINE_FILE,
            {
                "cxnlp_version": __version__,
                "max_chars": self.max_chars,
                "stages": [{"name": n, "factory": s.factory} for n, s in self.stages],
                "meta": self.meta,
            },
        )

    @classmethod
    def from_dir(cls, path: str | Path, exclude: Iterable[str] = ()) -> Pipeline:
        """Load a pipeline saved with :meth:`to_dir`; ``exclude`` skips stages by name."""
        path = Path(path)
        if not (path / PIPELINE_FILE).is_file():
            hint = " It looks like a single stage: use cxnlp.load_stage()." if (path / "config.json").is_file() else ""
            raise ModelError(f"{str(path)!r} is not a cxnlp pipeline directory (no {PIPELINE_FILE}).{hint}")
        data = read_json(path / PIPELINE_FILE)
        saved_version = data.get("cxnlp_version")
        if saved_version and saved_version.split(".")[:2] != __version__.split(".")[:2]:
            logger.warning("Pipeline at %s was saved by cxnlp %s; this is %s.", path, saved_version, __version__)
        skip = set(exclude)
        stages = []
        for entry in data.get("stages", []):
            if entry["name"] in skip:
                continue
            stages.append((entry["name"], stage_class(entry["factory"]).from_dir(path / entry["name"])))
        return cls(stages, max_chars=data.get("max_chars", DEFAULT_MAX_CHARS), meta=data.get("meta"))


@contextmanager
def models_frozen(nlp: Pipeline) -> Iterator[Pipeline]:
    """Within the block, Python's full garbage collections skip the loaded models (on the shopping dev
    texts, 2026-12-02: under 1 % of the full pipeline's time, 4 % in a process that has imported pandas):
    one warm-up document builds what loads lazily (the jieba dictionary), then ``gc.freeze()``;
    ``gc.unfreeze()`` on the way out. Process-wide, so for a process that exists to analyse text
    (``cxnlp analyze`` uses it); the library never touches the collector otherwise.
    """
    import gc

    nlp("预热")
    gc.freeze()
    try:
        yield nlp
    finally:
        gc.unfreeze()


# -- worker processes ----------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _worker_init(path: str, batch_size: int) -> None:
    _WORKER["nlp"] = Pipeline.from_dir(path)
    _WORKER["batch_size"] = batch_size


def _worker_run(texts: list[Any]) -> list[Document]:
    return list(_WORKER["nlp"].pipe(texts, batch_size=_WORKER["batch_size"]))


def default_model_dir() -> Path:
    """The shipped default pipeline: inside an installed wheel, or ``models/default`` of a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_models" / "default", here.parents[1] / "models" / "default"):
        if (candidate / PIPELINE_FILE).is_file():
            return candidate
    raise ModelError(
        "The default cxnlp model was not found (looked in the package's _models/default and the "
        "checkout's models/default). Reinstall cxnlp, or pass a pipeline directory to cxnlp.load(path)."
    )


def load(path: str | Path | None = None, exclude: Iterable[str] = ()) -> Pipeline:
    """Load a pipeline directory, or the shipped default when ``path`` is None. Never downloads.

    Example:
        >>> nlp = cxnlp.load()                       # default: segment, aspects, sentiment, risk
        >>> nlp = cxnlp.load("my_model_dir")         # a directory saved with nlp.to_dir(...)
    """
    if path is None:
        return Pipeline.from_dir(default_model_dir(), exclude=exclude)
    if not isinstance(path, str | Path):
        raise ConfigError(f"cxnlp.load() takes a directory path or None, got {describe(path)}.")
    if not Path(path).exists():
        raise ModelError(
            f"Model directory {str(path)!r} does not exist. cxnlp never downloads: pass a local directory "
            "saved with Pipeline.to_dir(), or call cxnlp.load() for the shipped default."
        )
    return Pipeline.from_dir(path, exclude=exclude)
