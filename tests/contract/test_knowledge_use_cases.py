"""app.knowledge on every adapter (memory, SQLite, PostgreSQL): nodes and edges, the ontology
rules, roles, graph views, import and export."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.shared.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from tests.factories.knowledge import SCHEMA
from tests.knowledge_world import Team, other_workspace, team, write_graph


@pytest.fixture
def t(app: Nexus) -> Team:
    return team(app)


def test_nodes_and_edges_round_trip_and_deleting_a_node_removes_its_edges(t: Team) -> None:
    kn, ws, me = t.kn, t.workspace, t.users["member"]
    ada = kn.add_node(ws, type="person", label="Ada", properties={"x": [1, {"y": None}]}, actor=me)
    bob = kn.add_node(ws, type="person", label="Bob", key="bob", actor=me)
    edge = kn.add_edge(ws, source_id=ada.id, target_id=bob.id, type="knows", actor=me)
    loop = kn.add_edge(ws, source_id=bob.id, target_id=bob.id, type="self", actor=me)
    assert kn.get_node(ws, ada.id, actor=me) == ada
    assert ada.key == str(ada.id)
    assert bob.key == "bob"
    assert kn.find_node_by_key(ws, "bob", actor=me) == bob
    assert kn.get_edge(ws, edge.id, actor=me) == edge
    changed = kn.update_node(ws, ada.id, label="Ada L.", properties={"born": 1815}, actor=me)
    assert (changed.label, changed.properties, changed.type) == ("Ada L.", {"born": 1815}, "person")
    assert kn.update_edge(ws, edge.id, properties={"since": 1833}, actor=me).properties == {
        "since": 1833
    }
    kn.delete_node(ws, bob.id, actor=me)
    for gone in (edge.id, loop.id):
        with pytest.raises(NotFoundError):
            kn.get_edge(ws, gone, actor=me)
    assert kn.get_node(ws, ada.id, actor=me).label == "Ada L."


def test_duplicate_node_key_is_a_conflict_and_bad_input_names_the_field(t: Team) -> None:
    kn, ws, me = t.kn, t.workspace, t.users["owner"]
    kn.add_node(ws, type="person", label="A", key="a", actor=me)
    with pytest.raises(ConflictError):
        kn.add_node(ws, type="person", label="B", key="a", actor=me)
    with pytest.raises(ValidationError, match=r"graph_nodes.type"):
        kn.add_node(ws, type=" ", label="B", actor=me)
    with pytest.raises(ValidationError, match=r"graph_nodes.properties"):
        kn.add_node(ws, type="t", label="B", properties={"n": float("nan")}, actor=me)
    with pytest.raises(ValidationError, match=r"node_id"):
        kn.get_node(ws, "not-a-uuid", actor=me)


def test_an_edge_cannot_join_nodes_of_two_workspaces(t: Team) -> None:
    kn, ws, owner = t.kn, t.workspace, t.users["owner"]
    other = other_workspace(t.app, owner)
    here = kn.add_node(ws, type="t", label="here", actor=owner)
    there = kn.add_node(other, type="t", label="there", actor=owner)
    with pytest.raises(NotFoundError, match=r"target_id"):
        kn.add_edge(ws, source_id=here.id, target_id=there.id, type="x", actor=owner)
    with pytest.raises(NotFoundError):
        kn.get_node(ws, there.id, actor=owner)
    assert kn.neighbors(other, there.id, depth=2, actor=owner) == []


def test_roles(t: Team) -> None:
    kn, ws, u = t.kn, t.workspace, t.users
    node = kn.add_node(ws, type="t", label="n", actor=u["member"])
    assert kn.get_node(ws, node.id, actor=u["viewer"]) == node
    with pytest.raises(PermissionDeniedError, match=r"a workspace viewer"):
        kn.add_node(ws, type="t", label="n", actor=u["viewer"])
    with pytest.raises(PermissionDeniedError, match=r"a non-member"):
        kn.get_node(ws, node.id, actor=u["outsider"])
    with pytest.raises(PermissionDeniedError, match=r"a non-member"):
        kn.neighbors(uuid.uuid4(), node.id, actor=u["outsider"])
    # A walk that would find nodes refuses a non-member all the same (the role gates it).
    near = kn.add_node(ws, type="t", label="near", actor=u["member"])
    kn.add_edge(ws, source_id=node.id, target_id=near.id, type="x", actor=u["member"])
    assert [n.node_id for n in kn.neighbors(ws, node.id, actor=u["viewer"])] == [near.id]
    assert kn.shortest_path(ws, node.id, near.id, actor=u["viewer"]) is not None
    with pytest.raises(PermissionDeniedError, match=r"neighbors: a non-member"):
        kn.neighbors(ws, node.id, actor=u["outsider"])
    with pytest.raises(PermissionDeniedError, match=r"shortest_path: a non-member"):
        kn.shortest_path(ws, node.id, near.id, actor=u["outsider"])
    with pytest.raises(PermissionDeniedError, match=r"save_ontology"):
        kn.save_ontology(ws, name="o", schema=SCHEMA, actor=u["member"])
    kn.save_ontology(ws, name="o", schema={"node_types": {"t": {}}}, actor=u["admin"])
    with pytest.raises(NotFoundError, match=r"workspace"):
        kn.export_graph(uuid.uuid4(), actor=OPERATOR)


def test_ontology_rules(t: Team) -> None:
    kn, ws, me = t.kn, t.workspace, t.users["owner"]
    with pytest.raises(NotFoundError):
        kn.get_ontology(ws, actor=me)
    saved = kn.save_ontology(ws, name="People", schema=SCHEMA, description="d", actor=me)
    assert kn.get_ontology(ws, actor=me) == saved
    assert saved.schema == SCHEMA
    ada = kn.add_node(ws, type="person", label="Ada", properties={"age": 36}, actor=me)
    paper = kn.add_node(ws, type="paper", label="Notes", properties={"year": 1843}, actor=me)
    with pytest.raises(ValidationError, match=r"node type 'robot' is not declared"):
        kn.add_node(ws, type="robot", label="R", actor=me)
    with pytest.raises(
        ValidationError, match=r"graph_nodes.properties.age: must be of type integer"
    ):
        kn.add_node(ws, type="person", label="B", properties={"age": "old"}, actor=me)
    with pytest.raises(ValidationError, match=r"property 'email' is not declared for node type"):
        kn.update_node(ws, ada.id, properties={"email": "a@b"}, actor=me)
    kn.add_edge(ws, source_id=ada.id, target_id=paper.id, type="wrote", actor=me)
    with pytest.raises(ValidationError, match=r"graph_edges.target_id: edge type 'knows' may not"):
        kn.add_edge(ws, source_id=ada.id, target_id=paper.id, type="knows", actor=me)
    with pytest.raises(ValidationError, match=r"edge type 'likes' is not declared"):
        kn.add_edge(ws, source_id=ada.id, target_id=ada.id, type="likes", actor=me)
    with pytest.raises(
        ValidationError, match=r"since: must be of type integer for edge type 'knows'"
    ):
        kn.add_edge(
            ws, source_id=ada.id, target_id=ada.id, type="knows", properties={"since": 1.5},
            actor=me,
        )  # fmt: skip
    # Replacing the schema keeps one ontology; a bad schema is refused and changes nothing.
    kn.save_ontology(ws, name="People 2", schema={"node_types": {"person": {}}}, actor=me)
    with pytest.raises(ValidationError, match=r"ontologies.schema.edge_types.x.source"):
        kn.save_ontology(
            ws, name="bad", actor=me,
            schema={"node_types": {"a": {}}, "edge_types": {"x": {"source": ["b"]}}},
        )  # fmt: skip
    assert kn.get_ontology(ws, actor=me).name == "People 2"
    kn.delete_ontology(ws, actor=me)
    kn.add_node(ws, type="robot", label="anything goes again", actor=me)


def test_views_private_to_their_creator(t: Team) -> None:
    kn, ws, u = t.kn, t.workspace, t.users
    shared = kn.save_view(ws, name="All", state={"zoom": 2}, actor=u["member"])
    mine = kn.save_view(ws, name="Mine", visibility="private", actor=u["admin"])
    names = lambda who: [v.name for v in kn.list_views(ws, actor=who)]  # noqa: E731
    assert names(u["admin"]) == ["All", "Mine"]
    assert names(u["member"]) == ["All"]
    assert names(OPERATOR) == ["All", "Mine"]
    with pytest.raises(NotFoundError):
        kn.get_view(ws, mine.id, actor=u["owner"])
    with pytest.raises(NotFoundError):
        kn.delete_view(ws, mine.id, actor=u["owner"])
    with pytest.raises(PermissionDeniedError):
        kn.save_view(ws, name="x", view_id=shared.id, actor=u["viewer"])
    renamed = kn.save_view(ws, name="Everything", view_id=shared.id, actor=u["owner"])
    assert (renamed.id, renamed.creator_id, renamed.name) == (shared.id, u["member"], "Everything")
    with pytest.raises(ValidationError, match=r"graph_views.visibility"):
        kn.save_view(ws, name="x", visibility="public", actor=u["member"])
    kn.delete_view(ws, mine.id, actor=u["admin"])
    kn.delete_view(ws, shared.id, actor=u["admin"])
    assert names(OPERATOR) == []


def _nodes(n: int) -> list[dict[str, Any]]:
    return [
        {"id": f"n{i}", "type": "person", "label": f"Person {i}", "properties": {"age": i}}
        for i in range(n)
    ]


def test_export_round_trips_exactly_and_import_is_idempotent(t: Team, tmp_path: Path) -> None:
    kn, ws, me = t.kn, t.workspace, t.users["owner"]
    nodes = _nodes(4)
    nodes[0]["properties"] = {"deep": {"list": [1, 2.5, "é", None, True]}, "age": 1}
    edges = [
        {"id": "e1", "source": "n0", "target": "n1", "type": "knows", "properties": {"w": 1}},
        {"id": None, "source": "n1", "target": "n1", "type": "loop", "properties": {}},
        {"id": None, "source": "n1", "target": "n2", "type": "knows", "properties": {}},
        {"id": None, "source": "n1", "target": "n2", "type": "knows", "properties": {}},
    ]
    path = write_graph(tmp_path / "g.json", nodes, edges)
    first = kn.import_graph(ws, path, actor=me)
    assert (first.nodes_added, first.edges_added) == (4, 4)
    again = kn.import_graph(ws, path, actor=me)
    assert (again.nodes_unchanged, again.edges_unchanged, again.nodes_added) == (4, 4, 0)
    exported = kn.export_graph(ws, actor=me)
    document = json.loads(exported)
    assert [n["id"] for n in document["nodes"]] == ["n0", "n1", "n2", "n3"]
    assert document["nodes"][0]["properties"] == nodes[0]["properties"]
    assert next(e["id"] for e in document["edges"]) == "e1"
    # Into a fresh workspace and out again: the same document, byte for byte.
    other = other_workspace(t.app, me)
    (tmp_path / "out.json").write_text(exported, encoding="utf-8")
    kn.import_graph(other, tmp_path / "out.json", actor=me)
    assert kn.export_graph(other, actor=me) == exported
    # A changed file updates in place.
    nodes[3]["label"] = "Renamed"
    edges[0]["properties"] = {"w": 2}
    changed = kn.import_graph(ws, write_graph(tmp_path / "g2.json", nodes, edges), actor=me)
    assert (changed.nodes_updated, changed.edges_updated) == (1, 1)


def test_import_is_one_transaction_and_checks_the_ontology(t: Team, tmp_path: Path) -> None:
    kn, ws, me = t.kn, t.workspace, t.users["owner"]
    kn.save_ontology(ws, name="o", schema=SCHEMA, actor=me)
    nodes = _nodes(3)
    nodes[2]["properties"] = {"age": "three"}
    path = write_graph(tmp_path / "bad.json", nodes, [])
    with pytest.raises(ValidationError, match=r"nodes\['n2'\].properties.age: must be of type"):
        kn.import_graph(ws, path, actor=me)
    long = _nodes(3)
    long[2]["label"] = "x" * 300
    kn.delete_ontology(ws, actor=me)
    with pytest.raises(ValidationError, match=r"nodes\['n2'\].label"):
        kn.import_graph(ws, write_graph(tmp_path / "long.json", long, []), actor=me)
    assert json.loads(kn.export_graph(ws, actor=me))["nodes"] == []
    with pytest.raises(ValidationError, match=r"path"):
        kn.import_graph(ws, tmp_path / "missing.json", actor=me)


def test_import_node_link_and_gml(t: Team, tmp_path: Path) -> None:
    kn, ws, me = t.kn, t.workspace, t.users["owner"]
    d3 = {
        "nodes": [{"name": "Myriel", "group": 1}, {"name": "Napoleon", "group": 1}],
        "links": [{"source": 1, "target": 0, "value": 1}],
    }
    (tmp_path / "d3.json").write_text(json.dumps(d3), encoding="utf-8")
    result = kn.import_graph(ws, tmp_path / "d3.json", actor=me)
    assert (result.nodes_added, result.edges_added) == (2, 1)
    gml = 'graph [\n directed 1\n node [ id 1 label "a" ]\n node [ id 2 label "b" ]\n'
    gml += " edge [ source 1 target 2 weight 3 ]\n]\n"
    (tmp_path / "g.gml").write_text(gml, encoding="utf-8")
    result = kn.import_graph(ws, tmp_path / "g.gml", actor=me)
    # GML node 1 is the d3 file's node at index 1 (same key): updated, not added.
    assert (result.nodes_added, result.nodes_updated, result.edges_added) == (1, 1, 1)
    napoleon = kn.find_node_by_key(ws, "1", actor=me)
    assert (napoleon.label, napoleon.properties) == ("a", {})
