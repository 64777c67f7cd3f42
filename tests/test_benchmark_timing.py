"""The benchmarks' timing in turns (benchmarks/common.py): every run sees every block, in rotating order."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from common import in_turns  # noqa: E402


def test_runs_take_turns_block_by_block() -> None:
    calls: list[tuple[str, tuple[str, ...]]] = []

    def run(name: str):  # type: ignore[no-untyped-def]
        return lambda block: calls.append((name, tuple(block)))

    texts = [str(i) for i in range(10)]
    result = in_turns({"a": run("a"), "b": run("b"), "c": run("c")}, texts, rounds=2, block=4)
    warm_up, timed = calls[:3], calls[3:]
    assert [name for name, _ in warm_up] == ["a", "b", "c"]
    assert len(timed) == 2 * 3 * 3  # rounds x blocks x runs
    # each block is run by all three back to back, the first of them rotating with the block
    firsts = [timed[i][0] for i in range(0, len(timed), 3)]
    assert firsts == ["a", "b", "c", "a", "b", "c"]
    for i in range(0, len(timed), 3):
        assert {name for name, _ in timed[i:i + 3]} == {"a", "b", "c"}
        assert len({block for _, block in timed[i:i + 3]}) == 1
    assert sorted({block for _, block in timed}) == [("0", "1", "2", "3"), ("4", "5", "6", "7"), ("8", "9")]
    assert set(result) == {"a", "b", "c"}
    assert result["a"]["per_first"] == pytest.approx(1.0)
    assert all(r["docs_per_s"] > 0 for r in result.values())


def test_relative_speed_is_the_reference_time_over_the_run_time() -> None:
    import time

    def busy(seconds: float):  # type: ignore[no-untyped-def]
        def run(block: list[str]) -> None:
            end = time.perf_counter() + seconds * len(block)
            while time.perf_counter() < end:
                pass
        return run

    result = in_turns({"fast": busy(0.0005), "slow": busy(0.002)}, ["x"] * 8, rounds=1, block=4)
    assert 0.15 < result["slow"]["per_first"] < 0.4  # about 1/4
    assert result["fast"]["docs_per_s"] > result["slow"]["docs_per_s"]
