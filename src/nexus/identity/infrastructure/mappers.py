"""Identity's mappers, registered with the generic mapper registry."""

from __future__ import annotations

from nexus.identity.domain.users import User
from nexus.identity.infrastructure.records import UserRecord
from nexus.persistence.mapper import register

user_mapper = register(User, UserRecord)
