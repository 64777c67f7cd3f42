"""Shared by the benchmark scripts: machine description and result writing."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

from cxnlp.about import library_versions as versions  # noqa: F401  (re-exported for the scripts)

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
    }


def command() -> str:
    return "python " + " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]])


def write_results(name: str, data: dict[str, Any], markdown: str) -> None:
    """Write results/<name>.json (with date, machine, command) and results/<name>.md."""
    from cxnlp.io import atomic_write_text

    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "command": command(), "machine": machine(), **data}
    atomic_write_text(RESULTS / f"{name}.json", json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    footer = f"\n\nCommand: `{record['command']}` — {record['date']} — {record['machine']['platform']}, {record['machine']['cpu_count']} CPUs, Python {record['machine']['python']}\n"
    atomic_write_text(RESULTS / f"{name}.md", markdown.rstrip() + footer)
