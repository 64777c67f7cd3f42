"""The exceptions cxnlp raises, each naming what it received, what it expected and how to fix it.

Every error derives from :class:`CxnlpError`, and also from the builtin that fits
(``ValueError`` for bad arguments or data, ``OSError`` for files), so callers can
catch either.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from typing import Any


class CxnlpError(Exception):
    """Base class of every error raised by cxnlp."""


class ConfigError(CxnlpError, ValueError):
    """An argument or a configuration value is invalid."""


class DataError(CxnlpError, ValueError):
    """Input data (a table, a column, labels, training rows) cannot be used."""


class ModelError(CxnlpError, OSError):
    """A model or pipeline directory is missing, incomplete or incompatible."""


class PipelineError(CxnlpError, ValueError):
    """Stages are composed in a way that cannot work (a requirement is unmet)."""


class FileFormatError(CxnlpError, OSError):
    """A file cannot be read or written in the requested format."""


def describe(value: Any, limit: int = 60) -> str:
    """A short, safe description of a received value for error messages."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{text} ({type(value).__name__})"


def suggest(name: str, choices: Iterable[str]) -> str:
    """' Did you mean 'x'?' when ``name`` is close to one of ``choices``, else ''."""
    close = get_close_matches(str(name), [str(c) for c in choices], n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def invalid_choice(what: str, received: Any, choices: Iterable[str]) -> ConfigError:
    """A ConfigError for an argument that must be one of ``choices``."""
    options = sorted(str(c) for c in choices)
    return ConfigError(
        f"{what} must be one of {options}, got {describe(received)}.{suggest(str(received), options)}"
    )


def missing_column(column: str, columns: Iterable[str], where: str = "the input") -> DataError:
    """A DataError for a column that is not in a table."""
    names = [str(c) for c in columns]
    return DataError(
        f"Column {column!r} not found in {where}; available columns: {names}."
        f"{suggest(column, names)} Pass the right name with text_col=... (CLI: --text-column)."
    )
