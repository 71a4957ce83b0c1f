"""`fewer_collections`: the collector's first threshold is the largest asked for while runs
overlap (a load and an import in two threads), and what was found is put back when the last
ends, in whatever order they end, errors included."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from nexus.shared.collector import fewer_collections


@pytest.fixture(autouse=True)
def thresholds() -> Iterator[tuple[int, int, int]]:
    found = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*found)


def test_overlapping_runs_keep_the_largest_and_restore_what_was_found(
    thresholds: tuple[int, int, int],
) -> None:
    load = fewer_collections(100_000)
    chat = fewer_collections(10_000)
    chat.__enter__()
    assert gc.get_threshold() == (10_000, 10, 10)
    load.__enter__()
    assert gc.get_threshold() == (100_000, 10, 10)
    chat.__exit__(None, None, None)  # the first to start ends first: the load still runs
    assert gc.get_threshold() == (100_000, 10, 10)
    load.__exit__(None, None, None)
    assert gc.get_threshold() == thresholds


def test_a_larger_threshold_found_is_not_lowered(thresholds: tuple[int, int, int]) -> None:
    gc.set_threshold(500_000, 10, 10)
    with fewer_collections(10_000):
        assert gc.get_threshold() == (500_000, 10, 10)
    assert gc.get_threshold() == (500_000, 10, 10)


def test_an_error_in_the_block_restores(thresholds: tuple[int, int, int]) -> None:
    with pytest.raises(RuntimeError), fewer_collections(10_000):
        raise RuntimeError("boom")
    assert gc.get_threshold() == thresholds


def test_many_threads_end_with_what_was_found(thresholds: tuple[int, int, int]) -> None:
    start = threading.Barrier(8)
    too_low: list[tuple[int, int]] = []

    def run(young: int) -> None:
        start.wait()
        for _ in range(200):
            with fewer_collections(young):
                seen = gc.get_threshold()[0]
                if seen < young:
                    too_low.append((young, seen))

    workers = [threading.Thread(target=run, args=(10_000 * (i + 1),)) for i in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert too_low == []
    assert gc.get_threshold() == thresholds


def test_automatic_collection_switched_off_stays_off(thresholds: tuple[int, int, int]) -> None:
    gc.set_threshold(0, 10, 10)
    with fewer_collections(10_000):
        assert gc.get_threshold() == (0, 10, 10)
    assert gc.get_threshold() == (0, 10, 10)
