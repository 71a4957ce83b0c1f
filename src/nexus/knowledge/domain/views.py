"""Saved graph views: per workspace, visible to the workspace or only to their creator."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from nexus.knowledge.domain.ids import GraphViewId, new_graph_view_id
from nexus.knowledge.domain.values import json_object, name_field
from nexus.shared.entity import Entity, aware_datetime, enum_converter, text
from nexus.shared.ids import UserId, WorkspaceId

DEFAULT_VIEW_TYPE = "network"
DEFAULT_KIND = "network"


class Visibility(StrEnum):
    WORKSPACE = "workspace"
    PRIVATE = "private"


_to_visibility = enum_converter(Visibility, "graph_views.visibility")


def _visibility(value: object) -> Visibility:
    found: Visibility = _to_visibility(value)
    return found


@attrs.define(kw_only=True)
class GraphView(Entity):
    __label__ = "graph_views"

    id: GraphViewId = attrs.field(factory=new_graph_view_id)
    workspace_id: WorkspaceId
    name: str = name_field(200)
    view_type: str = attrs.field(
        default=DEFAULT_VIEW_TYPE, validator=text(min_length=1, max_length=100)
    )
    kind: str = attrs.field(default=DEFAULT_KIND, validator=text(min_length=1, max_length=50))
    visibility: Visibility = attrs.field(default=Visibility.WORKSPACE, converter=_visibility)
    creator_id: UserId | None = None
    graph_id: str | None = attrs.field(default=None, validator=text(max_length=255, optional=True))
    graph_uri: str | None = attrs.field(
        default=None, validator=text(max_length=100_000, optional=True)
    )
    state: dict[str, Any] = attrs.field(factory=dict, validator=json_object)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())

    def visible_to(self, user: UserId | None) -> bool:
        """A private view is its creator's alone (`None`: the operator sees everything)."""
        return self.visibility is Visibility.WORKSPACE or user is None or user == self.creator_id
