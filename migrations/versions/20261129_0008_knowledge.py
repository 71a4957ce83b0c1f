"""knowledge: ontologies, graph_nodes, graph_edges, graph_views

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 14:38:06.562454
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "graph_nodes",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=255), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column(
            "properties",
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
            name=op.f("fk_graph_nodes_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_graph_nodes")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_graph_nodes_workspace_id_key")),
    )
    op.create_index(
        "ix_graph_nodes_workspace_id_type", "graph_nodes", ["workspace_id", "type"], unique=False
    )
    op.create_table(
        "graph_views",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "view_type", sa.String(length=100), server_default=sa.text("'network'"), nullable=False
        ),
        sa.Column(
            "kind", sa.String(length=50), server_default=sa.text("'network'"), nullable=False
        ),
        sa.Column(
            "visibility",
            sa.String(length=20),
            server_default=sa.text("'workspace'"),
            nullable=False,
        ),
        sa.Column("creator_id", sa.Uuid(), nullable=True),
        sa.Column("graph_id", sa.String(length=255), nullable=True),
        sa.Column("graph_uri", sa.Text(), nullable=True),
        sa.Column(
            "state",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True), "postgresql"
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "visibility IN ('workspace', 'private')", name=op.f("ck_graph_views_valid_visibility")
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["users.id"],
            name=op.f("fk_graph_views_creator_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_graph_views_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_graph_views")),
    )
    op.create_index(op.f("ix_graph_views_creator_id"), "graph_views", ["creator_id"], unique=False)
    op.create_table(
        "ontologies",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "schema",
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
            name=op.f("fk_ontologies_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_ontologies")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_ontologies_workspace_id")),
    )
    op.create_table(
        "graph_edges",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=255), nullable=False),
        sa.Column(
            "properties",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True), "postgresql"
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "source_id"],
            ["graph_nodes.workspace_id", "graph_nodes.id"],
            name="fk_graph_edges_source_id_graph_nodes",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "target_id"],
            ["graph_nodes.workspace_id", "graph_nodes.id"],
            name="fk_graph_edges_target_id_graph_nodes",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_graph_edges_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_graph_edges")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_graph_edges_workspace_id_key")),
    )
    op.create_index(
        "ix_graph_edges_workspace_id_source_id",
        "graph_edges",
        ["workspace_id", "source_id"],
        unique=False,
    )
    op.create_index(
        "ix_graph_edges_workspace_id_target_id",
        "graph_edges",
        ["workspace_id", "target_id"],
        unique=False,
    )
    op.create_index(
        "ix_graph_edges_workspace_id_type", "graph_edges", ["workspace_id", "type"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_graph_edges_workspace_id_type", table_name="graph_edges")
    op.drop_index("ix_graph_edges_workspace_id_target_id", table_name="graph_edges")
    op.drop_index("ix_graph_edges_workspace_id_source_id", table_name="graph_edges")
    op.drop_table("graph_edges")
    op.drop_table("ontologies")
    op.drop_index(op.f("ix_graph_views_creator_id"), table_name="graph_views")
    op.drop_table("graph_views")
    op.drop_index("ix_graph_nodes_workspace_id_type", table_name="graph_nodes")
    op.drop_table("graph_nodes")
