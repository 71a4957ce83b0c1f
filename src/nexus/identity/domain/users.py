"""The User aggregate: one person, with the login and lockout rules of Soft-Bee."""

from __future__ import annotations

from datetime import datetime

import attrs

from nexus.identity.domain.emails import normalise_email
from nexus.shared.entity import Entity, aware_datetime, boolean, integer, text
from nexus.shared.ids import UserId, new_user_id

MAX_FAILED_LOGINS = 5

__all__ = ["MAX_FAILED_LOGINS", "User", "normalise_email"]


@attrs.define(kw_only=True)
class User(Entity):
    __label__ = "users"

    id: UserId = attrs.field(factory=new_user_id)
    email: str = attrs.field(converter=normalise_email)
    name: str = attrs.field(validator=text(min_length=1, max_length=255))
    hashed_password: str = attrs.field(validator=text(min_length=1, max_length=255), repr=False)
    username: str | None = attrs.field(
        default=None,
        validator=text(
            min_length=3,
            max_length=50,
            pattern=r"[a-z0-9_.-]+",
            rule="must be 3-50 characters of a-z, 0-9, _ . -",
            optional=True,
        ),
    )
    avatar: str | None = attrs.field(
        default=None, validator=text(max_length=100_000, optional=True)
    )
    company: str | None = attrs.field(default=None, validator=text(max_length=200, optional=True))
    role: str | None = attrs.field(default=None, validator=text(max_length=100, optional=True))
    bio: str | None = attrs.field(default=None, validator=text(max_length=2000, optional=True))
    first_name: str | None = attrs.field(default=None, validator=text(max_length=50, optional=True))
    last_name: str | None = attrs.field(default=None, validator=text(max_length=100, optional=True))
    phone: str | None = attrs.field(
        default=None,
        validator=text(
            max_length=20,
            pattern=r"\+[1-9][0-9]{6,14}",
            rule="must be an E.164 number like +14155550123",
            optional=True,
        ),
    )
    is_superadmin: bool = attrs.field(default=False, validator=boolean)
    is_active: bool = attrs.field(default=True, validator=boolean)
    is_verified: bool = attrs.field(default=False, validator=boolean)
    failed_login_attempts: int = attrs.field(default=0, validator=integer(minimum=0))
    last_login_at: datetime | None = attrs.field(
        default=None, validator=aware_datetime(optional=True)
    )
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())
    version: int = attrs.field(default=1, validator=integer(minimum=1))

    @classmethod
    def register(
        cls,
        *,
        email: str,
        name: str,
        hashed_password: str,
        now: datetime,
        username: str | None = None,
    ) -> User:
        return cls(
            email=email,
            name=name,
            hashed_password=hashed_password,
            username=username,
            created_at=now,
            updated_at=now,
        )

    @property
    def is_locked(self) -> bool:
        """Locked after 5 consecutive failed logins, until a password reset."""
        return self.failed_login_attempts >= MAX_FAILED_LOGINS

    @property
    def can_log_in(self) -> bool:
        return self.is_active and not self.is_locked

    def record_failed_login(self, now: datetime) -> None:
        self.failed_login_attempts += 1
        self.updated_at = now

    def record_successful_login(
        self, now: datetime, *, rehashed_password: str | None = None
    ) -> None:
        self.failed_login_attempts = 0
        self.last_login_at = now
        if rehashed_password is not None:
            self.hashed_password = rehashed_password
        self.updated_at = now

    def set_password_hash(self, hashed_password: str, now: datetime) -> None:
        """A new password also lifts a lockout (the lock lasts until a password reset)."""
        self.hashed_password = hashed_password
        self.failed_login_attempts = 0
        self.updated_at = now

    def unlock(self, now: datetime) -> None:
        """An operator lifts a lockout without a password reset."""
        self.failed_login_attempts = 0
        self.updated_at = now

    def verify_email(self, now: datetime) -> None:
        self.is_verified = True
        self.updated_at = now

    def deactivate(self, now: datetime) -> None:
        self.is_active = False
        self.updated_at = now

    def reactivate(self, now: datetime) -> None:
        self.is_active = True
        self.updated_at = now
