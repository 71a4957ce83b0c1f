"""The unit-of-work and query ports identity's use cases depend on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import attrs

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
from nexus.shared.usecases import Page


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

    def count_organizations(self, *, member: UserId | None = None) -> int:
        """How many `list_organizations` pages through."""
        ...

    def list_members(self, organization_id: OrganizationId) -> list[MemberResult]:
        """The organization's members with their email and name, by email."""
        ...

    def list_domains(self, organization_id: OrganizationId) -> list[DomainResult]: ...


class ApiKeyQueries(Protocol):
    def list_api_keys(self, user_id: UserId) -> list[ApiKeyResult]:
        """The user's keys, newest first: prefix and metadata only."""
        ...


@attrs.frozen(kw_only=True)
class AuditEventQuery:
    """Which audit events to list: each filter given narrows the list (None: any)."""

    user_id: UserId | None = None
    action: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None


ANY_EVENT = AuditEventQuery()
FIRST_PAGE = Page()


class AuditQueries(Protocol):
    def list_events(
        self, query: AuditEventQuery = ANY_EVENT, page: Page = FIRST_PAGE
    ) -> list[AuditEventResult]:
        """Newest first, filtered by whatever the query gives."""
        ...

    def count_events(self, query: AuditEventQuery = ANY_EVENT) -> int:
        """How many `list_events` pages through."""
        ...


class WorkspaceAccess(Protocol):
    """What identity needs from workspaces (the composition root answers it)."""

    def is_member(self, workspace_id: WorkspaceId, user_id: UserId) -> bool:
        """Whether the user belongs to the workspace."""
        ...
