"""Workspaces' mappers, registered with the generic mapper registry (enums stored as values;
the catalog's overridden fields as a JSON list)."""

from __future__ import annotations

from nexus.persistence.mapper import Convert, register
from nexus.workspaces.domain.agents import AgentConfig
from nexus.workspaces.domain.apps import AppConfig
from nexus.workspaces.domain.catalog import ModelCatalogEntry
from nexus.workspaces.domain.providers import ProviderConfig
from nexus.workspaces.domain.secrets import Secret
from nexus.workspaces.domain.servers import AbiServer, InferenceServer
from nexus.workspaces.domain.workspaces import Workspace, WorkspaceMember
from nexus.workspaces.infrastructure.records import (
    AbiServerRecord,
    AgentConfigRecord,
    AppConfigRecord,
    InferenceServerRecord,
    ModelCatalogRecord,
    ProviderConfigRecord,
    SecretRecord,
    WorkspaceMemberRecord,
    WorkspaceRecord,
)

workspace_mapper = register(Workspace, WorkspaceRecord)
workspace_member_mapper = register(WorkspaceMember, WorkspaceMemberRecord)
abi_server_mapper = register(AbiServer, AbiServerRecord)
inference_server_mapper = register(InferenceServer, InferenceServerRecord)
provider_config_mapper = register(ProviderConfig, ProviderConfigRecord)
agent_config_mapper = register(AgentConfig, AgentConfigRecord)
secret_mapper = register(Secret, SecretRecord)
app_config_mapper = register(AppConfig, AppConfigRecord)
model_catalog_mapper = register(
    ModelCatalogEntry,
    ModelCatalogRecord,
    converters={"overridden_fields": Convert(to_record=list, to_entity=None)},
)
