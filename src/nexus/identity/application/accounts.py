"""Account use cases: change password, verify email, deactivate and reactivate a user."""

from __future__ import annotations

from nexus.identity.application.attempts import Attempts, Refused, Reserved, secret_text
from nexus.identity.application.base import ActorLike, IdentityUseCases, IdLike, as_actor
from nexus.identity.application.ports import IdentityUnitOfWork
from nexus.identity.application.results import UserResult
from nexus.identity.application.support import RequestContext, record, resolve_actor
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.passwords import check_password_policy
from nexus.identity.domain.tokens import RevokedReason
from nexus.shared.arguments import Credential
from nexus.shared.errors import AuthenticationError, PermissionDeniedError
from nexus.shared.ids import UserId, parse_typed_id
from nexus.shared.retry import retry_on_concurrency
from nexus.shared.usecases import transaction


class Accounts(IdentityUseCases):
    """Verify email (operator or superadmin), deactivate (the user themself, an operator or a
    superadmin; revokes every refresh token), reactivate (operator or superadmin)."""

    def change_password(
        self,
        user_id: IdLike,
        *,
        current_password: Credential,
        new_password: str,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> None:
        """The current password is required; on success every refresh token of the user and
        every outstanding reset token is revoked. A wrong current password counts as a failed
        login (counted and audited before the hash, as a login; 5 lock the account)."""
        # Several transactions on purpose, as a login: the attempt is counted and committed
        # before the hash is checked, and only a match writes the new password.
        user = parse_typed_id(UserId, user_id, "user_id")
        context = RequestContext(ip_address=ip_address, user_agent=user_agent)
        check_password_policy(new_password, field="new_password")
        secret_text(new_password, "new_password")
        current = secret_text(current_password, "current_password")
        attempts = Attempts(self.uow, self.clock, AuditAction.PASSWORD_CHANGE_FAILED)
        reserved = attempts.reserve(context, user_id=user)
        if isinstance(reserved, Refused):
            # An unknown user id is answered as a wrong password is (the attempt was audited,
            # as a login for an unknown email is): a refusal that wrote is never "not found".
            self.hasher.burn(current)
            raise AuthenticationError()
        if not self.hasher.verify(reserved.verified_hash, current):
            raise AuthenticationError()
        new_hash = self.hasher.hash(new_password)
        if not retry_on_concurrency(lambda: self._store_new_password(reserved, new_hash, context)):
            raise AuthenticationError()

    def _store_new_password(
        self, reserved: Reserved, new_hash: str, context: RequestContext
    ) -> bool:
        now = self.clock.now()
        with self.uow() as tx:
            user = tx.users.get(reserved.user_id)
            # The new hash replaces only the password that was verified: a reset or another
            # change committed meanwhile wins (the failure row written up front stays).
            if not reserved.still_valid_for(user):
                return False
            reserved.undo(tx)
            user.set_password_hash(new_hash, now)
            tx.users.update(user)
            tx.refresh_tokens.revoke_all_for_user(user.id, now, RevokedReason.PASSWORD_CHANGED)
            tx.reset_tokens.invalidate_outstanding(user.id, now)
            record(tx, AuditAction.PASSWORD_CHANGED, now, user_id=user.id, context=context)
            tx.commit()
        return True

    @transaction
    def verify_email(
        self, tx: IdentityUnitOfWork, user_id: IdLike, *, actor: ActorLike
    ) -> UserResult:
        return self._change_status(tx, user_id, actor, "verify")

    @transaction
    def unlock_user(
        self, tx: IdentityUnitOfWork, user_id: IdLike, *, actor: ActorLike
    ) -> UserResult:
        """Lift a lockout (5 failed logins) without a password reset; operators and
        superadmins only, audited."""
        return self._change_status(tx, user_id, actor, "unlock")

    @transaction
    def deactivate_user(
        self, tx: IdentityUnitOfWork, user_id: IdLike, *, actor: ActorLike
    ) -> UserResult:
        return self._change_status(tx, user_id, actor, "deactivate")

    @transaction
    def reactivate_user(
        self, tx: IdentityUnitOfWork, user_id: IdLike, *, actor: ActorLike
    ) -> UserResult:
        return self._change_status(tx, user_id, actor, "reactivate")

    def _change_status(
        self, tx: IdentityUnitOfWork, user_id: IdLike, actor: ActorLike, change: str
    ) -> UserResult:
        subject = parse_typed_id(UserId, user_id, "user_id")
        acting = resolve_actor(tx, as_actor(actor))
        now = self.clock.now()
        user = tx.users.get(subject)
        self_service = change == "deactivate" and acting.user_id == user.id
        if not (acting.is_privileged or self_service):
            raise PermissionDeniedError(f"only an operator or a superadmin may {change} users")
        if change == "verify":
            user.verify_email(now)
            action = AuditAction.EMAIL_VERIFIED
        elif change == "unlock":
            user.unlock(now)
            action = AuditAction.UNLOCKED
        elif change == "deactivate":
            user.deactivate(now)
            tx.refresh_tokens.revoke_all_for_user(user.id, now, RevokedReason.DEACTIVATED)
            action = AuditAction.DEACTIVATED
        else:
            user.reactivate(now)
            action = AuditAction.REACTIVATED
        tx.users.update(user)
        record(
            tx,
            action,
            now,
            user_id=acting.user_id,
            resource=("user", user.id),
            details=acting.audit_details(),
        )
        return UserResult.from_user(user)
