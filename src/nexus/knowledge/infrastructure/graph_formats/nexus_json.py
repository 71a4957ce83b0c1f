"""nexus's own graph JSON format (version 1): read and write, round-tripping exactly.

    {"format": "nexus-graph", "version": 1,
     "nodes": [{"id": "n1", "type": "person", "label": "Ada", "properties": {...}}, ...],
     "edges": [{"id": "e1", "source": "n1", "target": "n2", "type": "knows",
                "properties": {...}}, ...]}

- `format` must be "nexus-graph" and `version` 1 (an integer); any other version is refused.
- Node `id` (the node's key: unique in the file, non-blank text), `type` (non-blank text) and
  `label` (text, may be empty) are required; `properties` is a JSON object (default `{}`).
- Edge `source` and `target` name node ids of the same file; `type` is required; `id` is text or
  null (an edge without a key), unique among edges when given; `properties` as for nodes.
- The graph is directed and may hold parallel edges and self-loops. Unknown members are refused
  (a misspelt member is an error, not silently dropped).
- Strings are UTF-8 without NUL or lone surrogates (PostgreSQL cannot store them); numbers are
  finite; object keys are unique. The writer emits one node or edge per line, Unicode unescaped;
  reading what it wrote gives back an equal `Graph` (ids, types, labels, nested properties).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nexus.knowledge.infrastructure.graph_formats.jsontext import dump_json, parse_json
from nexus.knowledge.infrastructure.graph_formats.values import (
    Graph,
    GraphEdge,
    GraphNode,
    build_graph,
    check_properties,
    check_text,
)
from nexus.shared.errors import ValidationError

FORMAT = "nexus-graph"
VERSION = 1
_TOP = {"format", "version", "nodes", "edges"}
_NODE = {"id", "type", "label", "properties"}
_EDGE = {"id", "source", "target", "type", "properties"}


def _members(path: str, item: Any, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValidationError(path, f"must be a JSON object, not {type(item).__name__}")
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise ValidationError(f"{path}.{unknown[0]}", "unknown member")
    missing = sorted(required - set(item))
    if missing:
        raise ValidationError(f"{path}.{missing[0]}", "required")
    return item


def _list(document: dict[str, Any], name: str) -> list[Any]:
    value = document.get(name, [])
    if not isinstance(value, list):
        raise ValidationError(name, f"must be a JSON array, not {type(value).__name__}")
    return value


def _nodes(items: list[Any]) -> Iterator[tuple[str, GraphNode]]:
    for index, item in enumerate(items):
        path = f"nodes[{index}]"
        node = _members(path, item, _NODE, {"id", "type", "label"})
        yield (
            path,
            GraphNode(
                key=check_text(f"{path}.id", node["id"], blank=False),
                type=check_text(f"{path}.type", node["type"], blank=False),
                label=check_text(f"{path}.label", node["label"]),
                properties=check_properties(f"{path}.properties", node.get("properties", {})),
            ),
        )


def _edges(items: list[Any]) -> Iterator[tuple[str, GraphEdge]]:
    for index, item in enumerate(items):
        path = f"edges[{index}]"
        edge = _members(path, item, _EDGE, {"source", "target", "type"})
        key = edge.get("id")
        yield (
            path,
            GraphEdge(
                key=None if key is None else check_text(f"{path}.id", key, blank=False),
                source_key=check_text(f"{path}.source", edge["source"], blank=False),
                target_key=check_text(f"{path}.target", edge["target"], blank=False),
                type=check_text(f"{path}.type", edge["type"], blank=False),
                properties=check_properties(f"{path}.properties", edge.get("properties", {})),
            ),
        )


def read_nexus_json(data: str | bytes) -> Graph:
    """Parse a nexus-graph document; any bad input is a ValidationError naming the element."""
    document = _members("graph", parse_json(data, "graph"), _TOP, {"format", "version"})
    if document["format"] != FORMAT:
        raise ValidationError("format", f"must be {FORMAT!r}")
    version = document["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version != VERSION:
        raise ValidationError(
            "version", f"unknown version {version!r}; this reader knows {VERSION}"
        )
    return build_graph(_nodes(_list(document, "nodes")), _edges(_list(document, "edges")))


def write_nexus_json(graph: Graph) -> str:
    """The nexus-graph document of `graph` (checked first, so what is written reads back)."""
    checked = build_graph(
        _nodes([_node_member(node) for node in graph.nodes]),
        _edges([_edge_member(edge) for edge in graph.edges]),
    )
    try:
        nodes = ",\n".join(dump_json(_node_member(node)) for node in checked.nodes)
        edges = ",\n".join(dump_json(_edge_member(edge)) for edge in checked.edges)
    except RecursionError:
        raise ValidationError("properties", "nested too deeply to write") from None
    head = dump_json({"format": FORMAT, "version": VERSION})[:-1]
    return f'{head},\n"nodes":[\n{nodes}\n],\n"edges":[\n{edges}\n]}}\n'


def _node_member(node: GraphNode) -> dict[str, Any]:
    return {
        "id": node.key,
        "type": node.type,
        "label": node.label,
        "properties": dict(node.properties),
    }


def _edge_member(edge: GraphEdge) -> dict[str, Any]:
    return {
        "id": edge.key,
        "source": edge.source_key,
        "target": edge.target_key,
        "type": edge.type,
        "properties": dict(edge.properties),
    }
