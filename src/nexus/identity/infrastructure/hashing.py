"""Argon2id password hashing (argon2-cffi), refusing parameters below the OWASP floor."""

from __future__ import annotations

import functools

import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP Password Storage Cheat Sheet: Argon2id with at least 19 MiB, t=2, p=1.
OWASP_MIN_MEMORY_KIB = 19 * 1024
OWASP_MIN_TIME_COST = 2


def _secret_bytes(password: str) -> bytes:
    """UTF-8, with a lone surrogate kept (it cannot match a stored password, whose policy
    refuses it, but it must not raise)."""
    return password.encode("utf-8", "surrogatepass")


class Argon2PasswordHasher:
    """Production hashing. Defaults are argon2-cffi's (RFC 9106 low-memory profile: 64 MiB,
    t=3, p=4). Cheaper parameters need `insecure=True`, which only tests pass."""

    def __init__(
        self,
        *,
        time_cost: int = argon2.DEFAULT_TIME_COST,
        memory_cost: int = argon2.DEFAULT_MEMORY_COST,
        parallelism: int = argon2.DEFAULT_PARALLELISM,
        insecure: bool = False,
    ) -> None:
        if not insecure and (memory_cost < OWASP_MIN_MEMORY_KIB or time_cost < OWASP_MIN_TIME_COST):
            raise ValueError(
                "Argon2 parameters below the OWASP floor (19 MiB, t=2); pass insecure=True "
                "only in tests"
            )
        self._hasher = argon2.PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_cost,
            parallelism=parallelism,
            type=argon2.Type.ID,
        )

    @functools.cached_property
    def _dummy(self) -> str:
        """Hashed on first use, not at construction: a command that never checks a password
        (most of the CLI) does not pay for one Argon2 hash."""
        return self._hasher.hash("nexus: equal work for unknown accounts")

    @property
    def parameters(self) -> argon2.Parameters:
        return argon2.extract_parameters(self._dummy)

    def hash(self, password: str) -> str:
        return self._hasher.hash(_secret_bytes(password))

    def verify(self, hashed: str, password: str) -> bool:
        try:
            return self._hasher.verify(hashed, _secret_bytes(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(hashed)
        except InvalidHashError:
            return True

    def burn(self, password: str) -> None:
        self.verify(self._dummy, password)
