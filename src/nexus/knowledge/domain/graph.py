"""The workspace graph: nodes (with a key unique in the workspace, what imports match on) and
directed edges between two nodes of the same workspace."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from nexus.knowledge.domain.ids import EdgeId, NodeId, new_edge_id, new_node_id
from nexus.knowledge.domain.values import NAME_MAX_LENGTH, json_object, name_field
from nexus.shared.entity import Entity, aware_datetime, text
from nexus.shared.ids import WorkspaceId

LABEL_MAX_LENGTH = 255
KEY_MAX_LENGTH = 255


def _own_id_as_key(self: Any) -> str:
    return str(self.id)


@attrs.define(kw_only=True)
class Node(Entity):
    """A node. `key` defaults to the node's id as text; imports match nodes by key."""

    __label__ = "graph_nodes"

    id: NodeId = attrs.field(factory=new_node_id)
    workspace_id: WorkspaceId
    key: str = attrs.field(
        default=attrs.Factory(_own_id_as_key, takes_self=True),
        validator=text(min_length=1, max_length=KEY_MAX_LENGTH),
    )
    type: str = name_field(NAME_MAX_LENGTH)
    label: str = attrs.field(validator=text(max_length=LABEL_MAX_LENGTH))
    properties: dict[str, Any] = attrs.field(factory=dict, validator=json_object)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())

    def change(self, changes: Mapping[str, Any], now: datetime) -> bool:
        """Set type, label and properties as given (None: unchanged); whether anything did."""
        changed = False
        for name in ("type", "label", "properties"):
            value = changes.get(name)
            if value is not None and getattr(self, name) != value:
                setattr(self, name, value)
                changed = True
        if changed:
            self.updated_at = now
        return changed


@attrs.define(kw_only=True)
class Edge(Entity):
    """A directed edge; both ends are nodes of the edge's workspace (the database holds it)."""

    __label__ = "graph_edges"

    id: EdgeId = attrs.field(factory=new_edge_id)
    workspace_id: WorkspaceId
    key: str = attrs.field(
        default=attrs.Factory(_own_id_as_key, takes_self=True),
        validator=text(min_length=1, max_length=KEY_MAX_LENGTH),
    )
    source_id: NodeId
    target_id: NodeId
    type: str = name_field(NAME_MAX_LENGTH)
    properties: dict[str, Any] = attrs.field(factory=dict, validator=json_object)
    created_at: datetime = attrs.field(validator=aware_datetime())

    def change(self, changes: Mapping[str, Any]) -> bool:
        changed = False
        for name in ("source_id", "target_id", "type", "properties"):
            value = changes.get(name)
            if value is not None and getattr(self, name) != value:
                setattr(self, name, value)
                changed = True
        return changed
