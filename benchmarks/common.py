"""Shared by the benchmark scripts: machine description, result writing and timing in turns."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cxnlp.about import library_versions as versions  # noqa: F401  (re-exported for the scripts)

RESULTS = Path(__file__).resolve().parent / "results"
#: Bare jieba.lcut on the shopping dev texts on the machine the issues were measured on (issue 4):
#: the calibration by which this VM's figures are scaled to that machine.
ISSUE_JIEBA_DOCS_PER_S = 5450


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


def bare_jieba() -> Callable[[list[str]], object]:
    """The reference run of the speed figures: bare ``jieba.lcut`` over a block of texts (its
    dictionary loaded first, quietly, so that the load is no part of a turn)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return lambda texts: [jieba.lcut(t) for t in texts]


def analysed(nlp: Any) -> Callable[[list[str]], object]:
    """A run for :func:`in_turns`: the pipeline ``nlp`` over a block of texts."""
    return lambda texts: [None for _ in nlp.pipe(texts)]


def in_turns(runs: dict[str, Callable[[list[str]], object]], texts: list[str], rounds: int = 3,
             block: int = 256) -> dict[str, dict[str, float]]:
    """Speed of each run over ``texts``, the runs taking turns block by block (who goes first rotates).

    This VM's speed drifts within minutes (bare jieba.lcut ran 1,437 and 2,084 docs/s a minute
    apart), so runs timed one after the other over all texts compare the machine's moments as much
    as the code. Taking turns every ``block`` texts puts the same moments into every run. Per run:
    the best round's wall and CPU seconds (and docs/s), and ``per_first`` -- the median over rounds
    of the first run's seconds divided by this run's (the first run is the reference, e.g. jieba).
    """
    names = list(runs)
    blocks = [texts[i:i + block] for i in range(0, len(texts), block)]
    for name in names:  # warm-up: lazy loading, caches
        runs[name](blocks[0])
    wall = {name: [0.0] * rounds for name in names}
    cpu = {name: [0.0] * rounds for name in names}
    for r in range(rounds):
        for b, chunk in enumerate(blocks):
            for k in range(len(names)):
                name = names[(b + k) % len(names)]
                started, started_cpu = time.perf_counter(), time.process_time()
                runs[name](chunk)
                wall[name][r] += time.perf_counter() - started
                cpu[name][r] += time.process_time() - started_cpu
    n = len(texts)
    first = names[0]
    return {name: {"wall_s": round(min(wall[name]), 3), "cpu_s": round(min(cpu[name]), 3),
                   "docs_per_s": round(n / min(wall[name]), 1), "docs_per_cpu_s": round(n / min(cpu[name]), 1),
                   "per_first": round(statistics.median(a / b for a, b in zip(wall[first], wall[name], strict=True)), 4)}
            for name in names}
