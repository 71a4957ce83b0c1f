"""nexus: a domain-driven, hexagonal backend core.

import nexus
nexus.migrate("sqlite:///app.db")
app = nexus.create_app("sqlite:///app.db")
user = app.identity.register_user(email="ada@example.org", name="Ada", password="...")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from nexus.shared.errors import (
    AuthenticationError,
    ConcurrencyError,
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

if TYPE_CHECKING:
    from nexus.app import Nexus, create_app, migrate
    from nexus.identity import OPERATOR

# Loaded on first access (PEP 562): `import nexus` imports neither SQLAlchemy's engine nor
# Alembic; Alembic is imported only when a migration runs.
_LAZY = {
    "Nexus": "nexus.app",
    "create_app": "nexus.app",
    "migrate": "nexus.app",
    "OPERATOR": "nexus.identity",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nexus' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "OPERATOR",
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
