"""Identity's repository ports, one per aggregate root."""

from __future__ import annotations

from typing import Protocol

from nexus.identity.domain.users import User
from nexus.shared.ids import UserId


class UserRepository(Protocol):
    def add(self, user: User) -> None: ...

    def get(self, user_id: UserId) -> User:
        """The user, or NotFoundError."""
        ...

    def find(self, user_id: UserId) -> User | None: ...

    def find_by_email(self, email: str) -> User | None:
        """`email` is normalised before the lookup."""
        ...

    def update(self, user: User) -> None:
        """ConcurrencyError when the stored version moved since `user` was loaded."""
        ...
