"""Valid knowledge entities with overridable fields, for tests, and one full example of each
(`KNOWLEDGE_EXAMPLES`)."""

from __future__ import annotations

from typing import Any

from nexus.knowledge.domain.graph import Edge, Node
from nexus.knowledge.domain.ids import NodeId
from nexus.knowledge.domain.ontology import Ontology
from nexus.knowledge.domain.views import GraphView, Visibility
from nexus.shared.ids import UserId, WorkspaceId, new_id
from tests.factories.common import NOW

WORKSPACE = WorkspaceId(new_id())

SCHEMA: dict[str, Any] = {
    "node_types": {
        "person": {"properties": {"name": "string", "age": "integer"}},
        "paper": {"properties": {"title": "string", "year": "integer"}},
    },
    "edge_types": {
        "knows": {"source": ["person"], "target": ["person"], "properties": {"since": "integer"}},
        "wrote": {"source": ["person"], "target": ["paper"]},
    },
}


def make_ontology(**overrides: Any) -> Ontology:
    values = {
        "workspace_id": WORKSPACE,
        "name": "People and papers",
        "description": "Who wrote what",
        "schema_": SCHEMA,
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    return Ontology(**values)


def make_node(**overrides: Any) -> Node:
    values = {
        "workspace_id": WORKSPACE,
        "key": "ada",
        "type": "person",
        "label": "Ada",
        "properties": {"name": "Ada Lovelace", "age": 36},
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    return Node(**values)


def make_edge(**overrides: Any) -> Edge:
    values = {
        "workspace_id": WORKSPACE,
        "key": "ada-knows-charles",
        "source_id": NodeId(new_id()),
        "target_id": NodeId(new_id()),
        "type": "knows",
        "properties": {"since": 1833},
        "created_at": NOW,
    }
    values.update(overrides)
    return Edge(**values)


def make_view(**overrides: Any) -> GraphView:
    values = {
        "workspace_id": WORKSPACE,
        "name": "Everyone",
        "view_type": "network",
        "kind": "network",
        "visibility": Visibility.PRIVATE,
        "creator_id": UserId(new_id()),
        "graph_id": "main",
        "graph_uri": "nexus://graphs/main",
        "state": {"zoom": 1.5, "selected": ["ada"]},
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    return GraphView(**values)


KNOWLEDGE_EXAMPLES: dict[type[Any], Any] = {
    Ontology: make_ontology,
    Node: make_node,
    Edge: make_edge,
    GraphView: make_view,
}
