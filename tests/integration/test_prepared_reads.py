"""`SqlTables.run` (prebuilt reads on the DBAPI cursor) returns what `Connection.execute`
returns, column types applied (UUIDs, aware UTC datetimes, JSON), on SQLite and PostgreSQL; a
statement with IN-list parameters and a driver error take the SQLAlchemy path."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, bindparam, select, text
from sqlalchemy import exc as sa_exc

from nexus.app import create_app
from nexus.knowledge.infrastructure.records import GraphNodeRecord
from nexus.persistence.sql import SqlTables
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
