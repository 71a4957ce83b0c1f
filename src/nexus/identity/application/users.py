"""Use cases on users: register, authenticate, look up."""

from __future__ import annotations

from nexus.identity.application import commands
from nexus.identity.application.ports import UnitOfWorkFactory, UserQueries
from nexus.identity.application.results import UserResult
from nexus.identity.domain.passwords import PasswordHasher, check_password_policy
from nexus.identity.domain.users import User, normalise_email
from nexus.shared.clock import Clock
from nexus.shared.errors import (
    AuthenticationError,
    ConcurrencyError,
    ConflictError,
    NotFoundError,
    ValidationError,
)
from nexus.shared.ids import UserId

_WRITE_RETRIES = 5
_NOT_YET_HASHED = "(not yet hashed)"


class RegisterUser:
    """Normalised unique email, password policy, Argon2id hash; a duplicate is a ConflictError."""

    def __init__(self, uow: UnitOfWorkFactory, hasher: PasswordHasher, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock

    def __call__(self, command: commands.RegisterUser) -> UserResult:
        check_password_policy(command.password)
        now = self._clock.now()
        # Build (and so validate) the user before paying for the hash.
        user = User.register(
            email=command.email,
            name=command.name,
            hashed_password=_NOT_YET_HASHED,
            username=command.username,
            now=now,
        )
        user.hashed_password = self._hasher.hash(command.password)
        # No check-then-insert: the unique constraint decides, atomically, even under races.
        try:
            with self._uow() as uow:
                uow.users.add(user)
                uow.commit()
        except ConflictError as conflict:
            if conflict.field != "users.email":
                raise
            raise ConflictError("users.email: already registered", field=conflict.field) from None
        return UserResult.from_user(user)


class Authenticate:
    """Email + password. Failures count towards a lockout after 5; an unknown email costs the
    same hashing work and yields the same error as a wrong password."""

    def __init__(self, uow: UnitOfWorkFactory, hasher: PasswordHasher, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock

    def __call__(self, command: commands.Authenticate) -> UserResult:
        try:
            email = normalise_email(command.email)
        except ValidationError:
            email = None
        user = None
        if email is not None:
            with self._uow() as uow:
                user = uow.users.find_by_email(email)
        if user is None:
            self._hasher.burn(command.password)
            raise AuthenticationError()
        matches = self._hasher.verify(user.hashed_password, command.password)
        if not user.can_log_in:
            raise AuthenticationError()
        rehashed = None
        if matches and self._hasher.needs_rehash(user.hashed_password):
            rehashed = self._hasher.hash(command.password)
        user = self._record_outcome(user.id, matches, rehashed)
        if not matches:
            raise AuthenticationError()
        return UserResult.from_user(user)

    def _record_outcome(self, user_id: UserId, matches: bool, rehashed: str | None) -> User:
        # Two wrong passwords at once must both count, so the write retries on a concurrent
        # change instead of losing an increment. The hash is never recomputed here.
        for attempt in range(_WRITE_RETRIES):
            try:
                with self._uow() as uow:
                    user = uow.users.get(user_id)
                    now = self._clock.now()
                    if matches:
                        user.record_successful_login(now, rehashed_password=rehashed)
                    else:
                        user.record_failed_login(now)
                    uow.users.update(user)
                    uow.commit()
                    return user
            except ConcurrencyError:
                if attempt == _WRITE_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")


class GetUser:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def by_id(self, user_id: UserId) -> UserResult:
        with self._uow() as uow:
            return UserResult.from_user(uow.users.get(user_id))

    def by_email(self, email: str) -> UserResult:
        normalised = normalise_email(email)
        with self._uow() as uow:
            user = uow.users.find_by_email(normalised)
        if user is None:
            raise NotFoundError("user", normalised)
        return UserResult.from_user(user)


class ListUsers:
    def __init__(self, queries: UserQueries) -> None:
        self._queries = queries

    def __call__(self, *, limit: int = 100, offset: int = 0) -> list[UserResult]:
        if limit < 1 or limit > 10_000:
            raise ValidationError("limit", "must be between 1 and 10000")
        if offset < 0:
            raise ValidationError("offset", "must be 0 or more")
        return self._queries.list_users(limit=limit, offset=offset)
