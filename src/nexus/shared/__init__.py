"""The pure shared kernel: typed ids, the Clock port, domain errors and the entity base."""

from nexus.shared.clock import Clock, FixedClock, SystemClock
from nexus.shared.entity import Entity
from nexus.shared.errors import (
    AuthenticationError,
    ConcurrencyError,
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from nexus.shared.ids import new_id

__all__ = [
    "AuthenticationError",
    "Clock",
    "ConcurrencyError",
    "ConflictError",
    "DomainError",
    "Entity",
    "FixedClock",
    "NotFoundError",
    "PermissionDeniedError",
    "SystemClock",
    "ValidationError",
    "new_id",
]
