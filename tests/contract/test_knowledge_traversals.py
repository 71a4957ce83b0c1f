"""Traversals through app.knowledge on every adapter (memory, SQLite, PostgreSQL), checked
against networkx on random multigraphs with cycles, self-loops and parallel edges; a second
workspace holds other edges over the same node keys, which must never be followed. Plus the
bounds (depth, rows) failing clearly."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from nexus.app import Nexus
from nexus.shared.errors import NotFoundError, ValidationError
from tests.knowledge_world import other_workspace, user, write_graph

TYPES = ["knows", "cites"]
Edge = tuple[int, int, str]


def edges_over(count: int) -> st.SearchStrategy[list[Edge]]:
    ends = st.integers(0, count - 1)
    return st.lists(st.tuples(ends, ends, st.sampled_from(TYPES)), max_size=3 * count)


graph_pairs = st.integers(min_value=1, max_value=9).flatmap(
    lambda n: st.tuples(st.just(n), edges_over(n), edges_over(n))
)
random_graphs = settings(
    max_examples=35,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
type_filters = st.none() | st.lists(st.sampled_from(TYPES), min_size=1, unique=True)
directions = st.sampled_from(["out", "in", "both"])


class Graphs:
    """Writes a random graph through import_graph into a fresh workspace (and another graph
    over the same keys into a second workspace); counts the graphs checked."""

    def __init__(self, app: Nexus, tmp: Path, node: pytest.Item) -> None:
        self.app, self.tmp, self.node = app, tmp, node
        self.owner = user(app, "owner")
        self.examples = self.checks = 0
        self.index = -1

    def write(
        self, count: int, mine: list[Edge], theirs: list[Edge]
    ) -> tuple[uuid.UUID, list[uuid.UUID], dict[uuid.UUID, Edge]]:
        nodes = [{"id": f"n{i}", "type": "t", "label": str(i)} for i in range(count)]
        ids: list[uuid.UUID] = []
        kn = self.app.knowledge
        workspace = uuid.UUID(int=0)
        for edges in (theirs, mine):
            workspace = other_workspace(self.app, self.owner)
            document = [
                {"id": f"e{i}", "source": f"n{s}", "target": f"n{t}", "type": k}
                for i, (s, t, k) in enumerate(edges)
            ]
            path = write_graph(self.tmp / f"{uuid.uuid4().hex}.json", nodes, document)
            kn.import_graph(workspace, path, actor=self.owner)
            ids = [
                kn.find_node_by_key(workspace, f"n{i}", actor=self.owner).id for i in range(count)
            ]
        edge_ids = {
            kn.find_edge_by_key(workspace, f"e{i}", actor=self.owner).id: edge
            for i, edge in enumerate(mine)
        }
        return workspace, ids, edge_ids

    def checked(self, comparisons: int) -> None:
        self.examples += 1
        self.checks += comparisons
        text = f"{self.examples} random graphs, {self.checks} traversals checked against networkx"
        if self.index < 0:
            self.index = len(self.node.user_properties)
            self.node.user_properties.append(("figure", text))
        self.node.user_properties[self.index] = ("figure", text)


@pytest.fixture
def graphs(app: Nexus, tmp_path: Path, request: pytest.FixtureRequest) -> Graphs:
    return Graphs(app, tmp_path, request.node)


def expected_graph(count: int, edges: list[Edge], types: list[str] | None, direction: str) -> Any:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(range(count))
    graph.add_edges_from((s, t) for s, t, kind in edges if types is None or kind in types)
    if direction == "in":
        return graph.reverse()
    if direction == "both":
        return graph.to_undirected()
    return graph


@random_graphs
@given(graph=graph_pairs, depth=st.integers(0, 4), direction=directions, types=type_filters)
def test_neighbors_match_networkx(
    graphs: Graphs,
    graph: tuple[int, list[Edge], list[Edge]],
    depth: int,
    direction: str,
    types: list[str] | None,
) -> None:
    count, mine, theirs = graph
    workspace, ids, _ = graphs.write(count, mine, theirs)
    reference_graph = expected_graph(count, mine, types, direction)
    for start in range(count):
        found = graphs.app.knowledge.neighbors(
            workspace, ids[start], depth=depth, direction=direction, edge_types=types,
            actor=graphs.owner,
        )  # fmt: skip
        reference = nx.single_source_shortest_path_length(reference_graph, start, cutoff=depth)
        reference.pop(start)
        assert found == sorted(found, key=lambda n: (n.distance, n.node_id))
        assert {ids.index(n.node_id): n.distance for n in found} == reference
        assert len(found) == len(reference)
    graphs.checked(count)


@random_graphs
@given(graph=graph_pairs, max_depth=st.integers(0, 6), direction=directions, types=type_filters)
def test_shortest_path_matches_networkx(
    graphs: Graphs,
    graph: tuple[int, list[Edge], list[Edge]],
    max_depth: int,
    direction: str,
    types: list[str] | None,
) -> None:
    count, mine, theirs = graph
    workspace, ids, edge_ids = graphs.write(count, mine, theirs)
    reference_graph = expected_graph(count, mine, types, direction)
    pairs = list(itertools.product(range(count), repeat=2))[:20]
    for source, target in pairs:
        path = graphs.app.knowledge.shortest_path(
            workspace, ids[source], ids[target], max_depth=max_depth, direction=direction,
            edge_types=types, actor=graphs.owner,
        )  # fmt: skip
        try:
            length = nx.shortest_path_length(reference_graph, source, target)
        except nx.NetworkXNoPath:
            length = None
        if length is None or length > max_depth:
            assert path is None
            continue
        assert path is not None
        assert path.length == length
        assert path.node_ids[0] == ids[source]
        assert path.node_ids[-1] == ids[target]
        for i, edge_id in enumerate(path.edge_ids):
            s, t, kind = edge_ids[edge_id]
            here, after = ids.index(path.node_ids[i]), ids.index(path.node_ids[i + 1])
            assert types is None or kind in types
            allowed = {"out": [(s, t)], "in": [(t, s)], "both": [(s, t), (t, s)]}[direction]
            assert (here, after) in allowed
    graphs.checked(len(pairs))


def test_bounds_fail_clearly(graphs: Graphs) -> None:
    kn, owner = graphs.app.knowledge, graphs.owner
    workspace, ids, _ = graphs.write(4, [(0, 1, "knows"), (1, 2, "knows"), (2, 3, "knows")], [])
    with pytest.raises(ValidationError, match=r"depth: must be between 0 and 6"):
        kn.neighbors(workspace, ids[0], depth=7, actor=owner)
    with pytest.raises(ValidationError, match=r"max_depth: must be an integer"):
        kn.shortest_path(workspace, ids[0], ids[1], max_depth="2", actor=owner)
    with pytest.raises(ValidationError, match=r"direction: must be one of out, in, both"):
        kn.neighbors(workspace, ids[0], direction="up", actor=owner)
    with pytest.raises(ValidationError, match=r"edge_types"):
        kn.neighbors(workspace, ids[0], edge_types="knows", actor=owner)
    # Each type name is checked as text is: what no engine stores is refused on every engine.
    for bad, rule in (("kn\ud800", "valid Unicode"), ("k\x00", "NUL"), (1, "must be text")):
        with pytest.raises(ValidationError, match=rf"^edge_types\[1\]: .*{rule}"):
            kn.neighbors(workspace, ids[0], edge_types=["knows", bad], actor=owner)
        with pytest.raises(ValidationError, match=rf"^edge_types\[0\]: .*{rule}"):
            kn.shortest_path(workspace, ids[0], ids[1], edge_types=(bad,), actor=owner)
    # Any collection of names: a tuple, a set, a frozenset, a dict's keys.
    for names in (("knows",), {"knows"}, frozenset({"knows", "cites"}), {"knows": 1}.keys()):
        assert [
            n.node_id for n in kn.neighbors(workspace, ids[0], edge_types=names, actor=owner)
        ] == [ids[1]]
    with pytest.raises(NotFoundError, match=r"graph node"):
        kn.neighbors(workspace, uuid.uuid4(), actor=owner)
    with pytest.raises(NotFoundError, match=r"graph node"):
        kn.shortest_path(workspace, ids[0], uuid.uuid4(), actor=owner)
    assert kn.neighbors(workspace, ids[3], actor=owner) == []
    assert kn.shortest_path(workspace, ids[3], ids[0], actor=owner) is None
    path = kn.shortest_path(workspace, ids[0], ids[0], actor=owner)
    assert path is not None
    assert path.node_ids == (ids[0],)
    assert path.edge_ids == ()


def test_row_limit_fails_clearly(app: Nexus, tmp_path: Path) -> None:
    queries = app.container.knowledge.queries()
    queries.traversals.row_limit = 3
    owner = user(app, "owner")
    workspace = other_workspace(app, owner)
    nodes = [{"id": f"n{i}", "type": "t", "label": ""} for i in range(5)]
    edges = [{"id": f"e{i}", "source": "n0", "target": f"n{i}", "type": "k"} for i in range(1, 5)]
    app.knowledge.import_graph(
        workspace, write_graph(tmp_path / "star.json", nodes, edges), actor=owner
    )
    hub = app.knowledge.find_node_by_key(workspace, "n0", actor=owner).id
    with pytest.raises(ValidationError, match=r"depth: more than 3 nodes within 1 steps"):
        app.knowledge.neighbors(workspace, hub, depth=1, actor=owner)
    queries.traversals.row_limit = 4
    assert len(app.knowledge.neighbors(workspace, hub, depth=1, actor=owner)) == 4


def test_a_traversal_is_one_read_with_its_role_check(app: Nexus, tmp_path: Path) -> None:
    """A member's traversal that finds something is one statement (the walk checks the role);
    finding nothing, the role and the node checks follow on the same connection: no second
    unit of work. Seen on the engine's statements (SQL adapters)."""
    if app.container.config.persistence() == "memory":
        pytest.skip("the memory adapter has no connections")
    owner = user(app, "owner")
    workspace = other_workspace(app, owner)
    nodes = [{"id": f"n{i}", "type": "t", "label": ""} for i in range(3)]
    edges = [{"id": "e1", "source": "n0", "target": "n1", "type": "k"}]
    app.knowledge.import_graph(
        workspace, write_graph(tmp_path / "g.json", nodes, edges), actor=owner
    )
    start = app.knowledge.find_node_by_key(workspace, "n0", actor=owner).id
    lone = app.knowledge.find_node_by_key(workspace, "n2", actor=owner).id
    engine = app.container.engine()
    seen: list[tuple[Any, str]] = []  # the cursors are kept alive, so their ids stay distinct

    def record(connection: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append((cursor, statement))

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert len(app.knowledge.neighbors(workspace, start, depth=2, actor=owner)) == 1
        first = list(seen)
        seen.clear()
        assert app.knowledge.shortest_path(workspace, lone, start, actor=owner) is None
        second = list(seen)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    ((_, walk),) = first  # one statement: the CTE, gated on the member's role
    assert "WITH RECURSIVE" in walk.upper()
    assert "workspace_members" in walk
    assert len(second) == 3, second  # the CTE, the role, both ends checked in one statement
    for statements in (first, second):
        assert len({id(cursor) for cursor, _ in statements}) == 1
