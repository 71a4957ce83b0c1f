"""nexus: a domain-driven, hexagonal backend core.

import nexus
nexus.migrate("sqlite:///app.db")
app = nexus.create_app("sqlite:///app.db")
user = app.identity.register_user(email="ada@example.org", name="Ada", password="...")
"""

from nexus.app import Nexus, create_app, migrate
from nexus.shared.errors import (
    AuthenticationError,
    ConcurrencyError,
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

__all__ = [
    "AuthenticationError",
    "ConcurrencyError",
    "ConflictError",
    "DomainError",
    "Nexus",
    "NotFoundError",
    "PermissionDeniedError",
    "ValidationError",
    "create_app",
    "migrate",
]
