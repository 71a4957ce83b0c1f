"""The knowledge context on 100k nodes / 500k edges, through `app.knowledge` against the raw
driver on the same migrated schema, interleaved, medians, on each engine:

- `neighbors` depth 2 (use case: the CTE with its read gate on the DBAPI cursor) against the
  same statement (the CTE and the gate: the reader's membership) on sqlite3 / psycopg / PyMySQL
  with prebuilt parameters (target: within 1.3x);
- `shortest_path` the same way;
- import of the graph file through `import_graph` (parse, ontology-free checks, batch finders,
  executemany) against a raw executemany of the same rows into a fresh workspace (and COPY on
  PostgreSQL). SQLite always; PostgreSQL when NEXUS_TEST_POSTGRES_URL names a server;
  MariaDB when NEXUS_BENCH_MARIADB_URL or NEXUS_TEST_MARIADB_URL does (a scratch database; the
  raw side is PyMySQL in the product's session settings, executemany sent as multi-row INSERTs).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

import nexus
from benchmarks.common import console, interleaved, report
from benchmarks.engines import Raw, mariadb_server, server_database
from nexus.app import Nexus, create_app
from nexus.identity import OPERATOR
from nexus.persistence.engine import create_engine_for
from nexus.shared.ids import new_id
from nexus.workspaces.infrastructure.key_ring import KeyRing

TYPES = ["knows", "cites", "part_of"]
NODE_SQL = (
    'INSERT INTO graph_nodes (workspace_id, id, "key", type, label, properties, created_at, '
    "updated_at) VALUES ({p})"
)
EDGE_SQL = (
    'INSERT INTO graph_edges (workspace_id, id, "key", source_id, target_id, type, properties, '
    "created_at) VALUES ({p})"
)


def _graph_file(directory: Path, node_count: int, edge_count: int) -> Path:
    """A nexus JSON file of a random multigraph (cycles, self-loops, parallel edges)."""
    rng = random.Random(7)
    nodes = [
        {"id": f"n{i}", "type": "thing", "label": f"node {i}", "properties": {"rank": i % 97}}
        for i in range(node_count)
    ]
    edges = [
        {
            "id": f"e{i}",
            "source": f"n{rng.randrange(node_count)}",
            "target": f"n{rng.randrange(node_count)}",
            "type": rng.choice(TYPES),
            "properties": {},
        }
        for i in range(edge_count)
    ]
    path = directory / f"graph-{node_count}.json"
    document = {"format": "nexus-graph", "version": 1, "nodes": nodes, "edges": edges}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@contextmanager
def _sqlite() -> Iterator[tuple[str, Callable[[], Any]]]:
    with tempfile.TemporaryDirectory(prefix="bench-knowledge-") as directory:
        path = Path(directory) / "nexus.db"

        def connect() -> sqlite3.Connection:
            connection = sqlite3.connect(path)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA foreign_keys=ON")
            return connection

        yield f"sqlite:///{path}", connect


@contextmanager
def _postgres(server: str) -> Iterator[tuple[str, Callable[[], Any]]]:
    name = f"nexus_bench_knowledge_{os.getpid()}"
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


@contextmanager
def _mariadb(server: str) -> Iterator[tuple[str, Callable[[], Any]]]:
    with server_database(server) as url:
        yield url, lambda: Raw(url).connection


def _is_mariadb(connection: Any) -> bool:
    return type(connection).__module__.startswith("pymysql")


def _new_workspace(app: Nexus, owner: uuid.UUID) -> uuid.UUID:
    return app.workspaces.create_workspace(
        name="Bench", slug=f"b-{uuid.uuid4().hex[:10]}", owner_id=owner, actor=owner
    ).id


def _raw_rows(
    path: Path, workspace: uuid.UUID, sqlite: bool, mariadb: bool = False
) -> tuple[list[Any], list[Any]]:
    """The rows import_graph writes, as the raw driver takes them (ids made beforehand)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    now = datetime.now(UTC)
    stamp: Any = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
    if mariadb:  # naive UTC DATETIME(6), JSON as its text, UUIDs as PyMySQL sends them
        return _mariadb_rows(document, workspace, now.replace(tzinfo=None))
    ws: Any = workspace.hex if sqlite else workspace
    ids: dict[str, Any] = {}
    nodes = []
    for n in document["nodes"]:
        node_id = new_id()
        ids[n["id"]] = node_id.hex if sqlite else node_id
        props = json.dumps(n["properties"]) if sqlite else psycopg.types.json.Jsonb(n["properties"])
        nodes.append((ws, ids[n["id"]], n["id"], n["type"], n["label"], props, stamp, stamp))
    edges = []
    for e in document["edges"]:
        edge_id = new_id()
        props = json.dumps(e["properties"]) if sqlite else psycopg.types.json.Jsonb(e["properties"])
        edges.append(
            (ws, edge_id.hex if sqlite else edge_id, e["id"], ids[e["source"]], ids[e["target"]],
             e["type"], props, stamp)
        )  # fmt: skip
    return nodes, edges


def _mariadb_rows(
    document: dict[str, Any], workspace: uuid.UUID, stamp: datetime
) -> tuple[list[Any], list[Any]]:
    ids = {n["id"]: new_id() for n in document["nodes"]}
    nodes = [
        (workspace, ids[n["id"]], n["id"], n["type"], n["label"], json.dumps(n["properties"]),
         stamp, stamp)
        for n in document["nodes"]
    ]  # fmt: skip
    edges = [
        (workspace, new_id(), e["id"], ids[e["source"]], ids[e["target"]], e["type"],
         json.dumps(e["properties"]), stamp)
        for e in document["edges"]
    ]  # fmt: skip
    return nodes, edges


def _raw_insert(connect: Callable[[], Any], nodes: list[Any], edges: list[Any]) -> None:
    raw = connect()
    if isinstance(raw, sqlite3.Connection):
        raw.executemany(NODE_SQL.format(p=", ".join("?" * 8)), nodes)
        raw.executemany(EDGE_SQL.format(p=", ".join("?" * 8)), edges)
    else:
        with raw.cursor() as cursor:
            cursor.executemany(NODE_SQL.format(p=", ".join(["%s"] * 8)), nodes)
            cursor.executemany(EDGE_SQL.format(p=", ".join(["%s"] * 8)), edges)
    raw.commit()
    raw.close()


def _raw_copy(connect: Callable[[], Any], nodes: list[Any], edges: list[Any]) -> None:
    raw = connect()
    with raw.cursor() as cursor:
        with cursor.copy(
            "COPY graph_nodes (workspace_id, id, key, type, label, properties, created_at, "
            "updated_at) FROM STDIN"
        ) as copy:
            for row in nodes:
                copy.write_row(row)
        with cursor.copy(
            "COPY graph_edges (workspace_id, id, key, source_id, target_id, type, properties, "
            "created_at) FROM STDIN"
        ) as copy:
            for row in edges:
                copy.write_row(row)
    raw.commit()
    raw.close()


def _analyze(connect: Callable[[], Any]) -> None:
    raw = connect()
    if isinstance(raw, sqlite3.Connection):
        raw.execute("ANALYZE")
    elif _is_mariadb(raw):
        with raw.cursor() as cursor:
            cursor.execute("ANALYZE TABLE graph_nodes, graph_edges")
            cursor.fetchall()
    else:
        # A settled database, as autovacuum leaves it, for every table the walk reads: the
        # members table too (the use case's role gate reads it). Never vacuumed, its visibility
        # map is unset and the gate's index-only probe fetches the heap on every call (~10% of
        # a depth-2 walk here); autovacuum skips a table that small until 1000 inserts.
        raw.autocommit = True
        raw.execute("VACUUM ANALYZE graph_nodes")
        raw.execute("VACUUM ANALYZE graph_edges")
        raw.execute("VACUUM ANALYZE workspace_members")
    raw.close()


def _driver_query(dialect: Any, statement: Any) -> tuple[str, Callable[[dict[str, Any]], Any]]:
    """The statement's own SQL text and a function giving the driver's parameters."""
    compiled = statement.compile(dialect=dialect)
    if dialect.name == "sqlite":
        names = compiled.positiontup

        def positional(values: dict[str, Any]) -> Any:
            full = compiled.construct_params(values)
            return [v.hex if isinstance(v, uuid.UUID) else v for v in (full[n] for n in names)]

        return str(compiled), positional
    return str(compiled), compiled.construct_params


def _imports(title: str, app: Nexus, owner: uuid.UUID, connect: Any, path: Path, reps: int,
             counts: tuple[int, int]) -> uuid.UUID:  # fmt: skip
    sqlite, mariadb = "SQLite" in title, "MariaDB" in title
    workspaces: dict[str, uuid.UUID] = {}
    prepared: dict[str, tuple[list[Any], list[Any]]] = {}

    def setup(name: str) -> None:
        workspaces[name] = _new_workspace(app, owner)
        if name != "nexus import_graph":
            prepared[name] = _raw_rows(path, workspaces[name], sqlite, mariadb)

    cases: dict[str, Callable[[], Any]] = {
        "raw executemany": lambda: _raw_insert(connect, *prepared["raw executemany"]),
        "nexus import_graph": lambda: app.knowledge.import_graph(
            workspaces["nexus import_graph"], path, actor=owner
        ),
    }
    if not sqlite and not mariadb:
        cases["raw COPY"] = lambda: _raw_copy(connect, *prepared["raw COPY"])
    medians = interleaved(cases, repetitions=reps, setup=setup)
    rows = counts[0] + counts[1]
    report(f"{title}: import {counts[0]} nodes + {counts[1]} edges", medians,
           baseline="raw executemany", operations=rows, unit="rows")  # fmt: skip
    ratio = medians["raw executemany"] / medians["nexus import_graph"]
    console.print(f"{title} import: nexus speed = {ratio:.2f}x the raw executemany")
    return workspaces["nexus import_graph"]


def _full_graph(title: str, app: Nexus, owner: uuid.UUID, connect: Any, path: Path) -> uuid.UUID:
    """The full graph for the traversals: loaded raw (fast), or, with
    NEXUS_BENCH_FULL_IMPORT=1, through import_graph once beside a raw load (one sample each:
    on a shared machine this takes many minutes)."""
    workspace = _new_workspace(app, owner)
    through = None
    if os.environ.get("NEXUS_BENCH_FULL_IMPORT"):
        started = time.perf_counter()
        app.knowledge.import_graph(workspace, path, actor=owner)
        through = time.perf_counter() - started
        rows = _raw_rows(path, _new_workspace(app, owner), "SQLite" in title, "MariaDB" in title)
    else:
        rows = _raw_rows(path, workspace, "SQLite" in title, "MariaDB" in title)
    started = time.perf_counter()
    _raw_insert(connect, *rows)
    raw = time.perf_counter() - started
    if through is None:
        console.print(f"{title} full graph loaded raw in {raw:.1f} s")
    else:
        console.print(
            f"{title} full graph, one sample each: import_graph {through:.1f} s, raw "
            f"executemany {raw:.1f} s: nexus speed = {raw / through:.2f}x"
        )
    return workspace


def _bench(title: str, url: str, connect: Callable[[], Any], quick: bool) -> None:
    node_count, edge_count = (10_000, 50_000) if quick else (100_000, 500_000)
    queries, reps = (50, 3) if quick else (300, 5)
    nexus.migrate(url)
    app = create_app(url, persistence="sqlalchemy")
    app.container.workspaces.key_ring.override(KeyRing.ephemeral())
    owner = app.identity.register_user(
        email=f"bench-{uuid.uuid4().hex[:6]}@example.org", name="Bench", password="bench pass 123"
    ).id
    with tempfile.TemporaryDirectory(prefix="bench-knowledge-file-") as directory:
        # Interleaved repetitions of the import on a fifth of the graph (minutes otherwise).
        small = _graph_file(Path(directory), node_count // 5, edge_count // 5)
        _imports(title, app, owner, connect, small, 3, (node_count // 5, edge_count // 5))
        path = _graph_file(Path(directory), node_count, edge_count)
        workspace = _full_graph(title, app, owner, connect, path)
    _analyze(connect)
    ids = _node_ids(connect, workspace)
    rng = random.Random(11)
    starts = [rng.choice(ids) for _ in range(queries)]
    pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(max(queries // 10, 5))]
    dialect = app.container.engine().dialect
    raw = connect()
    mariadb = _is_mariadb(raw)
    if mariadb:
        raw.autocommit(True)  # reads in autocommit, as engines.Raw.reads()
    found: dict[str, int] = {}
    # The raw driver runs the statement the use case runs for a member: the same recursive CTE
    # with the same read gate (the reader's membership, one indexed EXISTS), same parameters.
    gated = app.container.knowledge.queries().traversals
    statement, params = gated.neighbors_statement(workspace, starts[0], depth=2, reader=owner)
    sql, driver_params = _driver_query(dialect, statement)
    prepared = [driver_params({**params, "start_id": s}) for s in starts]

    def use_case() -> None:
        found["nexus"] = sum(
            len(app.knowledge.neighbors(workspace, s, depth=2, actor=owner)) for s in starts
        )

    def use_case_operator() -> None:
        for s in starts:
            app.knowledge.neighbors(workspace, s, depth=2, actor=OPERATOR)

    queries_port = app.container.knowledge.queries()

    def query_only() -> None:
        for s in starts:
            queries_port.neighbors(workspace, s, depth=2, direction="out", edge_types=None)

    def raw_driver() -> None:
        cursor = raw.cursor()
        if mariadb:  # PyMySQL's execute returns the row count
            found["raw"] = sum(cursor.execute(sql, p) and len(cursor.fetchall()) for p in prepared)
            return
        found["raw"] = sum(len(cursor.execute(sql, p).fetchall()) for p in prepared)

    medians = interleaved(
        {
            "raw driver, same CTE": raw_driver,
            "app.knowledge.neighbors (member)": use_case,
            "app.knowledge.neighbors (operator)": use_case_operator,
            "the CTE through KnowledgeQueries (no role check)": query_only,
        },
        repetitions=reps,
    )
    assert found["nexus"] == found["raw"], found
    report(f"{title}: neighbors depth 2, out ({found['raw'] / queries:.1f} nodes avg)", medians,
           baseline="raw driver, same CTE", operations=queries, unit="queries")  # fmt: skip
    ratio = medians["app.knowledge.neighbors (member)"] / medians["raw driver, same CTE"]
    console.print(f"{title} neighbors depth 2: use case / raw time = {ratio:.2f}x (target <= 1.3x)")
    ratio = (
        medians["the CTE through KnowledgeQueries (no role check)"]
        / medians["raw driver, same CTE"]
    )
    console.print(f"{title} neighbors depth 2: query path / raw time = {ratio:.2f}x")

    statement, params = gated.shortest_path_statement(
        workspace, ids[0], ids[1], max_depth=4, direction="out", reader=owner
    )
    sql, driver_params = _driver_query(dialect, statement)
    prepared = [driver_params({**params, "start_id": s, "target_id": t}) for s, t in pairs]

    def path_use_case() -> None:
        found["paths"] = sum(
            app.knowledge.shortest_path(workspace, s, t, max_depth=4, actor=owner) is not None
            for s, t in pairs
        )

    def path_raw() -> None:
        cursor = raw.cursor()
        for p in prepared:
            if mariadb:
                cursor.execute(sql, p)
                cursor.fetchall()
            else:
                cursor.execute(sql, p).fetchall()

    medians = interleaved(
        {"raw driver, same CTE": path_raw, "app.knowledge.shortest_path": path_use_case},
        repetitions=reps,
    )
    heading = f"{title}: shortest_path max_depth 4, out ({found['paths']}/{len(pairs)} found)"
    report(heading, medians, baseline="raw driver, same CTE", operations=len(pairs), unit="queries")
    ratio = medians["app.knowledge.shortest_path"] / medians["raw driver, same CTE"]
    console.print(f"{title} shortest_path: use case / raw time = {ratio:.2f}x")
    raw.close()
    app.close()


def _node_ids(connect: Callable[[], Any], workspace: uuid.UUID) -> list[uuid.UUID]:
    raw = connect()
    if isinstance(raw, sqlite3.Connection):
        rows = raw.execute(
            "SELECT id FROM graph_nodes WHERE workspace_id = ? ORDER BY id", (workspace.hex,)
        ).fetchall()
        found = [uuid.UUID(hex=r[0]) for r in rows]
    elif _is_mariadb(raw):
        with raw.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM graph_nodes WHERE workspace_id = %s ORDER BY id", (workspace,)
            )
            found = [uuid.UUID(r[0]) for r in cursor.fetchall()]
    else:
        rows = raw.execute(
            "SELECT id FROM graph_nodes WHERE workspace_id = %s ORDER BY id", (workspace,)
        ).fetchall()
        found = [r[0] for r in rows]
    raw.close()
    return found


def run(*, quick: bool = False) -> None:
    with _sqlite() as (url, connect):
        _bench("SQLite", url, connect, quick)
    server = os.environ.get("NEXUS_TEST_POSTGRES_URL")
    if server:
        with _postgres(server) as (url, connect):
            _bench("PostgreSQL", url, connect, quick)
    else:
        console.print("PostgreSQL skipped: set NEXUS_TEST_POSTGRES_URL to include it")
    server = mariadb_server()
    if server:
        with _mariadb(server) as (url, connect):
            _bench("MariaDB", url, connect, quick)
    else:
        console.print("MariaDB skipped: set NEXUS_TEST_MARIADB_URL to include it")
