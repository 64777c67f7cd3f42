"""cxnlp: opinion mining for Chinese customer feedback.

    >>> import cxnlp
    >>> nlp = cxnlp.load()                   # offline default pipeline
    >>> doc = nlp("快递很快，但是客服态度太差，再也不买了")
    >>> doc.tags, doc.sentiment.label, doc.risk.level

Heavy modules (jieba, pandas, scikit-learn, torch) load only when first used.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from .about import __version__
from .doc import Clause, Document, Opinion, Risk, Sentiment, Token
from .errors import ConfigError, CxnlpError, DataError, FileFormatError, ModelError, PipelineError
from .stage import Stage, load_stage, register_stage

logging.getLogger("cxnlp").addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from .aspects.summarize import summarize
    from .frame import analyze_dataset, analyze_frame
    from .pipeline import Pipeline, load
    from .sentiment.train import train_sentiment

# Public names served lazily: name -> module.
_LAZY = {
    "Pipeline": "cxnlp.pipeline",
    "load": "cxnlp.pipeline",
    "analyze_frame": "cxnlp.frame",
    "analyze_dataset": "cxnlp.frame",
    "summarize": "cxnlp.aspects.summarize",
    "train_sentiment": "cxnlp.sentiment.train",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cxnlp' has no attribute {name!r}")


__all__ = [
    "__version__", "load", "Pipeline", "analyze_frame", "analyze_dataset", "summarize", "train_sentiment",
    "Document", "Token", "Clause", "Opinion", "Sentiment", "Risk",
    "Stage", "register_stage", "load_stage",
    "CxnlpError", "ConfigError", "DataError", "ModelError", "PipelineError", "FileFormatError",
]
