"""Graph traversals on 100k nodes / 500k edges: `GraphTraversals.neighbors` (depth 2) and
`shortest_path` as the use cases run them (one unit of work's `SqlTables` per call: a pooled
connection, the statement on its DBAPI cursor, the rows mapped to UUID ids), and through a
SQLAlchemy Core connection (an intermediate), against the same CTE text run on the raw driver
(sqlite3, psycopg) with the same parameters, interleaved, medians. SQLite always; PostgreSQL
too when NEXUS_TEST_POSTGRES_URL names a server.
"""

from __future__ import annotations

import os
import random
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Column, Engine, Index, MetaData, String, Table, Uuid, text
from sqlalchemy.engine import make_url

from benchmarks.common import console, interleaved, report
from nexus.knowledge.infrastructure.traversal_sql import GraphTraversals
from nexus.persistence.engine import create_engine_for
from nexus.persistence.sql import SqlTables

metadata = MetaData()
nodes = Table(
    "bench_graph_nodes",
    metadata,
    Column("workspace_id", Uuid, primary_key=True),
    Column("id", Uuid, primary_key=True),
    Column("type", String(50), nullable=False),
    Column("label", String(200), nullable=False),
)
edges = Table(
    "bench_graph_edges",
    metadata,
    Column("workspace_id", Uuid, primary_key=True),
    Column("id", Uuid, primary_key=True),
    Column("source_id", Uuid, nullable=False),
    Column("target_id", Uuid, nullable=False),
    Column("type", String(50), nullable=False),
    Index("ix_bench_graph_edges_source", "workspace_id", "source_id"),
    Index("ix_bench_graph_edges_target", "workspace_id", "target_id"),
)
TYPES = ["knows", "cites", "part_of"]


def _graph(
    node_count: int, edge_count: int
) -> tuple[uuid.UUID, list[uuid.UUID], list[tuple[Any, ...]]]:
    rng = random.Random(7)

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    workspace = new_id()
    ids = [new_id() for _ in range(node_count)]
    edge_rows = [
        (workspace, new_id(), rng.choice(ids), rng.choice(ids), rng.choice(TYPES))
        for _ in range(edge_count)
    ]
    return workspace, ids, edge_rows


@contextmanager
def _sqlite() -> Iterator[tuple[str, Callable[..., Any]]]:
    with tempfile.TemporaryDirectory(prefix="bench-graph-") as directory:
        path = Path(directory) / "graph.db"

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(path)

        yield f"sqlite:///{path}", connect


@contextmanager
def _postgres(server: str) -> Iterator[tuple[str, Callable[..., Any]]]:
    name = f"nexus_bench_graph_{os.getpid()}"
    admin = create_engine_for(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        yield url.render_as_string(hide_password=False), lambda: psycopg.connect(conninfo)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _load(
    engine: Engine,
    connect: Callable[..., Any],
    workspace: Any,
    ids: list[Any],
    edge_rows: list[tuple[Any, ...]],
) -> None:
    metadata.create_all(engine)
    raw = connect()
    if isinstance(raw, sqlite3.Connection):
        raw.executemany(
            "INSERT INTO bench_graph_nodes VALUES (?, ?, 'thing', ?)",
            [(workspace.hex, i.hex, f"node {n}") for n, i in enumerate(ids)],
        )
        raw.executemany(
            "INSERT INTO bench_graph_edges VALUES (?, ?, ?, ?, ?)",
            [(w.hex, e.hex, s.hex, t.hex, k) for w, e, s, t, k in edge_rows],
        )
        raw.commit()
        raw.execute("ANALYZE")
    else:
        with raw.cursor() as cursor:
            with cursor.copy("COPY bench_graph_nodes FROM STDIN") as copy:
                for n, i in enumerate(ids):
                    copy.write_row((workspace, i, "thing", f"node {n}"))
            with cursor.copy("COPY bench_graph_edges FROM STDIN") as copy:
                for row in edge_rows:
                    copy.write_row(row)
        raw.commit()
        raw.autocommit = True
        raw.execute("VACUUM ANALYZE")
    raw.close()


def _raw_query(
    engine: Engine, statement: Any, params: dict[str, Any]
) -> tuple[str, Callable[[dict[str, Any]], Any]]:
    """The statement's own SQL text and a function giving the driver's parameters."""
    compiled = statement.compile(dialect=engine.dialect)
    if engine.dialect.name == "sqlite":
        names = compiled.positiontup

        def positional(values: dict[str, Any]) -> Any:
            full = compiled.construct_params(values)
            return [v.hex if isinstance(v, uuid.UUID) else v for v in (full[n] for n in names)]

        return str(compiled), positional
    return str(compiled), compiled.construct_params


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _bench(title: str, url: str, connect: Callable[..., Any], quick: bool) -> None:
    node_count, edge_count = (10_000, 50_000) if quick else (100_000, 500_000)
    queries, reps = (50, 3) if quick else (300, 7)
    workspace, ids, edge_rows = _graph(node_count, edge_count)
    engine = create_engine_for(url)
    _load(engine, connect, workspace, ids, edge_rows)
    traversals = GraphTraversals(nodes, edges)
    rng = random.Random(11)
    starts = rng.sample(ids, queries)
    pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(max(queries // 10, 5))]
    connection = engine.connect()
    raw = connect()
    found: dict[str, int] = {}

    for direction in ("out", "both"):
        statement, params = traversals.neighbors_statement(
            workspace, starts[0], depth=2, direction=direction
        )
        sql, driver_params = _raw_query(engine, statement, params)
        prepared = [driver_params({**params, "start_id": s}) for s in starts]

        def through_nexus(direction: str = direction) -> None:
            total = 0
            for s in starts:
                tables = SqlTables(engine)
                try:
                    total += len(
                        traversals.neighbors(tables, workspace, s, depth=2, direction=direction)
                    )
                finally:
                    tables.close()
            found["nexus"] = total

        def through_core(direction: str = direction) -> None:
            found["core"] = sum(
                len(traversals.neighbors(connection, workspace, s, depth=2, direction=direction))
                for s in starts
            )

        def raw_driver(sql: str = sql, prepared: list[Any] = prepared) -> None:
            cursor = raw.cursor()
            found["raw"] = sum(len(cursor.execute(sql, p).fetchall()) for p in prepared)

        def raw_driver_typed(sql: str = sql, prepared: list[Any] = prepared) -> None:
            # The same, with ids as uuid.UUID (what nexus returns; psycopg gives them already).
            cursor = raw.cursor()
            for p in prepared:
                [(_as_uuid(node_id), distance) for node_id, distance in cursor.execute(sql, p)]

        medians = interleaved(
            {
                "raw driver, same CTE": raw_driver,
                "raw driver + UUID ids": raw_driver_typed,
                "nexus neighbors": through_nexus,
                "nexus neighbors, SQLAlchemy Core connection": through_core,
            },
            repetitions=reps,
        )
        assert found["nexus"] == found["raw"] == found["core"], found
        report(
            f"{title}: neighbors depth 2, {direction} ({found['raw'] / queries:.0f} nodes avg)",
            medians,
            baseline="raw driver, same CTE",
            operations=queries,
            unit="queries",
        )
        ratio = medians["nexus neighbors"] / medians["raw driver, same CTE"]
        console.print(
            f"{title} neighbors depth 2 {direction}: nexus/raw time = {ratio:.2f}x (target <= 1.3x)"
        )
        ratio = (
            medians["nexus neighbors, SQLAlchemy Core connection"] / medians["raw driver, same CTE"]
        )
        console.print(f"{title} neighbors depth 2 {direction}: Core/raw time = {ratio:.2f}x")

    statement, params = traversals.shortest_path_statement(
        workspace, ids[0], ids[1], max_depth=4, direction="both"
    )
    sql, driver_params = _raw_query(engine, statement, params)
    prepared = [driver_params({**params, "start_id": s, "target_id": t}) for s, t in pairs]

    def path_nexus() -> None:
        total = 0
        for s, t in pairs:
            tables = SqlTables(engine)
            try:
                path = traversals.shortest_path(
                    tables, workspace, s, t, max_depth=4, direction="both"
                )
            finally:
                tables.close()
            total += path is not None
        found["paths"] = total

    def path_raw() -> None:
        cursor = raw.cursor()
        for p in prepared:
            cursor.execute(sql, p).fetchall()

    medians = interleaved(
        {"raw driver, same CTE": path_raw, "nexus shortest_path": path_nexus}, repetitions=reps
    )
    report(
        f"{title}: shortest_path max_depth 4, both ({found['paths']}/{len(pairs)} found)",
        medians,
        baseline="raw driver, same CTE",
        operations=len(pairs),
        unit="queries",
    )
    ratio = medians["nexus shortest_path"] / medians["raw driver, same CTE"]
    console.print(f"{title} shortest_path: nexus/raw time = {ratio:.2f}x")
    connection.close()
    raw.close()
    engine.dispose()


def run(*, quick: bool = False) -> None:
    with _sqlite() as (url, connect):
        _bench("SQLite", url, connect, quick)
    server = os.environ.get("NEXUS_TEST_POSTGRES_URL")
    if server:
        with _postgres(server) as (url, connect):
            _bench("PostgreSQL", url, connect, quick)
    else:
        console.print("PostgreSQL skipped: set NEXUS_TEST_POSTGRES_URL to include it")
