"""Knowledge's mappers, registered with the generic mapper registry."""

from __future__ import annotations

from nexus.knowledge.domain.graph import Edge, Node
from nexus.knowledge.domain.ontology import Ontology
from nexus.knowledge.domain.views import GraphView
from nexus.knowledge.infrastructure.records import (
    GraphEdgeRecord,
    GraphNodeRecord,
    GraphViewRecord,
    OntologyRecord,
)
from nexus.persistence.mapper import register

ontology_mapper = register(Ontology, OntologyRecord)
node_mapper = register(Node, GraphNodeRecord)
edge_mapper = register(Edge, GraphEdgeRecord)
view_mapper = register(GraphView, GraphViewRecord)
