"""Interleaved repetitions of a product path beside its raw-driver baseline, per-rep ratios and
their median and spread: what every benchmark prints."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

import attrs
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console(highlight=False, width=150)


@attrs.frozen
class Figure:
    """One path on one engine: median µs per operation of each side, and product/raw speed
    (raw time / product time, 1.0 = the driver's speed) as the median of per-rep ratios."""

    path: str
    engine: str
    product_us: float
    raw_us: float
    ratio: float
    low: float
    high: float
    target: str

    def holds(self) -> bool | None:
        if not self.target:
            return None
        op, value = self.target.split()
        return self.ratio >= float(value) if op == ">=" else self.product_us <= float(value)


FIGURES: list[Figure] = []


def compare(
    path: str,
    engine: str,
    product: Callable[[int], Any],
    raw: Callable[[int], Any],
    *,
    operations: int,
    repetitions: int,
    target: str = "",
) -> Figure:
    """Run `product(rep)` and `raw(rep)` alternately (the order swaps every rep), each doing
    `operations` operations; the figure is the median of the per-rep ratios."""
    ratios: list[float] = []
    times: dict[str, list[float]] = {"product": [], "raw": []}
    for rep in range(repetitions):
        order = [("product", product), ("raw", raw)]
        if rep % 2:
            order.reverse()
        taken: dict[str, float] = {}
        for name, case in order:
            gc.collect()
            start = time.perf_counter()
            case(rep)
            taken[name] = time.perf_counter() - start
            times[name].append(taken[name])
        ratios.append(taken["raw"] / taken["product"])
    figure = Figure(
        path=path,
        engine=engine,
        product_us=statistics.median(times["product"]) / operations * 1e6,
        raw_us=statistics.median(times["raw"]) / operations * 1e6,
        ratio=statistics.median(ratios),
        low=min(ratios),
        high=max(ratios),
        target=target,
    )
    FIGURES.append(figure)
    return figure


def absolute(path: str, engine: str, product: Callable[[int], Any], *, operations: int,
             repetitions: int, target: str = "") -> Figure:  # fmt: skip
    """A path with no raw baseline (the in-memory twin): median µs per operation."""
    samples = []
    for rep in range(repetitions):
        gc.collect()
        start = time.perf_counter()
        product(rep)
        samples.append(time.perf_counter() - start)
    us = statistics.median(samples) / operations * 1e6
    spread = (min(samples) / operations * 1e6, max(samples) / operations * 1e6)
    figure = Figure(path, engine, us, 0.0, 0.0, spread[0], spread[1], target)
    FIGURES.append(figure)
    return figure


def print_figures() -> None:
    table = Table(title="product vs raw driver (medians of interleaved reps; speed = raw/product)")
    for column in ("path", "engine", "product µs/op", "raw µs/op", "speed", "spread", "target"):
        table.add_column(column, justify="left" if column in ("path", "engine") else "right")
    for f in FIGURES:
        verdict = {True: " ok", False: " MISSED", None: ""}[f.holds()]
        if f.raw_us:
            speed, spread = f"{f.ratio:.2f}x", f"{f.low:.2f}-{f.high:.2f}"
        else:
            speed, spread = "-", f"{f.low:.1f}-{f.high:.1f} µs"
        table.add_row(
            escape(f.path),
            f.engine,
            f"{f.product_us:.1f}",
            f"{f.raw_us:.1f}" if f.raw_us else "-",
            speed,
            spread,
            escape(f.target + verdict),
        )
    console.print(table)


# The older helpers other benchmarks print with (median seconds per case, speed vs a baseline).
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
