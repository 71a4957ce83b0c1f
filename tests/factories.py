"""Builders of valid entities for tests (one place, so a new required field changes one line)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from nexus.identity.domain.users import User

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def make_user(**overrides: Any) -> User:
    values: dict[str, Any] = {
        "email": f"user-{uuid.uuid4().hex[:10]}@example.org",
        "name": "Ada Lovelace",
        "hashed_password": "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    return User(**values)


# One valid example per registered entity, for the registry-wide mapper test. A new mapper
# without an example here fails that test.
EXAMPLES: dict[type[Any], Any] = {
    User: lambda: make_user(
        username="ada.l",
        phone="+14155550123",
        bio="Analyst 🧮 of engines",
        is_verified=True,
        failed_login_attempts=2,
        last_login_at=NOW,
        first_name="Ada",
        last_name="Lovelace",
    ),
}
