"""The domain error hierarchy. Use cases raise only these; adapters translate into them."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error nexus raises on purpose. `str(error)` is one line for a human."""


class ValidationError(DomainError, ValueError):
    """Bad input: names the field and the rule it broke."""

    def __init__(self, field: str, rule: str, *, value: Any = None) -> None:
        self.field = field
        self.rule = rule
        self.value = value
        super().__init__(f"{field}: {rule}")


class NotFoundError(DomainError, LookupError):
    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} not found: {key}")


class ConflictError(DomainError):
    """A uniqueness or state conflict: the thing exists already, or cannot happen now.

    `by_storage` marks a conflict the storage reported (a unique or foreign key refused a
    write), which another writer may have caused a moment ago: the shared retry runs the unit
    of work again on fresh state. A conflict a use case decides on itself is final.
    """

    def __init__(self, message: str, *, field: str | None = None, by_storage: bool = False) -> None:
        self.field = field
        self.by_storage = by_storage
        super().__init__(message)


class PermissionDeniedError(DomainError):
    """The acting user may not do this."""


class AuthenticationError(PermissionDeniedError):
    """Credentials were refused. The message never says which part was wrong."""

    def __init__(self, message: str = "invalid credentials") -> None:
        super().__init__(message)


class ConcurrencyError(DomainError):
    """Someone else changed the aggregate since it was loaded; reload and try again.
    `retryable` is False when running the unit of work again cannot help (the application's
    transaction it joined was rolled back by the database): the shared retry re-raises it."""

    def __init__(self, message: str = "", *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable
