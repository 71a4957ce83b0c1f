"""`SqlTables.run` (prebuilt reads on the DBAPI cursor) returns what `Connection.execute`
returns, column types applied (UUIDs, aware UTC datetimes, JSON), on SQLite and PostgreSQL; a
statement with IN-list parameters and a driver error take the SQLAlchemy path."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, create_engine, select, text
from sqlalchemy import exc as sa_exc

from nexus.app import create_app
from nexus.identity import OPERATOR
from nexus.knowledge.infrastructure.records import GraphNodeRecord
from nexus.persistence.schema import info_by_name
from nexus.persistence.sql import SqlTables
from nexus.persistence.tables import Exists
from nexus.workspaces.infrastructure.key_ring import KeyRing
from tests.knowledge_world import team

NODES = GraphNodeRecord.__table__


def test_run_matches_execute(database_url: str, engine: Engine) -> None:
    app = create_app(database_url, persistence="sqlalchemy")
    app.container.workspaces.key_ring.override(KeyRing.ephemeral())
    t = team(app)
    owner = t.users["owner"]
    for i in range(3):
        app.knowledge.add_node(
            t.workspace, type="t", label=f"n{i}", properties={"i": i, "x": [1.5, None]}, actor=owner
        )
    app.close()
    by_workspace = select(NODES).where(NODES.c.workspace_id == bindparam("w")).order_by(NODES.c.id)
    by_keys = select(NODES).where(NODES.c.key.in_(bindparam("keys", expanding=True)))
    tables = SqlTables(engine)
    try:
        fast = tables.run(by_workspace, {"w": t.workspace})
        with engine.connect() as connection:
            slow = connection.execute(by_workspace, {"w": t.workspace}).all()
        assert [list(r) for r in fast] == [list(r) for r in slow]
        assert len(fast) == 3
        assert isinstance(fast[0][1], uuid.UUID)
        assert fast[0][-1].utcoffset() is not None
        assert fast[0][5] == {"i": 0, "x": [1.5, None]}
        keys = [r[2] for r in fast[:2]]
        assert sorted(r[2] for r in tables.run(by_keys, {"keys": keys})) == sorted(keys)
        with pytest.raises(sa_exc.DBAPIError):  # the driver's error, through SQLAlchemy
            tables.run(select(text("no_such_column")).select_from(NODES), {})
    finally:
        tables.close()


def _audit_row(details: Any) -> dict[str, Any]:
    """An audit row, its columns in reverse: a statement shape nexus itself never compiles, so
    the test's first engine to insert it is the one that compiles it."""
    row = {
        "id": uuid.uuid4(),
        "user_id": None,
        "action": "probe",
        "resource_type": None,
        "resource_id": None,
        "details": details,
        "ip_address": None,
        "user_agent": None,
        "success": True,
        "created_at": datetime.now(UTC),
    }
    return dict(reversed(row.items()))


def test_two_exists_on_one_table_keep_their_own_values(
    database_url: str, engine: Engine, cheap_hasher: Any
) -> None:
    """Two guards on the same table in one `where` bind two values, not one shared name: an
    owner both active and inactive matches nothing (as in the memory twin)."""
    app = create_app(database_url, persistence="sqlalchemy")
    try:
        user = app.identity.register_user(email="x@example.org", name="X", password="x" * 12)
        app.identity.create_api_key(user.id, name="k", actor=OPERATOR)
    finally:
        app.close()
    keys = info_by_name("api_keys")

    def owner(active: bool) -> Exists:
        return Exists("users", on={"id": "user_id"}, where={"is_active": active})

    tables = SqlTables(engine)
    try:
        assert tables.count(keys, {"user_id": user.id, "_a": owner(True)}) == 1
        assert tables.count(keys, {"user_id": user.id, "_a": owner(True), "_b": owner(False)}) == 0
        assert tables.count(keys, {"user_id": user.id, "_a": owner(False), "_b": owner(True)}) == 0
        assert tables.count(keys, {"user_id": user.id, "_a": owner(True), "_b": owner(True)}) == 1
    finally:
        tables.close()


def test_statements_are_not_shared_with_an_engine_of_other_json_settings(
    database_url: str, engine: Engine
) -> None:
    """An application's engine without nexus's JSON serializer compiles a statement first;
    nexus's own engine must still refuse NaN (its serializer), not reuse the other's."""
    audit = info_by_name("audit_logs")
    plain = create_engine(database_url)
    try:
        theirs = SqlTables(plain)
        try:
            theirs.insert(audit, _audit_row({"ok": 1}))
            theirs.commit()
        finally:
            theirs.close()
        ours = SqlTables(engine)
        try:
            # Refused by nexus's serializer: in the bind processor (SQLite) or the driver's JSON
            # dumper (psycopg), either way before anything is written.
            with pytest.raises((sa_exc.StatementError, ValueError), match="Out of range float"):
                ours.insert(audit, _audit_row({"x": math.nan}))
        finally:
            ours.close()
    finally:
        plain.dispose()
