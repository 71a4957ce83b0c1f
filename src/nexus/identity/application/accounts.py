"""Account use cases: change password, verify email, deactivate and reactivate a user."""

from __future__ import annotations

from nexus.identity.application import commands
from nexus.identity.application.password_check import Checked, PasswordCheck, Refused
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
from nexus.shared.errors import AuthenticationError, PermissionDeniedError
from nexus.shared.ids import UserId
from nexus.shared.retry import retry_on_concurrency


class ChangePassword:
    """The current password is required; on success every refresh token of the user and every
    outstanding reset token is revoked. A wrong current password counts as a failed login."""

    def __init__(self, uow: UnitOfWorkFactory, hasher: PasswordHasher, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._check = PasswordCheck(uow, hasher, clock)

    def __call__(self, command: commands.ChangePassword) -> None:
        check_password_policy(command.new_password, field="new_password")
        current = command.current_password if isinstance(command.current_password, str) else ""
        checked = self._check.check(command.user_id, current)
        new_hash = None
        if isinstance(checked, Checked) and checked.matches:
            new_hash = self._hasher.hash(command.new_password)
        if not retry_on_concurrency(lambda: self._write(command, checked, new_hash)):
            raise AuthenticationError()

    def _write(
        self, command: commands.ChangePassword, checked: Checked | Refused, new_hash: str | None
    ) -> bool:
        now = self._clock.now()
        with self._uow() as uow:
            user = uow.users.get(command.user_id)
            # The new hash replaces only the password that was verified: a reset or another
            # change committed meanwhile wins.
            changed = (
                isinstance(checked, Checked)
                and new_hash is not None
                and checked.still_valid_for(user)
            )
            if changed and new_hash is not None:
                user.set_password_hash(new_hash, now)
                uow.users.update(user)
                uow.refresh_tokens.revoke_all_for_user(user.id, now, RevokedReason.PASSWORD_CHANGED)
                uow.reset_tokens.invalidate_outstanding(user.id, now)
                record(
                    uow, AuditAction.PASSWORD_CHANGED, now, user_id=user.id, context=command.context
                )
            else:
                record(
                    uow,
                    AuditAction.PASSWORD_CHANGE_FAILED,
                    now,
                    user_id=user.id,
                    success=False,
                    context=command.context,
                )
            uow.commit()
        return changed


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
