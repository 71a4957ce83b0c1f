"""Account use cases: change password, verify email, deactivate and reactivate a user."""

from __future__ import annotations

from nexus.identity.application import commands
from nexus.identity.application.attempts import Attempts, Refused, Reserved, secret_text
from nexus.identity.application.ports import UnitOfWorkFactory
from nexus.identity.application.results import UserResult
from nexus.identity.application.support import (
    Actor,
    record,
    resolve_actor,
)
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.passwords import PasswordHasher, check_password_policy
from nexus.identity.domain.tokens import RevokedReason
from nexus.shared.clock import Clock
from nexus.shared.errors import AuthenticationError, NotFoundError, PermissionDeniedError
from nexus.shared.ids import UserId
from nexus.shared.retry import retry_on_concurrency


class ChangePassword:
    """The current password is required; on success every refresh token of the user and every
    outstanding reset token is revoked. A wrong current password counts as a failed login
    (counted and audited before the hash, as a login; 5 lock the account)."""

    def __init__(self, uow: UnitOfWorkFactory, hasher: PasswordHasher, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._attempts = Attempts(uow, clock, AuditAction.PASSWORD_CHANGE_FAILED)

    def __call__(self, command: commands.ChangePassword) -> None:
        check_password_policy(command.new_password, field="new_password")
        secret_text(command.new_password, "new_password")
        current = secret_text(command.current_password, "current_password")
        reserved = self._attempts.reserve(command.context, user_id=command.user_id)
        if isinstance(reserved, Refused):
            self._hasher.burn(current)
            if reserved.user_id is None:
                raise NotFoundError("user", command.user_id)
            raise AuthenticationError()
        if not self._hasher.verify(reserved.verified_hash, current):
            raise AuthenticationError()
        new_hash = self._hasher.hash(command.new_password)
        if not retry_on_concurrency(lambda: self._write(command, reserved, new_hash)):
            raise AuthenticationError()

    def _write(self, command: commands.ChangePassword, reserved: Reserved, new_hash: str) -> bool:
        now = self._clock.now()
        with self._uow() as uow:
            user = uow.users.get(command.user_id)
            # The new hash replaces only the password that was verified: a reset or another
            # change committed meanwhile wins (the failure row written up front stays).
            if not reserved.still_valid_for(user):
                return False
            reserved.undo(uow)
            user.set_password_hash(new_hash, now)
            uow.users.update(user)
            uow.refresh_tokens.revoke_all_for_user(user.id, now, RevokedReason.PASSWORD_CHANGED)
            uow.reset_tokens.invalidate_outstanding(user.id, now)
            record(uow, AuditAction.PASSWORD_CHANGED, now, user_id=user.id, context=command.context)
            uow.commit()
        return True


class AccountStatus:
    """Verify email (operator or superadmin), deactivate (the user themself, an operator or a
    superadmin; revokes every refresh token), reactivate (operator or superadmin)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def verify_email(self, user_id: UserId, *, actor: Actor) -> UserResult:
        return retry_on_concurrency(lambda: self._change(user_id, actor, "verify"))

    def deactivate(self, user_id: UserId, *, actor: Actor) -> UserResult:
        return retry_on_concurrency(lambda: self._change(user_id, actor, "deactivate"))

    def reactivate(self, user_id: UserId, *, actor: Actor) -> UserResult:
        return retry_on_concurrency(lambda: self._change(user_id, actor, "reactivate"))

    def _change(self, user_id: UserId, actor: Actor, change: str) -> UserResult:
        now = self._clock.now()
        with self._uow() as uow:
            acting = resolve_actor(uow, actor)
            user = uow.users.get(user_id)
            self_service = change == "deactivate" and acting.user_id == user.id
            if not (acting.is_privileged or self_service):
                raise PermissionDeniedError(f"only an operator or a superadmin may {change} users")
            if change == "verify":
                user.verify_email(now)
                action = AuditAction.EMAIL_VERIFIED
            elif change == "deactivate":
                user.deactivate(now)
                uow.refresh_tokens.revoke_all_for_user(user.id, now, RevokedReason.DEACTIVATED)
                action = AuditAction.DEACTIVATED
            else:
                user.reactivate(now)
                action = AuditAction.REACTIVATED
            uow.users.update(user)
            record(
                uow,
                action,
                now,
                user_id=acting.user_id,
                resource=("user", user.id),
                details=acting.audit_details(),
            )
            uow.commit()
        return UserResult.from_user(user)
