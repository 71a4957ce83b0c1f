"""Knowledge's read side: the traversals, one prebuilt recursive-CTE statement each on SQL
(run through `SqlTables.run`, on the DBAPI cursor), breadth-first search over the memory
store's rows in memory; both give the same answers and obey the same limits."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from nexus.knowledge.application.ports import Path
from nexus.knowledge.domain.ids import NodeId
from nexus.knowledge.infrastructure import traversal_memory
from nexus.knowledge.infrastructure.records import GraphEdgeRecord, GraphNodeRecord
from nexus.knowledge.infrastructure.traversal_sql import GraphTraversals
from nexus.persistence.repository import Queries
from nexus.persistence.schema import info_for
from nexus.persistence.sql import SqlTables
from nexus.persistence.tables import Tables
from nexus.persistence.uow import TablesFactory
from nexus.shared.errors import ValidationError
from nexus.shared.ids import WorkspaceId

NODES = info_for(GraphNodeRecord)
EDGES = info_for(GraphEdgeRecord)
_POSITIONS = tuple(EDGES.columns.index(c) for c in ("id", "source_id", "target_id", "type"))


class KnowledgeQueries(Queries):
    def __init__(self, tables: TablesFactory, traversals: GraphTraversals | None = None) -> None:
        super().__init__(tables)
        self.traversals = traversals or GraphTraversals(NODES.table, EDGES.table)

    def _edges(self, tables: Tables, workspace_id: WorkspaceId, params: dict[str, Any]) -> Any:
        rows = tables.fetch_many(EDGES, {"workspace_id": workspace_id})
        positions = cast(tuple[int, int, int, int], _POSITIONS)
        return traversal_memory.typed(rows, positions, params.get("edge_types"))

    @staticmethod
    def _has_node(tables: Tables, workspace_id: WorkspaceId, node_id: NodeId) -> bool:
        return tables.fetch_one(NODES, {"workspace_id": workspace_id, "id": node_id}) is not None

    def neighbors(
        self,
        workspace_id: WorkspaceId,
        node_id: NodeId,
        *,
        depth: int,
        direction: str,
        edge_types: Collection[str] | None,
    ) -> list[tuple[NodeId, int]]:
        statement, params = self.traversals.neighbors_statement(
            workspace_id, node_id, depth=depth, direction=direction, edge_types=edge_types
        )
        with self._read() as tables:
            if isinstance(tables, SqlTables):
                rows: Any = tables.run(statement, params)
            elif self._has_node(tables, workspace_id, node_id):
                edges = self._edges(tables, workspace_id, params)
                rows = traversal_memory.neighbors(
                    edges, node_id, depth, direction, params["row_cap"]
                )
            else:
                rows = []
        limit = self.traversals.row_limit
        if len(rows) > limit:
            raise ValidationError(
                "depth",
                f"more than {limit} nodes within {depth} steps; "
                "ask for a smaller depth or fewer edge types",
            )
        return [(row[0], row[1]) for row in rows]

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
        statement, params = self.traversals.shortest_path_statement(
            workspace_id,
            source_id,
            target_id,
            max_depth=max_depth,
            direction=direction,
            edge_types=edge_types,
        )
        with self._read() as tables:
            if isinstance(tables, SqlTables):
                rows = tables.run(statement, params)
                if not rows:
                    return None
                return (
                    tuple(row[0] for row in rows),
                    tuple(row[1] for row in rows[:-1]),
                )
            if not self._has_node(tables, workspace_id, source_id):
                return None
            edges = self._edges(tables, workspace_id, params)
        return traversal_memory.shortest_path(edges, source_id, target_id, max_depth, direction)
