"""Run a use case's writes in a fresh unit of work, retrying when a concurrent writer won."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from nexus.lab.application.ports import LabUnitOfWork, LabUnitOfWorkFactory
from nexus.shared.errors import ConcurrencyError, ConflictError

T = TypeVar("T")
WRITE_ATTEMPTS = 5


def write(uow: LabUnitOfWorkFactory, work: Callable[[LabUnitOfWork], T]) -> T:
    """`work` reads, decides and stages; it is re-run on fresh state when a concurrent writer
    got there first:

    - a ConflictError raised by the commit (another writer won an insert race);
    - a ConcurrencyError from anywhere in the unit of work: a versioned row this one read was
      changed by someone else before this one wrote it. The repositories raise it while
      staging (`update` of a stale row, or a flush the ORM runs early), the commit raises it
      when the race is lost in the UPDATE itself. Lab's use cases never raise it themselves.

    Every other error `work` raises (a ConflictError or ValidationError deciding against the
    request) is the caller's and is never retried.
    """
    for attempt in range(WRITE_ATTEMPTS):
        last = attempt == WRITE_ATTEMPTS - 1
        try:
            with uow() as tx:
                result = work(tx)
                try:
                    tx.commit()
                except ConflictError:
                    if last:
                        raise
                    continue
                return result
        except ConcurrencyError:
            if last:
                raise
    raise AssertionError("unreachable")
