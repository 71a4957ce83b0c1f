"""Repository ports of the workspaces context: what its use cases ask of storage. Every tenant
repository is scoped by workspace id ("not yours" and "does not exist" are one NotFoundError)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from nexus.shared.ids import UserId, WorkspaceId
from nexus.workspaces.domain.agents import AgentConfig
from nexus.workspaces.domain.apps import AppConfig
from nexus.workspaces.domain.catalog import ModelCatalogEntry
from nexus.workspaces.domain.ids import (
    AbiServerId,
    AgentConfigId,
    AppConfigId,
    InferenceServerId,
    ProviderConfigId,
    SecretId,
    WorkspaceMemberId,
)
from nexus.workspaces.domain.providers import ProviderConfig
from nexus.workspaces.domain.secrets import Secret
from nexus.workspaces.domain.servers import AbiServer, InferenceServer
from nexus.workspaces.domain.workspaces import Workspace, WorkspaceMember

E = TypeVar("E")
E_contra = TypeVar("E_contra", contravariant=True)
K_contra = TypeVar("K_contra", contravariant=True)


class Writes(Protocol[E_contra]):
    def add(self, entity: E_contra) -> None: ...

    def add_many(self, entities: Iterable[E_contra]) -> None: ...

    def update(self, entity: E_contra) -> None: ...


class TenantRows(Writes[E], Protocol[E, K_contra]):
    """A workspace-owned table."""

    def get(self, scope: WorkspaceId, key: K_contra) -> E: ...

    def find(self, scope: WorkspaceId, key: K_contra) -> E | None: ...

    def remove(self, scope: WorkspaceId, key: K_contra) -> None: ...

    def for_workspace(self, workspace_id: WorkspaceId) -> list[E]: ...

    def page(self, limit: int, offset: int) -> list[E]: ...


class CipheredRows(TenantRows[E, K_contra], Protocol[E, K_contra]):
    def swap_ciphertext(
        self, workspace_id: WorkspaceId, row_id: K_contra, old: str, new: str
    ) -> bool:
        """Replace the ciphertext only if it is still `old`; False otherwise."""
        ...


class WorkspaceRepository(Writes[Workspace], Protocol):
    def get(self, key: WorkspaceId) -> Workspace: ...

    def find(self, key: WorkspaceId) -> Workspace | None: ...

    def remove(self, key: WorkspaceId) -> None: ...

    def get_many(self, keys: Iterable[WorkspaceId]) -> dict[WorkspaceId, Workspace]: ...

    def find_by_slug(self, slug: str) -> Workspace | None: ...

    def lock(self, workspace_id: WorkspaceId) -> bool: ...

    def of_member(self, user_id: UserId, limit: int, offset: int) -> list[Workspace]: ...

    def every(self, limit: int, offset: int) -> list[Workspace]: ...

    def ids_after(self, after: WorkspaceId | None, limit: int) -> list[WorkspaceId]: ...


class WorkspaceMemberRepository(Writes[WorkspaceMember], Protocol):
    def find_member(self, workspace_id: WorkspaceId, user_id: UserId) -> WorkspaceMember | None: ...

    def members_of(self, workspace_id: WorkspaceId) -> list[WorkspaceMember]: ...

    def memberships_of(self, user_id: UserId) -> list[WorkspaceMember]: ...

    def remove(self, scope: WorkspaceId, key: WorkspaceMemberId) -> None: ...


class AgentConfigRepository(TenantRows[AgentConfig, AgentConfigId], Protocol):
    def with_classes(
        self, workspace_id: WorkspaceId, class_names: Iterable[str]
    ) -> list[AgentConfig]: ...

    def release_provider(self, workspace_id: WorkspaceId, provider_id: ProviderConfigId) -> int: ...


class SecretRepository(CipheredRows[Secret, SecretId], Protocol):
    def find_by_key(self, workspace_id: WorkspaceId, key: str) -> Secret | None: ...


class AppConfigRepository(TenantRows[AppConfig, AppConfigId], Protocol):
    def find_by_app(self, workspace_id: WorkspaceId, app_id: str) -> AppConfig | None: ...


class ModelCatalogRepository(Writes[ModelCatalogEntry], Protocol):
    def find(self, key: str) -> ModelCatalogEntry | None: ...

    def get_many(self, keys: Iterable[str]) -> dict[str, ModelCatalogEntry]: ...

    def every(self) -> list[ModelCatalogEntry]: ...


class AbiServerRepository(CipheredRows[AbiServer, AbiServerId], Protocol):
    pass


class InferenceServerRepository(CipheredRows[InferenceServer, InferenceServerId], Protocol):
    pass


class ProviderConfigRepository(TenantRows[ProviderConfig, ProviderConfigId], Protocol):
    pass
