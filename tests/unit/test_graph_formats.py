"""Graph file formats: nexus JSON round-trips exactly, networkx/d3 node-link JSON and GML read as
networkx wrote them, and bad input of every kind is a ValidationError naming element and rule."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nexus.knowledge.infrastructure.graph_formats import (
    Graph,
    GraphEdge,
    GraphNode,
    load_graph,
    read_gml,
    read_graph,
    read_nexus_json,
    read_node_link,
    write_nexus_json,
)
from nexus.shared.errors import ValidationError

texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
properties = st.dictionaries(texts, json_values, max_size=4)
names = texts.filter(lambda t: t.strip() != "")


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    keys = draw(st.lists(names, min_size=1, max_size=8, unique=True))
    nodes = [
        GraphNode(key=k, type=draw(names), label=draw(texts), properties=draw(properties))
        for k in keys
    ]
    edge_keys = draw(st.lists(names, max_size=8, unique=True))
    edges = [
        GraphEdge(
            key=draw(st.sampled_from([None, key])),
            source_key=draw(st.sampled_from(keys)),
            target_key=draw(st.sampled_from(keys)),
            type=draw(names),
            properties=draw(properties),
        )
        for key in edge_keys
    ]
    return Graph(nodes=tuple(nodes), edges=tuple(edges))


@settings(max_examples=150)
@given(graph=graphs())
def test_nexus_json_round_trips_exactly(graph: Graph) -> None:
    written = write_nexus_json(graph)
    read = read_nexus_json(written)
    assert read == graph
    assert [n.properties for n in read.nodes] == [n.properties for n in graph.nodes]
    assert [e.properties for e in read.edges] == [e.properties for e in graph.edges]
    assert write_nexus_json(read) == written
    assert read_nexus_json(written.encode()) == graph


def test_nexus_json_document_shape() -> None:
    graph = Graph(
        nodes=(
            GraphNode(key="n1", type="person", label="Zoë", properties={"tags": ["a", {"b": 1}]}),
            GraphNode(key="n2", type="person", label="", properties={}),
        ),
        edges=(GraphEdge(key=None, source_key="n1", target_key="n2", type="knows"),),
    )
    document = json.loads(write_nexus_json(graph))
    assert document["format"] == "nexus-graph"
    assert document["version"] == 1
    assert document["nodes"][0] == {
        "id": "n1",
        "type": "person",
        "label": "Zoë",
        "properties": {"tags": ["a", {"b": 1}]},
    }
    assert document["edges"] == [
        {"id": None, "source": "n1", "target": "n2", "type": "knows", "properties": {}}
    ]
    assert "Zoë" in write_nexus_json(graph)  # Unicode kept as is


def _networkx_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("a", type="person", label="Ada", meta={"x": [1, 2], "é": None})
    graph.add_node(2, weight=1.5)
    graph.add_node("self")
    graph.add_edge("a", 2, type="knows", w=1)
    graph.add_edge("a", 2)  # parallel
    graph.add_edge("self", "self")  # loop
    return graph


@pytest.mark.parametrize("edges", ["links", "edges"])
def test_networkx_node_link_data_reads(edges: str) -> None:
    data = json.dumps(nx.node_link_data(_networkx_graph(), edges=edges))
    graph = read_node_link(data)
    assert graph.directed
    assert graph.multigraph
    assert [n.key for n in graph.nodes] == ["a", "2", "self"]
    ada = graph.nodes[0]
    assert (ada.type, ada.label, ada.properties) == (
        "person",
        "Ada",
        {"meta": {"x": [1, 2], "é": None}},
    )
    assert graph.nodes[1] == GraphNode(key="2", type="node", label="2", properties={"weight": 1.5})
    assert [(e.source_key, e.target_key, e.type) for e in graph.edges] == [
        ("a", "2", "knows"),
        ("a", "2", "edge"),
        ("self", "self", "edge"),
    ]
    assert graph.edges[0].properties == {"w": 1, "key": 0}


def test_d3_links_by_index_and_by_node_object() -> None:
    data = {
        "nodes": [{"name": "Myriel", "group": 1}, {"name": "Napoleon", "group": 1}],
        "links": [
            {"source": 1, "target": 0, "value": 1},
            {"source": {"index": 0, "name": "Myriel"}, "target": {"index": 1}, "value": 2},
        ],
    }
    graph = read_node_link(json.dumps(data))
    assert not graph.directed
    assert [n.key for n in graph.nodes] == ["0", "1"]
    assert graph.nodes[1].properties == {"name": "Napoleon", "group": 1}
    assert [(e.source_key, e.target_key, e.properties) for e in graph.edges] == [
        ("1", "0", {"value": 1}),
        ("0", "1", {"value": 2}),
    ]


def test_d3_links_by_id() -> None:
    data = {
        "nodes": [{"id": "x"}, {"id": "y", "type": "t"}],
        "links": [{"source": "x", "target": "y"}],
    }
    graph = read_node_link(json.dumps(data))
    assert [(e.source_key, e.target_key) for e in graph.edges] == [("x", "y")]
    assert graph.nodes[1].type == "t"


def test_networkx_gml_reads_with_labels_entities_and_nested_lists() -> None:
    source = nx.Graph()
    source.add_node("café", kind="x", nested={"a": {"b": [1, 2]}, "one": [7]})
    source.add_node('b&"q')
    source.add_edge("café", 'b&"q', weight=2.0, type="near")
    graph = read_gml("\n".join(nx.generate_gml(source)))
    assert not graph.directed
    assert not graph.multigraph
    assert [(n.key, n.label) for n in graph.nodes] == [("0", "café"), ("1", 'b&"q')]
    assert graph.nodes[0].properties == {"kind": "x", "nested": {"a": {"b": [1, 2]}, "one": [7]}}
    assert graph.edges == (
        GraphEdge(
            key=None, source_key="0", target_key="1", type="near", properties={"weight": 2.0}
        ),
    )


CLASSIC_GML = """Creator "hand written, like the classic datasets"
# a comment line
graph
[
  directed 1
  multigraph 1
  node [ id 1 label "one" value -3 graphics [ x 1.5 y -2e3 fill "#ff0000" ] ]
  node
  [
    id 2   # trailing comment
    label "two &amp; &#233;"
  ]
  edge [ source 1 target 2 id "e1" ]
  edge [ source 1 target 2 ]
  edge [ source 2 target 2 ]
]
"""


def test_classic_gml_reads() -> None:
    graph = read_gml(CLASSIC_GML.encode())
    assert graph.directed
    assert graph.multigraph
    assert graph.nodes[0] == GraphNode(
        key="1",
        type="node",
        label="one",
        properties={"value": -3, "graphics": {"x": 1.5, "y": -2000.0, "fill": "#ff0000"}},
    )
    assert graph.nodes[1].label == "two & é"
    assert [(e.key, e.source_key, e.target_key) for e in graph.edges] == [
        ("e1", "1", "2"),
        (None, "1", "2"),
        (None, "2", "2"),
    ]


VALID_NEXUS = {
    "format": "nexus-graph",
    "version": 1,
    "nodes": [{"id": "a", "type": "t", "label": "A"}, {"id": "b", "type": "t", "label": "B"}],
    "edges": [{"id": "e", "source": "a", "target": "b", "type": "r"}],
}


def _nexus(**changes: Any) -> str:
    document = json.loads(json.dumps(VALID_NEXUS))
    for path, value in changes.items():
        *parents, last = path.split("__")
        target: Any = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return json.dumps(document)


BAD: list[tuple[Callable[[Any], Graph], Any, str, str]] = [
    (read_nexus_json, "{", "graph", "not JSON"),
    (read_nexus_json, b"\xff\xfe", "graph", "not UTF-8"),
    (read_nexus_json, '{"format": "nexus-graph", "version": NaN}', "graph", "not JSON"),
    (read_nexus_json, '{"format": "nexus-graph", "format": "x"}', "graph", "duplicate key"),
    (read_nexus_json, "[" * 100_000, "graph", "not JSON"),
    (read_nexus_json, _nexus(version=2), "version", "unknown version"),
    (read_nexus_json, _nexus(version="1"), "version", "unknown version"),
    (read_nexus_json, _nexus(format="graphml"), "format", "must be"),
    (read_nexus_json, _nexus(nodes="x"), "nodes", "array"),
    (read_nexus_json, _nexus(nodes__1__id="a"), "nodes[1].id", "duplicate node id"),
    (read_nexus_json, _nexus(nodes__0__id=1), "nodes[0].id", "must be a string"),
    (read_nexus_json, _nexus(nodes__0__type=" "), "nodes[0].type", "blank"),
    (read_nexus_json, _nexus(nodes__0__label="a\x00"), "nodes[0].label", "NUL"),
    (read_nexus_json, _nexus(nodes__0__colour="red"), "nodes[0].colour", "unknown member"),
    (read_nexus_json, _nexus(nodes__0__properties=[1]), "nodes[0].properties", "object"),
    (read_nexus_json, _nexus(edges__0__target="zz"), "edges[0].target", "dangling"),
    (
        read_nexus_json,
        _nexus(edges__0__properties={"x": "\ud800"}),
        "edges[0].properties.x",
        "surrogate",
    ),
    (read_nexus_json, "[]", "graph", "object"),
    (read_node_link, "{}", "nodes", "required"),
    (read_node_link, '{"nodes": [{"id": 1}, {"id": "1"}]}', "nodes[1].id", "duplicate"),
    (read_node_link, '{"nodes": [{"id": 1}, {}]}', "nodes[1].id", "every node"),
    (read_node_link, '{"nodes": [{"id": [1]}]}', "nodes[0].id", "string or an integer"),
    (
        read_node_link,
        '{"nodes": [{"id": 1}], "links": [{"source": 1, "target": 2}]}',
        "links[0].target",
        "dangling",
    ),
    (
        read_node_link,
        '{"nodes": [{}], "links": [{"source": 0, "target": 5}]}',
        "links[0].target",
        "outside",
    ),
    (
        read_node_link,
        '{"nodes": [{}], "links": [{"source": "0", "target": 0}]}',
        "links[0].source",
        "integer index",
    ),
    (
        read_node_link,
        '{"nodes": [{"id": 1}], "links": [{"source": 1}]}',
        "links[0].target",
        "required",
    ),
    (read_node_link, '{"nodes": [], "links": [], "edges": []}', "links", "not both"),
    (read_node_link, '{"nodes": [], "directed": "yes"}', "directed", "true or false"),
    (
        read_node_link,
        '{"multigraph": false, "nodes": [{"id": 1}, {"id": 2}],'
        ' "links": [{"source": 1, "target": 2}, {"source": 2, "target": 1}]}',
        "links[1]",
        "parallel edge",
    ),
    (read_node_link, '{"nodes": [{"id": 1, "w": Infinity}]}', "graph", "not JSON"),
    (read_gml, "graph [ node [ id 1 ] node [ id 1 ] ]", "graph.node[1] (line 1).id", "duplicate"),
    (read_gml, 'graph [ node [ label "x" ] ]', "graph.node[0] (line 1).id", "required"),
    (read_gml, "graph [ node [ id 1 ] edge [ source 1 target 9 ] ]", "target", "dangling"),
    (
        read_gml,
        "graph [ node [ id 1 ] edge [ source 1 target 1 ] edge [ source 1 target 1 ] ]",
        "graph.edge[1]",
        "parallel edge",
    ),
    (read_gml, "graph [ node [ id 1 ]", "gml", "never closed"),
    (read_gml, "graph [ node [ id 1 ] ] ]", "gml", "without a matching"),
    (read_gml, "graph [ node [ id ] ]", "gml", "has no value"),
    (read_gml, "graph [ node [ id 1 x @ ] ]", "gml", "unexpected character"),
    (read_gml, "graph [ 12 ]", "gml", "expected a key"),
    (read_gml, "node [ id 1 ]", "gml", "exactly one graph"),
    (read_gml, "graph [ ] graph [ ]", "gml", "exactly one graph"),
    (read_gml, "graph [ node [ id 1 w INF ] ]", "properties.w", "finite"),
    (read_gml, "graph [ node [ id 1.5 ] ]", "id", "integer or a string"),
    (read_gml, "graph [ node [ id 1 label 2 ] ]", "label", "must be a string"),
    (read_gml, "graph [ directed 2 ]", "graph.directed", "0 or 1"),
    (read_gml, "graph [ node 3 ]", "graph.node", "list"),
]


@pytest.mark.parametrize(("reader", "data", "field", "rule"), BAD)
def test_bad_input_is_a_validation_error_naming_element_and_rule(
    reader: Callable[[Any], Graph], data: Any, field: str, rule: str
) -> None:
    with pytest.raises(ValidationError) as error:
        reader(data)
    assert field in error.value.field
    assert rule in error.value.rule


def test_read_graph_and_load_graph_refuse_unknown_formats_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="format"):
        read_graph("{}", "graphml")
    with pytest.raises(ValidationError, match="path: cannot read"):
        load_graph(tmp_path / "missing.json")
    (tmp_path / "g.gml").write_text(CLASSIC_GML)
    assert len(load_graph(tmp_path / "g.gml").nodes) == 2
    (tmp_path / "g.json").write_text(json.dumps(VALID_NEXUS))
    assert load_graph(tmp_path / "g.json").edges[0].key == "e"


@settings(max_examples=300)
@given(data=st.text(max_size=80) | st.binary(max_size=80), reader=st.sampled_from(list(BAD)))
def test_readers_raise_only_validation_errors(data: str | bytes, reader: Any) -> None:
    with contextlib.suppress(ValidationError):
        reader[0](data)


@settings(max_examples=300)
@given(
    source=st.sampled_from([CLASSIC_GML, json.dumps(VALID_NEXUS)]),
    cut=st.integers(0, 400),
    length=st.integers(1, 5),
    insert=st.text(max_size=3),
)
def test_damaged_documents_raise_only_validation_errors(
    source: str, cut: int, length: int, insert: str
) -> None:
    damaged = source[:cut] + insert + source[cut + length :]
    for reader in (read_gml, read_nexus_json, read_node_link):
        with contextlib.suppress(ValidationError):
            reader(damaged)
