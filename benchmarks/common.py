"""Timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def median_seconds(
    fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None
) -> float:
    """Median wall time of ``fn`` over ``runs`` runs (``setup`` runs untimed before each)."""
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, seconds: float, baseline_name: str, baseline: float, target: str) -> None:
    ratio = seconds / baseline if baseline else float("inf")
    print(
        f"{name:<44} median {seconds * 1000:8.1f} ms | {baseline_name}: "
        f"{baseline * 1000:8.1f} ms | ratio {ratio:5.2f}x | target {target}"
    )
