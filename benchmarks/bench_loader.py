"""The documents loader (`app.documents.load`: DAT parsing, validation, dedupe, provenance,
families, checkpoints) against the raw driver doing the same writes (the very rows the loader
wrote, replayed per chunk with prebuilt statements: sqlite3 executemany; psycopg executemany
and COPY; PyMySQL executemany), same run, interleaved; then resume vs fresh, sparse vs dense,
and the peak RSS of a 1M-document load (a subprocess). PostgreSQL: $NEXUS_BENCH_POSTGRES_URL or
$NEXUS_TEST_POSTGRES_URL; MariaDB: $NEXUS_BENCH_MARIADB_URL or $NEXUS_TEST_MARIADB_URL (server
URLs; a scratch database is created and dropped)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

import nexus
from benchmarks.common import console, interleaved, report
from benchmarks.engines import Raw, mariadb_server, server_database
from nexus.app import Nexus, create_app
from nexus.documents.application.loading import CHUNK
from nexus.documents.samples.production import write_production
from nexus.persistence.engine import create_engine_for
from nexus.records import context_tables, metadata

TABLES = [t.name for t in context_tables()["documents"]]
ORDER = [t.name for t in metadata.sorted_tables if t.name in TABLES]
LOADED = ORDER


class HalfWayError(Exception):
    """Stops a load half way (as Ctrl-C would), leaving a half-loaded batch."""


def _stop_half_way(total: int) -> Callable[[int, int, int], None]:
    def progress(done: int, _read: int, _size: int) -> None:
        if done >= total // 2:
            raise HalfWayError

    return progress


# -- databases ------------------------------------------------------------------------------


class Sqlite:
    name = "SQLite"
    staged: tuple[list[str], list[Any]] = ([], [])

    def __init__(self, directory: Path) -> None:
        self.template = directory / "template.db"
        self.path = directory / "bench.db"
        nexus.migrate(f"sqlite:///{self.template}")
        self.url = f"sqlite:///{self.path}"

    def fresh(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.template, self.path)

    def rows(self, tables: list[str] = LOADED) -> dict[str, tuple[list[str], list[Any]]]:
        with sqlite3.connect(self.path) as connection:
            out = {}
            for table in tables:
                cursor = connection.execute(f"SELECT * FROM {table}")  # noqa: S608
                out[table] = ([d[0] for d in cursor.description], cursor.fetchall())
            return out

    def raw_writer(self, copy: bool = False) -> Callable[[list[dict[str, Any]]], None]:
        def write(slices: list[dict[str, Any]]) -> None:
            connection = sqlite3.connect(self.path, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA foreign_keys=ON")
            for piece in slices:
                connection.execute("BEGIN")
                for table, (columns, rows) in piece.items():
                    if table == STATEMENTS:
                        for sql, params in rows:
                            connection.execute(sql, params)
                        continue
                    marks = ", ".join("?" for _ in columns)
                    connection.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                        rows,
                    )
                connection.execute("COMMIT")
            connection.close()

        return write


class Postgres:
    name = "PostgreSQL"
    staged: tuple[list[str], list[Any]] = ([], [])

    def __init__(self, server_url: str) -> None:
        self.server = server_url
        self.database = f"bench_loader_{uuid.uuid4().hex[:8]}"
        admin = create_engine_for(server_url)
        with admin.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text(f'CREATE DATABASE "{self.database}"')
            )
        admin.dispose()
        self.url = make_url(server_url).set(database=self.database).render_as_string(False)
        nexus.migrate(self.url)
        self.dsn = make_url(self.url).set(drivername="postgresql").render_as_string(False)

    def drop(self) -> None:
        admin = create_engine_for(self.server)
        with admin.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            )
        admin.dispose()

    def fresh(self) -> None:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as connection:
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            connection.execute(f"TRUNCATE {names} CASCADE")
            connection.execute("VACUUM ANALYZE")

    def rows(self, tables: list[str] = LOADED) -> dict[str, tuple[list[str], list[Any]]]:
        import psycopg
        from psycopg.types.json import Jsonb

        out = {}
        with psycopg.connect(self.dsn) as connection:
            for table in tables:
                cursor = connection.execute(f"SELECT * FROM {table}")  # noqa: S608
                columns = [d.name for d in cursor.description or []]
                rows = [
                    tuple(Jsonb(v) if isinstance(v, list | dict) else v for v in row)
                    for row in cursor.fetchall()
                ]
                out[table] = (columns, rows)
        return out

    def raw_writer(self, copy: bool = False) -> Callable[[list[dict[str, Any]]], None]:
        import psycopg

        def write(slices: list[dict[str, Any]]) -> None:
            with psycopg.connect(self.dsn) as connection:
                for piece in slices:
                    with connection.cursor() as cursor:
                        for table, (columns, rows) in piece.items():
                            if table == STATEMENTS:
                                for sql, params in rows:
                                    cursor.execute(sql.replace("?", "%s"), params)
                                continue
                            names = ", ".join(columns)
                            if copy:
                                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as out:
                                    for row in rows:
                                        out.write_row(row)
                            else:
                                marks = ", ".join("%s" for _ in columns)
                                cursor.executemany(
                                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                                    rows,
                                )
                    connection.commit()

        return write


class Mariadb:
    """A scratch database on a MariaDB server; the raw side is PyMySQL (engines.Raw: the
    product's session settings) with executemany, one transaction per chunk."""

    name = "MariaDB"
    staged: tuple[list[str], list[Any]] = ([], [])

    def __init__(self, server_url: str) -> None:
        self.scratch = server_database(server_url)
        self.url = self.scratch.__enter__()

    def drop(self) -> None:
        self.scratch.__exit__(None, None, None)

    def fresh(self) -> None:
        raw = Raw(self.url)
        with raw.connection.cursor() as cursor:
            cursor.execute("SET SESSION foreign_key_checks = 0")
            for table in reversed(metadata.sorted_tables):
                cursor.execute(f'DELETE FROM "{table.name}"')  # noqa: S608
        raw.connection.commit()
        raw.close()

    def rows(self, tables: list[str] = LOADED) -> dict[str, tuple[list[str], list[Any]]]:
        raw = Raw(self.url)
        out = {}
        with raw.connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
                out[table] = ([d[0] for d in cursor.description], list(cursor.fetchall()))
        raw.close()
        return out

    def raw_writer(self, copy: bool = False) -> Callable[[list[dict[str, Any]]], None]:
        def write(slices: list[dict[str, Any]]) -> None:
            raw = Raw(self.url)
            raw.writes()
            with raw.connection.cursor() as cursor:
                for piece in slices:
                    for table, (columns, rows) in piece.items():
                        if table == STATEMENTS:
                            for sql, params in rows:
                                cursor.execute(sql.replace("?", "%s"), params)
                            continue
                        cursor.executemany(raw.insert(table, columns), rows)
                    raw.connection.commit()
            raw.close()

        return write


# -- the runs -------------------------------------------------------------------------------


REFERENCES = ("exhibit_id", "item_id", "from_id", "to_id")
STATEMENTS = "-- statements"
STAGED = "document_relations_in_batch"
CLAIM = "UPDATE batches SET status = ?, updated_at = ? WHERE npcase_id = ? AND id = ?"
COUNTS = (
    "UPDATE batches SET document_count = document_count + ?, "
    "duplicate_count = duplicate_count + ?, error_count = error_count + ? "
    "WHERE npcase_id = ? AND id = ?"
)
CLEAR = f"DELETE FROM {STAGED} WHERE npcase_id = ? AND batch_id = ?"  # noqa: S608


def _slices(
    rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]],
    staged: tuple[list[str], list[tuple[Any, ...]]],
    chunks: int,
) -> list[Any]:
    """The same writes as the loader's, in as many transactions as it committed: the final
    rows (exhibits in insertion order, each row with the exhibits it points to, the rest
    evenly), the family pairs it staged (evenly: each chunk stages its own), the two batch
    updates of each chunk (lock, counts), and the staged pairs' removal in the last."""
    pieces: list[dict[str, Any]] = [{} for _ in range(chunks)]
    columns, exhibits = rows["exhibits"]
    size = -(-len(exhibits) // chunks) or 1
    where = columns.index("id")
    slice_of = {row[where]: i // size for i, row in enumerate(exhibits)}
    for table in LOADED:
        columns, table_rows = staged if table == STAGED else rows[table]
        refs = [columns.index(c) for c in REFERENCES if c in columns]
        parts: list[list[tuple[Any, ...]]] = [[] for _ in range(chunks)]
        even = -(-len(table_rows) // chunks) or 1
        for n, row in enumerate(table_rows):
            if table == "exhibits":
                index = slice_of[row[where]]
            elif refs:
                index = max(slice_of.get(row[r], 0) for r in refs)
            elif table in ("npcases", "custodians", "batches"):
                index = 0
            else:
                index = n // even
            parts[index].append(row)
        for i, part in enumerate(parts):
            if part:
                pieces[i][table] = (columns, part)
    batch_columns, batches = rows["batches"]
    batch = dict(zip(batch_columns, batches[0], strict=True))
    key = (batch["npcase_id"], batch["id"])
    for i, piece in enumerate(pieces):
        # The loader's lock and counts: the same statements, leaving the batch's final row.
        statements = [
            (CLAIM, (batch["status"], batch["updated_at"], *key)),
            (COUNTS, (0, 0, 0, *key)),
        ]
        if i == chunks - 1:
            statements.append((CLEAR, key))
        piece[STATEMENTS] = ([], statements)
    return pieces


def _staged_snapshot(db: Any, count: int) -> Callable[[int, int, int], None]:
    """A progress callback keeping the staged family pairs after the last chunk (the loader
    resolves and removes them once the batch is complete)."""

    def progress(done: int, _read: int, _size: int) -> None:
        if done >= count:
            db.staged = db.rows([STAGED])[STAGED]

    return progress


def _load(url: str, path: Path, progress: Any = None) -> Any:
    app: Nexus = create_app(url, persistence="sqlalchemy")
    try:
        case = app.documents.create_case(name="bench")
        return app.documents.load(case.id, str(path), custodian="Intake", progress=progress)
    except HalfWayError:
        return None
    finally:
        app.close()


def _resume(url: str, path: Path) -> Any:
    app: Nexus = create_app(url, persistence="sqlalchemy")
    try:
        case = app.documents.list_cases()[0]
        batch = app.documents.list_batches(case.id)[0]
        return app.documents.resume_batch(case.id, batch.id, str(path))
    finally:
        app.close()


def _engine_runs(db: Any, dense: Path, sparse: Path, count: int, repetitions: int) -> None:
    db.fresh()
    _load(db.url, dense, progress=_staged_snapshot(db, count))
    slices = _slices(db.rows(), db.staged, -(-count // CHUNK))
    cases: dict[str, Callable[[], Any]] = {
        "app.documents.load": lambda: _load(db.url, dense),
        "raw executemany": lambda: db.raw_writer()(slices),
    }
    if isinstance(db, Postgres):
        cases["raw COPY"] = lambda: db.raw_writer(copy=True)(slices)
    medians = interleaved(cases, repetitions=repetitions, setup=lambda _name: db.fresh())
    report(
        f"{db.name}: loading, dense",
        medians,
        baseline="raw executemany",
        operations=count,
        unit="docs",
    )
    if "raw COPY" in medians:
        report(
            f"{db.name}: loading vs COPY",
            medians,
            baseline="raw COPY",
            operations=count,
            unit="docs",
        )

    def half_loaded(name: str) -> None:
        db.fresh()
        if name == "resume half-loaded":
            _load(db.url, dense, progress=_stop_half_way(count))

    more = interleaved(
        {
            "fresh (dense)": lambda: _load(db.url, dense),
            "resume half-loaded": lambda: _resume(db.url, dense),
            "fresh (sparse)": lambda: _load(db.url, sparse),
        },
        repetitions=repetitions,
        setup=half_loaded,
    )
    report(
        f"{db.name}: resume and sparse",
        more,
        baseline="fresh (dense)",
        operations=count,
        unit="docs",
    )


PEAK = """
import resource, sys, time
import nexus
from nexus.app import create_app
from nexus.documents.samples.production import write_production
directory, count = sys.argv[1], int(sys.argv[2])
path = write_production(f"{directory}/million.dat", count, seed=3)
url = f"sqlite:///{directory}/million.db"
nexus.migrate(url)
app = create_app(url, persistence="sqlalchemy")
case = app.documents.create_case(name="million")
started = time.perf_counter()
result = app.documents.load(case.id, str(path), custodian="Intake")
seconds = time.perf_counter() - started
# This process's own high-water mark (VmHWM): ru_maxrss keeps, across exec, the peak of the
# process that forked it (the benchmark, holding 100k documents' rows), not this load's.
try:
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
ids = len(result.exhibit_ids)
print(result.loaded, result.duplicates, result.errors, ids, f"{seconds:.1f}", f"{peak:.0f}")
"""


def _peak_memory(count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-loader-1m-") as directory:
        out = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", PEAK, directory, str(count)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        size = os.path.getsize(Path(directory) / "million.dat") / 2**20
    loaded, duplicates, errors, ids, seconds, peak = out
    console.print(
        f"peak RSS of a {count:,}-document load ({size:,.0f} MB DAT, SQLite): {peak} MB "
        f"(limit 300 MB); {loaded} loaded, {duplicates} duplicates, {errors} errors, "
        f"{ids} ids returned, {seconds} s"
    )


def run(quick: bool) -> None:
    count = int(os.environ.get("NEXUS_BENCH_LOADER_DOCS", 5_000 if quick else 100_000))
    repetitions = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="bench-loader-") as directory:
        folder = Path(directory)
        dense = write_production(folder / "dense.dat", count, seed=1)
        sparse = write_production(folder / "sparse.dat", count, seed=1, sparse=True)
        _engine_runs(Sqlite(folder), dense, sparse, count, repetitions)
        server = os.environ.get("NEXUS_BENCH_POSTGRES_URL") or os.environ.get(
            "NEXUS_TEST_POSTGRES_URL"
        )
        if server:
            postgres = Postgres(server)
            try:
                _engine_runs(postgres, dense, sparse, count, repetitions)
            finally:
                postgres.drop()
        else:
            console.print("PostgreSQL skipped: set NEXUS_BENCH_POSTGRES_URL")
        server = mariadb_server()
        if server:
            mariadb = Mariadb(server)
            try:
                _engine_runs(mariadb, dense, sparse, count, repetitions)
            finally:
                mariadb.drop()
        else:
            console.print("MariaDB skipped: set NEXUS_BENCH_MARIADB_URL")
    started = time.perf_counter()
    _peak_memory(
        int(os.environ.get("NEXUS_BENCH_LOADER_PEAK_DOCS", 20_000 if quick else 1_000_000))
    )
    console.print(f"(memory run took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    # `python -m benchmarks.bench_loader peak [DOCS]`: only the peak-RSS load, run to completion
    # (1,000,000 documents unless DOCS is given; about 40 minutes on a busy 2-core machine).
    if sys.argv[1:2] != ["peak"]:
        sys.exit("usage: python -m benchmarks.bench_loader peak [DOCS]")
    _peak_memory(int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
