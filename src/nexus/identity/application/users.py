"""Use cases on users: register, authenticate and log in, look up."""

from __future__ import annotations

import attrs

from nexus.identity.application import commands
from nexus.identity.application.attempts import Attempts, Refused, Reserved, secret_text
from nexus.identity.application.policy import IdentityPolicy
from nexus.identity.application.ports import UnitOfWorkFactory, UserQueries
from nexus.identity.application.results import LoginResult, UserResult
from nexus.identity.application.sessions import start_session
from nexus.identity.application.support import record
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.passwords import PasswordHasher, check_password_policy
from nexus.identity.domain.users import User, normalise_email
from nexus.shared.clock import Clock
from nexus.shared.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
)
from nexus.shared.ids import UserId
from nexus.shared.retry import retry_on_concurrency
from nexus.shared.values import check_page

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
                record(
                    uow,
                    AuditAction.USER_REGISTERED,
                    now,
                    user_id=user.id,
                    resource=("user", user.id),
                )
                uow.commit()
        except ConflictError as conflict:
            if conflict.field != "users.email":
                raise
            raise ConflictError("users.email: already registered", field=conflict.field) from None
        return UserResult.from_user(user)


class Authenticate:
    """Email + password. The request is validated first (a refused request counts nothing);
    then one transaction counts the attempt and audits it as failed, the same statements
    whether the email is unknown, the password wrong, the account locked or inactive; then
    the same Argon2 work for all. Only a correct password takes a second transaction, which
    resets the counter, replaces the failure row with the login row and (`login`) starts a
    session. 5 failures lock the account."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        policy: IdentityPolicy | None = None,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._policy = policy or IdentityPolicy()
        self._attempts = Attempts(uow, clock, AuditAction.LOGIN_FAILED)

    def __call__(self, command: commands.Authenticate) -> UserResult:
        return self._attempt(command, start=False).user

    def login(self, command: commands.Authenticate) -> LoginResult:
        session = self._attempt(command, start=True).session
        assert session is not None
        return session

    def _attempt(self, command: commands.Authenticate, *, start: bool) -> _Outcome:
        email = normalise_email(command.email, field="email")
        password = secret_text(command.password, "password")
        reserved = self._attempts.reserve(command.context, email=email)
        if isinstance(reserved, Refused):
            self._hasher.burn(password)
            raise AuthenticationError()
        if not self._hasher.verify(reserved.verified_hash, password):
            raise AuthenticationError()
        rehashed = None
        if self._hasher.needs_rehash(reserved.verified_hash):
            rehashed = self._hasher.hash(password)
        outcome = retry_on_concurrency(
            lambda: self._record_success(reserved, rehashed, command, start)
        )
        if outcome is None:
            raise AuthenticationError()
        return outcome

    def _record_success(
        self, reserved: Reserved, rehashed: str | None, command: commands.Authenticate, start: bool
    ) -> _Outcome | None:
        """The password matched. It stands only if it is still the user's password and the
        user is still active; otherwise the failure row written up front says why."""
        with self._uow() as uow:
            user = uow.users.get(reserved.user_id)
            now = self._clock.now()
            context = command.context
            if not reserved.still_valid_for(user):
                reserved.undo(uow, keep_lock=True)
                reason = "password_changed" if user.is_active else "inactive"
                record(
                    uow,
                    AuditAction.LOGIN_FAILED,
                    now,
                    user_id=user.id,
                    details={"reason": reason},
                    success=False,
                    context=context,
                )
                uow.commit()
                return None
            reserved.undo(uow)
            user.record_successful_login(now, rehashed_password=rehashed)
            uow.users.update(user)
            session = start_session(uow, user, now, self._policy, context) if start else None
            record(uow, AuditAction.LOGIN, now, user_id=user.id, context=context)
            uow.commit()
            return _Outcome(UserResult.from_user(user), session)


@attrs.frozen
class _Outcome:
    user: UserResult
    session: LoginResult | None


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
        limit, offset = check_page(limit, offset)
        return self._queries.list_users(limit=limit, offset=offset)
