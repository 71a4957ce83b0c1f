"""The single-shard guard of the partitioned engine (loaded by tests/conftest.py when
NEXUS_TEST_PARTITIONED is set): every distinct statement nexus sends to a partitioned database is
EXPLAINed, and one that PostgreSQL cannot prune to a single partition of each tenant table it
reads or changes (it has no tenant key to route by, so in a distributed deployment it would reach
every shard) fails the test that sent it, unless it is one of the documented cross-tenant use
cases below (docs/scaling.md). Statements the tests send themselves (row counts, emptying the
database) are listed in the run's summary, not refused. An INSERT is routed per row to its
tenant's partition and is not checked.
"""

from __future__ import annotations

import re
import traceback
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event

# (file under src/, function) of the statements allowed to reach every partition; each is a use
# case that must look across tenants, documented in docs/scaling.md.
CROSS_TENANT = {
    # "My workspaces": a user's memberships live in every tenant that user belongs to.
    ("nexus/workspaces/infrastructure/repositories.py", "of_member"),
    # Key rotation: the operator's sweep re-encrypts every workspace's ciphertexts, a page at a
    # time in key order.
    ("nexus/workspaces/infrastructure/repositories.py", "page"),
}

_PARTITION = re.compile(r"^(?P<parent>.+)_p\d+$")
_seen: set[str] = set()
_explainers: dict[str, psycopg.Connection[Any]] = {}
# statement -> (the tenant tables it reaches in more than one partition, who sent it)
unpruned: dict[str, tuple[set[str], str]] = {}
_refused: list[str] = []


def _origin() -> tuple[str, str, int]:
    """The innermost frame in nexus (past its persistence layer) or in the tests: the code that
    sent the statement, as (path, function, line)."""
    for frame in reversed(traceback.extract_stack()):
        name = frame.filename
        if "/nexus/persistence/" in name or name.endswith("pruning_probe.py"):
            continue
        if "/src/nexus/" in name:
            return "nexus/" + name.split("/src/nexus/", 1)[1], frame.name, frame.lineno or 0
        if "/tests/" in name:
            return "tests/" + name.rsplit("/tests/", 1)[1], frame.name, frame.lineno or 0
    return "?", "?", 0


def _relations(plan: Any) -> list[str]:
    found = []
    if isinstance(plan, dict):
        if "Relation Name" in plan:
            found.append(str(plan["Relation Name"]))
        for value in plan.values():
            found += _relations(value)
    elif isinstance(plan, list):
        for value in plan:
            found += _relations(value)
    return found


def _wide_tables(dsn: str, sql: str, params: Any) -> set[str]:
    """The tenant tables whose plan for `sql` keeps more than one partition."""
    connection = _explainers.get(dsn)
    if connection is None:
        connection = _explainers[dsn] = psycopg.connect(dsn, autocommit=True)
    try:
        plan = connection.execute(f"EXPLAIN (FORMAT JSON) {sql}", params).fetchone()
    except psycopg.Error:
        return set()  # a statement the test meant to fail (bad input) has no plan to judge
    assert plan is not None
    partitions: dict[str, set[str]] = {}
    for name in _relations(plan[0]):
        match = _PARTITION.match(name)
        if match:
            partitions.setdefault(match["parent"], set()).add(name)
    return {parent for parent, names in partitions.items() if len(names) > 1}


@event.listens_for(Engine, "before_cursor_execute")
def _probe(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
) -> None:
    if statement in _seen or not isinstance(cursor, psycopg.Cursor):
        return
    info = cursor.connection.info
    if not info.dbname.startswith("nexus_test_partitioned"):
        return
    _seen.add(statement)
    head = statement.lstrip().split(None, 1)[0].upper()
    if head not in ("SELECT", "UPDATE", "DELETE", "WITH"):
        return
    params = parameters[0] if many and parameters else parameters
    wide = _wide_tables(info.dsn, statement, params)
    if not wide:
        return
    path, function, line = _origin()
    text = " ".join(statement.split())
    unpruned[text] = (wide, f"{path}:{line} {function}")
    if path.startswith("nexus/") and (path, function) not in CROSS_TENANT:
        _refused.append(f"{path}:{line} {function} reaches every partition of {wide}: {text}")


@pytest.fixture(autouse=True)
def _single_shard_statements() -> Any:
    """Fails the test during which nexus sent a statement no tenant key prunes."""
    del _refused[:]
    yield
    if _refused:
        found = list(_refused)
        del _refused[:]
        pytest.fail("statements without a tenant key to route by:\n" + "\n".join(found))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _seen:
        return  # under xdist the workers hold the findings; run with -p no:xdist to list them
    terminalreporter.section("statements reaching every partition")
    terminalreporter.write_line(f"{len(_seen)} distinct statements, {len(unpruned)} unpruned")
    for sql, (tables, origin) in sorted(unpruned.items(), key=lambda item: item[1][1]):
        terminalreporter.write_line(f"{origin} [{', '.join(sorted(tables))}] {sql[:200]}")
    for connection in _explainers.values():
        connection.close()
