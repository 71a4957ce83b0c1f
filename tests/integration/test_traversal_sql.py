"""The traversal SQL on SQLite and PostgreSQL: random multigraphs (cycles, self-loops, parallel
edges) checked against networkx, with a second workspace's edges over the same node ids that
must never be followed; plus the bounds and the documented edge cases."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Engine, Index, MetaData, String, Table, Uuid, insert

from nexus.knowledge.infrastructure.traversal_sql import GraphTraversals, Neighbor
from nexus.persistence.sql import SqlTables
from nexus.shared.errors import ValidationError

TYPES = ["knows", "cites"]
metadata = MetaData()
nodes = Table(
    "test_traversal_nodes",
    metadata,
    Column("workspace_id", Uuid, primary_key=True),
    Column("id", Uuid, primary_key=True),
    Column("type", String(50), nullable=False),
)
edges = Table(
    "test_traversal_edges",
    metadata,
    Column("workspace_id", Uuid, primary_key=True),
    Column("id", Uuid, primary_key=True),
    Column("source_id", Uuid, nullable=False),
    Column("target_id", Uuid, nullable=False),
    Column("type", String(50), nullable=False),
    Index("ix_test_traversal_edges_source", "workspace_id", "source_id"),
    Index("ix_test_traversal_edges_target", "workspace_id", "target_id"),
)
traversals = GraphTraversals(nodes, edges, max_depth=6, row_limit=50)

Edge = tuple[int, int, str]


def edges_over(count: int) -> st.SearchStrategy[list[Edge]]:
    ends = st.integers(0, count - 1)
    return st.lists(st.tuples(ends, ends, st.sampled_from(TYPES)), max_size=3 * count)


# A node count, this workspace's edges and another workspace's edges over the same node ids.
graph_pairs = st.integers(min_value=1, max_value=10).flatmap(
    lambda n: st.tuples(st.just(n), edges_over(n), edges_over(n))
)
random_graphs = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
type_filters = st.none() | st.lists(st.sampled_from(TYPES), min_size=1, unique=True)
directions = st.sampled_from(["out", "in", "both"])


@pytest.fixture
def graph_engine(engine: Engine) -> Iterator[Engine]:
    """The project's clean database (SQLite or PostgreSQL) with the two test-local tables."""
    metadata.create_all(engine)
    yield engine
    metadata.drop_all(engine)


class Workspaces:
    """Writes graph A in one workspace and graph B, over the same node ids, in another."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def write(
        self, count: int, mine: list[Edge], theirs: list[Edge]
    ) -> tuple[Any, list[Any], dict[Any, Edge]]:
        workspace, other = uuid.uuid4(), uuid.uuid4()
        ids = [uuid.uuid4() for _ in range(count)]
        edge_ids = {uuid.uuid4(): edge for edge in mine}
        with self.engine.begin() as connection:
            connection.execute(
                insert(nodes),
                [
                    {"workspace_id": w, "id": i, "type": "t"}
                    for w in (workspace, other)
                    for i in ids
                ],
            )
            rows = [_edge_row(workspace, key, edge, ids) for key, edge in edge_ids.items()]
            rows += [_edge_row(other, uuid.uuid4(), edge, ids) for edge in theirs]
            if rows:
                connection.execute(insert(edges), rows)
        return workspace, ids, edge_ids


def _edge_row(workspace: Any, key: Any, edge: Edge, ids: list[Any]) -> dict[str, Any]:
    source, target, kind = edge
    return {
        "workspace_id": workspace,
        "id": key,
        "source_id": ids[source],
        "target_id": ids[target],
        "type": kind,
    }


def expected_graph(
    count: int, edge_list: list[Edge], types: list[str] | None, direction: str
) -> nx.Graph:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(range(count))
    graph.add_edges_from((s, t) for s, t, kind in edge_list if types is None or kind in types)
    if direction == "in":
        return graph.reverse()
    if direction == "both":
        return graph.to_undirected()
    return graph


class Counter:
    """Counts the random graphs a test checked; the figure shows in the run's summary."""

    def __init__(self, node: pytest.Item) -> None:
        self.node = node
        self.examples = 0
        self.index = len(node.user_properties)
        node.user_properties.append(("figure", ""))

    def add(self) -> None:
        self.examples += 1
        text = f"{self.examples} random graphs checked against networkx"
        self.node.user_properties[self.index] = ("figure", text)


@pytest.fixture
def counter(request: pytest.FixtureRequest) -> Counter:
    return Counter(request.node)


@random_graphs
@given(
    graphs=graph_pairs,
    start=st.integers(0, 9),
    depth=st.integers(0, 4),
    direction=directions,
    types=type_filters,
)
def test_neighbors_match_networkx(
    graph_engine: Engine,
    counter: Counter,
    graphs: tuple[int, list[Edge], list[Edge]],
    start: int,
    depth: int,
    direction: str,
    types: list[str] | None,
) -> None:
    count, edge_list, theirs = graphs
    start %= count
    workspace, ids, _ = Workspaces(graph_engine).write(count, edge_list, theirs)
    with graph_engine.connect() as connection:
        found = traversals.neighbors(
            connection, workspace, ids[start], depth=depth, direction=direction, edge_types=types
        )
    reference = nx.single_source_shortest_path_length(
        expected_graph(count, edge_list, types, direction), start, cutoff=depth
    )
    reference.pop(start)
    assert sorted(found, key=lambda n: (n.distance, n.node_id)) == found
    assert {ids.index(n.node_id): n.distance for n in found} == reference
    assert len(found) == len(reference)  # each node once
    counter.add()


@random_graphs
@given(
    graphs=graph_pairs,
    ends=st.tuples(st.integers(0, 9), st.integers(0, 9)),
    max_depth=st.integers(0, 6),
    direction=directions,
    types=type_filters,
)
def test_shortest_path_matches_networkx(
    graph_engine: Engine,
    counter: Counter,
    graphs: tuple[int, list[Edge], list[Edge]],
    ends: tuple[int, int],
    max_depth: int,
    direction: str,
    types: list[str] | None,
) -> None:
    count, edge_list, theirs = graphs
    source, target = ends[0] % count, ends[1] % count
    workspace, ids, edge_ids = Workspaces(graph_engine).write(count, edge_list, theirs)
    with graph_engine.connect() as connection:
        path = traversals.shortest_path(
            connection,
            workspace,
            ids[source],
            ids[target],
            max_depth=max_depth,
            direction=direction,
            edge_types=types,
        )
    reference = expected_graph(count, edge_list, types, direction)
    try:
        length: int | None = nx.shortest_path_length(reference, source, target)
    except nx.NetworkXNoPath:
        length = None
    if length is None or length > max_depth:
        assert path is None
        counter.add()
        return
    assert path is not None
    steps = [ids.index(node) for node in path.node_ids]
    assert steps[0] == source
    assert steps[-1] == target
    assert len(path.edge_ids) == length == len(steps) - 1
    for (here, after), edge_id in zip(itertools.pairwise(steps), path.edge_ids, strict=True):
        s, t, kind = edge_ids[edge_id]  # an edge of this workspace
        assert types is None or kind in types
        allowed = {"out": [(s, t)], "in": [(t, s)], "both": [(s, t), (t, s)]}[direction]
        assert (here, after) in allowed
    counter.add()


def _write(engine: Engine, count: int, edge_list: list[Edge]) -> tuple[Any, list[Any]]:
    workspace, ids, _ = Workspaces(engine).write(count, edge_list, [])
    return workspace, ids


def test_dense_graph_gives_each_node_once_and_the_row_limit_fails_clearly(
    graph_engine: Engine,
) -> None:
    complete = [(a, b, "knows") for a in range(30) for b in range(30)]  # loops included
    workspace, ids = _write(graph_engine, 30, complete)
    small = GraphTraversals(nodes, edges, row_limit=29)
    with graph_engine.connect() as connection:
        found = small.neighbors(connection, workspace, ids[0], depth=4, direction="both")
        assert sorted(n.node_id for n in found) == sorted(ids[1:])
        assert {n.distance for n in found} == {1}
        tighter = GraphTraversals(nodes, edges, row_limit=28)
        with pytest.raises(ValidationError, match="more than 28 nodes") as error:
            tighter.neighbors(connection, workspace, ids[0], depth=1)
    assert error.value.field == "depth"


def test_start_node_is_excluded_even_on_a_cycle_and_unknown_nodes_give_nothing(
    graph_engine: Engine,
) -> None:
    workspace, ids = _write(graph_engine, 3, [(0, 1, "knows"), (1, 0, "knows"), (0, 0, "knows")])
    with graph_engine.connect() as connection:
        assert traversals.neighbors(connection, workspace, ids[0], depth=3) == [Neighbor(ids[1], 1)]
        assert traversals.neighbors(connection, uuid.uuid4(), ids[0], depth=3) == []
        assert traversals.neighbors(connection, workspace, uuid.uuid4(), depth=3) == []
        same = traversals.shortest_path(connection, workspace, ids[2], ids[2], max_depth=0)
        assert same is not None
        assert same.node_ids == (ids[2],)
        assert same.edge_ids == ()
        assert traversals.shortest_path(connection, workspace, ids[0], ids[2], max_depth=6) is None


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"depth": 7}, "depth"),
        ({"depth": -1}, "depth"),
        ({"depth": "2"}, "depth"),
        ({"depth": True}, "depth"),
        ({"direction": "sideways"}, "direction"),
        ({"edge_types": []}, "edge_types"),
        ({"edge_types": "knows"}, "edge_types"),
        ({"edge_types": [1]}, "edge_types"),
    ],
)
def test_bad_arguments_are_validation_errors(arguments: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        traversals.neighbors_statement(uuid.uuid4(), uuid.uuid4(), **{"depth": 1, **arguments})
    assert error.value.field == field
    path_arguments = {"max_depth" if k == "depth" else k: v for k, v in arguments.items()}
    with pytest.raises(ValidationError):
        traversals.shortest_path_statement(
            uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), **{"max_depth": 1, **path_arguments}
        )


def test_a_value_the_database_refuses_in_an_in_list_read_is_a_validation_error(
    graph_engine: Engine,
) -> None:
    """A typed traversal's IN list is not on the compiled path: SqlTables.run sends it through
    SQLAlchemy, and what the driver refuses (PostgreSQL stores no NUL) is the ValidationError
    the compiled path gives, on a read that needs no write to be refused."""
    workspace, ids, _ = Workspaces(graph_engine).write(2, [(0, 1, "knows")], [])
    tables = SqlTables(graph_engine)
    try:
        statement, params = traversals.neighbors_statement(
            workspace, ids[0], depth=1, edge_types=["knows"]
        )
        assert [uuid.UUID(str(row[0])) for row in tables.run(statement, params)] == [ids[1]]
        statement, params = traversals.neighbors_statement(
            workspace, ids[0], depth=1, edge_types=["k\x00"]
        )
        if graph_engine.dialect.name == "postgresql":
            with pytest.raises(ValidationError, match="characters the database cannot store"):
                tables.run(statement, params)
        else:  # SQLite stores NUL: the type simply matches no edge
            assert tables.run(statement, params) == []
    finally:
        tables.close()
