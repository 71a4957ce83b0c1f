"""The password policy and the PasswordHasher port (Argon2id lives in infrastructure)."""

from __future__ import annotations

from typing import Protocol

from nexus.shared.errors import ValidationError

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 1024


def check_password_policy(password: object, *, field: str = "password") -> str:
    if not isinstance(password, str):
        raise ValidationError(field, "must be text")
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        raise ValidationError(
            field, f"must be {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters long"
        )
    return password


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, hashed: str, password: str) -> bool:
        """True when the password matches; False otherwise (never raises on a mismatch)."""
        ...

    def needs_rehash(self, hashed: str) -> bool: ...

    def burn(self, password: str) -> None:
        """Spend the same work as a verify, for an account that does not exist."""
        ...
