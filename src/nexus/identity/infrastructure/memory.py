"""Identity's in-memory adapters: the same ports, the same errors, no database. Single use is
a check-and-set inside the transaction; the commit-time version check lets one writer win."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from nexus.identity.domain.api_keys import ApiKey, ApiKeyPrincipal
from nexus.identity.domain.audit import AuditEvent
from nexus.identity.domain.domains import OrganizationDomain
from nexus.identity.domain.ids import ApiKeyId, DomainId, TokenFamilyId, TokenId
from nexus.identity.domain.organizations import MemberRole, Organization, OrganizationMember
from nexus.identity.domain.tokens import (
    MagicLinkToken,
    PasswordResetToken,
    RefreshToken,
    RevokedReason,
    SingleUseToken,
)
from nexus.identity.domain.users import User, normalise_email
from nexus.persistence.memory import InMemoryRepository, InMemoryTransaction
from nexus.persistence.uow import InMemoryUnitOfWork
from nexus.shared.entity import Entity
from nexus.shared.errors import NotFoundError
from nexus.shared.ids import OrganizationId, UserId

E = TypeVar("E", bound=Entity)


class _Repository(InMemoryRepository[E]):
    def _change(self, predicate: Callable[[E], bool], change: Callable[[E], bool]) -> int:
        """Apply `change` to every row matching `predicate` (it returns whether it changed the
        row), staging each changed row; returns how many changed."""
        changed = 0
        for entity in self._many(predicate):
            if change(entity):
                self._stage(entity)
                changed += 1
        return changed


class InMemoryUserRepository(_Repository[User]):
    table = "users"
    kind = "user"
    version_field = "version"
    unique = (
        ("users.email", lambda u: u.email),
        ("users.username", lambda u: u.username),
        ("users.phone", lambda u: u.phone),
    )

    def find_by_email(self, email: str) -> User | None:
        wanted = normalise_email(email)
        return self._one(lambda u: u.email == wanted)

    def reserve_login_attempt(
        self, user_id: UserId, now: datetime, limit: int
    ) -> tuple[str, int] | None:
        # The twin of the SQL's single conditional UPDATE: check and set under the store's
        # lock, applied at once (the use case commits it straight away in either adapter).
        store = self.tx.store
        with store.lock:
            row = store.table(self.table).get(user_id)
            if row is None:
                return None  # as the UPDATE that matches no row
            version, user = row
            if not user.is_active or user.failed_login_attempts >= limit:
                return None
            counted = user.copy()
            counted.record_failed_login(now)
            counted.version += 1
            store.table(self.table)[user_id] = (version + 1, counted)
            return counted.hashed_password, counted.failed_login_attempts


class InMemoryOrganizationRepository(_Repository[Organization]):
    table = "organizations"
    kind = "organization"
    version_field = "version"
    unique = (("organizations.slug", lambda o: o.slug),)

    def find_by_slug(self, slug: str) -> Organization | None:
        return self._one(lambda o: o.slug == slug)

    def lock(self, organization_id: OrganizationId) -> Organization:
        organization = self.get(organization_id)
        # Writing the row unchanged makes this transaction's commit check its version: of two
        # concurrent lockers, the second to commit gets ConcurrencyError.
        self.tx.write(self.table, organization_id, organization.copy())
        return organization

    def remove(self, key: Any) -> None:
        super().remove(key)
        for table, column in (
            ("organization_members", "organization_id"),
            ("organization_domains", "organization_id"),
        ):
            for row in list(self.tx.rows(table)):
                if getattr(row, column) == key:
                    self.tx.delete(table, row.id)


class InMemoryMemberRepository(_Repository[OrganizationMember]):
    table = "organization_members"
    kind = "organization member"
    unique = (
        ("organization_members.organization_id+user_id", lambda m: (m.organization_id, m.user_id)),
    )

    def find(  # type: ignore[override]
        self, organization_id: OrganizationId, user_id: UserId
    ) -> OrganizationMember | None:
        return self._one(lambda m: m.organization_id == organization_id and m.user_id == user_id)

    def remove(self, organization_id: OrganizationId, user_id: UserId) -> None:  # type: ignore[override]
        member = self.find(organization_id, user_id)
        if member is None:
            raise NotFoundError(self.kind, user_id)
        self.tx.delete(self.table, member.id)

    def owners(self, organization_id: OrganizationId) -> list[UserId]:
        found = self._many(
            lambda m: m.organization_id == organization_id and m.role is MemberRole.OWNER
        )
        return [m.user_id for m in sorted(found, key=lambda m: (m.created_at, m.id))]


class InMemoryDomainRepository(_Repository[OrganizationDomain]):
    table = "organization_domains"
    kind = "organization domain"
    unique = (
        ("organization_domains.organization_id+domain", lambda d: (d.organization_id, d.domain)),
        ("organization_domains.domain", lambda d: d.domain if d.is_verified else None),
    )

    def verified(self, hostname: str) -> OrganizationDomain | None:
        return self._one(lambda d: d.domain == hostname and d.is_verified)

    def find(  # type: ignore[override]
        self, organization_id: OrganizationId, domain_id: DomainId
    ) -> OrganizationDomain | None:
        return self._one(lambda d: d.organization_id == organization_id and d.id == domain_id)

    def remove(self, organization_id: OrganizationId, domain_id: DomainId) -> None:  # type: ignore[override]
        if self.find(organization_id, domain_id) is None:
            raise NotFoundError(self.kind, domain_id)
        self.tx.delete(self.table, domain_id)


T = TypeVar("T", bound=SingleUseToken)


class _SingleUseRepository(_Repository[T]):
    def consume(self, token_hash: str, now: datetime) -> T | None:
        token = self._one(lambda t: t.token_hash == token_hash)
        if token is None or not token.is_redeemable(now):
            return None
        token.use(now)
        self._stage(token)
        return token

    def invalidate_outstanding(self, user_id: UserId, now: datetime) -> int:
        return self._change(
            lambda t: t.user_id == user_id and t.used_at is None,
            lambda t: t.use(now) is None,
        )


class InMemoryPasswordResetTokenRepository(_SingleUseRepository[PasswordResetToken]):
    table = "password_reset_tokens"
    kind = "password reset token"
    unique = (("password_reset_tokens.token_hash", lambda t: t.token_hash),)


class InMemoryMagicLinkTokenRepository(_SingleUseRepository[MagicLinkToken]):
    table = "magic_link_tokens"
    kind = "magic link token"
    unique = (("magic_link_tokens.token_hash", lambda t: t.token_hash),)

    def latest_for_code(self, user_id: UserId, now: datetime) -> MagicLinkToken | None:
        found = self._many(lambda t: t.user_id == user_id and t.accepts_code_tries(now))
        return max(found, key=lambda t: (t.created_at, t.id), default=None)

    def count_code_try(self, token_id: TokenId, now: datetime) -> bool:
        token = self.find(token_id)
        if token is None or not token.accepts_code_tries(now):
            return False
        token.otp_attempts += 1
        self._stage(token)
        return True

    def consume_by_id(self, token_id: TokenId, now: datetime) -> bool:
        token = self.find(token_id)
        if token is None or not token.is_redeemable(now):
            return False
        token.use(now)
        self._stage(token)
        return True


def _revoker(now: datetime, reason: RevokedReason) -> Callable[[RefreshToken], bool]:
    def revoke(token: RefreshToken) -> bool:
        if token.is_revoked:
            return False
        token.revoke(now, reason)
        token.last_used_at = now
        return True

    return revoke


class InMemoryRefreshTokenRepository(_Repository[RefreshToken]):
    table = "refresh_tokens"
    kind = "refresh token"
    unique = (("refresh_tokens.token_hash", lambda t: t.token_hash),)

    def find_by_hash(self, token_hash: str) -> RefreshToken | None:
        return self._one(lambda t: t.token_hash == token_hash)

    def revoke_if_active(self, token_id: TokenId, now: datetime, reason: RevokedReason) -> bool:
        return self._change(lambda t: t.id == token_id, _revoker(now, reason)) == 1

    def revoke_family(self, family_id: TokenFamilyId, now: datetime, reason: RevokedReason) -> int:
        return self._change(lambda t: t.family_id == family_id, _revoker(now, reason))

    def revoke_all_for_user(self, user_id: UserId, now: datetime, reason: RevokedReason) -> int:
        return self._change(lambda t: t.user_id == user_id, _revoker(now, reason))

    def family_is_live(self, family_id: TokenFamilyId, now: datetime) -> bool:
        return self._one(lambda t: t.family_id == family_id and t.is_active(now)) is not None


class InMemoryApiKeyRepository(_Repository[ApiKey]):
    table = "api_keys"
    kind = "api key"
    unique = (("api_keys.key_hash", lambda k: k.key_hash),)

    def find(self, user_id: UserId, key_id: ApiKeyId) -> ApiKey | None:  # type: ignore[override]
        return self._one(lambda k: k.user_id == user_id and k.id == key_id)

    def find_by_hash(self, key_hash: str) -> ApiKey | None:
        return self._one(lambda k: k.key_hash == key_hash)

    def use(self, key_hash: str, now: datetime) -> ApiKeyPrincipal | None:
        key = self.find_by_hash(key_hash)
        if key is None or not key.is_usable(now):
            return None
        user = self.tx.read("users", key.user_id)
        if user is None or not user.is_active:
            return None
        key.record_use(now)
        self._stage(key)
        return ApiKeyPrincipal(key_id=key.id, user_id=key.user_id, workspace_id=key.workspace_id)


class InMemoryAuditLog(_Repository[AuditEvent]):
    table = "audit_logs"
    kind = "audit event"


class InMemoryIdentityUnitOfWork(InMemoryUnitOfWork):
    users: InMemoryUserRepository
    organizations: InMemoryOrganizationRepository
    members: InMemoryMemberRepository
    domains: InMemoryDomainRepository
    reset_tokens: InMemoryPasswordResetTokenRepository
    magic_links: InMemoryMagicLinkTokenRepository
    refresh_tokens: InMemoryRefreshTokenRepository
    api_keys: InMemoryApiKeyRepository
    audit: InMemoryAuditLog

    def _open(self, tx: InMemoryTransaction) -> None:
        self.users = InMemoryUserRepository(tx)
        self.organizations = InMemoryOrganizationRepository(tx)
        self.members = InMemoryMemberRepository(tx)
        self.domains = InMemoryDomainRepository(tx)
        self.reset_tokens = InMemoryPasswordResetTokenRepository(tx)
        self.magic_links = InMemoryMagicLinkTokenRepository(tx)
        self.refresh_tokens = InMemoryRefreshTokenRepository(tx)
        self.api_keys = InMemoryApiKeyRepository(tx)
        self.audit = InMemoryAuditLog(tx)
