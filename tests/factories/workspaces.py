"""Valid workspaces entities with overridable fields, for tests, and one full example of each
(`WORKSPACES_EXAMPLES`)."""

from __future__ import annotations

import uuid
from typing import Any

from nexus.shared.ids import UserId, WorkspaceId, new_id
from nexus.workspaces.domain.agents import AgentConfig
from nexus.workspaces.domain.apps import AppConfig
from nexus.workspaces.domain.catalog import ModelCatalogEntry
from nexus.workspaces.domain.providers import ProviderConfig
from nexus.workspaces.domain.roles import WorkspaceRole
from nexus.workspaces.domain.secrets import Ciphertext, Secret, format_ciphertext
from nexus.workspaces.domain.servers import AbiServer, InferenceServer
from nexus.workspaces.domain.workspaces import Workspace, WorkspaceMember
from tests.factories.common import NOW

WORKSPACE = WorkspaceId(new_id())
# A well-formed ciphertext (what the entity fields demand); not decryptable by any ring.
CIPHERTEXT = format_ciphertext(1, bytes(40))


def _build(cls: Any, values: dict[str, Any], overrides: dict[str, Any]) -> Any:
    values.update(overrides)
    return cls(**values)


def make_workspace(**overrides: Any) -> Workspace:
    values = {
        "name": "Main",
        "slug": f"ws-{uuid.uuid4().hex[:8]}",
        "owner_id": UserId(new_id()),
        "created_at": NOW,
        "updated_at": NOW,
    }
    return _build(Workspace, values, overrides)


def make_ws_member(**overrides: Any) -> WorkspaceMember:
    values = {
        "workspace_id": WORKSPACE,
        "user_id": UserId(new_id()),
        "role": WorkspaceRole.MEMBER,
        "created_at": NOW,
    }
    return _build(WorkspaceMember, values, overrides)


def _tenant(**values: Any) -> dict[str, Any]:
    return {"workspace_id": WORKSPACE, "created_at": NOW, "updated_at": NOW, **values}


def make_abi_server(**overrides: Any) -> AbiServer:
    values = _tenant(name="ABI", endpoint=f"https://abi-{uuid.uuid4().hex[:6]}.example.org")
    return _build(AbiServer, values, overrides)


def make_inference_server(**overrides: Any) -> InferenceServer:
    values = _tenant(
        name="Ollama",
        type="ollama",
        endpoint="http://localhost:11434",
        health_path="/api/version",
        models_path="/api/tags",
    )
    return _build(InferenceServer, values, overrides)


def make_provider(**overrides: Any) -> ProviderConfig:
    values = _tenant(
        provider_type="openai", name="GPT", model="gpt-4o", config={"temperature": 0.2}
    )
    return _build(ProviderConfig, values, overrides)


def make_agent(**overrides: Any) -> AgentConfig:
    values = _tenant(name="Assistant", class_name=f"agents.Agent{uuid.uuid4().hex[:6]}")
    return _build(AgentConfig, values, overrides)


def make_secret(**overrides: Any) -> Secret:
    values = _tenant(key="OPENAI_API_KEY", encrypted_value=Ciphertext(CIPHERTEXT))
    return _build(Secret, values, overrides)


def make_app_config(**overrides: Any) -> AppConfig:
    values = _tenant(app_id="naas.apps.graph")
    return _build(AppConfig, values, overrides)


def make_catalog_entry(**overrides: Any) -> ModelCatalogEntry:
    values = {
        "canonical_id": "openai/gpt-4o",
        "name": "GPT-4o",
        "context_window": 128_000,
        "source_name": "GPT-4o",
        "source_context_window": 128_000,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return _build(ModelCatalogEntry, values, overrides)


WORKSPACES_EXAMPLES: dict[type[Any], Any] = {
    Workspace: lambda: make_workspace(
        organization_id=None,
        logo_url="https://cdn.example.org/ws.png",
        logo_emoji="🧪",
        accent_color="#FFF",
        background_color="#000000",
        sidebar_color="#123abc",
        font_family="Inter, sans-serif",
        platform_drive_enabled=True,
    ),
    WorkspaceMember: lambda: make_ws_member(role=WorkspaceRole.ADMIN),
    AbiServer: lambda: make_abi_server(api_key=Ciphertext(CIPHERTEXT), enabled=False),
    InferenceServer: lambda: make_inference_server(
        description="local — ünïcode", api_key=Ciphertext(CIPHERTEXT)
    ),
    ProviderConfig: lambda: make_provider(
        endpoint="https://api.example.org/v1", enabled=True, config={"a": [1, {"b": None}]}
    ),
    AgentConfig: lambda: make_agent(
        module_path="agents.core",
        description="helps",
        icon="🤖",
        logo_url="https://cdn.example.org/a.png",
        system_prompt="Be brief.",
        model_id="gpt-4o",
        provider="openai",
        is_default=True,
        enabled=True,
    ),
    Secret: lambda: make_secret(description="the key", category="llm"),
    AppConfig: lambda: make_app_config(enabled=False),
    ModelCatalogEntry: lambda: make_catalog_entry(
        description="omni",
        image="https://cdn.example.org/gpt.png",
        source_description="omni",
        overridden_fields=["name"],
    ),
}
