"""Knowledge's repositories, written once for the SQL and in-memory adapters, and its unit of
work."""

from __future__ import annotations

from collections.abc import Collection

from nexus.knowledge.domain.graph import Edge, Node
from nexus.knowledge.domain.ids import EdgeId, GraphViewId, NodeId, OntologyId
from nexus.knowledge.domain.ontology import Ontology
from nexus.knowledge.domain.views import GraphView
from nexus.knowledge.infrastructure.records import (
    edge_mapper,
    node_mapper,
    ontology_mapper,
    view_mapper,
)
from nexus.persistence.repository import ScopedRepository
from nexus.persistence.uow import UnitOfWork
from nexus.shared.ids import WorkspaceId


class OntologyRepository(ScopedRepository[Ontology, WorkspaceId, OntologyId]):
    mapper = ontology_mapper
    kind = "ontology"

    def of_workspace(self, workspace_id: WorkspaceId) -> Ontology | None:
        return self._one(workspace_id=workspace_id)


class NodeRepository(ScopedRepository[Node, WorkspaceId, NodeId]):
    mapper = node_mapper
    kind = "graph node"

    def by_keys(self, workspace_id: WorkspaceId, keys: Collection[str]) -> dict[str, Node]:
        """A batch finder: key -> node, for the keys that exist in the workspace."""
        return {n.key: n for n in self._in("key", keys, workspace_id=workspace_id)}

    def any(self, workspace_id: WorkspaceId) -> bool:
        return bool(self._many(limit=1, workspace_id=workspace_id))

    def every(self, workspace_id: WorkspaceId) -> list[Node]:
        return self._many(("id",), workspace_id=workspace_id)


class EdgeRepository(ScopedRepository[Edge, WorkspaceId, EdgeId]):
    mapper = edge_mapper
    kind = "graph edge"

    def by_keys(self, workspace_id: WorkspaceId, keys: Collection[str]) -> dict[str, Edge]:
        return {e.key: e for e in self._in("key", keys, workspace_id=workspace_id)}

    def every(self, workspace_id: WorkspaceId) -> list[Edge]:
        return self._many(("id",), workspace_id=workspace_id)


class GraphViewRepository(ScopedRepository[GraphView, WorkspaceId, GraphViewId]):
    mapper = view_mapper
    kind = "graph view"

    def of_workspace(self, workspace_id: WorkspaceId) -> list[GraphView]:
        return self._many(("name", "id"), workspace_id=workspace_id)


class KnowledgeUnitOfWork(UnitOfWork):
    ontologies: OntologyRepository
    nodes: NodeRepository
    edges: EdgeRepository
    views: GraphViewRepository
