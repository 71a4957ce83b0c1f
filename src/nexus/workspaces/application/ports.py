"""The ports workspaces' use cases depend on: the unit of work, and what they need from
identity (`UserDirectory`), implemented by the composition root (`nexus.links`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from nexus.shared.ids import OrganizationId, UserId
from nexus.shared.uow import UnitOfWork
from nexus.workspaces.domain.ports import (
    AbiServerRepository,
    AgentConfigRepository,
    AppConfigRepository,
    InferenceServerRepository,
    ModelCatalogRepository,
    ProviderConfigRepository,
    SecretRepository,
    WorkspaceMemberRepository,
    WorkspaceRepository,
)


class WorkspacesUnitOfWork(UnitOfWork, Protocol):
    """The repositories a unit of work opens (read-only, so adapters may narrow them)."""

    @property
    def workspaces(self) -> WorkspaceRepository: ...

    @property
    def members(self) -> WorkspaceMemberRepository: ...

    @property
    def abi_servers(self) -> AbiServerRepository: ...

    @property
    def inference_servers(self) -> InferenceServerRepository: ...

    @property
    def providers(self) -> ProviderConfigRepository: ...

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
