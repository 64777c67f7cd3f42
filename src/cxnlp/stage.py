"""The contract every pipeline stage follows.

A stage is a callable ``Document -> Document`` that declares which document
attributes it ``requires`` and which it ``provides``. ``pipe`` is the fast, batched
path and ``__call__`` goes through it. A stage saves itself as a directory of JSON
(``config.json``) plus arrays (``.npz`` / safetensors), never a pickle, so loading a
model someone sent you cannot execute code.

Stages are registered by name so that a saved pipeline can name them::

    @register_stage("segment")
    class Segmenter(Stage): ...
"""

from __future__ import annotations

import importlib
import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from .doc import Document
from .errors import ConfigError, ModelError, describe, suggest

logger = logging.getLogger("cxnlp")
#: The model backends of the trainable stages (sentiment, aspects): a CPU model of cxnlp's own, or a
#: fine-tuned Hugging Face checkpoint (:mod:`cxnlp.hf`).
BACKENDS: tuple[str, ...] = ("linear", "transformer")

CONFIG_FILE = "config.json"
META_FILE = "meta.json"

S = TypeVar("S", bound="Stage")

#: Stage name -> "module:Class", imported only when a pipeline needs it.
STAGE_FACTORIES: dict[str, str] = {
    "segment": "cxnlp.segment:Segmenter",
    "sentiment": "cxnlp.sentiment:SentimentClassifier",
    "sentiment_transformer": "cxnlp.sentiment.transformer:TransformerSentiment",
    "aspects": "cxnlp.aspects:AspectExtractor",
    "risk": "cxnlp.risk:RiskScorer",
}


def register_stage(factory: str) -> Callable[[type[S]], type[S]]:
    """Class decorator that makes a stage loadable by its factory name."""

    def wrap(cls: type[S]) -> type[S]:
        cls.factory = factory
        STAGE_FACTORIES[factory] = f"{cls.__module__}:{cls.__qualname__}"
        return cls

    return wrap


def stage_class(factory: str) -> type[Stage]:
    """The stage class registered under ``factory`` (imported lazily)."""
    if factory not in STAGE_FACTORIES:
        raise ModelError(
            f"Unknown stage factory {factory!r}; known factories: {sorted(STAGE_FACTORIES)}."
            f"{suggest(factory, STAGE_FACTORIES)} Register custom stages with cxnlp.register_stage."
        )
    module_name, _, class_name = STAGE_FACTORIES[factory].partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of at most ``size`` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def check_batch_size(batch_size: Any) -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ConfigError(f"batch_size must be a positive int, got {describe(batch_size)}.")
    return batch_size


def read_json(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise ModelError(f"Missing {path.name} in {path.parent}: not a saved cxnlp stage or pipeline.") from None
    except json.JSONDecodeError as e:
        raise ModelError(f"{path} is not valid JSON ({e}).") from None


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temp file + rename)."""
    from .io import atomic_write_text

    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


class Stage(ABC):
    """Base class of pipeline stages.

    Subclasses set ``factory`` (via :func:`register_stage`), ``requires``,
    ``provides`` and optionally ``uses``, implement :meth:`process` (a batch of documents, annotated in
    place) and :meth:`get_config`, and override :meth:`save_weights` /
    :meth:`load_weights` when they have learned state.
    """

    factory: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()
    #: Attributes used when an earlier stage provides them, never required.
    uses: ClassVar[tuple[str, ...]] = ()

    # -- inference -----------------------------------------------------------
    @abstractmethod
    def process(self, docs: list[Document]) -> None:
        """Annotate a batch of documents in place. Documents with an error are never passed."""

    def __call__(self, doc: Document) -> Document:
        return next(self.pipe([doc], batch_size=1))

    def pipe(self, docs: Iterable[Document], batch_size: int = 256) -> Iterator[Document]:
        """Annotate documents batch by batch, in order.

        A document that makes the stage fail gets an ``error`` naming the stage and
        the reason; the rest of its batch is still annotated.
        """
        check_batch_size(batch_size)
        for batch in batched(docs, batch_size):
            todo = [d for d in batch if d.error is None]
            try:
                self.process(todo)
            except Exception:  # isolate the failing document(s), keep the others
                for doc in todo:
                    try:
                        self.process([doc])
                    except Exception as e:  # noqa: BLE001 - reported in the row, never lost
                        logger.debug("stage %s failed on a document", self.factory, exc_info=True)
                        doc.error = f"{self.factory} failed: {type(e).__name__}: {e}"
            yield from batch

    # -- persistence ---------------------------------------------------------
    @abstractmethod
    def get_config(self) -> dict[str, Any]:
        """JSON-serialisable constructor arguments."""

    @classmethod
    def from_config(cls: type[S], config: dict[str, Any]) -> S:
        return cls(**config)

    def meta(self) -> dict[str, Any]:
        """Metadata written to ``meta.json`` (training data, metrics, versions)."""
        return getattr(self, "meta_", {}) or {}

    def save_weights(self, path: Path) -> None:
        """Write learned state into ``path`` (a directory). No-op for rule-based stages."""

    def load_weights(self, path: Path) -> None:
        """Read learned state written by :meth:`save_weights`."""

    def to_dir(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_json(path / CONFIG_FILE, {"factory": self.factory, "config": self.get_config()})
        meta = self.meta()
        if meta:
            write_json(path / META_FILE, meta)
        self.save_weights(path)

    @classmethod
    def from_dir(cls: type[S], path: str | Path) -> S:
        path = Path(path)
        if not path.is_dir():
            raise ModelError(f"Stage directory {str(path)!r} does not exist.")
        data = read_json(path / CONFIG_FILE)
        target: type[Stage] = cls
        factory = data.get("factory", cls.factory)
        if cls is Stage or (factory and factory != cls.factory):
            target = stage_class(factory)
        stage = target.from_config(data.get("config", {}))
        if (path / META_FILE).exists():
            stage.meta_ = read_json(path / META_FILE)  # type: ignore[attr-defined]
        stage.load_weights(path)
        return stage  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.factory!r})"


def load_stage(path: str | Path) -> Stage:
    """Load any saved stage directory, whatever its class."""
    return Stage.from_dir(path)
