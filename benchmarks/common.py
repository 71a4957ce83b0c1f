"""Interleaved repetitions, medians and ratios: what every benchmark prints."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console(highlight=False)


def interleaved(
    cases: dict[str, Callable[[], Any]],
    *,
    repetitions: int = 5,
    setup: Callable[[str], None] | None = None,
) -> dict[str, float]:
    """Run each case once per round, rounds interleaved, and return each case's median
    seconds. `setup(name)` runs before each case's run and is not timed."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repetitions):
        for name, case in cases.items():
            if setup is not None:
                setup(name)
            gc.collect()
            start = time.perf_counter()
            case()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def report(
    title: str,
    medians: dict[str, float],
    *,
    baseline: str,
    operations: int,
    unit: str = "ops",
) -> None:
    """Print each case's median time, throughput, and its speed as a ratio of the baseline
    (baseline time / case time: 1.0 = as fast as the baseline, 0.5 = half as fast)."""
    table = Table(title=f"{title} ({operations} {unit}, medians)")
    table.add_column("path")
    table.add_column("median s", justify="right")
    table.add_column(f"{unit}/s", justify="right")
    table.add_column(f"speed vs {baseline}", justify="right")
    base = medians[baseline]
    for name, seconds in medians.items():
        table.add_row(
            name,
            f"{seconds:.4f}",
            f"{operations / seconds:,.0f}",
            f"{base / seconds:.2f}x",
        )
    console.print(table)
