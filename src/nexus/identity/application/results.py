"""Result objects returned to callers: plain frozen values, never ORM records, never hashes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import attrs

from nexus.identity.domain.users import User


@attrs.frozen(kw_only=True)
class UserResult:
    id: uuid.UUID
    email: str
    name: str
    username: str | None
    first_name: str | None
    last_name: str | None
    phone: str | None
    avatar: str | None
    company: str | None
    role: str | None
    bio: str | None
    is_superadmin: bool
    is_active: bool
    is_verified: bool
    is_locked: bool
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_user(cls, user: User) -> UserResult:
        return cls(
            id=user.id,
            email=user.email,
            name=user.name,
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
            phone=user.phone,
            avatar=user.avatar,
            company=user.company,
            role=user.role,
            bio=user.bio,
            is_superadmin=user.is_superadmin,
            is_active=user.is_active,
            is_verified=user.is_verified,
            is_locked=user.is_locked,
            last_login_at=user.last_login_at,
            created_at=user.created_at,
            updated_at=user.updated_at,
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict: ids and instants as strings."""
        out: dict[str, Any] = {}
        for key, value in attrs.asdict(self).items():
            if isinstance(value, uuid.UUID):
                value = str(value)
            elif isinstance(value, datetime):
                value = value.isoformat()
            out[key] = value
        return out
