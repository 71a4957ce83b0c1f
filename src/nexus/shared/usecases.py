"""The one shape of a use case: a method of the context's application object (`app.lab`,
`app.identity`), named once, taking keyword arguments; `@transaction` runs its body in a unit of
work that commits at the end and re-runs on a lost race; `Page` is the one limit/offset value.

    class Instruments(LabUseCases):
        @transaction
        def register_instrument(self, tx: LabUnitOfWork, *, instrument_pid: str, ...) -> ...:
            tx.instruments.add(...)            # committed when the method returns

    app.lab.register_instrument(instrument_pid=...)   # what the embedder types is what runs
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

import attrs

from nexus.shared.retry import write
from nexus.shared.uow import UnitOfWork
from nexus.shared.values import PAGE_MAX, check_page

P = ParamSpec("P")
R = TypeVar("R")
U = TypeVar("U", bound=UnitOfWork)
U_co = TypeVar("U_co", bound=UnitOfWork, covariant=True)


class HasUnitOfWork(Protocol[U_co]):
    @property
    def uow(self) -> Callable[[], U_co]: ...


S = TypeVar("S", bound=HasUnitOfWork[Any])


def transaction(
    method: Callable[Concatenate[S, U, P], R],
) -> Callable[Concatenate[S, P], R]:
    """Run the method's body in a fresh unit of work (`tx`), commit it when the body returns,
    and run the body again on fresh state when a concurrent writer won (`nexus.shared.retry`).
    Reads use it too: a unit of work that wrote nothing commits nothing."""

    @functools.wraps(method)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return write(self.uow, lambda tx: method(self, tx, *args, **kwargs))

    signature = inspect.signature(method)
    parameters = list(signature.parameters.values())
    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[parameters[0], *parameters[2:]]
    )
    return run


@attrs.frozen
class Page:
    """One page of a list: `limit` rows from `offset`."""

    limit: int = 100
    offset: int = 0

    @classmethod
    def of(cls, limit: Any = 100, offset: Any = 0, *, max_limit: int = PAGE_MAX) -> Page:
        """A page from caller input, or a ValidationError naming `limit` or `offset`."""
        return cls(*check_page(limit, offset, max_limit=max_limit))
