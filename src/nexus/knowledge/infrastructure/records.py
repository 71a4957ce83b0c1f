"""Knowledge's ORM records and their mappers: NEXUS's ontologies, graph_nodes, graph_edges and
graph_views under the tenancy rules (infrastructure only).

An edge's two ends are nodes of the edge's workspace: `(workspace_id, source_id)` and
`(workspace_id, target_id)` refer to `graph_nodes (workspace_id, id)` with ON DELETE CASCADE,
so the database refuses an edge across workspaces and deleting a node removes its edges. The
two edge indexes are the ones the traversal CTE walks.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from nexus.knowledge.domain.graph import Edge, Node
from nexus.knowledge.domain.ontology import Ontology
from nexus.knowledge.domain.views import GraphView
from nexus.persistence.base import Base
from nexus.persistence.mapper import register
from nexus.persistence.schema import tenant_table_args
from nexus.persistence.types import JSONType, UTCDateTime

NAME = 255


def _workspace() -> Any:
    """The tenant key, first in the primary key; deleting the workspace removes the row."""
    return mapped_column(Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)


class OntologyRecord(Base):
    """One ontology per workspace; the attribute `schema_` is the column `schema`."""

    __tablename__ = "ontologies"
    __table_args__ = tenant_table_args("workspace_id", UniqueConstraint("workspace_id"))

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME))
    description: Mapped[str | None] = mapped_column(Text)
    schema_: Mapped[dict[str, Any]] = mapped_column("schema", JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GraphNodeRecord(Base):
    __tablename__ = "graph_nodes"
    __table_args__ = tenant_table_args(
        "workspace_id",
        UniqueConstraint("workspace_id", "key"),
        Index("ix_graph_nodes_workspace_id_type", "workspace_id", "type"),
    )

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    key: Mapped[str] = mapped_column(String(NAME))
    type: Mapped[str] = mapped_column(String(NAME))
    label: Mapped[str] = mapped_column(String(NAME))
    properties: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GraphEdgeRecord(Base):
    __tablename__ = "graph_edges"
    __table_args__ = tenant_table_args(
        "workspace_id",
        ForeignKeyConstraint(
            ["workspace_id", "source_id"],
            ["graph_nodes.workspace_id", "graph_nodes.id"],
            ondelete="CASCADE",
            name="fk_graph_edges_source_id_graph_nodes",
        ),
        ForeignKeyConstraint(
            ["workspace_id", "target_id"],
            ["graph_nodes.workspace_id", "graph_nodes.id"],
            ondelete="CASCADE",
            name="fk_graph_edges_target_id_graph_nodes",
        ),
        UniqueConstraint("workspace_id", "key"),
        Index("ix_graph_edges_workspace_id_source_id", "workspace_id", "source_id"),
        Index("ix_graph_edges_workspace_id_target_id", "workspace_id", "target_id"),
        Index("ix_graph_edges_workspace_id_type", "workspace_id", "type"),
    )

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    key: Mapped[str] = mapped_column(String(NAME))
    source_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    target_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    type: Mapped[str] = mapped_column(String(NAME))
    properties: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GraphViewRecord(Base):
    """`creator_id` refers to a user (global): SET NULL when the user is deleted."""

    __tablename__ = "graph_views"
    __table_args__ = tenant_table_args(
        "workspace_id",
        CheckConstraint("visibility IN ('workspace', 'private')", name="valid_visibility"),
    )

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    view_type: Mapped[str] = mapped_column(
        String(100), default="network", server_default=text("'network'")
    )
    kind: Mapped[str] = mapped_column(
        String(50), default="network", server_default=text("'network'")
    )
    visibility: Mapped[str] = mapped_column(
        String(20), default="workspace", server_default=text("'workspace'")
    )
    creator_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    graph_id: Mapped[str | None] = mapped_column(String(NAME))
    graph_uri: Mapped[str | None] = mapped_column(Text)
    state: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Mappers, one per record (enums stored as their values).

ontology_mapper = register(Ontology, OntologyRecord)
node_mapper = register(Node, GraphNodeRecord)
edge_mapper = register(Edge, GraphEdgeRecord)
view_mapper = register(GraphView, GraphViewRecord)
