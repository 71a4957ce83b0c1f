"""Graph file formats: nexus JSON, node-link JSON (networkx, d3) and GML, read as Graph values."""

from __future__ import annotations

from pathlib import Path

from nexus.knowledge.infrastructure.graph_formats.gml import read_gml
from nexus.knowledge.infrastructure.graph_formats.nexus_json import (
    read_nexus_json,
    write_nexus_json,
)
from nexus.knowledge.infrastructure.graph_formats.node_link import read_node_link
from nexus.knowledge.infrastructure.graph_formats.values import Graph, GraphEdge, GraphNode
from nexus.shared.errors import ValidationError

READERS = {"nexus": read_nexus_json, "node-link": read_node_link, "gml": read_gml}


def read_graph(data: str | bytes, format: str) -> Graph:
    """Read `data` in `format` ("nexus", "node-link" or "gml")."""
    reader = READERS.get(format) if isinstance(format, str) else None
    if reader is None:
        raise ValidationError("format", f"must be one of {', '.join(READERS)}")
    return reader(data)


def load_graph(path: str | Path, format: str | None = None) -> Graph:
    """Read the file at `path`; the format defaults from the suffix (.gml, else nexus JSON when
    the document says so, else node-link)."""
    try:
        data = Path(path).read_bytes()
    except (OSError, TypeError, ValueError) as error:
        raise ValidationError("path", f"cannot read the file: {error}") from None
    if format is None:
        if str(path).lower().endswith(".gml"):
            format = "gml"
        else:
            format = "nexus" if b'"nexus-graph"' in data[:200] else "node-link"
    return read_graph(data, format)


__all__ = [
    "Graph",
    "GraphEdge",
    "GraphNode",
    "load_graph",
    "read_gml",
    "read_graph",
    "read_nexus_json",
    "read_node_link",
    "write_nexus_json",
]
