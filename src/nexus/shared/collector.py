"""Fewer passes of Python's cycle collector while bulk work runs (a document load, a chat
import). Such work makes millions of short-lived containers while a chunk of parsed records lives
long enough to be promoted: at the default first threshold (a young pass every 700 new
containers) collections took 15-20% of a load's CPU and a sixth of an import's.

The thresholds are the interpreter's, so this is process-wide: while any run is in progress the
first threshold is the largest any of them asked for (never lowered below what was found, and
left at 0 when automatic collection was off), and the last run to end puts back the thresholds
found when the first began. Cycles are still
collected, only less often."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_asked: list[int] = []  # the first thresholds the runs in progress asked for
_found: tuple[int, int, int] = (0, 0, 0)


@contextlib.contextmanager
def fewer_collections(young: int) -> Iterator[None]:
    """Run the block with the collector's first threshold at least `young`."""
    global _found
    with _lock:
        if not _asked:
            _found = gc.get_threshold()
        _asked.append(young)
        _apply()
    try:
        yield
    finally:
        with _lock:
            _asked.remove(young)
            if _asked:
                _apply()
            else:
                gc.set_threshold(*_found)


def _apply() -> None:
    first, *older = _found
    if first == 0:  # automatic collection is off in this process: leave it off
        return
    gc.set_threshold(max(first, *_asked), *older)
