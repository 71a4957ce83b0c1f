"""Run a use case's writes in a fresh unit of work, retrying when a concurrent writer won."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from nexus.lab.application.ports import LabUnitOfWork, LabUnitOfWorkFactory
from nexus.shared.errors import ConcurrencyError, ConflictError

T = TypeVar("T")
WRITE_ATTEMPTS = 5


def write(uow: LabUnitOfWorkFactory, work: Callable[[LabUnitOfWork], T]) -> T:
    """`work` reads, decides and stages; a ConflictError or ConcurrencyError raised by the
    commit (a concurrent writer got there first) re-runs it on fresh state. Errors `work` raises
    itself are the caller's and are never retried."""
    for attempt in range(WRITE_ATTEMPTS):
        with uow() as tx:
            result = work(tx)
            try:
                tx.commit()
            except (ConflictError, ConcurrencyError):
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
                continue
            return result
    raise AssertionError("unreachable")
