"""Use cases on nodes and edges: add, get, update, delete; checked against the workspace's
ontology when it has one. Deleting a node removes its edges (the database's cascade)."""

from __future__ import annotations

from typing import Any

from nexus.knowledge.application.ontologies import ontology_rules
from nexus.knowledge.application.ports import KnowledgeUnitOfWork
from nexus.knowledge.application.results import EdgeResult, NodeResult
from nexus.knowledge.application.support import (
    ActorLike,
    IdLike,
    KnowledgeUseCases,
    Need,
    parsed,
    workspace_id_of,
)
from nexus.knowledge.domain.graph import Edge, Node
from nexus.knowledge.domain.ids import EdgeId, NodeId
from nexus.shared.errors import NotFoundError
from nexus.shared.ids import WorkspaceId
from nexus.shared.usecases import transaction


def _node_id(value: IdLike, field: str = "node_id") -> NodeId:
    return NodeId(parsed(value, field))


def _edge_id(value: IdLike) -> EdgeId:
    return EdgeId(parsed(value, "edge_id"))


def _check_edge(tx: KnowledgeUnitOfWork, ws: WorkspaceId, edge: Edge) -> None:
    """Both ends are nodes of the workspace, and the edge obeys the ontology."""
    ends = tx.nodes.get_many(ws, {edge.source_id, edge.target_id})
    for field, node_id in (("source_id", edge.source_id), ("target_id", edge.target_id)):
        if node_id not in ends:
            raise NotFoundError(f"graph node ({field})", node_id)
    rules = ontology_rules(tx, ws)
    if rules is not None:
        rules.check_edge(
            edge.type, edge.properties, ends[edge.source_id].type, ends[edge.target_id].type
        )


class Graph(KnowledgeUseCases):
    @transaction
    def add_node(
        self,
        tx: KnowledgeUnitOfWork,
        workspace_id: IdLike,
        *,
        type: str,
        label: str,
        properties: dict[str, Any] | None = None,
        key: str | None = None,
        actor: ActorLike,
    ) -> NodeResult:
        """A new node; `key` (unique in the workspace) defaults to its id."""
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.WRITE, "add_node")
        now = self.clock.now()
        values: dict[str, Any] = {"key": key} if key is not None else {}
        node = Node(
            workspace_id=ws,
            type=type,
            label=label,
            properties={} if properties is None else properties,
            created_at=now,
            updated_at=now,
            **values,
        )
        rules = ontology_rules(tx, ws)
        if rules is not None:
            rules.check_node(node.type, node.properties)
        tx.nodes.add(node)
        return NodeResult.of(node)

    @transaction
    def get_node(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, node_id: IdLike, *, actor: ActorLike
    ) -> NodeResult:
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.READ, "get_node")
        return NodeResult.of(tx.nodes.get(ws, _node_id(node_id)))

    @transaction
    def get_nodes(
        self,
        tx: KnowledgeUnitOfWork,
        workspace_id: IdLike,
        node_ids: list[IdLike],
        *,
        actor: ActorLike,
    ) -> dict[NodeId, NodeResult]:
        """A batch get: id -> node, for the ids that are nodes of the workspace."""
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.READ, "get_nodes")
        found = tx.nodes.get_many(ws, [_node_id(n) for n in node_ids])
        return {k: NodeResult.of(v) for k, v in found.items()}

    @transaction
    def find_node_by_key(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, key: str, *, actor: ActorLike
    ) -> NodeResult:
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.READ, "find_node_by_key")
        found = tx.nodes.by_keys(ws, [key]).get(key)
        if found is None:
            raise NotFoundError("graph node", key)
        return NodeResult.of(found)

    @transaction
    def update_node(
        self,
        tx: KnowledgeUnitOfWork,
        workspace_id: IdLike,
        node_id: IdLike,
        *,
        type: str | None = None,
        label: str | None = None,
        properties: dict[str, Any] | None = None,
        actor: ActorLike,
    ) -> NodeResult:
        """Only the fields given change (properties are replaced as a whole)."""
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.WRITE, "update_node")
        node = tx.nodes.get(ws, _node_id(node_id))
        changes = {"type": type, "label": label, "properties": properties}
        if node.change(changes, self.clock.now()):
            rules = ontology_rules(tx, ws)
            if rules is not None:
                rules.check_node(node.type, node.properties)
            tx.nodes.update(node)
        return NodeResult.of(node)

    @transaction
    def delete_node(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, node_id: IdLike, *, actor: ActorLike
    ) -> None:
        """Remove the node and every edge from or to it."""
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.WRITE, "delete_node")
        tx.nodes.remove(ws, _node_id(node_id))

    @transaction
    def add_edge(
        self,
        tx: KnowledgeUnitOfWork,
        workspace_id: IdLike,
        *,
        source_id: IdLike,
        target_id: IdLike,
        type: str,
        properties: dict[str, Any] | None = None,
        key: str | None = None,
        actor: ActorLike,
    ) -> EdgeResult:
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.WRITE, "add_edge")
        values: dict[str, Any] = {"key": key} if key is not None else {}
        edge = Edge(
            workspace_id=ws,
            source_id=_node_id(source_id, "source_id"),
            target_id=_node_id(target_id, "target_id"),
            type=type,
            properties={} if properties is None else properties,
            created_at=self.clock.now(),
            **values,
        )
        _check_edge(tx, ws, edge)
        tx.edges.add(edge)
        return EdgeResult.of(edge)

    @transaction
    def get_edge(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, edge_id: IdLike, *, actor: ActorLike
    ) -> EdgeResult:
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.READ, "get_edge")
        return EdgeResult.of(tx.edges.get(ws, _edge_id(edge_id)))

    @transaction
    def find_edge_by_key(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, key: str, *, actor: ActorLike
    ) -> EdgeResult:
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.READ, "find_edge_by_key")
        found = tx.edges.by_keys(ws, [key]).get(key)
        if found is None:
            raise NotFoundError("graph edge", key)
        return EdgeResult.of(found)

    @transaction
    def update_edge(
        self,
        tx: KnowledgeUnitOfWork,
        workspace_id: IdLike,
        edge_id: IdLike,
        *,
        type: str | None = None,
        properties: dict[str, Any] | None = None,
        actor: ActorLike,
    ) -> EdgeResult:
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.WRITE, "update_edge")
        edge = tx.edges.get(ws, _edge_id(edge_id))
        if edge.change({"type": type, "properties": properties}):
            _check_edge(tx, ws, edge)
            tx.edges.update(edge)
        return EdgeResult.of(edge)

    @transaction
    def delete_edge(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, edge_id: IdLike, *, actor: ActorLike
    ) -> None:
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.WRITE, "delete_edge")
        tx.edges.remove(ws, _edge_id(edge_id))
