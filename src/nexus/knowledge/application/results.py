"""Knowledge's result DTOs (plain values, JSON-ready with `to_json()`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import attrs

from nexus.knowledge.domain.graph import Edge, Node
from nexus.knowledge.domain.ontology import Ontology
from nexus.knowledge.domain.views import GraphView
from nexus.shared.results import Result


@attrs.frozen
class OntologyResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    description: str | None
    schema: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, ontology: Ontology) -> OntologyResult:
        return cls.from_entity(ontology, schema=ontology.schema_)


@attrs.frozen
class NodeResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    key: str
    type: str
    label: str
    properties: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, node: Node) -> NodeResult:
        return cls.from_entity(node)


@attrs.frozen
class EdgeResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    key: str
    source_id: uuid.UUID
    target_id: uuid.UUID
    type: str
    properties: dict[str, Any]
    created_at: datetime

    @classmethod
    def of(cls, edge: Edge) -> EdgeResult:
        return cls.from_entity(edge)


@attrs.frozen
class NeighborResult(Result):
    """A node within reach, at its shortest distance from the start."""

    node_id: uuid.UUID
    distance: int


@attrs.frozen
class PathResult(Result):
    """One shortest path: `node_ids[0]` is the source, `edge_ids[i]` joins nodes i and i+1."""

    node_ids: tuple[uuid.UUID, ...]
    edge_ids: tuple[uuid.UUID, ...]

    @property
    def length(self) -> int:
        return len(self.edge_ids)


@attrs.frozen
class ImportResult(Result):
    nodes_added: int
    nodes_updated: int
    nodes_unchanged: int
    edges_added: int
    edges_updated: int
    edges_unchanged: int


@attrs.frozen
class GraphViewResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    view_type: str
    kind: str
    visibility: str
    creator_id: uuid.UUID | None
    graph_id: str | None
    graph_uri: str | None
    state: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: GraphView) -> GraphViewResult:
        return cls.from_entity(view, visibility=view.visibility.value)
