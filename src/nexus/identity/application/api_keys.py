"""Use cases on API keys: create (the raw key is returned once), authenticate, list, revoke."""

from __future__ import annotations

from datetime import datetime, timedelta

from nexus.identity.application.base import ActorLike, IdentityUseCases, IdLike, as_actor
from nexus.identity.application.ports import IdentityUnitOfWork
from nexus.identity.application.results import (
    ApiKeyAuthentication,
    ApiKeyCreated,
    ApiKeyResult,
)
from nexus.identity.application.support import (
    NO_CONTEXT,
    Acting,
    RequestContext,
    record,
    resolve_actor,
)
from nexus.identity.domain.api_keys import (
    ApiKey,
    display_prefix,
    has_valid_checksum,
    new_api_key,
)
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.credentials import digest
from nexus.identity.domain.ids import ApiKeyId
from nexus.shared.arguments import Credential
from nexus.shared.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from nexus.shared.ids import UserId, WorkspaceId, parse_typed_id
from nexus.shared.usecases import transaction

_REFUSED = "api key: invalid, expired or revoked"
MAX_EXPIRY_DAYS = 3650


def _may_manage(acting: Acting, user_id: UserId) -> None:
    if not acting.is_privileged and acting.user_id != user_id:
        raise PermissionDeniedError("only the key's user (or an operator) manages its keys")


def _workspace_scope(workspace_id: IdLike | None) -> WorkspaceId | None:
    return (
        None if workspace_id is None else parse_typed_id(WorkspaceId, workspace_id, "workspace_id")
    )


class ApiKeys(IdentityUseCases):
    @transaction
    def create_api_key(
        self,
        tx: IdentityUnitOfWork,
        user_id: IdLike,
        *,
        name: str,
        actor: ActorLike,
        workspace_id: IdLike | None = None,
        expires_in_days: int | None = None,
    ) -> ApiKeyCreated:
        """The key's metadata and the raw key (`nxk_...`), returned this once only. For the
        user themself (or by an operator/superadmin), optionally scoped to one workspace and
        expiring after some days."""
        scope = _workspace_scope(workspace_id)
        owner = parse_typed_id(UserId, user_id, "user_id")
        acting_as = as_actor(actor)
        days = expires_in_days
        if days is not None and (
            isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXPIRY_DAYS
        ):
            raise ValidationError("expires_in_days", f"must be 1 to {MAX_EXPIRY_DAYS} days")
        now = self.clock.now()
        raw = new_api_key()
        key = ApiKey(
            user_id=owner,
            workspace_id=scope,
            name=name,
            key_hash=digest(raw),
            key_prefix=display_prefix(raw),
            created_at=now,
            expires_at=None if days is None else now + timedelta(days=days),
        )
        acting = resolve_actor(tx, acting_as)
        _may_manage(acting, owner)
        tx.users.get(owner)
        if scope is not None and not self.workspace_access.is_member(scope, owner):
            raise PermissionDeniedError(
                "api_keys.workspace_id: the user is not a member of that workspace"
            )
        tx.api_keys.add(key)
        record(
            tx,
            AuditAction.API_KEY_CREATED,
            now,
            user_id=owner,
            resource=("api_key", key.id),
            details={**acting.audit_details(owner), "prefix": key.key_prefix},
        )
        return ApiKeyCreated(key=ApiKeyResult.from_key(key), raw_key=raw)

    def authenticate_api_key(
        self,
        raw_key: Credential,
        *,
        workspace_id: IdLike | None = None,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> ApiKeyAuthentication:
        """The key's user and workspace scope, or AuthenticationError.

        Checksum first (a typo costs no lookup), then one conditional write that finds the
        digest, refuses revoked or expired keys and inactive users, and records last_used_at.
        With `workspace_id`, a key scoped to another workspace is refused. A refusal rolls
        the use back, audits, commits and raises: an explicit unit of work, not `@transaction`
        (which would roll the audit row back with the error)."""
        scope = _workspace_scope(workspace_id)
        context = (
            NO_CONTEXT
            if ip_address is None and user_agent is None
            else RequestContext(ip_address=ip_address, user_agent=user_agent)
        )
        if not has_valid_checksum(raw_key):
            raise AuthenticationError(_REFUSED)
        key_hash = digest(raw_key)
        now = self.clock.now()
        with self.uow() as tx:
            principal = tx.api_keys.use(key_hash, now)
            if principal is not None and principal.may_act_on(scope):
                tx.commit()
                return ApiKeyAuthentication(
                    key_id=principal.key_id,
                    user_id=principal.user_id,
                    workspace_id=principal.workspace_id,
                )
            tx.rollback()
            owner: UserId | None
            key_id: ApiKeyId | None
            if principal is not None:
                owner, key_id, reason = principal.user_id, principal.key_id, "wrong_workspace"
            else:
                known = tx.api_keys.find_by_hash(key_hash)
                owner = None if known is None else known.user_id
                key_id = None if known is None else known.id
                reason = _reason(known, now)
            record(
                tx,
                AuditAction.API_KEY_AUTH_FAILED,
                now,
                user_id=owner,
                resource=None if key_id is None else ("api_key", key_id),
                details={"reason": reason},
                success=False,
                context=context,
            )
            tx.commit()
        raise AuthenticationError(_REFUSED)

    def list_api_keys(self, user_id: IdLike, *, actor: ActorLike) -> list[ApiKeyResult]:
        owner = parse_typed_id(UserId, user_id, "user_id")
        _may_manage(self._acting(as_actor(actor)), owner)
        return self.api_key_queries.list_api_keys(owner)

    @transaction
    def revoke_api_key(
        self, tx: IdentityUnitOfWork, user_id: IdLike, key_id: IdLike, *, actor: ActorLike
    ) -> ApiKeyResult:
        owner = parse_typed_id(UserId, user_id, "user_id")
        revoked = parse_typed_id(ApiKeyId, key_id, "key_id")
        acting_as = as_actor(actor)
        now = self.clock.now()
        acting = resolve_actor(tx, acting_as)
        _may_manage(acting, owner)
        key = tx.api_keys.find(owner, revoked)
        if key is None:
            raise NotFoundError("api key", revoked)
        if not key.is_revoked:
            key.revoke(now)
            tx.api_keys.update(key)
            record(
                tx,
                AuditAction.API_KEY_REVOKED,
                now,
                user_id=owner,
                resource=("api_key", key.id),
                details={**acting.audit_details(owner), "prefix": key.key_prefix},
            )
        return ApiKeyResult.from_key(key)


def _reason(key: ApiKey | None, now: datetime) -> str:
    if key is None:
        return "unknown"
    if key.is_revoked:
        return "revoked"
    if key.is_expired(now):
        return "expired"
    return "inactive_user"
