"""The unit-of-work and query ports identity's use cases depend on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from nexus.identity.application.results import UserResult
from nexus.identity.domain.ports import UserRepository
from nexus.shared.uow import UnitOfWork


class IdentityUnitOfWork(UnitOfWork, Protocol):
    users: UserRepository


UnitOfWorkFactory = Callable[[], IdentityUnitOfWork]


class UserQueries(Protocol):
    """Read side: lists go through SQL returning DTOs, never `get` in a loop."""

    def list_users(self, *, limit: int = 100, offset: int = 0) -> list[UserResult]: ...

    def count_users(self) -> int: ...
