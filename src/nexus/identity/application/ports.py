"""The unit-of-work and query ports identity's use cases depend on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from nexus.identity.application.results import (
    ApiKeyResult,
    AuditEventResult,
    DomainResult,
    MemberResult,
    OrganizationResult,
    UserResult,
)
from nexus.identity.domain.ports import (
    ApiKeyRepository,
    AuditLog,
    DomainRepository,
    MagicLinkTokenRepository,
    MemberRepository,
    OrganizationRepository,
    PasswordResetTokenRepository,
    RefreshTokenRepository,
    UserRepository,
)
from nexus.shared.ids import OrganizationId, UserId, WorkspaceId
from nexus.shared.uow import UnitOfWork


class IdentityUnitOfWork(UnitOfWork, Protocol):
    """The repositories a unit of work opens (read-only, so adapters may narrow them)."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def organizations(self) -> OrganizationRepository: ...

    @property
    def members(self) -> MemberRepository: ...

    @property
    def domains(self) -> DomainRepository: ...

    @property
    def reset_tokens(self) -> PasswordResetTokenRepository: ...

    @property
    def magic_links(self) -> MagicLinkTokenRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...

    @property
    def api_keys(self) -> ApiKeyRepository: ...

    @property
    def audit(self) -> AuditLog: ...


UnitOfWorkFactory = Callable[[], IdentityUnitOfWork]


class UserQueries(Protocol):
    """Read side: lists go through SQL returning DTOs, never `get` in a loop."""

    def list_users(self, *, limit: int = 100, offset: int = 0) -> list[UserResult]: ...

    def count_users(self) -> int: ...


class OrganizationQueries(Protocol):
    def list_organizations(
        self, *, member: UserId | None = None, limit: int = 100, offset: int = 0
    ) -> list[OrganizationResult]:
        """By slug; only those `member` belongs to when given."""
        ...

    def list_members(self, organization_id: OrganizationId) -> list[MemberResult]:
        """The organization's members with their email and name, by email."""
        ...

    def list_domains(self, organization_id: OrganizationId) -> list[DomainResult]: ...


class ApiKeyQueries(Protocol):
    def list_api_keys(self, user_id: UserId) -> list[ApiKeyResult]:
        """The user's keys, newest first: prefix and metadata only."""
        ...


class AuditQueries(Protocol):
    def list_events(
        self,
        *,
        user_id: UserId | None = None,
        action: str | None = None,
        resource_type: str | None = None,
        resource_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEventResult]:
        """Newest first, filtered by whatever is given."""
        ...


class WorkspaceAccess(Protocol):
    """What identity needs from workspaces (the composition root answers it)."""

    def is_member(self, workspace_id: WorkspaceId, user_id: UserId) -> bool:
        """Whether the user belongs to the workspace."""
        ...
