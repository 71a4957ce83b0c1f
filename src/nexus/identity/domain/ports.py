"""Identity's repository ports, one per aggregate root. Organization-owned rows are always
addressed with their organization id, so a guessed id from another tenant finds nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from nexus.identity.domain.api_keys import ApiKey, ApiKeyPrincipal
from nexus.identity.domain.audit import AuditEvent
from nexus.identity.domain.domains import OrganizationDomain
from nexus.identity.domain.ids import ApiKeyId, AuditEventId, DomainId, TokenFamilyId, TokenId
from nexus.identity.domain.organizations import Organization, OrganizationMember
from nexus.identity.domain.tokens import (
    MagicLinkToken,
    PasswordResetToken,
    RefreshToken,
    RevokedReason,
)
from nexus.identity.domain.users import User
from nexus.shared.ids import OrganizationId, UserId


class UserRepository(Protocol):
    def add(self, user: User) -> None: ...

    def get(self, user_id: UserId) -> User:
        """The user, or NotFoundError."""
        ...

    def find(self, user_id: UserId) -> User | None: ...

    def find_by_email(self, email: str) -> User | None:
        """`email` is normalised before the lookup."""
        ...

    def update(self, user: User) -> None:
        """ConcurrencyError when the stored version moved since `user` was loaded."""
        ...

    def reserve_login_attempt(
        self, user_id: UserId, now: datetime, limit: int
    ) -> tuple[str, int] | None:
        """Count one login attempt as failed, atomically, unless the user is inactive or has
        `limit` failures already. Returns the password hash the attempt is checked against and
        the failure count after it, or None when refused. One conditional write: any number
        of parallel attempts, and no more than `limit` get through."""
        ...


class OrganizationRepository(Protocol):
    def add(self, organization: Organization) -> None: ...

    def get(self, organization_id: OrganizationId) -> Organization: ...

    def find(self, organization_id: OrganizationId) -> Organization | None: ...

    def find_by_slug(self, slug: str) -> Organization | None: ...

    def lock(self, organization_id: OrganizationId) -> Organization:
        """Load the organization for a change of its owners: concurrent callers are serialised
        (or all but one get ConcurrencyError), so two demotions cannot both pass the
        "at least one owner" check. NotFoundError when it does not exist."""
        ...

    def update(self, organization: Organization) -> None: ...

    def remove(self, organization_id: OrganizationId) -> None:
        """Deletes the organization; its members and domains go with it (CASCADE)."""
        ...


class MemberRepository(Protocol):
    def add(self, member: OrganizationMember) -> None: ...

    def find(self, organization_id: OrganizationId, user_id: UserId) -> OrganizationMember | None:
        """The user's membership of that organization, or None."""
        ...

    def update(self, member: OrganizationMember) -> None: ...

    def remove(self, organization_id: OrganizationId, user_id: UserId) -> None:
        """NotFoundError when the user is not a member of that organization."""
        ...

    def owners(self, organization_id: OrganizationId) -> list[UserId]:
        """The organization's owners, longest-standing first."""
        ...


class DomainRepository(Protocol):
    def add(self, domain: OrganizationDomain) -> None:
        """ConflictError when this organization has claimed the hostname already (claims of
        other organizations do not count: an unverified claim blocks nobody)."""
        ...

    def verified(self, hostname: str) -> OrganizationDomain | None:
        """The verified claim of this hostname, whichever organization holds it."""
        ...

    def find(
        self, organization_id: OrganizationId, domain_id: DomainId
    ) -> OrganizationDomain | None: ...

    def update(self, domain: OrganizationDomain) -> None:
        """ConflictError when it makes a second verified claim of one hostname."""
        ...

    def remove(self, organization_id: OrganizationId, domain_id: DomainId) -> None: ...


class PasswordResetTokenRepository(Protocol):
    def add(self, token: PasswordResetToken) -> None: ...

    def consume(self, token_hash: str, now: datetime) -> PasswordResetToken | None:
        """Mark the unused, unexpired token with this digest used, in one conditional write:
        of two concurrent callers exactly one gets the token, the other None."""
        ...

    def invalidate_outstanding(self, user_id: UserId, now: datetime) -> int:
        """Mark every unused token of the user used; returns how many."""
        ...


class MagicLinkTokenRepository(Protocol):
    def add(self, token: MagicLinkToken) -> None: ...

    def consume(self, token_hash: str, now: datetime) -> MagicLinkToken | None:
        """As PasswordResetTokenRepository.consume."""
        ...

    def latest_for_code(self, user_id: UserId, now: datetime) -> MagicLinkToken | None:
        """The user's newest link that still accepts code tries."""
        ...

    def count_code_try(self, token_id: TokenId, now: datetime) -> bool:
        """Count one code try, atomically, if the link still accepts tries; False otherwise."""
        ...

    def consume_by_id(self, token_id: TokenId, now: datetime) -> bool:
        """Mark this link used if it is unused and unexpired; exactly one concurrent caller
        gets True."""
        ...


class RefreshTokenRepository(Protocol):
    def add(self, token: RefreshToken) -> None: ...

    def find_by_hash(self, token_hash: str) -> RefreshToken | None: ...

    def revoke_if_active(self, token_id: TokenId, now: datetime, reason: RevokedReason) -> bool:
        """Revoke this token if it is not revoked yet; exactly one concurrent caller gets True."""
        ...

    def revoke_family(
        self, family_id: TokenFamilyId, now: datetime, reason: RevokedReason
    ) -> int: ...

    def family_is_live(self, family_id: TokenFamilyId, now: datetime) -> bool:
        """Whether the family still has an unrevoked, unexpired token (the session is on)."""
        ...

    def revoke_all_for_user(self, user_id: UserId, now: datetime, reason: RevokedReason) -> int: ...


class ApiKeyRepository(Protocol):
    def add(self, key: ApiKey) -> None: ...

    def find(self, user_id: UserId, key_id: ApiKeyId) -> ApiKey | None:
        """That user's key, or None (another user's key id finds nothing)."""
        ...

    def find_by_hash(self, key_hash: str) -> ApiKey | None: ...

    def use(self, key_hash: str, now: datetime) -> ApiKeyPrincipal | None:
        """In one conditional write: find the key with this digest that is not revoked, not
        expired and whose user is active, and record `last_used_at`. None when there is none."""
        ...

    def update(self, key: ApiKey) -> None: ...


class AuditLog(Protocol):
    def add(self, event: AuditEvent) -> None: ...

    def remove(self, event_id: AuditEventId) -> None:
        """Only for the failure row a sign-in attempt wrote before it turned out a success."""
        ...
