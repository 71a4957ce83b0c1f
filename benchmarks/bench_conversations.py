# ruff: noqa: S608, S603  (table names are constants; the child is this file)
"""Import 100k chat messages through `app.conversations.import_chat_export` vs the raw driver
(sqlite3 / psycopg / PyMySQL `executemany`) inserting the same rows, in the same run; and the
peak memory of a large import (a child process, so its peak RSS is its own).

Standalone: `python benchmarks/bench_conversations.py [--quick] [--postgres URL] [--mariadb URL]
[--memory-messages N]`; `run(quick=...)` for the benchmark runner. MariaDB runs in a scratch
database on the server (`--mariadb`, NEXUS_BENCH_MARIADB_URL or NEXUS_TEST_MARIADB_URL).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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

WORDS = ("the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "was", "for", "on")
PER_CONVERSATION = 40


def write_export(path: Path, messages: int) -> int:
    """A ChatGPT `conversations.json` with `messages` messages, 40 per conversation."""
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for number in range(max(messages // PER_CONVERSATION, 1)):
            cid = f"conv-{number}"
            mapping: dict[str, Any] = {f"{cid}-r": {"id": f"{cid}-r", "message": None}}
            parent = f"{cid}-r"
            for position in range(PER_CONVERSATION):
                text = " ".join(WORDS[(position + k) % len(WORDS)] for k in range(30))
                key = f"{cid}-{position}"
                mapping[key] = {
                    "id": key,
                    "parent": parent,
                    "message": {
                        "id": key,
                        "author": {"role": "user" if position % 2 == 0 else "assistant"},
                        "create_time": 1.7e9 + position,
                        "content": {"content_type": "text", "parts": [text]},
                        "metadata": {"model_slug": "gpt-4o"},
                    },
                }
                parent = key
            conversation = {"id": cid, "title": cid, "current_node": parent, "mapping": mapping}
            out.write(("," if number else "") + json.dumps(conversation))
        out.write("]")
    return path.stat().st_size


def _crew(app: Any) -> tuple[Any, Any]:
    user = app.identity.register_user(
        email=f"bench-{uuid.uuid4().hex[:8]}@example.org", name="B", password="bench pass 12345"
    ).id
    slug = f"bench-{uuid.uuid4().hex[:8]}"
    workspace = app.workspaces.create_workspace(name="B", slug=slug, owner_id=user, actor=user).id
    return user, workspace


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def _use_case(url: str, export: Path) -> tuple[float, Any, Any]:
    from nexus import create_app

    with create_app(url) as app:
        user, workspace = _crew(app)
        seconds, result = _timed(
            lambda: app.conversations.import_chat_export(workspace, export, actor=user)
        )
    return seconds, result, workspace


def _raw_sqlite(source: str, target: str, workspace: Any) -> float:
    """Copy the rows the use case wrote into an empty database with sqlite3 executemany."""
    with sqlite3.connect(source) as read:
        tables = {
            name: read.execute(
                f"SELECT * FROM {name} WHERE workspace_id = ?", (workspace.hex,)
            ).fetchall()
            for name in ("conversations", "messages")
        }
    connection = sqlite3.connect(target)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    started = time.perf_counter()
    for name, rows in tables.items():
        marks = ", ".join("?" * len(rows[0]))
        connection.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
    connection.commit()
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def _raw_postgres(url: str, workspace: Any, target_workspace: Any) -> float:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as connection:
        tables = {}
        for name in ("conversations", "messages"):
            cursor = connection.execute(
                f"SELECT * FROM {name} WHERE workspace_id = %s", (workspace,)
            )
            tables[name] = [(target_workspace, *row[1:]) for row in cursor.fetchall()]
        connection.commit()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for name, rows in tables.items():
                rows = [
                    tuple(psycopg.types.json.Jsonb(v) if isinstance(v, dict) else v for v in row)
                    for row in rows
                ]
                marks = ", ".join(["%s"] * len(rows[0]))
                cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
        connection.commit()
        return time.perf_counter() - started


def _mariadb(url: str, export: Path, messages: int, repetitions: int) -> None:
    """MariaDB: the use case importing into a fresh workspace beside PyMySQL executemany (one
    multi-row INSERT per batch, as PyMySQL sends it) of the rows the use case wrote, re-keyed to
    another fresh workspace, one transaction; interleaved repetitions, median of the ratios."""
    from benchmarks.common import compare as interleave
    from benchmarks.engines import Raw
    from nexus import create_app

    with create_app(url) as app:
        user, source = _crew(app)
        first = app.conversations.import_chat_export(source, export, actor=user)
        assert first.messages_added == messages, first
        raw = Raw(url)
        raw.writes()
        cursor = raw.connection.cursor()
        written = {}
        for name in ("conversations", "messages"):
            cursor.execute(f"SELECT * FROM {name} WHERE workspace_id = %s", (source,))
            written[name] = cursor.fetchall()
        raw.connection.commit()
        inserts = {
            name: f"INSERT INTO {name} VALUES ({', '.join(['%s'] * len(rows[0]))})"
            for name, rows in written.items()
        }
        workspaces = [
            app.workspaces.create_workspace(
                name="B", slug=f"bench-{uuid.uuid4().hex[:8]}", owner_id=user, actor=user
            ).id
            for _ in range(2 * repetitions)
        ]
        prepared = [
            {name: [(workspaces[2 * rep + 1], *row[1:]) for row in rows]
             for name, rows in written.items()}
            for rep in range(repetitions)
        ]  # fmt: skip

        def product(rep: int) -> None:
            result = app.conversations.import_chat_export(workspaces[2 * rep], export, actor=user)
            assert result.messages_added == messages, result

        def raw_side(rep: int) -> None:
            for name, rows in prepared[rep].items():
                cursor.executemany(inserts[name], rows)
            raw.connection.commit()

        path = f"chat import ({messages:,} messages)"
        figure = interleave(path, "MariaDB", product, raw_side, operations=messages,
                            repetitions=repetitions, target=">= 0.5")  # fmt: skip
        cursor.execute("SELECT COUNT(*) FROM messages WHERE workspace_id = %s", (workspaces[-1],))
        assert cursor.fetchone() == (messages,), "the raw side wrote the same messages"
        raw.close()
    print(
        f"mariadb: {messages:,} messages, {repetitions} interleaved reps: use case "
        f"{figure.product_us:.1f} µs/msg, raw executemany {figure.raw_us:.1f} µs/msg; median "
        f"ratio raw/use case = {figure.ratio:.2f}x ({figure.low:.2f}-{figure.high:.2f}; "
        "target >= 0.5x)",
        flush=True,
    )


def _report(engine: str, messages: int, use_case: float, raw: float, read: float) -> None:
    ratio = raw / use_case
    print(
        f"{engine}: {messages:,} messages: use case {use_case:.2f} s "
        f"({messages / use_case:,.0f} msg/s; reading the export alone {read:.2f} s), "
        f"raw executemany {raw:.2f} s; ratio raw/use case = {ratio:.2f}x (target >= 0.5x)",
        flush=True,
    )


def _read_only(export: Path) -> float:
    from nexus.conversations.infrastructure.chat_exports import read_chat_export

    return _timed(lambda: sum(1 for _ in read_chat_export(export)))[0]


def compare(messages: int, workdir: Path, postgres: str | None, mariadb: str | None = None) -> None:
    import nexus

    export = workdir / "conversations.json"
    size = write_export(export, messages)
    print(f"export: {size / 1e6:.1f} MB, {messages:,} messages", flush=True)
    read = _read_only(export)
    template = workdir / "template.db"
    nexus.migrate(f"sqlite:///{template}")
    source, target = workdir / "use-case.db", workdir / "raw.db"
    shutil.copyfile(template, source)
    shutil.copyfile(template, target)
    seconds, result, workspace = _use_case(f"sqlite:///{source}", export)
    assert result.messages_added == messages, result
    # The raw side needs the same user and workspace rows (foreign keys).
    with sqlite3.connect(source) as read_db, sqlite3.connect(target) as write_db:
        for name in ("users", "workspaces", "workspace_members"):
            rows = read_db.execute(f"SELECT * FROM {name}").fetchall()
            marks = ", ".join("?" * len(rows[0]))
            write_db.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
    raw = _raw_sqlite(str(source), str(target), workspace)
    _report("sqlite", messages, seconds, raw, read)
    if postgres:
        nexus.migrate(postgres)
        seconds, result, workspace = _use_case(postgres, export)
        from nexus import create_app

        with create_app(postgres) as app:
            _user, other = _crew(app)
        raw = _raw_postgres(postgres, workspace, other)
        _report("postgresql", messages, seconds, raw, read)
    if mariadb:
        from benchmarks.engines import server_database

        with server_database(mariadb) as url:
            _mariadb(url, export, messages, 3 if messages <= 10_000 else 5)


def peak_memory(messages: int, workdir: Path) -> None:
    """Import a large export in a child process; print its peak RSS."""
    argv = [sys.executable, __file__, "--child", str(messages), "--workdir", str(workdir)]
    subprocess.run(argv, check=True)


def _child(messages: int, workdir: Path) -> None:
    import nexus

    export = workdir / "large.json"
    size = write_export(export, messages)
    url = f"sqlite:///{workdir / 'large.db'}"
    nexus.migrate(url)
    seconds, result, _ws = _use_case(url, export)
    peak = _peak_rss_mb()
    print(
        f"large import: {size / 1e6:.0f} MB export, {result.messages_added:,} messages in "
        f"{seconds:.1f} s; peak RSS of the process {peak:.0f} MB",
        flush=True,
    )


def _peak_rss_mb() -> float:
    """This process's peak RSS. Linux's `ru_maxrss` survives fork and exec (a child reports its
    parent's peak when that was higher), so read the memory map's own high-water mark."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(
    *,
    quick: bool = False,
    postgres: str | None = None,
    mariadb: str | None = None,
    memory_messages: int = 0,
) -> None:
    from benchmarks.engines import mariadb_server

    workdir = Path(tempfile.mkdtemp(prefix="nexus-bench-conversations-"))
    try:
        compare(4_000 if quick else 100_000, workdir, postgres, mariadb or mariadb_server())
        peak_memory(memory_messages or (8_000 if quick else 400_000), workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--postgres", default=os.environ.get("NEXUS_BENCH_POSTGRES_URL"))
    parser.add_argument("--mariadb", default=None, help="a MariaDB server URL")
    parser.add_argument("--memory-messages", type=int, default=0)
    parser.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not __package__:  # run as a file: the repository root, for `benchmarks.engines`
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if args.child:
        _child(args.child, Path(args.workdir))
        return
    run(
        quick=args.quick,
        postgres=args.postgres,
        mariadb=args.mariadb,
        memory_messages=args.memory_messages,
    )


if __name__ == "__main__":
    main()
