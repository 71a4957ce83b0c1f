"""Sessions: refresh tokens issued at login, rotated with reuse detection, revoked at logout."""

from __future__ import annotations

from datetime import datetime

from nexus.identity.application.attempts import secret_text
from nexus.identity.application.base import IdentityUseCases
from nexus.identity.application.policy import IdentityPolicy
from nexus.identity.application.ports import IdentityUnitOfWork
from nexus.identity.application.results import LoginResult, UserResult
from nexus.identity.application.support import NO_CONTEXT, RequestContext, record
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.credentials import digest, new_token
from nexus.identity.domain.ids import TokenFamilyId, new_token_family_id
from nexus.identity.domain.tokens import RefreshToken, RevokedReason
from nexus.identity.domain.users import User
from nexus.shared.arguments import Credential
from nexus.shared.errors import AuthenticationError, ConcurrencyError
from nexus.shared.retry import retry_on_concurrency
from nexus.shared.usecases import transaction

_REFUSED = "refresh token: invalid, expired or revoked"


def start_session(
    uow: IdentityUnitOfWork,
    user: User,
    now: datetime,
    policy: IdentityPolicy,
    context: RequestContext,
    family_id: TokenFamilyId | None = None,
) -> LoginResult:
    """Stage a new refresh token for `user` (a new family unless one is given)."""
    raw = new_token()
    token = RefreshToken(
        user_id=user.id,
        token_hash=digest(raw),
        family_id=family_id or new_token_family_id(),
        expires_at=now + policy.refresh_token_ttl,
        created_at=now,
        user_agent=context.user_agent,
        ip_address=context.ip_address,
    )
    uow.refresh_tokens.add(token)
    return LoginResult(
        user=UserResult.from_user(user),
        refresh_token=raw,
        refresh_token_expires_at=token.expires_at,
    )


class Sessions(IdentityUseCases):
    def rotate_refresh_token(
        self,
        refresh_token: Credential,
        *,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> LoginResult:
        """Revoke the presented token and issue its successor in the same family. A token
        rotated less than `policy.refresh_reuse_grace` ago, in a family still live, is a
        concurrent refresh (two tabs): its caller gets a sibling in the same family. Presented
        after the window it is a replay: the whole family is revoked. A refusal is recorded and
        then raised, so this unit of work commits explicitly (`@transaction` would roll the
        record back with the error)."""
        context = RequestContext(ip_address=ip_address, user_agent=user_agent)
        token = secret_text(refresh_token, "refresh_token")
        return retry_on_concurrency(lambda: self._rotate(token, context))

    def _rotate(self, raw_token: str, context: RequestContext) -> LoginResult:
        now = self.clock.now()
        with self.uow() as tx:
            token = tx.refresh_tokens.find_by_hash(digest(raw_token))
            user = None if token is None else tx.users.find(token.user_id)
            if token is None or user is None:
                record(tx, AuditAction.REFRESH_FAILED, now, success=False, context=context)
            elif token.was_rotated:
                if (
                    token.rotated_within(self.policy.refresh_reuse_grace, now)
                    and user.can_log_in
                    and tx.refresh_tokens.family_is_live(token.family_id, now)
                ):
                    return self._issue(tx, user, token, now, context, grace=True)
                # A replay: the token was presented twice, so the session is treated as
                # stolen. (An expired token, or one of a locked or inactive user, is refused
                # below without being burned, so presenting it again is no false alarm.)
                tx.refresh_tokens.revoke_family(token.family_id, now, RevokedReason.REUSE_DETECTED)
                record(
                    tx,
                    AuditAction.REFRESH_REUSE_DETECTED,
                    now,
                    user_id=user.id,
                    resource=("refresh_token_family", token.family_id),
                    success=False,
                    context=context,
                )
            elif not token.is_active(now) or not user.can_log_in:
                record(
                    tx,
                    AuditAction.REFRESH_FAILED,
                    now,
                    user_id=user.id,
                    success=False,
                    context=context,
                )
            elif not tx.refresh_tokens.revoke_if_active(token.id, now, RevokedReason.ROTATED):
                # A concurrent caller rotated it a moment ago: start again on fresh state,
                # where it is a rotated token (within the grace window, a sibling).
                raise ConcurrencyError("refresh token rotated concurrently")
            else:
                return self._issue(tx, user, token, now, context, grace=False)
            tx.commit()
        raise AuthenticationError(_REFUSED)

    def _issue(
        self,
        tx: IdentityUnitOfWork,
        user: User,
        token: RefreshToken,
        now: datetime,
        context: RequestContext,
        *,
        grace: bool,
    ) -> LoginResult:
        result = start_session(tx, user, now, self.policy, context, token.family_id)
        record(
            tx,
            AuditAction.REFRESH_ROTATED,
            now,
            user_id=user.id,
            resource=("refresh_token_family", token.family_id),
            details={"grace": True} if grace else None,
            context=context,
        )
        tx.commit()
        return result

    @transaction
    def logout(self, tx: IdentityUnitOfWork, refresh_token: Credential) -> bool:
        """Revokes the session (the token's whole family); False when the token is unknown
        (nothing to do)."""
        now = self.clock.now()
        token = tx.refresh_tokens.find_by_hash(digest(str(refresh_token)))
        if token is None:
            return False
        tx.refresh_tokens.revoke_family(token.family_id, now, RevokedReason.LOGOUT)
        record(
            tx,
            AuditAction.LOGOUT,
            now,
            user_id=token.user_id,
            resource=("refresh_token_family", token.family_id),
            context=NO_CONTEXT,
        )
        return True
