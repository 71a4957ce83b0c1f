"""Knowledge's read side: the traversals, one prebuilt recursive-CTE statement each on SQL
(run through `SqlTables.run`, on the DBAPI cursor), breadth-first search over the memory
store's rows in memory; both give the same answers and obey the same limits. `reading()` opens
one read in which the use case checks the actor's role, traverses and checks its nodes."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Protocol, cast

from sqlalchemy import ColumnElement

from nexus.knowledge.application.ports import Path
from nexus.knowledge.application.results import NeighborResult
from nexus.knowledge.application.support import ROLES, Need
from nexus.knowledge.domain.ids import NodeId
from nexus.knowledge.infrastructure import traversal_memory
from nexus.knowledge.infrastructure.records import GraphEdgeRecord, GraphNodeRecord
from nexus.knowledge.infrastructure.traversal_sql import GraphTraversals, as_uuid, pairs_of
from nexus.persistence.repository import Queries
from nexus.persistence.schema import info_for
from nexus.persistence.sql import SqlTables
from nexus.persistence.tables import Tables
from nexus.persistence.uow import TablesFactory
from nexus.shared.ids import UserId, WorkspaceId

NODES = info_for(GraphNodeRecord)
EDGES = info_for(GraphEdgeRecord)
_NODE_ID = NODES.columns.index("id")
_POSITIONS = tuple(EDGES.columns.index(c) for c in ("id", "source_id", "target_id", "type"))
_results = pairs_of(NeighborResult)


class RolesOnTables(Protocol):
    """Workspaces' answers (a role, whether a workspace exists) read on a gateway that is
    already open, so the role check and the traversal share one connection (the composition
    root gives `nexus.links.WorkspaceRolesOnTables`)."""

    def role_of(self, tables: Tables, workspace_id: WorkspaceId, user_id: UserId) -> str | None: ...

    def exists(self, tables: Tables, workspace_id: WorkspaceId) -> bool: ...

    def admits(self, roles: Collection[str]) -> ColumnElement[bool]:
        """A SQL condition: the user in the `reader` bind parameter has one of `roles` in the
        workspace of the `workspace_id` bind parameter."""
        ...


class TraversalRead:
    """One open read (one connection): the role check, the traversal, the node check. Leaving
    it (a context manager) closes the read."""

    def __init__(self, tables: Tables, traversals: GraphTraversals, roles: RolesOnTables) -> None:
        self.tables = tables
        self.traversals = traversals
        self.roles = roles
        # SQL: the traversal is one prebuilt statement on this read's connection.
        self._run = tables.run if isinstance(tables, SqlTables) else None

    def __enter__(self) -> TraversalRead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.tables.close()

    def role_of(self, workspace_id: WorkspaceId, user_id: UserId) -> str | None:
        return self.roles.role_of(self.tables, workspace_id, user_id)

    def exists(self, workspace_id: WorkspaceId) -> bool:
        return self.roles.exists(self.tables, workspace_id)

    def _edges(self, workspace_id: WorkspaceId, params: dict[str, Any]) -> Any:
        rows = self.tables.fetch_many(EDGES, {"workspace_id": workspace_id})
        positions = cast(tuple[int, int, int, int], _POSITIONS)
        return traversal_memory.typed(rows, positions, params.get("edge_types"))

    def _admitted(self, workspace_id: WorkspaceId, reader: UserId | None) -> bool:
        return reader is None or self.role_of(workspace_id, reader) in ROLES[Need.READ]

    def _has_node(self, workspace_id: WorkspaceId, node_id: NodeId) -> bool:
        return (
            self.tables.fetch_one(NODES, {"workspace_id": workspace_id, "id": node_id}) is not None
        )

    def missing_nodes(self, workspace_id: WorkspaceId, node_ids: Sequence[NodeId]) -> list[NodeId]:
        rows = self.tables.fetch_in(NODES, "id", node_ids, {"workspace_id": workspace_id})
        found = {row[_NODE_ID] for row in rows}
        return [n for n in dict.fromkeys(node_ids) if n not in found]

    def neighbors(
        self,
        workspace_id: WorkspaceId,
        node_id: NodeId,
        *,
        depth: int,
        direction: str,
        edge_types: Collection[str] | None,
        reader: UserId | None = None,
    ) -> list[NeighborResult]:
        run, traversals = self._run, self.traversals
        statement, params = traversals.neighbors_statement(
            workspace_id,
            node_id,
            depth=depth,
            direction=direction,
            edge_types=edge_types,
            reader=None if run is None else reader,
        )
        rows: Any
        if run is not None:
            rows = run(statement, params)
        elif self._admitted(workspace_id, reader) and self._has_node(workspace_id, node_id):
            edges = self._edges(workspace_id, params)
            rows = traversal_memory.neighbors(edges, node_id, depth, direction, params["row_cap"])
        else:
            rows = []
        traversals.check_rows(rows, depth)
        return _results(rows)

    def shortest_path(
        self,
        workspace_id: WorkspaceId,
        source_id: NodeId,
        target_id: NodeId,
        *,
        max_depth: int,
        direction: str,
        edge_types: Collection[str] | None,
        reader: UserId | None = None,
    ) -> Path | None:
        run = self._run
        statement, params = self.traversals.shortest_path_statement(
            workspace_id,
            source_id,
            target_id,
            max_depth=max_depth,
            direction=direction,
            edge_types=edge_types,
            reader=None if run is None else reader,
        )
        if run is not None:
            rows = run(statement, params)
            if not rows:
                return None
            return (
                tuple(as_uuid(row[0]) for row in rows),
                tuple(as_uuid(row[1]) for row in rows[:-1]),
            )
        if not self._admitted(workspace_id, reader) or not self._has_node(workspace_id, source_id):
            return None
        edges = self._edges(workspace_id, params)
        return traversal_memory.shortest_path(edges, source_id, target_id, max_depth, direction)


class KnowledgeQueries(Queries):
    def __init__(
        self,
        tables: TablesFactory,
        roles: RolesOnTables,
        traversals: GraphTraversals | None = None,
    ) -> None:
        super().__init__(tables)
        self.roles = roles
        self.traversals = traversals or GraphTraversals(
            NODES.table, EDGES.table, gate=roles.admits(ROLES[Need.READ])
        )

    def reading(self) -> TraversalRead:
        return TraversalRead(self._tables(), self.traversals, self.roles)

    def neighbors(
        self,
        workspace_id: WorkspaceId,
        node_id: NodeId,
        *,
        depth: int,
        direction: str,
        edge_types: Collection[str] | None,
    ) -> list[NeighborResult]:
        with self.reading() as read:
            return read.neighbors(
                workspace_id, node_id, depth=depth, direction=direction, edge_types=edge_types
            )

    def shortest_path(
        self,
        workspace_id: WorkspaceId,
        source_id: NodeId,
        target_id: NodeId,
        *,
        max_depth: int,
        direction: str,
        edge_types: Collection[str] | None,
    ) -> Path | None:
        with self.reading() as read:
            return read.shortest_path(
                workspace_id,
                source_id,
                target_id,
                max_depth=max_depth,
                direction=direction,
                edge_types=edge_types,
            )
