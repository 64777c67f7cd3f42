"""Full-pipeline speed of two git revisions, measured side by side.

    .venv/bin/python benchmarks/compare_speed.py BASE [HEAD] [--rounds 3]   # from the repository root

The shared VM's speed swings by 10-30 % from hour to hour, more than most code changes move the
pipeline, so a speed measured today cannot be compared with one measured yesterday. This script
checks each revision out into a temporary git worktree and times ``cxnlp.load()``'s full default
pipeline on the shopping dev texts for each in turn, alternating for ``--rounds`` rounds (each a
fresh interpreter: one warm-up pass of 500 texts, then the best of 3 passes in process CPU time,
one core). Writes benchmarks/results/compare_speed.json and .md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import write_results  # noqa: E402

from cxnlp.data import data_file  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

#: Run inside each worktree (its own ``src`` first on the path): docs/s of the full default pipeline.
TIMER = """
import gc, sys, time, csv
import cxnlp
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    texts = [row["text"] for row in csv.DictReader(f)]
nlp = cxnlp.load()
list(nlp.pipe(texts[:500]))
best = float("inf")
for _ in range(3):
    gc.collect()
    start = time.process_time()
    for _doc in nlp.pipe(texts, batch_size=256):
        pass
    best = min(best, time.process_time() - start)
print(len(texts) / best)
"""


def resolve(revision: str) -> str:
    """The full commit id of ``revision`` (raises on an unknown one)."""
    out = subprocess.run(["git", "rev-parse", "--verify", f"{revision}^{{commit}}"], cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"compare_speed: {revision!r} is not a commit of this repository ({out.stderr.strip()})")
    return out.stdout.strip()


def time_worktree(tree: Path, texts: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", TIMER, str(texts)], cwd=tree, env=env,
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the revision to compare against (e.g. a commit before a change)")
    parser.add_argument("head", nargs="?", default="HEAD", help="the revision under test (default HEAD)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    commits = {"base": resolve(args.base), "head": resolve(args.head)}
    texts = data_file("sentiment", "online_shopping_10_cats", "dev.csv")
    runs: dict[str, list[float]] = {"base": [], "head": []}
    with tempfile.TemporaryDirectory(prefix="cxnlp-compare-") as tmp:
        trees = {}
        for name, commit in commits.items():
            trees[name] = Path(tmp) / name
            subprocess.run(["git", "worktree", "add", "--detach", str(trees[name]), commit], cwd=ROOT,
                           check=True, capture_output=True)
        try:
            for round_ in range(args.rounds):
                for name in ("base", "head") if round_ % 2 == 0 else ("head", "base"):
                    runs[name].append(round(time_worktree(trees[name], texts), 1))
                    print(f"round {round_ + 1} {name} {runs[name][-1]} docs/s", flush=True)
        finally:
            for tree in trees.values():
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    medians = {name: median(values) for name, values in runs.items()}
    ratio = round(medians["head"] / medians["base"], 3)
    data = {"revisions": {name: {"given": getattr(args, name), "commit": commits[name]} for name in commits},
            "docs_per_s": runs, "median_docs_per_s": medians, "head_over_base": ratio, "rounds": args.rounds}
    rows = [f"| {name} | `{getattr(args, name)}` ({commits[name][:7]}) | {', '.join(f'{v:,.1f}' for v in runs[name])} "
            f"| {medians[name]:,.1f} |" for name in ("base", "head")]
    markdown = "\n".join([
        "# Full-pipeline speed, two revisions side by side", "",
        "Full default pipeline (`cxnlp.load()`) on the 6,322 shopping dev texts, one core, process CPU time, best of "
        "3 passes per fresh interpreter; the revisions alternate so that both see the same state of the shared VM.", "",
        "| revision | given | docs/s per round | median |", "|---|---|---|---|", *rows, "",
        f"Head / base: **{ratio}**.",
    ])
    write_results("compare_speed", data, markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
