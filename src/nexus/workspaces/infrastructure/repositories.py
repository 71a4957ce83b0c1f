"""Workspaces' repositories, written once for the SQL and in-memory adapters, and its unit of
work. Every tenant repository is scoped by `workspace_id`: another workspace's id is NotFound."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, TypeVar

from nexus.persistence.repository import Repository, ScopedRepository
from nexus.persistence.tables import Cmp, Exists
from nexus.persistence.uow import UnitOfWork
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
from nexus.workspaces.infrastructure.records import (
    abi_server_mapper,
    agent_config_mapper,
    app_config_mapper,
    inference_server_mapper,
    model_catalog_mapper,
    provider_config_mapper,
    secret_mapper,
    workspace_mapper,
    workspace_member_mapper,
)

E = TypeVar("E")
K = TypeVar("K")

_BY_AGE = ("created_at", "id")
_BY_NAME = ("name", "id")
_BY_KEY = ("workspace_id", "id")


class WorkspaceRepository(Repository[Workspace, WorkspaceId]):
    mapper = workspace_mapper
    kind = "workspace"

    def find_by_slug(self, slug: str) -> Workspace | None:
        return self._one(slug=slug)

    def lock(self, workspace_id: WorkspaceId) -> bool:
        """Take the workspace row's write lock until the unit of work ends (membership changes
        serialize on it, so two of them cannot both remove the last owner). False: no row."""
        return bool(self._update_where({"id": workspace_id}, {"id": workspace_id}, ("id",)))

    def of_member(self, user_id: UserId, limit: int, offset: int) -> list[Workspace]:
        """The workspaces the user belongs to, by name: one statement (EXISTS membership)."""
        member = Exists("workspace_members", on={"workspace_id": "id"}, where={"user_id": user_id})
        return self._many(_BY_NAME, limit, offset, _member=member)

    def every(self, limit: int, offset: int) -> list[Workspace]:
        return self._many(_BY_NAME, limit, offset)

    def ids_after(self, after: WorkspaceId | None, limit: int) -> list[WorkspaceId]:
        """Workspace ids in id order after `after` (keyset paging: a sweep skips nothing)."""
        where = {} if after is None else {"id": Cmp(">", after)}
        return [w.id for w in self._many(("id",), limit, 0, **where)]


class WorkspaceMemberRepository(ScopedRepository[WorkspaceMember, WorkspaceId, WorkspaceMemberId]):
    mapper = workspace_member_mapper
    kind = "workspace member"

    def find_member(self, workspace_id: WorkspaceId, user_id: UserId) -> WorkspaceMember | None:
        return self._one(workspace_id=workspace_id, user_id=user_id)

    def members_of(self, workspace_id: WorkspaceId) -> list[WorkspaceMember]:
        return self._many(_BY_AGE, workspace_id=workspace_id)

    def memberships_of(self, user_id: UserId) -> list[WorkspaceMember]:
        return self._many(_BY_AGE, user_id=user_id)


class TenantRepository(ScopedRepository[E, WorkspaceId, K]):
    """Finders every workspace-owned table shares."""

    order: ClassVar[tuple[str, ...]] = _BY_NAME

    def for_workspace(self, workspace_id: WorkspaceId) -> list[E]:
        return self._many(self.order, workspace_id=workspace_id)

    def page(self, limit: int, offset: int) -> list[E]:
        """Every workspace's rows, a page at a time in key order (rotation sweeps)."""
        return self._many(_BY_KEY, limit, offset)


class CipheredRepository(TenantRepository[E, K]):
    """Rows holding a ciphertext column: a rotation replaces it only if unchanged."""

    cipher_column: ClassVar[str]

    def swap_ciphertext(self, workspace_id: WorkspaceId, row_id: K, old: str, new: str) -> bool:
        """`UPDATE .. SET col = :new WHERE key AND col = :old`: False when a concurrent writer
        changed (or deleted) the row since it was read, so its new value is never overwritten."""
        column = self.cipher_column
        where = {"workspace_id": workspace_id, "id": row_id, column: old}
        return bool(self._update_where(where, {column: new}, ("id",)))


class AbiServerRepository(CipheredRepository[AbiServer, AbiServerId]):
    mapper = abi_server_mapper
    kind = "ABI server"
    cipher_column = "api_key"


class InferenceServerRepository(CipheredRepository[InferenceServer, InferenceServerId]):
    mapper = inference_server_mapper
    kind = "inference server"
    cipher_column = "api_key"


class ProviderConfigRepository(TenantRepository[ProviderConfig, ProviderConfigId]):
    mapper = provider_config_mapper
    kind = "provider config"


class AgentConfigRepository(TenantRepository[AgentConfig, AgentConfigId]):
    mapper = agent_config_mapper
    kind = "agent config"

    def with_classes(
        self, workspace_id: WorkspaceId, class_names: Iterable[str]
    ) -> list[AgentConfig]:
        return self._in("class_name", class_names, workspace_id=workspace_id)

    def release_provider(self, workspace_id: WorkspaceId, provider_id: ProviderConfigId) -> int:
        """Agents using a provider stop using it (before the provider is deleted)."""
        rows = self._update_where(
            {"workspace_id": workspace_id, "provider_id": provider_id},
            {"provider_id": None},
            ("id",),
        )
        return len(rows)


class SecretRepository(CipheredRepository[Secret, SecretId]):
    mapper = secret_mapper
    kind = "secret"
    cipher_column = "encrypted_value"
    order = ("key",)

    def find_by_key(self, workspace_id: WorkspaceId, key: str) -> Secret | None:
        return self._one(workspace_id=workspace_id, key=key)


class AppConfigRepository(TenantRepository[AppConfig, AppConfigId]):
    mapper = app_config_mapper
    kind = "app config"
    order = ("app_id",)

    def find_by_app(self, workspace_id: WorkspaceId, app_id: str) -> AppConfig | None:
        return self._one(workspace_id=workspace_id, app_id=app_id)


class ModelCatalogRepository(Repository[ModelCatalogEntry, str]):
    mapper = model_catalog_mapper
    kind = "model catalog entry"

    def every(self) -> list[ModelCatalogEntry]:
        return self._many(("canonical_id",))


class WorkspacesUnitOfWork(UnitOfWork):
    workspaces: WorkspaceRepository
    members: WorkspaceMemberRepository
    abi_servers: AbiServerRepository
    inference_servers: InferenceServerRepository
    providers: ProviderConfigRepository
    agents: AgentConfigRepository
    secrets: SecretRepository
    app_configs: AppConfigRepository
    model_catalog: ModelCatalogRepository
