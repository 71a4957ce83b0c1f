"""Use cases walking the graph: the neighbours of a node to depth k, one shortest path. Each is
one query on the database (a recursive CTE), bounded by depth and row limits, run on the same
connection as the role check (one read, no second unit of work): the walk's statement itself
checks the reader's role on its start node, so a member's traversal that finds something is
one statement; finding nothing, the role (to refuse a non-member) and the nodes are checked."""

from __future__ import annotations

from collections.abc import Collection

from nexus.knowledge.application.ports import TraversalRead
from nexus.knowledge.application.results import NeighborResult, PathResult
from nexus.knowledge.application.support import (
    ActorLike,
    IdLike,
    KnowledgeUseCases,
    Need,
    acting,
    parsed,
    workspace_id_of,
)
from nexus.knowledge.domain.ids import NodeId
from nexus.shared.errors import NotFoundError
from nexus.shared.ids import WorkspaceId

DEFAULT_PATH_DEPTH = 6


class Traversals(KnowledgeUseCases):
    def neighbors(
        self,
        workspace_id: IdLike,
        node_id: IdLike,
        *,
        depth: int = 1,
        direction: str = "out",
        edge_types: Collection[str] | None = None,
        actor: ActorLike,
    ) -> list[NeighborResult]:
        """Each node reachable from `node_id` in 1..depth steps once, with its distance, by
        distance then id (the start itself is left out). `direction`: out, in or both;
        `edge_types` limits the edges followed. Too deep or too many nodes: ValidationError."""
        ws = workspace_id_of(workspace_id)
        start = NodeId(parsed(node_id, "node_id"))
        reader = acting(actor)
        with self.queries.reading() as read:
            # One statement: the walk, gated on the reader's role. Only when it finds nothing
            # is the role asked on its own (to refuse a non-member), then the start node.
            found = read.neighbors(
                ws, start, depth=depth, direction=direction, edge_types=edge_types, reader=reader
            )
            if not found:
                self._authorize(read, ws, actor, Need.READ, "neighbors")
                _require_nodes(read, ws, (start,))
        return found

    def shortest_path(
        self,
        workspace_id: IdLike,
        source_id: IdLike,
        target_id: IdLike,
        *,
        max_depth: int = DEFAULT_PATH_DEPTH,
        edge_types: Collection[str] | None = None,
        direction: str = "out",
        actor: ActorLike,
    ) -> PathResult | None:
        """One shortest path of at most `max_depth` edges from source to target, or None."""
        ws = workspace_id_of(workspace_id)
        source = NodeId(parsed(source_id, "source_id"))
        target = NodeId(parsed(target_id, "target_id"))
        reader = acting(actor)
        with self.queries.reading() as read:
            found = read.shortest_path(
                ws,
                source,
                target,
                max_depth=max_depth,
                direction=direction,
                edge_types=edge_types,
                reader=reader,
            )
            if found is None:
                self._authorize(read, ws, actor, Need.READ, "shortest_path")
                _require_nodes(read, ws, (source, target))
                return None
        return PathResult(node_ids=found[0], edge_ids=found[1])


def _require_nodes(
    read: TraversalRead, workspace_id: WorkspaceId, node_ids: tuple[NodeId, ...]
) -> None:
    for node_id in read.missing_nodes(workspace_id, node_ids):
        raise NotFoundError("graph node", node_id)
