"""Repository ports of the workspaces context: what its use cases ask of storage, on the generic
ports of `nexus.shared.ports`. Every tenant repository is scoped by workspace id ("not yours" and
"does not exist" are one NotFoundError); a plain one needs no Protocol here (`TenantRows`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from nexus.shared.ids import UserId, WorkspaceId
from nexus.shared.ports import Rows, ScopedRows, Writes
from nexus.workspaces.domain.agents import AgentConfig
from nexus.workspaces.domain.apps import AppConfig
from nexus.workspaces.domain.catalog import ModelCatalogEntry
from nexus.workspaces.domain.ids import (
    AgentConfigId,
    AppConfigId,
    ProviderConfigId,
    SecretId,
    WorkspaceMemberId,
)
from nexus.workspaces.domain.secrets import Secret
from nexus.workspaces.domain.workspaces import Workspace, WorkspaceMember

E = TypeVar("E")
K = TypeVar("K")


class TenantRows(ScopedRows[E, WorkspaceId, K], Protocol[E, K]):
    """A workspace-owned table: a plain entity's unit-of-work port is `TenantRows[E, Id]`."""

    def for_workspace(self, workspace_id: WorkspaceId) -> list[E]: ...

    def page(self, limit: int, offset: int) -> list[E]: ...


class CipheredRows(TenantRows[E, K], Protocol[E, K]):
    def swap_ciphertext(self, workspace_id: WorkspaceId, row_id: K, old: str, new: str) -> bool:
        """Replace the ciphertext only if it is still `old`; False otherwise."""
        ...


class WorkspaceRepository(Rows[Workspace, WorkspaceId], Protocol):
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


class ModelCatalogRepository(Rows[ModelCatalogEntry, str], Protocol):
    def every(self) -> list[ModelCatalogEntry]: ...
