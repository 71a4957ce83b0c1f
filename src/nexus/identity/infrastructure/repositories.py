"""Identity's repositories, written once for the SQL and in-memory adapters, and its unit of
work. Single use and counters are one conditional write whose row count says who won."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from nexus.identity.domain.api_keys import ApiKey, ApiKeyPrincipal
from nexus.identity.domain.audit import AuditEvent
from nexus.identity.domain.domains import OrganizationDomain
from nexus.identity.domain.ids import ApiKeyId, AuditEventId, DomainId, TokenFamilyId, TokenId
from nexus.identity.domain.organizations import MemberRole, Organization, OrganizationMember
from nexus.identity.domain.tokens import (
    MAX_OTP_ATTEMPTS,
    MagicLinkToken,
    PasswordResetToken,
    RefreshToken,
    RevokedReason,
    SingleUseToken,
)
from nexus.identity.domain.users import User, normalise_email
from nexus.identity.infrastructure.records import (
    api_key_mapper,
    audit_mapper,
    domain_mapper,
    magic_link_mapper,
    member_mapper,
    organization_mapper,
    refresh_token_mapper,
    reset_token_mapper,
    user_mapper,
)
from nexus.persistence.repository import BaseRepository, Repository, ScopedRepository
from nexus.persistence.tables import Add, Cmp, ConditionalWrite, Exists, Param
from nexus.persistence.uow import UnitOfWork
from nexus.shared.errors import NotFoundError
from nexus.shared.ids import OrganizationId, UserId, WorkspaceId


class UserRepository(Repository[User, UserId]):
    mapper = user_mapper
    kind = "user"

    def find_by_email(self, email: str) -> User | None:
        return self._one(email=normalise_email(email))

    def reserve_login_attempt(
        self, user_id: UserId, now: datetime, limit: int
    ) -> tuple[str, int] | None:
        rows = self._update_where(
            {"id": user_id, "is_active": True, "failed_login_attempts": Cmp("<", limit)},
            {"failed_login_attempts": Add(1), "version": Add(1), "updated_at": now},
            returning=("hashed_password", "failed_login_attempts"),
        )
        return None if not rows else (rows[0][0], rows[0][1])


class OrganizationRepository(Repository[Organization, OrganizationId]):
    mapper = organization_mapper
    kind = "organization"

    def find_by_slug(self, slug: str) -> Organization | None:
        return self._one(slug=slug)

    def lock(self, organization_id: OrganizationId) -> Organization:
        # A no-op UPDATE takes the row lock (PostgreSQL, in memory) or the write lock (SQLite),
        # so a second caller waits here until the first commits, then reads what it committed.
        if not self._update_where({"id": organization_id}, {"version": Add(0)}):
            raise NotFoundError(self.kind, organization_id)
        return self.get(organization_id)


class MemberRepository(ScopedRepository[OrganizationMember, OrganizationId, UserId]):
    mapper = member_mapper
    kind = "organization member"
    key = ("organization_id", "user_id")

    def owners(self, organization_id: OrganizationId) -> list[UserId]:
        found = self._many(
            ("created_at", "id"), organization_id=organization_id, role=MemberRole.OWNER.value
        )
        return [m.user_id for m in found]


class DomainRepository(ScopedRepository[OrganizationDomain, OrganizationId, DomainId]):
    mapper = domain_mapper
    kind = "organization domain"
    key = ("organization_id", "id")

    def verified(self, hostname: str) -> OrganizationDomain | None:
        return self._one(domain=hostname, is_verified=True)


T = TypeVar("T", bound=SingleUseToken)


class _SingleUseRepository(Repository[T, TokenId]):
    """consume(): UPDATE ... SET used_at = :now WHERE token_hash = :h AND used_at IS NULL AND
    expires_at > :now. The loser's UPDATE waits for the winner's row lock and then finds
    used_at set (SQLite: the write lock serialises them). One row, one winner."""

    def _consume(self, now: datetime, **criteria: Any) -> T | None:
        rows = self._update_where(
            {**criteria, "used_at": None, "expires_at": Cmp(">", now)},
            {"used_at": now},
            returning=self.info.columns,
        )
        return self._entity(rows[0]) if rows else None

    def consume(self, token_hash: str, now: datetime) -> T | None:
        return self._consume(now, token_hash=token_hash)

    def invalidate_outstanding(self, user_id: UserId, now: datetime) -> int:
        return len(self._update_where({"user_id": user_id, "used_at": None}, {"used_at": now}))


class PasswordResetTokenRepository(_SingleUseRepository[PasswordResetToken]):
    mapper = reset_token_mapper
    kind = "password reset token"


class MagicLinkTokenRepository(_SingleUseRepository[MagicLinkToken]):
    mapper = magic_link_mapper
    kind = "magic link token"

    def latest_for_code(self, user_id: UserId, now: datetime) -> MagicLinkToken | None:
        found = self.tables.fetch_many(
            self.info,
            {
                "user_id": user_id,
                "used_at": None,
                "expires_at": Cmp(">", now),
                "otp_attempts": Cmp("<", MAX_OTP_ATTEMPTS),
            },
            ("-created_at", "-id"),
            limit=1,
        )
        return self._entity(found[0]) if found else None

    def count_code_try(self, token_id: TokenId, now: datetime) -> bool:
        rows = self._update_where(
            {
                "id": token_id,
                "used_at": None,
                "expires_at": Cmp(">", now),
                "otp_attempts": Cmp("<", MAX_OTP_ATTEMPTS),
            },
            {"otp_attempts": Add(1)},
        )
        return len(rows) == 1

    def consume_by_id(self, token_id: TokenId, now: datetime) -> bool:
        return self._consume(now, id=token_id) is not None


class RefreshTokenRepository(Repository[RefreshToken, TokenId]):
    mapper = refresh_token_mapper
    kind = "refresh token"

    def find_by_hash(self, token_hash: str) -> RefreshToken | None:
        return self._one(token_hash=token_hash)

    def _revoke(self, now: datetime, reason: RevokedReason, **criteria: Any) -> int:
        rows = self._update_where(
            {**criteria, "revoked_at": None},
            {"revoked_at": now, "revoked_reason": reason.value, "last_used_at": now},
        )
        return len(rows)

    def revoke_if_active(self, token_id: TokenId, now: datetime, reason: RevokedReason) -> bool:
        return self._revoke(now, reason, id=token_id) == 1

    def revoke_family(self, family_id: TokenFamilyId, now: datetime, reason: RevokedReason) -> int:
        return self._revoke(now, reason, family_id=family_id)

    def revoke_all_for_user(self, user_id: UserId, now: datetime, reason: RevokedReason) -> int:
        return self._revoke(now, reason, user_id=user_id)

    def family_is_live(self, family_id: TokenFamilyId, now: datetime) -> bool:
        live = self._count(family_id=family_id, revoked_at=None, expires_at=Cmp(">", now))
        return live > 0


_ACTIVE_OWNER = Exists("users", on={"id": "user_id"}, where={"is_active": True})
# A key that is not revoked, not expired, of an active user: its use is recorded.
_USE_KEY = ConditionalWrite(
    where={
        "key_hash": Param("key_hash"),
        "revoked_at": None,
        "expires_at": Cmp(">", Param("now"), or_null=True),
        "_owner_active": _ACTIVE_OWNER,
    },
    values={"last_used_at": Param("now")},
    returning=("id", "user_id", "workspace_id"),
)


class ApiKeyRepository(ScopedRepository[ApiKey, UserId, ApiKeyId]):
    mapper = api_key_mapper
    kind = "api key"
    key = ("user_id", "id")

    def find_by_hash(self, key_hash: str) -> ApiKey | None:
        return self._one(key_hash=key_hash)

    def use(self, key_hash: str, now: datetime) -> ApiKeyPrincipal | None:
        # The hot path of every API request: one conditional UPDATE .. RETURNING, prebuilt.
        rows = self._write_where(_USE_KEY, key_hash=key_hash, now=now)
        if not rows:
            return None
        key_id, user_id, workspace_id = rows[0]
        return ApiKeyPrincipal(
            key_id=ApiKeyId(key_id),
            user_id=UserId(user_id),
            workspace_id=None if workspace_id is None else WorkspaceId(workspace_id),
        )


class AuditLog(BaseRepository[AuditEvent]):
    mapper = audit_mapper
    kind = "audit event"

    def remove(self, event_id: AuditEventId) -> None:
        self._remove_key((event_id,))


class IdentityUnitOfWork(UnitOfWork):
    users: UserRepository
    organizations: OrganizationRepository
    members: MemberRepository
    domains: DomainRepository
    reset_tokens: PasswordResetTokenRepository
    magic_links: MagicLinkTokenRepository
    refresh_tokens: RefreshTokenRepository
    api_keys: ApiKeyRepository
    audit: AuditLog
