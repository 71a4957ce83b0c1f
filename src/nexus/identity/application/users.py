"""Use cases on users: register, authenticate and log in, look up."""

from __future__ import annotations

from typing import NoReturn

import attrs

from nexus.identity.application import commands
from nexus.identity.application.password_check import Checked, PasswordCheck, Refused
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
    ValidationError,
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
    """Email + password. Failures count towards a lockout after 5; an unknown email costs the
    same hashing work and yields the same error as a wrong password. Every outcome is audited
    in the transaction that records it; `login` also starts a session (a refresh token)."""

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
        self._check = PasswordCheck(uow, hasher, clock)

    def __call__(self, command: commands.Authenticate) -> UserResult:
        return self._attempt(command, start=False).user

    def login(self, command: commands.Authenticate) -> LoginResult:
        session = self._attempt(command, start=True).session
        assert session is not None
        return session

    def _attempt(
        self,
        command: commands.Authenticate,
        *,
        start: bool,
    ) -> _Outcome:
        password = command.password if isinstance(command.password, str) else ""
        try:
            email = normalise_email(command.email)
        except ValidationError:
            email = None
        user = None
        if email is not None and isinstance(command.password, str):
            with self._uow() as uow:
                user = uow.users.find_by_email(email)
        if user is None:
            self._hasher.burn(password)
            self._refuse(None, command, "unknown_email", email)
        checked = self._check.check(user.id, password)
        if isinstance(checked, Refused):
            self._refuse(user.id, command, checked.reason, None)
        outcome = retry_on_concurrency(lambda: self._record_outcome(checked, command, start))
        if outcome is None:
            raise AuthenticationError()
        return outcome

    def _refuse(
        self, user_id: UserId | None, command: commands.Authenticate, reason: str, email: str | None
    ) -> NoReturn:
        details: dict[str, str] = {"reason": reason}
        if email is not None:
            details["email"] = email
        with self._uow() as uow:
            record(
                uow,
                AuditAction.LOGIN_FAILED,
                self._clock.now(),
                user_id=user_id,
                details=details,
                success=False,
                context=command.context,
            )
            uow.commit()
        raise AuthenticationError()

    def _record_outcome(
        self, checked: Checked, command: commands.Authenticate, start: bool
    ) -> _Outcome | None:
        """The attempt was counted as a failure when it was reserved; a success resets it."""
        with self._uow() as uow:
            user = uow.users.get(checked.user_id)
            now = self._clock.now()
            context = command.context
            if checked.matches and checked.still_valid_for(user):
                user.record_successful_login(now, rehashed_password=checked.rehashed)
                uow.users.update(user)
                session = start_session(uow, user, now, self._policy, context) if start else None
                record(uow, AuditAction.LOGIN, now, user_id=user.id, context=context)
                uow.commit()
                return _Outcome(UserResult.from_user(user), session)
            if checked.matches:
                reason = "password_changed" if user.is_active else "inactive"
            else:
                reason = "wrong_password"
            record(
                uow,
                AuditAction.LOGIN_FAILED,
                now,
                user_id=user.id,
                details={"reason": reason},
                success=False,
                context=context,
            )
            if checked.locks and not checked.matches:
                record(
                    uow, AuditAction.LOCKED, now, user_id=user.id, success=False, context=context
                )
            uow.commit()
        return None


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
