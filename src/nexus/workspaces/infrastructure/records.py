"""Workspaces' ORM records and their mappers: NEXUS's nine tables under the tenancy rules
(infrastructure only).

Every workspace-owned table has the primary key `(workspace_id, id)`, and a reference between
two of them carries `workspace_id`, so the database itself refuses an agent pointing at another
workspace's provider. Ciphertext columns only accept the `v<version>:<base64url>` form.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from nexus.persistence.base import Base
from nexus.persistence.mapper import Convert, register
from nexus.persistence.schema import partial_where, tenant_table_args
from nexus.persistence.types import JSONType, UTCDateTime, flag_column
from nexus.shared.rules import URL_MAX_LENGTH
from nexus.workspaces.domain.agents import AgentConfig
from nexus.workspaces.domain.apps import AppConfig
from nexus.workspaces.domain.catalog import ModelCatalogEntry
from nexus.workspaces.domain.providers import ProviderConfig
from nexus.workspaces.domain.roles import WorkspaceRole
from nexus.workspaces.domain.secrets import Secret
from nexus.workspaces.domain.servers import AbiServer, InferenceServer, InferenceServerType
from nexus.workspaces.domain.workspaces import Workspace, WorkspaceMember

NAME = 255
COLOUR = 7


def one_of(name: str, enum: type[StrEnum], check: str) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{name} IN ({values})", name=check)


def is_ciphertext(name: str, *, optional: bool) -> CheckConstraint:
    """A ciphertext column never holds a plaintext by mistake: `v<version>:...` only."""
    rule = f"{name} LIKE 'v%:%'"
    if optional:
        rule = f"{name} IS NULL OR {rule}"
    return CheckConstraint(rule, name=f"{name}_is_ciphertext")


def _workspace() -> Any:
    """The tenant key, first in the primary key; deleting the workspace removes the row."""
    return mapped_column(Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)


class WorkspaceRecord(Base):
    """The tenant root: its `id` is the tenant key of every other table here."""

    __tablename__ = "workspaces"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME))
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    logo_url: Mapped[str | None] = mapped_column(Text)
    logo_emoji: Mapped[str | None] = mapped_column(String(10))
    primary_color: Mapped[str | None] = mapped_column(
        String(COLOUR), default="#22c55e", server_default=text("'#22c55e'")
    )
    accent_color: Mapped[str | None] = mapped_column(String(COLOUR))
    background_color: Mapped[str | None] = mapped_column(String(COLOUR))
    sidebar_color: Mapped[str | None] = mapped_column(String(COLOUR))
    font_family: Mapped[str | None] = mapped_column(String(NAME))
    platform_drive_enabled: Mapped[bool] = flag_column(False)
    system_drive_enabled: Mapped[bool] = flag_column(False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WorkspaceMemberRecord(Base):
    """A user's role in a workspace. The index on user_id serves "my workspaces"."""

    __tablename__ = "workspace_members"
    __table_args__ = tenant_table_args(
        "workspace_id",
        UniqueConstraint("workspace_id", "user_id"),
        one_of("role", WorkspaceRole, "valid_role"),
    )

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(
        String(20), default=WorkspaceRole.MEMBER.value, server_default=text("'member'")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AbiServerRecord(Base):
    __tablename__ = "abi_servers"
    __table_args__ = tenant_table_args(
        "workspace_id",
        UniqueConstraint("workspace_id", "endpoint"),
        is_ciphertext("api_key", optional=True),
    )

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME))
    endpoint: Mapped[str] = mapped_column(String(URL_MAX_LENGTH))
    api_key: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool] = flag_column(True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InferenceServerRecord(Base):
    __tablename__ = "inference_servers"
    __table_args__ = tenant_table_args(
        "workspace_id",
        one_of("type", InferenceServerType, "valid_type"),
        is_ciphertext("api_key", optional=True),
    )

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME))
    type: Mapped[str] = mapped_column(String(20))
    endpoint: Mapped[str] = mapped_column(String(URL_MAX_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool] = flag_column(True)
    api_key: Mapped[str | None] = mapped_column(Text)
    health_path: Mapped[str | None] = mapped_column(String(NAME))
    models_path: Mapped[str | None] = mapped_column(String(NAME))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProviderConfigRecord(Base):
    __tablename__ = "provider_configs"
    __table_args__ = tenant_table_args("workspace_id")

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    provider_type: Mapped[str] = mapped_column(String(NAME))
    name: Mapped[str] = mapped_column(String(NAME))
    model: Mapped[str] = mapped_column(String(NAME))
    enabled: Mapped[bool] = flag_column(False)
    endpoint: Mapped[str | None] = mapped_column(String(URL_MAX_LENGTH))
    config: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


_HAS_CLASS = column("class_name").is_not(None) & (column("class_name") != "")


class AgentConfigRecord(Base):
    """`(workspace_id, provider_id)` refers to a provider of the same workspace. Its ondelete is
    NO ACTION, not NEXUS's SET NULL: SET NULL on a composite key would null `workspace_id` too,
    so `delete_provider` clears the agents' `provider_id` in the same transaction (docs)."""

    __tablename__ = "agent_configs"
    __table_args__ = tenant_table_args(
        "workspace_id",
        ForeignKeyConstraint(
            ["workspace_id", "provider_id"],
            ["provider_configs.workspace_id", "provider_configs.id"],
            ondelete="NO ACTION",
        ),
        # At most one agent per class in a workspace (NEXUS 0041); manual agents (no class)
        # are free. Also what makes two concurrent syncs leave one row per class.
        Index(
            "uq_agent_configs_workspace_id_class_name",
            "workspace_id",
            "class_name",
            unique=True,
            **partial_where(_HAS_CLASS),
        ),
        # At most one default agent per workspace.
        Index(
            "uq_agent_configs_workspace_id_is_default",
            "workspace_id",
            "is_default",
            unique=True,
            **partial_where(column("is_default").is_(True)),
        ),
        Index("ix_agent_configs_workspace_id_provider_id", "workspace_id", "provider_id"),
    )

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME))
    class_name: Mapped[str | None] = mapped_column(String(NAME), index=True)
    module_path: Mapped[str | None] = mapped_column(String(NAME), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    icon: Mapped[str | None] = mapped_column(String(NAME))
    logo_url: Mapped[str | None] = mapped_column(Text)
    system_prompt: Mapped[str | None] = mapped_column(Text)
    provider_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    model_id: Mapped[str | None] = mapped_column(String(NAME), index=True)
    provider: Mapped[str | None] = mapped_column(String(NAME), index=True)
    is_default: Mapped[bool] = flag_column(False)
    enabled: Mapped[bool] = flag_column(False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SecretRecord(Base):
    """`encrypted_value` is `v<key version>:<base64url>`, bound to (workspace_id, key)."""

    __tablename__ = "secrets"
    __table_args__ = tenant_table_args(
        "workspace_id",
        UniqueConstraint("workspace_id", "key"),
        is_ciphertext("encrypted_value", optional=False),
    )

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    key: Mapped[str] = mapped_column(String(NAME))
    encrypted_value: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    category: Mapped[str] = mapped_column(
        String(NAME), default="other", server_default=text("'other'")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AppConfigRecord(Base):
    __tablename__ = "app_configs"
    __table_args__ = tenant_table_args("workspace_id", UniqueConstraint("workspace_id", "app_id"))

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    app_id: Mapped[str] = mapped_column(String(512), index=True)
    enabled: Mapped[bool] = flag_column(True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ModelCatalogRecord(Base):
    """Global (not a tenant table): one row per model, keyed by its canonical id."""

    __tablename__ = "model_catalog"
    __table_args__ = (
        CheckConstraint("context_window IS NULL OR context_window > 0", name="context_window"),
        CheckConstraint(
            "source_context_window IS NULL OR source_context_window > 0",
            name="source_context_window",
        ),
    )

    canonical_id: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME))
    description: Mapped[str | None] = mapped_column(Text)
    image: Mapped[str | None] = mapped_column(String(URL_MAX_LENGTH))
    context_window: Mapped[int | None] = mapped_column(Integer)
    source_name: Mapped[str | None] = mapped_column(String(NAME))
    source_description: Mapped[str | None] = mapped_column(Text)
    source_image: Mapped[str | None] = mapped_column(String(URL_MAX_LENGTH))
    source_context_window: Mapped[int | None] = mapped_column(Integer)
    overridden_fields: Mapped[list[str]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Mappers, one per record (enums stored as their values; the catalog's overridden fields as a
# JSON list).

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
