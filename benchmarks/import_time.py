"""How long `import cxnlp` and loading the default pipeline take, each in a fresh interpreter.

    python benchmarks/import_time.py
"""

from __future__ import annotations

import subprocess
import sys

from common import versions, write_results

REPEATS = 7
SNIPPETS = {
    "import cxnlp": "import cxnlp",
    "cxnlp.load() + first document": "import cxnlp; cxnlp.load()('快递很快，客服态度很好')",
}


def seconds(snippet: str) -> float:
    code = f"import time; t = time.perf_counter(); {snippet}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    rows = {}
    for name, snippet in SNIPPETS.items():
        seconds(snippet)  # warm the OS file cache and jieba's dictionary cache
        times = sorted(seconds(snippet) for _ in range(REPEATS))
        rows[name] = {"median_s": times[REPEATS // 2], "min_s": times[0], "max_s": times[-1]}
    table = "\n".join(f"| {name} | {r['median_s']:.3f} | {r['min_s']:.3f} | {r['max_s']:.3f} |" for name, r in rows.items())
    markdown = (f"# Start-up time\n\nEach step timed inside a fresh interpreter, {REPEATS} runs. Target: `import cxnlp` < 1 s.\n\n"
                "| step | median s | min s | max s |\n|---|---|---|---|\n" + table)
    write_results("import_time", {"repeats": REPEATS, "results": rows, "versions": versions("jieba")}, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
