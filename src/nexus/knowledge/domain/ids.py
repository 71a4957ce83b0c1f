"""Knowledge's typed ids (all UUIDv7, generated in the domain)."""

from __future__ import annotations

import uuid
from typing import NewType

from nexus.shared.ids import new_id

OntologyId = NewType("OntologyId", uuid.UUID)
NodeId = NewType("NodeId", uuid.UUID)
EdgeId = NewType("EdgeId", uuid.UUID)
GraphViewId = NewType("GraphViewId", uuid.UUID)


def new_ontology_id() -> OntologyId:
    return OntologyId(new_id())


def new_node_id() -> NodeId:
    return NodeId(new_id())


def new_edge_id() -> EdgeId:
    return EdgeId(new_id())


def new_graph_view_id() -> GraphViewId:
    return GraphViewId(new_id())
