"""The quickstart notebook runs as shipped: its code cells, in order, in one namespace."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "quickstart.ipynb"


def _code_cells() -> list[str]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def test_quickstart_notebook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "notebooks")  # as when opened in Jupyter from notebooks/
    namespace: dict[str, object] = {}
    cells = _code_cells()
    assert cells, f"{NOTEBOOK} has no code cells"
    for number, source in enumerate(cells, 1):
        exec(compile(source, f"{NOTEBOOK.name}, code cell {number}", "exec"), namespace)  # noqa: S102
    out = namespace["out"]
    assert isinstance(out, pd.DataFrame) and len(out) == len(namespace["df"])  # one output row per input row
    assert {"sentiment", "opinion_tags", "risk", "risk_reasons", "error"} <= set(out.columns)
    assert isinstance(namespace["summary"], pd.DataFrame) and len(namespace["summary"]) > 0
