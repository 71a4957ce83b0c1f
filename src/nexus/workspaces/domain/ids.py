"""Workspaces' own typed ids (WorkspaceId lives in the shared kernel); all UUIDv7."""

from __future__ import annotations

import uuid
from typing import NewType

from nexus.shared.ids import WorkspaceId, new_id

WorkspaceMemberId = NewType("WorkspaceMemberId", uuid.UUID)
AbiServerId = NewType("AbiServerId", uuid.UUID)
InferenceServerId = NewType("InferenceServerId", uuid.UUID)
ProviderConfigId = NewType("ProviderConfigId", uuid.UUID)
AgentConfigId = NewType("AgentConfigId", uuid.UUID)
SecretId = NewType("SecretId", uuid.UUID)
AppConfigId = NewType("AppConfigId", uuid.UUID)


def new_workspace_id() -> WorkspaceId:
    return WorkspaceId(new_id())


def new_workspace_member_id() -> WorkspaceMemberId:
    return WorkspaceMemberId(new_id())


def new_abi_server_id() -> AbiServerId:
    return AbiServerId(new_id())


def new_inference_server_id() -> InferenceServerId:
    return InferenceServerId(new_id())


def new_provider_config_id() -> ProviderConfigId:
    return ProviderConfigId(new_id())


def new_agent_config_id() -> AgentConfigId:
    return AgentConfigId(new_id())


def new_secret_id() -> SecretId:
    return SecretId(new_id())


def new_app_config_id() -> AppConfigId:
    return AppConfigId(new_id())
