"""Result values returned to callers: plain frozen values, never ORM records, never a secret's
value or ciphertext (servers say only whether they have an API key)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import attrs

from nexus.shared.results import Result
from nexus.workspaces.domain.servers import AbiServer, InferenceServer


@attrs.frozen(kw_only=True)
class WorkspaceResult(Result):
    id: uuid.UUID
    name: str
    slug: str
    owner_id: uuid.UUID
    organization_id: uuid.UUID | None
    logo_url: str | None
    logo_emoji: str | None
    primary_color: str | None
    accent_color: str | None
    background_color: str | None
    sidebar_color: str | None
    font_family: str | None
    platform_drive_enabled: bool
    system_drive_enabled: bool
    created_at: datetime
    updated_at: datetime


@attrs.frozen(kw_only=True)
class MemberResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    user_id: uuid.UUID
    role: str
    created_at: datetime


@attrs.frozen(kw_only=True)
class AbiServerResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    endpoint: str
    has_api_key: bool
    enabled: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, server: AbiServer) -> AbiServerResult:
        return cls.from_entity(server, has_api_key=server.api_key is not None)


@attrs.frozen(kw_only=True)
class InferenceServerResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    type: str
    endpoint: str
    description: str | None
    enabled: bool
    has_api_key: bool
    health_path: str | None
    models_path: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, server: InferenceServer) -> InferenceServerResult:
        return cls.from_entity(server, has_api_key=server.api_key is not None)


@attrs.frozen(kw_only=True)
class ProviderResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    provider_type: str
    name: str
    model: str
    enabled: bool
    endpoint: str | None
    config: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@attrs.frozen(kw_only=True)
class AgentResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    class_name: str | None
    module_path: str | None
    description: str | None
    icon: str | None
    logo_url: str | None
    system_prompt: str | None
    provider_id: uuid.UUID | None
    model_id: str | None
    provider: str | None
    is_default: bool
    enabled: bool
    created_at: datetime
    updated_at: datetime


@attrs.frozen(kw_only=True)
class SyncResult(Result):
    """What `sync_agents` did: class names added and updated, and every agent after it."""

    added: list[str]
    updated: list[str]
    agents: list[AgentResult]


@attrs.frozen(kw_only=True)
class SecretInfo(Result):
    """A secret's key and metadata; never its value."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    key: str
    description: str
    category: str
    key_version: int
    created_at: datetime
    updated_at: datetime


@attrs.frozen(kw_only=True)
class AppConfigResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    app_id: str
    enabled: bool
    created_at: datetime
    updated_at: datetime


@attrs.frozen(kw_only=True)
class CatalogEntryResult(Result):
    canonical_id: str
    name: str
    description: str | None
    image: str | None
    context_window: int | None
    overridden_fields: tuple[str, ...]
    updated_at: datetime


@attrs.frozen(kw_only=True)
class CatalogSyncResult(Result):
    added: list[str]
    updated: list[str]
    unchanged: int


@attrs.frozen(kw_only=True)
class RotationReport(Result):
    """What a `rotate_secrets` sweep did. `unreadable` lists rows (table, workspace, id) whose
    key version is missing or whose ciphertext was refused: never a value."""

    key_version: int
    rotated: int
    already_current: int
    changed_meanwhile: int
    unreadable: list[str]

    @property
    def complete(self) -> bool:
        return not self.unreadable
