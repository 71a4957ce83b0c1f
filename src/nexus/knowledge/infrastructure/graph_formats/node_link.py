"""Node-link JSON as networkx's `node_link_data` and d3 write it.

networkx: `{"directed": bool, "multigraph": bool, "graph": {...}, "nodes": [{"id": ...}, ...],
"links" | "edges": [{"source": id, "target": id, "key": k, ...}]}`; d3: `{"nodes": [...],
"links": [{"source": s, "target": t}]}` where s and t are node ids, integer indexes into `nodes`
when the nodes carry no `id`, or (after a d3 simulation) the node objects themselves.

A node's key is its `id` as text (`1` and `"1"` are the same key, hence a duplicate) or, for
nodes without ids, its index. `type` and `label` become the node's type and label (defaults:
"node", the key); every other attribute is kept as a property. Edges: `id` is the edge key,
`type` its type (default "edge"), the rest properties (networkx's multigraph `key` included).
`directed` and `multigraph` default to networkx's (undirected, multigraph); in a graph that is
not a multigraph a parallel edge is refused. Graph-level attributes (`graph`) are not kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nexus.knowledge.infrastructure.graph_formats.jsontext import parse_json
from nexus.knowledge.infrastructure.graph_formats.values import (
    DEFAULT_EDGE_TYPE,
    DEFAULT_NODE_TYPE,
    Graph,
    GraphEdge,
    GraphNode,
    build_graph,
    check_properties,
    check_text,
)
from nexus.shared.errors import ValidationError


def _key(path: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(path, f"must be a string or an integer, not {type(value).__name__}")
    return check_text(path, str(value), blank=False)


def _flag(document: dict[str, Any], name: str, default: bool) -> bool:
    value = document.get(name, default)
    if not isinstance(value, bool | int) or value not in (0, 1):
        raise ValidationError(name, "must be true or false")
    return bool(value)


def _nodes(items: list[Any], by_index: bool) -> Iterator[tuple[str, GraphNode]]:
    for index, item in enumerate(items):
        path = f"nodes[{index}]"
        if not isinstance(item, dict):
            raise ValidationError(path, f"must be a JSON object, not {type(item).__name__}")
        if by_index == ("id" in item):
            raise ValidationError(f"{path}.id", "either every node has an id or none has")
        key = str(index) if by_index else _key(f"{path}.id", item["id"])
        rest = {k: v for k, v in item.items() if k not in ("id", "type", "label")}
        yield (
            path,
            GraphNode(
                key=key,
                type=check_text(f"{path}.type", item.get("type", DEFAULT_NODE_TYPE), blank=False),
                label=check_text(f"{path}.label", item.get("label", key)),
                properties=check_properties(f"{path}.properties", rest),
            ),
        )


def _end(path: str, value: Any, by_index: bool, count: int) -> str:
    if isinstance(value, dict):  # d3 replaces the end by its node object
        value = value.get("index") if by_index else value.get("id")
    if not by_index:
        return _key(path, value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(path, "must be an integer index into nodes (the nodes have no id)")
    if not 0 <= value < count:
        raise ValidationError(
            path, f"dangling edge end: index {value} is outside nodes[0..{count - 1}]"
        )
    return str(value)


def _edges(
    name: str, items: list[Any], by_index: bool, count: int
) -> Iterator[tuple[str, GraphEdge]]:
    for index, item in enumerate(items):
        path = f"{name}[{index}]"
        if not isinstance(item, dict):
            raise ValidationError(path, f"must be a JSON object, not {type(item).__name__}")
        for end in ("source", "target"):
            if end not in item:
                raise ValidationError(f"{path}.{end}", "required")
        key = item.get("id")
        rest = {k: v for k, v in item.items() if k not in ("id", "source", "target", "type")}
        yield (
            path,
            GraphEdge(
                key=None if key is None else _key(f"{path}.id", key),
                source_key=_end(f"{path}.source", item["source"], by_index, count),
                target_key=_end(f"{path}.target", item["target"], by_index, count),
                type=check_text(f"{path}.type", item.get("type", DEFAULT_EDGE_TYPE), blank=False),
                properties=check_properties(f"{path}.properties", rest),
            ),
        )


def read_node_link(data: str | bytes) -> Graph:
    """Parse networkx or d3 node-link JSON; bad input is a ValidationError naming the element."""
    document = parse_json(data, "graph")
    if not isinstance(document, dict):
        raise ValidationError("graph", f"must be a JSON object, not {type(document).__name__}")
    if "links" in document and "edges" in document:
        raise ValidationError("links", "give either links or edges, not both")
    name = "edges" if "edges" in document else "links"
    nodes = document.get("nodes")
    links = document.get(name, [])
    if not isinstance(nodes, list):
        raise ValidationError("nodes", "required: a JSON array")
    if not isinstance(links, list):
        raise ValidationError(name, "must be a JSON array")
    by_index = bool(nodes) and isinstance(nodes[0], dict) and "id" not in nodes[0]
    return build_graph(
        _nodes(nodes, by_index),
        _edges(name, links, by_index, len(nodes)),
        directed=_flag(document, "directed", False),
        multigraph=_flag(document, "multigraph", True),
    )
