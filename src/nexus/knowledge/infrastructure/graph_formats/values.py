"""The values every graph reader returns and every writer takes, and the checks they share."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from nexus.shared.errors import ValidationError

DEFAULT_NODE_TYPE = "node"
DEFAULT_EDGE_TYPE = "edge"


@attrs.frozen(kw_only=True)
class GraphNode:
    """A node as a file gives it: `key` is its id in the file (text), `properties` a JSON object."""

    key: str
    type: str
    label: str
    properties: Mapping[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class GraphEdge:
    """An edge between two node keys; `key` is the edge's own id when the file gives one."""

    key: str | None
    source_key: str
    target_key: str
    type: str
    properties: Mapping[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class Graph:
    """A whole graph read from a file. nexus's own format is always directed and multi."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    directed: bool = True
    multigraph: bool = True


def check_text(path: str, value: Any, *, blank: bool = True) -> str:
    """A string that PostgreSQL and UTF-8 can hold: no NUL, no lone surrogate."""
    if not isinstance(value, str):
        raise ValidationError(path, f"must be a string, not {type(value).__name__}")
    if not blank and not value.strip():
        raise ValidationError(path, "must not be blank")
    if "\x00" in value:
        raise ValidationError(path, "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(path, "must not contain lone surrogates") from None
    return value


def check_json(path: str, value: Any) -> None:
    """Refuse anything a JSON column cannot store exactly (iterative: deep values are fine)."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if item is None or isinstance(item, bool | int):
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                raise ValidationError(where, "must be a finite number (JSON has no NaN/Infinity)")
        elif isinstance(item, str):
            check_text(where, item)
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}[{i}]", element) for i, element in enumerate(item))
        elif isinstance(item, dict):
            for name, element in item.items():
                check_text(f"{where} key", name)
                stack.append((f"{where}.{name}", element))
        else:
            raise ValidationError(where, f"must be a JSON value, not {type(item).__name__}")


def check_properties(path: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(path, f"must be a JSON object, not {type(value).__name__}")
    check_json(path, value)
    return value


def build_graph(
    nodes: Iterable[tuple[str, GraphNode]],
    edges: Iterable[tuple[str, GraphEdge]],
    *,
    directed: bool = True,
    multigraph: bool = True,
) -> Graph:
    """Check the graph as a whole: node keys and edge keys unique, every edge's ends known, and
    no parallel edge in a graph that is not a multigraph. Each item comes with its path."""
    seen_nodes: dict[str, str] = {}
    node_list = []
    for path, node in nodes:
        if node.key in seen_nodes:
            raise ValidationError(
                f"{path}.id", f"duplicate node id {node.key!r} (first at {seen_nodes[node.key]})"
            )
        seen_nodes[node.key] = path
        node_list.append(node)
    seen_edges: dict[str, str] = {}
    pairs: dict[tuple[str, str], str] = {}
    edge_list = []
    for path, edge in edges:
        for end, key in (("source", edge.source_key), ("target", edge.target_key)):
            if key not in seen_nodes:
                raise ValidationError(f"{path}.{end}", f"dangling edge end: no node has id {key!r}")
        if edge.key is not None:
            if edge.key in seen_edges:
                raise ValidationError(
                    f"{path}.id",
                    f"duplicate edge id {edge.key!r} (first at {seen_edges[edge.key]})",
                )
            seen_edges[edge.key] = path
        if not multigraph:
            pair = (edge.source_key, edge.target_key)
            if not directed:
                pair = (min(pair), max(pair))
            if pair in pairs:
                raise ValidationError(
                    path,
                    f"parallel edge in a graph that is not a multigraph (first at {pairs[pair]})",
                )
            pairs[pair] = path
        edge_list.append(edge)
    return Graph(
        nodes=tuple(node_list), edges=tuple(edge_list), directed=directed, multigraph=multigraph
    )
