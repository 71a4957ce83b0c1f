"""GML (Graph Modelling Language) as networkx and the classic network datasets write it.

    graph [ directed 0  node [ id 1 label "x" ]  edge [ source 1 target 2 value 3.5 ] ]

Why a tokenizer of our own: the one maintained Python reader, networkx's `parse_gml`, is a
large dependency for one function, builds a whole networkx graph, relabels nodes by label
unless told otherwise, and reports structure errors as NetworkXError without a line. GML is a
tiny grammar (key/value pairs, values are integers, reals, "strings" or `[ nested lists ]`,
`#` comments), so ~150 lines scan it with one regular expression, keep memory proportional to
the file, and name the line of every error.

Mapping: the single top-level `graph` list is the graph; `directed` (default 0) and
`multigraph` (default 0: a parallel edge is refused, as networkx does) are its flags; its other
attributes are not kept. A `node` needs an `id` (integer or string; the key is its text); its
`label` and `type` become the node's label and type (defaults: the key, "node"). An `edge`
needs `source` and `target` (node ids); `id` is its key and `type` its type (default "edge").
Every other attribute becomes a property; nested lists become JSON objects and a key repeated
in one list becomes a JSON array of its values (as networkx does). Strings have HTML entities
(`&amp;`, `&#233;`) decoded; networkx's `_networkx_list_start` marker keeps a short list a
list. INF and NAN are refused: a JSON property cannot hold them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import attrs

from nexus.knowledge.infrastructure.graph_formats.jsontext import decode_text
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

_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<comment>\#[^\n]*)
    |(?P<real>[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?\d+[eE][+-]?\d+|[+-]?(?:INF|NAN)\b)
    |(?P<int>[+-]?\d+)|(?P<key>[A-Za-z_][A-Za-z0-9_]*)|(?P<string>"[^"]*")
    |(?P<open>\[)|(?P<close>\])|(?P<bad>.)""",
    re.VERBOSE | re.DOTALL,
)

_LIST_START = "_networkx_list_start"


@attrs.define
class GmlList:
    """One `[ ... ]` of the file: its key/value pairs in order and the line it opens on."""

    line: int
    pairs: list[tuple[str, Any]] = attrs.field(factory=list)

    def get(self, key: str, default: Any = None) -> Any:
        for name, value in self.pairs:
            if name == key:
                return value
        return default

    def count(self, key: str) -> int:
        return sum(1 for name, _ in self.pairs if name == key)


def parse_gml_lists(text: str) -> GmlList:
    """The file as nested GmlLists (iterative: nesting depth costs no Python stack)."""
    stack = [GmlList(line=1)]
    keys: list[str] = []
    key: str | None = None
    line = 1
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        where = f"line {line}"
        if kind in ("space", "comment"):
            line += value.count("\n")
            continue
        if kind == "bad":
            raise ValidationError("gml", f"unexpected character {value!r} at {where}")
        if kind == "key" and key is None:
            key = value
            continue
        if kind == "close":
            if key is not None:
                raise ValidationError("gml", f"key {key!r} has no value at {where}")
            if len(stack) == 1:
                raise ValidationError("gml", f"']' without a matching '[' at {where}")
            done = stack.pop()
            stack[-1].pairs.append((keys.pop(), done))
            continue
        if key is None:
            raise ValidationError("gml", f"expected a key, found {value[:40]!r} at {where}")
        if kind == "open":
            stack.append(GmlList(line=line))
            keys.append(key)
        elif kind == "int":
            stack[-1].pairs.append((key, int(value)))
        elif kind == "real":
            stack[-1].pairs.append((key, float(value)))
        elif kind == "string":
            stack[-1].pairs.append((key, html.unescape(value[1:-1])))
            line += value.count("\n")
        else:
            raise ValidationError("gml", f"key {key!r} has no value (found {value!r}) at {where}")
        key = None
    if key is not None:
        raise ValidationError("gml", f"key {key!r} has no value at the end of the file")
    if len(stack) > 1:
        raise ValidationError("gml", f"'[' opened at line {stack[-1].line} is never closed")
    return stack[0]


def _plain(value: Any) -> Any:
    """A GmlList as a JSON object; a key repeated in one list becomes an array of its values."""
    if not isinstance(value, GmlList):
        return value
    grouped: dict[str, list[Any]] = {}
    for name, item in value.pairs:
        grouped.setdefault(name, []).append(_plain(item))
    return {name: _collapse(items) for name, items in grouped.items()}


def _collapse(items: list[Any]) -> Any:
    """One value stays a value; networkx marks a list that must stay a list (even of one)."""
    if items[0] == _LIST_START:
        return items[1:]
    return items[0] if len(items) == 1 else items


def _key(path: str, value: Any) -> str:
    if isinstance(value, (GmlList, float)):
        raise ValidationError(path, "must be an integer or a string")
    return check_text(path, str(value), blank=False)


def _one(path: str, element: GmlList, name: str) -> Any:
    if element.count(name) > 1:
        raise ValidationError(f"{path}.{name}", "given more than once")
    return element.get(name)


def _flag(graph: GmlList, name: str) -> bool:
    value = _one("graph", graph, name)
    if value not in (None, 0, 1) or isinstance(value, float):
        raise ValidationError(f"graph.{name}", "must be 0 or 1")
    return bool(value)


def _properties(path: str, element: GmlList, taken: tuple[str, ...]) -> dict[str, Any]:
    rest = GmlList(line=element.line, pairs=[p for p in element.pairs if p[0] not in taken])
    return check_properties(f"{path}.properties", _plain(rest))


def _elements(graph: GmlList, kind: str) -> Iterator[tuple[str, GmlList]]:
    index = 0
    for name, value in graph.pairs:
        if name != kind:
            continue
        path = f"graph.{kind}[{index}] (line {getattr(value, 'line', '?')})"
        if not isinstance(value, GmlList):
            raise ValidationError(path, f"a {kind} must be a [ ... ] list")
        index += 1
        yield path, value


def _nodes(graph: GmlList) -> Iterator[tuple[str, GraphNode]]:
    for path, node in _elements(graph, "node"):
        raw = _one(path, node, "id")
        if raw is None:
            raise ValidationError(f"{path}.id", "required")
        key = _key(f"{path}.id", raw)
        node_type = _one(path, node, "type")
        label = _one(path, node, "label")
        yield (
            path,
            GraphNode(
                key=key,
                type=check_text(f"{path}.type", node_type or DEFAULT_NODE_TYPE, blank=False),
                label=check_text(f"{path}.label", key if label is None else label),
                properties=_properties(path, node, ("id", "type", "label")),
            ),
        )


def _edges(graph: GmlList) -> Iterator[tuple[str, GraphEdge]]:
    for path, edge in _elements(graph, "edge"):
        ends = []
        for end in ("source", "target"):
            raw = _one(path, edge, end)
            if raw is None:
                raise ValidationError(f"{path}.{end}", "required")
            ends.append(_key(f"{path}.{end}", raw))
        key = _one(path, edge, "id")
        edge_type = _one(path, edge, "type")
        yield (
            path,
            GraphEdge(
                key=None if key is None else _key(f"{path}.id", key),
                source_key=ends[0],
                target_key=ends[1],
                type=check_text(f"{path}.type", edge_type or DEFAULT_EDGE_TYPE, blank=False),
                properties=_properties(path, edge, ("id", "source", "target", "type")),
            ),
        )


def read_gml(data: str | bytes) -> Graph:
    """Parse a GML document; any bad input is a ValidationError naming the element and line."""
    top = parse_gml_lists(decode_text(data, "gml"))
    if top.count("graph") != 1 or not isinstance(top.get("graph"), GmlList):
        raise ValidationError("gml", "must hold exactly one graph [ ... ]")
    graph: GmlList = top.get("graph")
    try:
        return build_graph(
            _nodes(graph),
            _edges(graph),
            directed=_flag(graph, "directed"),
            multigraph=_flag(graph, "multigraph"),
        )
    except RecursionError:
        raise ValidationError("gml", "attributes nested too deeply") from None
