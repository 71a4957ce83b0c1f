"""workspaces: the nine tables of the workspaces context; api_keys.workspace_id gets its FK

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 14:13:30.176291
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "model_catalog",
        sa.Column("canonical_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("image", sa.String(length=2048), nullable=True),
        sa.Column("context_window", sa.Integer(), nullable=True),
        sa.Column("source_name", sa.String(length=255), nullable=True),
        sa.Column("source_description", sa.Text(), nullable=True),
        sa.Column("source_image", sa.String(length=2048), nullable=True),
        sa.Column("source_context_window", sa.Integer(), nullable=True),
        sa.Column(
            "overridden_fields",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True), "postgresql"
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "context_window IS NULL OR context_window > 0",
            name=op.f("ck_model_catalog_context_window"),
        ),
        sa.CheckConstraint(
            "source_context_window IS NULL OR source_context_window > 0",
            name=op.f("ck_model_catalog_source_context_window"),
        ),
        sa.PrimaryKeyConstraint("canonical_id", name=op.f("pk_model_catalog")),
    )
    op.create_table(
        "workspaces",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("logo_url", sa.Text(), nullable=True),
        sa.Column("logo_emoji", sa.String(length=10), nullable=True),
        sa.Column(
            "primary_color", sa.String(length=7), server_default=sa.text("'#22c55e'"), nullable=True
        ),
        sa.Column("accent_color", sa.String(length=7), nullable=True),
        sa.Column("background_color", sa.String(length=7), nullable=True),
        sa.Column("sidebar_color", sa.String(length=7), nullable=True),
        sa.Column("font_family", sa.String(length=255), nullable=True),
        sa.Column(
            "platform_drive_enabled", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column(
            "system_drive_enabled", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_workspaces_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_workspaces_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("slug", name=op.f("uq_workspaces_slug")),
    )
    op.create_index(
        op.f("ix_workspaces_organization_id"), "workspaces", ["organization_id"], unique=False
    )
    op.create_index(op.f("ix_workspaces_owner_id"), "workspaces", ["owner_id"], unique=False)
    op.create_table(
        "abi_servers",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("endpoint", sa.String(length=2048), nullable=False),
        sa.Column("api_key", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "api_key IS NULL OR api_key LIKE 'v%%:%%'",
            name=op.f("ck_abi_servers_api_key_is_ciphertext"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_abi_servers_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_abi_servers")),
        sa.UniqueConstraint(
            "workspace_id", "endpoint", name=op.f("uq_abi_servers_workspace_id_endpoint")
        ),
    )
    op.create_table(
        "app_configs",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("app_id", sa.String(length=512), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_app_configs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_app_configs")),
        sa.UniqueConstraint(
            "workspace_id", "app_id", name=op.f("uq_app_configs_workspace_id_app_id")
        ),
    )
    op.create_index(op.f("ix_app_configs_app_id"), "app_configs", ["app_id"], unique=False)
    op.create_table(
        "inference_servers",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("endpoint", sa.String(length=2048), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("api_key", sa.Text(), nullable=True),
        sa.Column("health_path", sa.String(length=255), nullable=True),
        sa.Column("models_path", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "api_key IS NULL OR api_key LIKE 'v%%:%%'",
            name=op.f("ck_inference_servers_api_key_is_ciphertext"),
        ),
        sa.CheckConstraint(
            "type IN ('ollama', 'abi', 'vllm', 'llamacpp', 'custom')",
            name=op.f("ck_inference_servers_valid_type"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_inference_servers_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_inference_servers")),
    )
    op.create_table(
        "provider_configs",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider_type", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("model", sa.String(length=255), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("endpoint", sa.String(length=2048), nullable=True),
        sa.Column(
            "config",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True), "postgresql"
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_provider_configs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_provider_configs")),
    )
    op.create_table(
        "secrets",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("encrypted_value", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column(
            "category", sa.String(length=255), server_default=sa.text("'other'"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "encrypted_value LIKE 'v%%:%%'", name=op.f("ck_secrets_encrypted_value_is_ciphertext")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_secrets_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_secrets")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_secrets_workspace_id_key")),
    )
    op.create_table(
        "workspace_members",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=20), server_default=sa.text("'member'"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('owner', 'admin', 'member', 'viewer')",
            name=op.f("ck_workspace_members_valid_role"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_workspace_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_workspace_members_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_workspace_members")),
        sa.UniqueConstraint(
            "workspace_id", "user_id", name=op.f("uq_workspace_members_workspace_id_user_id")
        ),
    )
    op.create_index(
        op.f("ix_workspace_members_user_id"), "workspace_members", ["user_id"], unique=False
    )
    op.create_table(
        "agent_configs",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("class_name", sa.String(length=255), nullable=True),
        sa.Column("module_path", sa.String(length=255), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("icon", sa.String(length=255), nullable=True),
        sa.Column("logo_url", sa.Text(), nullable=True),
        sa.Column("system_prompt", sa.Text(), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("model_id", sa.String(length=255), nullable=True),
        sa.Column("provider", sa.String(length=255), nullable=True),
        sa.Column("is_default", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "provider_id"],
            ["provider_configs.workspace_id", "provider_configs.id"],
            name=op.f("fk_agent_configs_workspace_id_provider_configs"),
            ondelete="NO ACTION",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_agent_configs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_agent_configs")),
    )
    op.create_index(
        op.f("ix_agent_configs_class_name"), "agent_configs", ["class_name"], unique=False
    )
    op.create_index(op.f("ix_agent_configs_model_id"), "agent_configs", ["model_id"], unique=False)
    op.create_index(
        op.f("ix_agent_configs_module_path"), "agent_configs", ["module_path"], unique=False
    )
    op.create_index(op.f("ix_agent_configs_provider"), "agent_configs", ["provider"], unique=False)
    op.create_index(
        "ix_agent_configs_workspace_id_provider_id",
        "agent_configs",
        ["workspace_id", "provider_id"],
        unique=False,
    )
    op.create_index(
        "uq_agent_configs_workspace_id_class_name",
        "agent_configs",
        ["workspace_id", "class_name"],
        unique=True,
        sqlite_where=sa.text("class_name IS NOT NULL AND class_name != ''"),
        postgresql_where=sa.text("class_name IS NOT NULL AND class_name != ''"),
    )
    op.create_index(
        "uq_agent_configs_workspace_id_is_default",
        "agent_configs",
        ["workspace_id", "is_default"],
        unique=True,
        sqlite_where=sa.text("is_default IS true"),
        postgresql_where=sa.text("is_default IS true"),
    )
    # A key scoped to a workspace that does not exist can only be deleted: unscoping it would
    # widen what it may do (the new foreign key then holds on every engine).
    op.execute(
        "DELETE FROM api_keys WHERE workspace_id IS NOT NULL "
        "AND workspace_id NOT IN (SELECT id FROM workspaces)"
    )
    with op.batch_alter_table("api_keys") as batch:
        batch.create_foreign_key(
            op.f("fk_api_keys_workspace_id_workspaces"),
            "workspaces",
            ["workspace_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_constraint(op.f("fk_api_keys_workspace_id_workspaces"), type_="foreignkey")
    op.drop_index(
        "uq_agent_configs_workspace_id_is_default",
        table_name="agent_configs",
        sqlite_where=sa.text("is_default IS true"),
        postgresql_where=sa.text("is_default IS true"),
    )
    op.drop_index(
        "uq_agent_configs_workspace_id_class_name",
        table_name="agent_configs",
        sqlite_where=sa.text("class_name IS NOT NULL AND class_name != ''"),
        postgresql_where=sa.text("class_name IS NOT NULL AND class_name != ''"),
    )
    op.drop_index("ix_agent_configs_workspace_id_provider_id", table_name="agent_configs")
    op.drop_index(op.f("ix_agent_configs_provider"), table_name="agent_configs")
    op.drop_index(op.f("ix_agent_configs_module_path"), table_name="agent_configs")
    op.drop_index(op.f("ix_agent_configs_model_id"), table_name="agent_configs")
    op.drop_index(op.f("ix_agent_configs_class_name"), table_name="agent_configs")
    op.drop_table("agent_configs")
    op.drop_index(op.f("ix_workspace_members_user_id"), table_name="workspace_members")
    op.drop_table("workspace_members")
    op.drop_table("secrets")
    op.drop_table("provider_configs")
    op.drop_table("inference_servers")
    op.drop_index(op.f("ix_app_configs_app_id"), table_name="app_configs")
    op.drop_table("app_configs")
    op.drop_table("abi_servers")
    op.drop_index(op.f("ix_workspaces_owner_id"), table_name="workspaces")
    op.drop_index(op.f("ix_workspaces_organization_id"), table_name="workspaces")
    op.drop_table("workspaces")
    op.drop_table("model_catalog")
