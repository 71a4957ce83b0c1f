"""Checking a user's password without a race: the attempt is counted before the hash is paid
for, and the outcome stands only if the password it was checked against is still the user's."""

from __future__ import annotations

import attrs

from nexus.identity.application.ports import UnitOfWorkFactory
from nexus.identity.domain.passwords import PasswordHasher
from nexus.identity.domain.users import MAX_FAILED_LOGINS, User
from nexus.shared.clock import Clock
from nexus.shared.ids import UserId


@attrs.frozen
class Checked:
    """What one check found. `locks` is true for the attempt that used the fifth try."""

    user_id: UserId
    verified_hash: str
    matches: bool
    rehashed: str | None
    locks: bool

    def still_valid_for(self, user: User) -> bool:
        """The outcome applies only to the password that was verified, of an active user: a
        reset, change or deactivation committed while the hash ran wins over it."""
        return user.is_active and user.hashed_password == self.verified_hash


@attrs.frozen
class Refused:
    reason: str  # "locked" or "inactive"


class PasswordCheck:
    """1. Reserve: one atomic conditional write counts the attempt as a failure up front, and
    is refused once the account is locked or inactive; so parallel guesses cannot exceed the
    lockout. 2. Verify the password (Argon2, outside any transaction). The caller then records
    the outcome in its own unit of work, after `Checked.still_valid_for(user)`; a success resets
    the counter (the attempt counted up front was not a failure after all)."""

    def __init__(self, uow: UnitOfWorkFactory, hasher: PasswordHasher, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock

    def check(self, user_id: UserId, password: str) -> Checked | Refused:
        reserved = self._reserve(user_id)
        if isinstance(reserved, Refused):
            self._hasher.burn(password)
            return reserved
        verified_hash, locks = reserved
        matches = self._hasher.verify(verified_hash, password)
        rehashed = None
        if matches and self._hasher.needs_rehash(verified_hash):
            rehashed = self._hasher.hash(password)
        return Checked(user_id, verified_hash, matches, rehashed, locks)

    def _reserve(self, user_id: UserId) -> tuple[str, bool] | Refused:
        with self._uow() as uow:
            reserved = uow.users.reserve_login_attempt(
                user_id, self._clock.now(), MAX_FAILED_LOGINS
            )
            if reserved is None:
                return Refused("locked" if uow.users.get(user_id).is_active else "inactive")
            uow.commit()
        verified_hash, failures = reserved
        return verified_hash, failures == MAX_FAILED_LOGINS
