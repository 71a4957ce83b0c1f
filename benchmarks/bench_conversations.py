# ruff: noqa: S608, S603  (table names are constants; the child is this file)
"""Import 100k chat messages through `app.conversations.import_chat_export` vs the raw driver
(sqlite3 / psycopg / PyMySQL `executemany`) inserting the same rows, in the same run; and the
peak memory of a large import (a child process, so its peak RSS is its own).

Each engine runs on a new database (a SQLite file; a scratch database on a PostgreSQL or
MariaDB server, dropped afterwards): first the import into empty tables, then interleaved
repetitions on tables that hold rows. Standalone: `python benchmarks/bench_conversations.py
[--quick] [--postgres URL] [--mariadb URL] [--memory-messages N]`; `run(quick=...)` for the
benchmark runner (servers from NEXUS_BENCH_POSTGRES_URL or NEXUS_TEST_POSTGRES_URL, and the
MariaDB twins).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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


def _engine(engine: str, url: str, export: Path, messages: int, repetitions: int) -> None:
    """On a new database (scratch, at head): the use case importing the export into a fresh
    workspace, then the raw driver (`executemany` of a prebuilt INSERT per table, one
    transaction: what sqlite3 / psycopg / PyMySQL send) writing the rows the use case wrote,
    re-keyed to another fresh workspace. The first pair is the import into empty tables (the
    raw side runs after it, on tables that hold rows); then `repetitions` interleaved pairs
    (the order swaps every rep), each into fresh workspaces; median of the per-rep ratios."""
    from benchmarks.common import compare as interleave
    from benchmarks.engines import Raw
    from nexus import create_app

    with create_app(url) as app:
        user, _workspace = _crew(app)
        workspaces = [
            app.workspaces.create_workspace(
                name="B", slug=f"bench-{uuid.uuid4().hex[:8]}", owner_id=user, actor=user
            ).id
            for _ in range(2 * repetitions + 2)
        ]
        raw = Raw(url)
        raw.writes()
        cursor = raw.connection.cursor()

        def product(rep: int) -> None:
            result = app.conversations.import_chat_export(workspaces[2 * rep], export, actor=user)
            assert result.messages_added == messages, result

        fresh = _timed(lambda: product(0))[0]
        written = {}
        mark = raw.sql("?")
        for name in ("conversations", "messages"):
            cursor.execute(f"SELECT * FROM {name} WHERE workspace_id = {mark}",
                           (raw.uuid_in(workspaces[0]),))  # fmt: skip
            written[name] = [_driver_row(raw, row) for row in cursor.fetchall()]
        raw.connection.commit()
        inserts = {
            name: f"INSERT INTO {name} VALUES ({', '.join([mark] * len(rows[0]))})"
            for name, rows in written.items()
        }
        prepared = [
            {name: [(raw.uuid_in(workspaces[2 * rep + 1]), *row[1:]) for row in rows]
             for name, rows in written.items()}
            for rep in range(repetitions + 1)
        ]  # fmt: skip

        def raw_side(rep: int) -> None:
            for name, rows in prepared[rep].items():
                cursor.executemany(inserts[name], rows)
            raw.connection.commit()

        first_raw = _timed(lambda: raw_side(0))[0]
        print(
            f"{engine}: {messages:,} messages into empty tables: use case {fresh:.2f} s "
            f"({messages / fresh:,.0f} msg/s), raw executemany after it {first_raw:.2f} s; "
            f"ratio raw/use case = {first_raw / fresh:.2f}x (target >= 0.5x)",
            flush=True,
        )
        path = f"chat import ({messages:,} messages)"
        figure = interleave(path, engine, lambda rep: product(rep + 1),
                            lambda rep: raw_side(rep + 1), operations=messages,
                            repetitions=repetitions, target=">= 0.5")  # fmt: skip
        cursor.execute(f"SELECT COUNT(*) FROM messages WHERE workspace_id = {mark}",
                       (raw.uuid_in(workspaces[-1]),))  # fmt: skip
        assert tuple(cursor.fetchone()) == (messages,), "the raw side wrote the same messages"
        raw.connection.commit()
        raw.close()
    print(
        f"{engine}: {messages:,} messages, {repetitions} interleaved reps on tables with rows: "
        f"use case {figure.product_us:.1f} µs/msg, raw executemany {figure.raw_us:.1f} µs/msg; "
        f"median ratio raw/use case = {figure.ratio:.2f}x ({figure.low:.2f}-{figure.high:.2f}; "
        "target >= 0.5x)",
        flush=True,
    )


def _driver_row(raw: Any, row: Any) -> tuple[Any, ...]:
    """A fetched row as the driver takes it back (PostgreSQL's jsonb comes back a dict)."""
    if raw.sqlite or raw.mariadb:
        return tuple(row)
    from psycopg.types.json import Jsonb

    return tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in row)


def _read_only(export: Path) -> float:
    from nexus.conversations.infrastructure.chat_exports import read_chat_export

    return _timed(lambda: sum(1 for _ in read_chat_export(export)))[0]


def compare(messages: int, workdir: Path, postgres: str | None, mariadb: str | None = None) -> None:
    from benchmarks.engines import server_database, sqlite_database

    export = workdir / "conversations.json"
    size = write_export(export, messages)
    print(f"export: {size / 1e6:.1f} MB, {messages:,} messages", flush=True)
    print(f"reading the export alone: {_read_only(export):.2f} s", flush=True)
    repetitions = 3 if messages <= 10_000 else 4
    with sqlite_database() as url:
        _engine("SQLite", url, export, messages, repetitions)
    for engine, server in (("PostgreSQL", postgres), ("MariaDB", mariadb)):
        if server:
            with server_database(server) as url:
                _engine(engine, url, export, messages, repetitions)


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
    from benchmarks.engines import mariadb_server, postgres_server

    workdir = Path(tempfile.mkdtemp(prefix="nexus-bench-conversations-"))
    try:
        compare(
            4_000 if quick else 100_000,
            workdir,
            postgres or postgres_server(),
            mariadb or mariadb_server(),
        )
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
