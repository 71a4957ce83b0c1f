"""Identity's in-memory adapters: the same ports, the same errors, no database."""

from __future__ import annotations

from nexus.identity.application.results import UserResult
from nexus.identity.domain.users import User
from nexus.persistence.memory import InMemoryRepository, InMemoryStore, InMemoryTransaction
from nexus.persistence.uow import InMemoryUnitOfWork


class InMemoryUserRepository(InMemoryRepository[User]):
    table = "users"
    kind = "user"
    version_field = "version"
    unique = (
        ("users.email", lambda u: u.email),
        ("users.username", lambda u: u.username),
        ("users.phone", lambda u: u.phone),
    )

    def find_by_email(self, email: str) -> User | None:
        wanted = email.strip().lower()
        return self._one(lambda u: u.email == wanted)


class InMemoryIdentityUnitOfWork(InMemoryUnitOfWork):
    users: InMemoryUserRepository

    def _open(self, tx: InMemoryTransaction) -> None:
        self.users = InMemoryUserRepository(tx)


class InMemoryUserQueries:
    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def list_users(self, *, limit: int = 100, offset: int = 0) -> list[UserResult]:
        users = sorted(
            (entity for _v, entity in self._store.table("users").values()), key=lambda u: u.email
        )
        return [UserResult.from_user(u) for u in users[offset : offset + limit]]

    def count_users(self) -> int:
        return len(self._store.table("users"))
