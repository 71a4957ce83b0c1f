"""Use cases on users: register, authenticate and log in, look up."""

from __future__ import annotations

import attrs

from nexus.identity.application.attempts import Attempts, Refused, Reserved, secret_text
from nexus.identity.application.base import IdentityUseCases, IdLike
from nexus.identity.application.ports import IdentityUnitOfWork
from nexus.identity.application.results import LoginResult, UserResult
from nexus.identity.application.sessions import start_session
from nexus.identity.application.support import RequestContext, record
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.passwords import check_password_policy
from nexus.identity.domain.users import User, normalise_email
from nexus.shared.arguments import Credential
from nexus.shared.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
)
from nexus.shared.ids import UserId, parse_typed_id
from nexus.shared.retry import retry_on_concurrency
from nexus.shared.usecases import Page, transaction

_NOT_YET_HASHED = "(not yet hashed)"


@attrs.frozen
class _Outcome:
    user: UserResult
    session: LoginResult | None


class Users(IdentityUseCases):
    def register_user(
        self, *, email: str, name: str, password: str, username: str | None = None
    ) -> UserResult:
        """Normalised unique email, password policy, Argon2id hash; a duplicate is a
        ConflictError."""
        check_password_policy(password)
        now = self.clock.now()
        # Build (and so validate) the user before paying for the hash.
        user = User.register(
            email=email, name=name, hashed_password=_NOT_YET_HASHED, username=username, now=now
        )
        user.hashed_password = self.hasher.hash(password)
        # Not `@transaction`: the hash is paid before the transaction opens, and a duplicate is
        # not retried. No check-then-insert: the unique constraint decides, atomically.
        try:
            with self.uow() as tx:
                tx.users.add(user)
                record(
                    tx,
                    AuditAction.USER_REGISTERED,
                    now,
                    user_id=user.id,
                    resource=("user", user.id),
                )
                tx.commit()
        except ConflictError as conflict:
            if conflict.field != "users.email":
                raise
            raise ConflictError("users.email: already registered", field=conflict.field) from None
        return UserResult.from_user(user)

    def authenticate(
        self,
        *,
        email: str,
        password: Credential,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> UserResult:
        """The user, or AuthenticationError (same error for every kind of failure).

        The request is validated first (a refused request counts nothing); then one transaction
        counts the attempt and audits it as failed, the same statements whether the email is
        unknown, the password wrong, the account locked or inactive; then the same Argon2 work
        for all. Only a correct password takes a second transaction, which resets the counter,
        replaces the failure row with the login row and (`login`) starts a session. 5 failures
        lock the account."""
        context = RequestContext(ip_address=ip_address, user_agent=user_agent)
        return self._attempt_login(email, password, context, start=False).user

    def login(
        self,
        *,
        email: str,
        password: Credential,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> LoginResult:
        """As `authenticate`, and starts a session: the user and a raw refresh token."""
        context = RequestContext(ip_address=ip_address, user_agent=user_agent)
        session = self._attempt_login(email, password, context, start=True).session
        assert session is not None
        return session

    def _attempt_login(
        self, email: str, password: str, context: RequestContext, *, start: bool
    ) -> _Outcome:
        # Several transactions on purpose, not `@transaction`: the attempt is counted and
        # committed before the hash is checked (outside any transaction), and only a match
        # takes the second one (see the class of tests on login timing and lockout).
        normalised = normalise_email(email, field="email")
        secret = secret_text(password, "password")
        attempts = Attempts(self.uow, self.clock, AuditAction.LOGIN_FAILED)
        reserved = attempts.reserve(context, email=normalised)
        if isinstance(reserved, Refused):
            self.hasher.burn(secret)
            raise AuthenticationError()
        if not self.hasher.verify(reserved.verified_hash, secret):
            raise AuthenticationError()
        rehashed = None
        if self.hasher.needs_rehash(reserved.verified_hash):
            rehashed = self.hasher.hash(secret)
        outcome = retry_on_concurrency(
            lambda: self._record_login(reserved, rehashed, context, start)
        )
        if outcome is None:
            raise AuthenticationError()
        return outcome

    def _record_login(
        self, reserved: Reserved, rehashed: str | None, context: RequestContext, start: bool
    ) -> _Outcome | None:
        """The password matched. It stands only if it is still the user's password and the
        user is still active; otherwise the failure row written up front says why (committed,
        then refused: so an explicit unit of work)."""
        with self.uow() as tx:
            user = tx.users.get(reserved.user_id)
            now = self.clock.now()
            if not reserved.still_valid_for(user):
                reserved.undo(tx, keep_lock=True)
                reason = "password_changed" if user.is_active else "inactive"
                record(
                    tx,
                    AuditAction.LOGIN_FAILED,
                    now,
                    user_id=user.id,
                    details={"reason": reason},
                    success=False,
                    context=context,
                )
                tx.commit()
                return None
            reserved.undo(tx)
            user.record_successful_login(now, rehashed_password=rehashed)
            tx.users.update(user)
            session = start_session(tx, user, now, self.policy, context) if start else None
            record(tx, AuditAction.LOGIN, now, user_id=user.id, context=context)
            tx.commit()
            return _Outcome(UserResult.from_user(user), session)

    @transaction
    def get_user(self, tx: IdentityUnitOfWork, user_id: IdLike) -> UserResult:
        return UserResult.from_user(tx.users.get(parse_typed_id(UserId, user_id, "user_id")))

    @transaction
    def get_user_by_email(self, tx: IdentityUnitOfWork, email: str) -> UserResult:
        normalised = normalise_email(email)
        user = tx.users.find_by_email(normalised)
        if user is None:
            raise NotFoundError("user", normalised)
        return UserResult.from_user(user)

    def list_users(self, *, limit: int = 100, offset: int = 0) -> list[UserResult]:
        page = Page.of(limit, offset)
        return self.user_queries.list_users(limit=page.limit, offset=page.offset)

    def count_users(self) -> int:
        """How many users there are (the total `list_users` pages through)."""
        return self.user_queries.count_users()
