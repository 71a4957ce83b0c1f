"""The GraphFiles port on the graph_formats readers and the nexus JSON writer."""

from __future__ import annotations

from collections.abc import Sequence

from nexus.knowledge.application.ports import FileGraph
from nexus.knowledge.domain.graph import Edge, Node
from nexus.knowledge.infrastructure.graph_formats import (
    Graph,
    GraphEdge,
    GraphNode,
    load_graph,
    write_nexus_json,
)


class GraphFileFormats:
    def load(self, path: str, format: str | None) -> FileGraph:
        return load_graph(path, format)

    def dump(self, nodes: Sequence[Node], edges: Sequence[tuple[Edge, str, str]]) -> str:
        graph = Graph(
            nodes=tuple(
                GraphNode(key=n.key, type=n.type, label=n.label, properties=n.properties)
                for n in nodes
            ),
            edges=tuple(
                GraphEdge(
                    key=e.key,
                    source_key=source,
                    target_key=target,
                    type=e.type,
                    properties=e.properties,
                )
                for e, source, target in edges
            ),
        )
        return write_nexus_json(graph)
