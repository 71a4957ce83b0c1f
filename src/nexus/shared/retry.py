"""Running units of work again when a concurrent writer won: the one retry mechanism every
context's use cases share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from nexus.shared.errors import ConcurrencyError, ConflictError
from nexus.shared.uow import UnitOfWork

T = TypeVar("T")
U = TypeVar("U", bound=UnitOfWork)

WRITE_ATTEMPTS = 5


def retry_on_concurrency(action: Callable[[], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
    """Run `action` (whole units of work) again when a concurrent writer won
    (ConcurrencyError), so the second writer re-reads instead of losing its change or failing
    spuriously. The last attempt's error is the caller's."""
    for attempt in range(attempts):
        try:
            return action()
        except ConcurrencyError as error:
            if attempt == attempts - 1 or not error.retryable:
                raise
    raise AssertionError("unreachable")


def write(uow: Callable[[], U], work: Callable[[U], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
    """Open a unit of work, let `work` read, decide and stage, and commit; re-run it on fresh
    state when a concurrent writer got there first:

    - a ConflictError the storage reported (`by_storage`: a unique or foreign key refused a
      write, as when another writer won an insert race);
    - a ConcurrencyError from anywhere in the unit of work: a versioned row this one read was
      changed by someone else before this one wrote it (raised while staging, by a flush the
      ORM runs early, or by the commit), or the database gave up on a deadlock.

    Every other error `work` raises (a ConflictError or ValidationError deciding against the
    request) is the caller's and is never retried.
    """
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            with uow() as tx:
                result = work(tx)
                tx.commit()
                return result
        except ConflictError as error:
            if last or not error.by_storage:
                raise
        except ConcurrencyError as error:
            if last or not error.retryable:
                raise
    raise AssertionError("unreachable")
