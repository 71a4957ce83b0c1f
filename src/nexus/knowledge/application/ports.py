"""The ports knowledge's use cases depend on: the unit of work, the read side (traversals),
graph files, and what they need from workspaces (`WorkspaceAccess`, implemented by the
composition root in `nexus.links`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from nexus.knowledge.application.results import NeighborResult
from nexus.knowledge.domain.graph import Edge, Node
from nexus.knowledge.domain.ids import EdgeId, NodeId
from nexus.knowledge.domain.ports import (
    EdgeRepository,
    GraphViewRepository,
    NodeRepository,
    OntologyRepository,
)
from nexus.shared.ids import UserId, WorkspaceId
from nexus.shared.uow import UnitOfWork


class KnowledgeUnitOfWork(UnitOfWork, Protocol):
    """The repositories a unit of work opens (read-only, so adapters may narrow them)."""

    @property
    def ontologies(self) -> OntologyRepository: ...

    @property
    def nodes(self) -> NodeRepository: ...

    @property
    def edges(self) -> EdgeRepository: ...

    @property
    def views(self) -> GraphViewRepository: ...


KnowledgeUnitOfWorkFactory = Callable[[], KnowledgeUnitOfWork]

Path = tuple[tuple[NodeId, ...], tuple[EdgeId, ...]]


class WorkspaceAccess(Protocol):
    """What knowledge needs to know about workspaces (workspaces answers it)."""

    def role_of(self, workspace_id: WorkspaceId, user_id: UserId) -> str | None:
        """The user's role in the workspace (owner, admin, member, viewer), or None."""
        ...

    def exists(self, workspace_id: WorkspaceId) -> bool: ...


class TraversalRead(WorkspaceAccess, Protocol):
    """One read on one connection: the role check (it answers `WorkspaceAccess`), then the
    traversal, then (when it found nothing) whether its nodes exist. A traversal use case
    costs one connection and no second unit of work."""

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
        """Each node within `depth` steps (its id, its distance), the start excluded, by
        distance then id; [] when the start is not a node of the workspace, or when `reader`
        is given and may not read the workspace (checked in the same statement)."""
        ...

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
        """One shortest path (nodes, edges), or None (also when `reader` may not read)."""
        ...

    def missing_nodes(self, workspace_id: WorkspaceId, node_ids: Sequence[NodeId]) -> list[NodeId]:
        """Those of `node_ids` that are not nodes of the workspace."""
        ...


class KnowledgeQueries(Protocol):
    """Traversals, one statement each on SQL (a recursive CTE), a BFS in memory; both bounded
    (depth and row limits that fail with a ValidationError)."""

    def reading(self) -> AbstractContextManager[TraversalRead]:
        """A read on one connection (see `TraversalRead`)."""
        ...

    def neighbors(
        self,
        workspace_id: WorkspaceId,
        node_id: NodeId,
        *,
        depth: int,
        direction: str,
        edge_types: Collection[str] | None,
    ) -> list[NeighborResult]:
        """`TraversalRead.neighbors` in a read of its own."""
        ...

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
        """`TraversalRead.shortest_path` in a read of its own."""
        ...


class FileNode(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def properties(self) -> Mapping[str, Any]: ...


class FileEdge(Protocol):
    @property
    def key(self) -> str | None: ...
    @property
    def source_key(self) -> str: ...
    @property
    def target_key(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def properties(self) -> Mapping[str, Any]: ...


class FileGraph(Protocol):
    @property
    def nodes(self) -> Sequence[FileNode]: ...
    @property
    def edges(self) -> Sequence[FileEdge]: ...


class GraphFiles(Protocol):
    """Graph files: nexus JSON, node-link JSON (networkx, d3), GML."""

    def load(self, path: str, format: str | None) -> FileGraph:
        """Read and check a graph file (format from the suffix or the content when None)."""
        ...

    def dump(self, nodes: Sequence[Node], edges: Sequence[tuple[Edge, str, str]]) -> str:
        """nexus's JSON document of the nodes and the edges (each with its ends' keys)."""
        ...
