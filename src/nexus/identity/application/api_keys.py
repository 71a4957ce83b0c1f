"""Use cases on API keys: create (the raw key is returned once), authenticate, list, revoke."""

from __future__ import annotations

from datetime import datetime, timedelta

from nexus.identity.application import commands
from nexus.identity.application.ports import ApiKeyQueries, UnitOfWorkFactory, WorkspaceAccess
from nexus.identity.application.results import (
    ApiKeyAuthentication,
    ApiKeyCreated,
    ApiKeyResult,
)
from nexus.identity.application.support import (
    NO_CONTEXT,
    Acting,
    Actor,
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
from nexus.shared.clock import Clock
from nexus.shared.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from nexus.shared.ids import UserId, WorkspaceId

_REFUSED = "api key: invalid, expired or revoked"
MAX_EXPIRY_DAYS = 3650


def _may_manage(acting: Acting, user_id: UserId) -> None:
    if not acting.is_privileged and acting.user_id != user_id:
        raise PermissionDeniedError("only the key's user (or an operator) manages its keys")


class ApiKeys:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        queries: ApiKeyQueries,
        workspaces: WorkspaceAccess,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._queries = queries
        self._workspaces = workspaces

    def create(self, command: commands.CreateApiKey) -> ApiKeyCreated:
        """For the user themself (or by an operator/superadmin), optionally scoped to one
        workspace and expiring after some days."""
        days = command.expires_in_days
        if days is not None and (
            isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXPIRY_DAYS
        ):
            raise ValidationError("expires_in_days", f"must be 1 to {MAX_EXPIRY_DAYS} days")
        now = self._clock.now()
        raw = new_api_key()
        key = ApiKey(
            user_id=command.user_id,
            workspace_id=command.workspace_id,
            name=command.name,
            key_hash=digest(raw),
            key_prefix=display_prefix(raw),
            created_at=now,
            expires_at=None if days is None else now + timedelta(days=days),
        )
        with self._uow() as uow:
            acting = resolve_actor(uow, command.actor)
            _may_manage(acting, command.user_id)
            uow.users.get(command.user_id)
            scope = command.workspace_id
            if scope is not None and not self._workspaces.is_member(scope, command.user_id):
                raise PermissionDeniedError(
                    "api_keys.workspace_id: the user is not a member of that workspace"
                )
            uow.api_keys.add(key)
            record(
                uow,
                AuditAction.API_KEY_CREATED,
                now,
                user_id=command.user_id,
                resource=("api_key", key.id),
                details={**acting.audit_details(command.user_id), "prefix": key.key_prefix},
            )
            uow.commit()
        return ApiKeyCreated(key=ApiKeyResult.from_key(key), raw_key=raw)

    def authenticate(
        self,
        raw_key: str,
        *,
        workspace_id: WorkspaceId | None = None,
        context: RequestContext = NO_CONTEXT,
    ) -> ApiKeyAuthentication:
        """Checksum first (a typo costs no lookup), then one conditional write that finds the
        digest, refuses revoked or expired keys and inactive users, and records last_used_at.
        With `workspace_id`, a key scoped to another workspace is refused."""
        if not has_valid_checksum(raw_key):
            raise AuthenticationError(_REFUSED)
        key_hash = digest(raw_key)
        now = self._clock.now()
        with self._uow() as uow:
            principal = uow.api_keys.use(key_hash, now)
            if principal is not None and principal.may_act_on(workspace_id):
                uow.commit()
                return ApiKeyAuthentication(
                    key_id=principal.key_id,
                    user_id=principal.user_id,
                    workspace_id=principal.workspace_id,
                )
            uow.rollback()
            owner: UserId | None
            key_id: ApiKeyId | None
            if principal is not None:
                owner, key_id, reason = principal.user_id, principal.key_id, "wrong_workspace"
            else:
                known = uow.api_keys.find_by_hash(key_hash)
                owner = None if known is None else known.user_id
                key_id = None if known is None else known.id
                reason = _reason(known, now)
            record(
                uow,
                AuditAction.API_KEY_AUTH_FAILED,
                now,
                user_id=owner,
                resource=None if key_id is None else ("api_key", key_id),
                details={"reason": reason},
                success=False,
                context=context,
            )
            uow.commit()
        raise AuthenticationError(_REFUSED)

    def list_keys(self, user_id: UserId, *, actor: Actor) -> list[ApiKeyResult]:
        with self._uow() as uow:
            _may_manage(resolve_actor(uow, actor), user_id)
        return self._queries.list_api_keys(user_id)

    def revoke(self, user_id: UserId, key_id: ApiKeyId, *, actor: Actor) -> ApiKeyResult:
        now = self._clock.now()
        with self._uow() as uow:
            acting = resolve_actor(uow, actor)
            _may_manage(acting, user_id)
            key = uow.api_keys.find(user_id, key_id)
            if key is None:
                raise NotFoundError("api key", key_id)
            if not key.is_revoked:
                key.revoke(now)
                uow.api_keys.update(key)
                record(
                    uow,
                    AuditAction.API_KEY_REVOKED,
                    now,
                    user_id=user_id,
                    resource=("api_key", key.id),
                    details={**acting.audit_details(user_id), "prefix": key.key_prefix},
                )
                uow.commit()
        return ApiKeyResult.from_key(key)


def _reason(key: ApiKey | None, now: datetime) -> str:
    if key is None:
        return "unknown"
    if key.is_revoked:
        return "revoked"
    if key.is_expired(now):
        return "expired"
    return "inactive_user"
