"""Export a workspace's graph as nexus JSON, and import a graph file (nexus JSON, node-link
JSON, GML) in one transaction, idempotently: nodes are matched by key, edges by key (a file's
edge without one gets a key derived from its ends, type and rank among its parallels)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from nexus.knowledge.application.ontologies import ontology_rules
from nexus.knowledge.application.ports import FileEdge, FileGraph, FileNode, KnowledgeUnitOfWork
from nexus.knowledge.application.results import ImportResult
from nexus.knowledge.application.support import (
    ActorLike,
    IdLike,
    KnowledgeUseCases,
    Need,
    workspace_id_of,
)
from nexus.knowledge.domain.graph import KEY_MAX_LENGTH, Edge, Node
from nexus.knowledge.domain.ids import NodeId
from nexus.shared.errors import ValidationError
from nexus.shared.ids import WorkspaceId
from nexus.shared.usecases import transaction

# Rows written per batch (one executemany each).
BATCH = 5_000
T = TypeVar("T")


def _batches(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def edge_keys(edges: Sequence[FileEdge]) -> list[str]:
    """Each edge's key: its own, else `source->target:type#rank` (hashed when too long)."""
    ranks: Counter[tuple[str, str, str]] = Counter()
    keys: list[str] = []
    given = {e.key for e in edges if e.key is not None}
    for edge in edges:
        if edge.key is not None:
            keys.append(edge.key)
            continue
        triple = (edge.source_key, edge.target_key, edge.type)
        ranks[triple] += 1
        key = f"{edge.source_key}->{edge.target_key}:{edge.type}#{ranks[triple]}"
        if len(key) > KEY_MAX_LENGTH:
            key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
        if key in given:
            raise ValidationError("edges", f"edge key {key!r} is given and also derived")
        keys.append(key)
    return keys


def _unique(keys: Sequence[str], where: str) -> None:
    """A file's node keys (edge keys) are unique: the import matches on them."""
    if len(set(keys)) != len(keys):
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                raise ValidationError(where, f"key {key!r} is given twice")
            seen.add(key)


def _located(where: str, error: ValidationError) -> ValidationError:
    """A refusal of the entity built from a file's element, naming the element."""
    field = error.field.split(".", 1)[-1]
    return ValidationError(f"{where}.{field}", error.rule)


class Transfer(KnowledgeUseCases):
    @transaction
    def export_graph(
        self, tx: KnowledgeUnitOfWork, workspace_id: IdLike, *, actor: ActorLike
    ) -> str:
        """The workspace's graph as a nexus JSON document (docs/knowledge.md): node ids are the
        nodes' keys, edge ids the edges' keys; importing it gives back the same graph."""
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.READ, "export_graph")
        nodes = tx.nodes.every(ws)
        keys = {n.id: n.key for n in nodes}
        edges = [(e, keys[e.source_id], keys[e.target_id]) for e in tx.edges.every(ws)]
        return self.files.dump(nodes, edges)

    def import_graph(
        self,
        workspace_id: IdLike,
        path: str | Path,
        *,
        format: str | None = None,
        actor: ActorLike,
    ) -> ImportResult:
        """Merge a graph file into the workspace in one transaction: a node whose key exists is
        updated, else added; the same for edges. Checked against the ontology; any refusal
        leaves the workspace as it was."""
        ws = workspace_id_of(workspace_id)
        self.authorize(ws, actor, Need.WRITE, "import_graph")
        graph = self.files.load(str(path), format)
        return self._merge(ws, graph)

    @transaction
    def _merge(
        self, tx: KnowledgeUnitOfWork, workspace_id: WorkspaceId, graph: FileGraph
    ) -> ImportResult:
        keys = edge_keys(graph.edges)
        rules = ontology_rules(tx, workspace_id)
        if rules is not None:
            types = {n.key: n.type for n in graph.nodes}
            for node in graph.nodes:
                rules.check_node(node.type, node.properties, where=f"nodes[{node.key!r}]")
            for edge, key in zip(graph.edges, keys, strict=True):
                rules.check_edge(
                    edge.type,
                    edge.properties,
                    types[edge.source_key],
                    types[edge.target_key],
                    where=f"edges[{key!r}]",
                )
        node_keys = [n.key for n in graph.nodes]
        _unique(node_keys, "nodes")
        _unique(keys, "edges")
        # Every lookup before any write: the batch finders see the tables as they were before
        # the import, so a plan PostgreSQL cached for a finder while the table was small is
        # never run on one the import has grown (a sequential scan per batch made a 120k-row
        # import 40 times slower). A workspace without nodes has no edges: nothing to look up.
        if tx.nodes.any(workspace_id):
            nodes_there = tx.nodes.by_keys(workspace_id, node_keys)
            edges_there = tx.edges.by_keys(workspace_id, keys)
        else:
            nodes_there, edges_there = {}, {}
        ids: dict[str, NodeId] = {}
        node_counts = self._merge_nodes(tx, workspace_id, graph.nodes, nodes_there, ids)
        edge_counts = self._merge_edges(tx, workspace_id, graph.edges, keys, edges_there, ids)
        return ImportResult(
            nodes_added=node_counts[0],
            nodes_updated=node_counts[1],
            nodes_unchanged=node_counts[2],
            edges_added=edge_counts[0],
            edges_updated=edge_counts[1],
            edges_unchanged=edge_counts[2],
        )

    def _merge_nodes(
        self,
        tx: KnowledgeUnitOfWork,
        ws: WorkspaceId,
        nodes: Sequence[FileNode],
        existing: Mapping[str, Node],
        ids: dict[str, NodeId],
    ) -> tuple[int, int, int]:
        now = self.clock.now()
        added = updated = unchanged = 0
        for batch in _batches(nodes):
            new: list[Node] = []
            for item in batch:
                key = item.key
                current = existing.get(key)
                try:
                    if current is None:
                        node = Node(
                            workspace_id=ws,
                            key=key,
                            type=item.type,
                            label=item.label,
                            properties=dict(item.properties),
                            created_at=now,
                            updated_at=now,
                        )
                        new.append(node)
                        ids[key] = node.id
                        continue
                    values = {
                        "type": item.type,
                        "label": item.label,
                        "properties": dict(item.properties),
                    }
                    changed = current.change(values, now)
                except ValidationError as error:
                    raise _located(f"nodes[{key!r}]", error) from None
                ids[key] = current.id
                if changed:
                    tx.nodes.update(current)
                    updated += 1
                else:
                    unchanged += 1
            tx.nodes.add_many(new)
            added += len(new)
        return added, updated, unchanged

    def _merge_edges(
        self,
        tx: KnowledgeUnitOfWork,
        ws: WorkspaceId,
        edges: Sequence[FileEdge],
        keys: Sequence[str],
        existing: Mapping[str, Edge],
        ids: dict[str, NodeId],
    ) -> tuple[int, int, int]:
        now = self.clock.now()
        added = updated = unchanged = 0
        pairs = list(zip(edges, keys, strict=True))
        for batch in _batches(pairs):
            new: list[Edge] = []
            for item, key in batch:
                source, target = ids[item.source_key], ids[item.target_key]
                current = existing.get(key)
                try:
                    if current is None:
                        new.append(
                            Edge(
                                workspace_id=ws,
                                key=key,
                                source_id=source,
                                target_id=target,
                                type=item.type,
                                properties=dict(item.properties),
                                created_at=now,
                            )
                        )
                        continue
                    values = {
                        "source_id": source,
                        "target_id": target,
                        "type": item.type,
                        "properties": dict(item.properties),
                    }
                    changed = current.change(values)
                except ValidationError as error:
                    raise _located(f"edges[{key!r}]", error) from None
                if changed:
                    tx.edges.update(current)
                    updated += 1
                else:
                    unchanged += 1
            tx.edges.add_many(new)
            added += len(new)
        return added, updated, unchanged
