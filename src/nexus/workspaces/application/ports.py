"""The ports workspaces' use cases depend on: the unit of work, and what they need from
identity (`UserDirectory`), implemented by the composition root (`nexus.links`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from nexus.shared.ids import OrganizationId, UserId
from nexus.shared.uow import UnitOfWork
from nexus.workspaces.domain.ids import AbiServerId, InferenceServerId, ProviderConfigId
from nexus.workspaces.domain.ports import (
    AgentConfigRepository,
    AppConfigRepository,
    CipheredRows,
    ModelCatalogRepository,
    SecretRepository,
    TenantRows,
    WorkspaceMemberRepository,
    WorkspaceRepository,
)
from nexus.workspaces.domain.providers import ProviderConfig
from nexus.workspaces.domain.servers import AbiServer, InferenceServer


class WorkspacesUnitOfWork(UnitOfWork, Protocol):
    """The repositories a unit of work opens (read-only, so adapters may narrow them). A plain
    workspace-owned entity is typed with the generic port: `TenantRows[Entity, EntityId]`."""

    @property
    def workspaces(self) -> WorkspaceRepository: ...

    @property
    def members(self) -> WorkspaceMemberRepository: ...

    @property
    def abi_servers(self) -> CipheredRows[AbiServer, AbiServerId]: ...

    @property
    def inference_servers(self) -> CipheredRows[InferenceServer, InferenceServerId]: ...

    @property
    def providers(self) -> TenantRows[ProviderConfig, ProviderConfigId]: ...

    @property
    def agents(self) -> AgentConfigRepository: ...

    @property
    def secrets(self) -> SecretRepository: ...

    @property
    def app_configs(self) -> AppConfigRepository: ...

    @property
    def model_catalog(self) -> ModelCatalogRepository: ...


WorkspacesUnitOfWorkFactory = Callable[[], WorkspacesUnitOfWork]


class UserDirectory(Protocol):
    """What workspaces needs to know about people (identity answers it)."""

    def exists(self, user_id: UserId) -> bool:
        """Whether the user exists (and may be made a member or an owner)."""
        ...

    def in_organization(self, organization_id: OrganizationId, user_id: UserId) -> bool:
        """Whether the user is a member of the organization."""
        ...
