"""The database itself keeps an edge's two ends in the edge's workspace (composite foreign
keys), and deleting a node or a workspace cascades, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, insert, select

from nexus.app import create_app
from nexus.identity import OPERATOR
from nexus.knowledge.infrastructure.records import GraphEdgeRecord, GraphNodeRecord
from nexus.persistence.engine import create_engine_for
from nexus.workspaces.infrastructure.key_ring import KeyRing
from tests.knowledge_world import other_workspace, team


def test_raw_insert_of_an_edge_across_workspaces_is_refused(database_url: str) -> None:
    app = create_app(database_url, persistence="sqlalchemy")
    app.container.workspaces.key_ring.override(KeyRing.ephemeral())
    t = team(app)
    owner = t.users["owner"]
    other = other_workspace(app, owner)
    here = app.knowledge.add_node(t.workspace, type="t", label="here", actor=owner)
    there = app.knowledge.add_node(other, type="t", label="there", actor=owner)
    engine = create_engine_for(database_url)
    row = {
        "workspace_id": t.workspace,
        "id": uuid.uuid4(),
        "key": "across",
        "source_id": here.id,
        "target_id": there.id,
        "type": "x",
        "properties": {},
        "created_at": datetime.now(UTC),
    }
    try:
        with pytest.raises(sa_exc.IntegrityError), engine.begin() as connection:
            connection.execute(insert(GraphEdgeRecord.__table__), row)
        # The same row with both ends in the workspace is accepted; then the cascades.
        mine = app.knowledge.add_node(t.workspace, type="t", label="mine", actor=owner)
        with engine.begin() as connection:
            connection.execute(insert(GraphEdgeRecord.__table__), {**row, "target_id": mine.id})
        app.knowledge.delete_node(t.workspace, mine.id, actor=owner)
        edges = select(func.count()).select_from(GraphEdgeRecord.__table__)
        nodes = select(func.count()).select_from(GraphNodeRecord.__table__)
        with engine.connect() as connection:
            assert connection.scalar(edges) == 0
        app.workspaces.delete_workspace(other, actor=OPERATOR)
        with engine.connect() as connection:
            assert connection.scalar(nodes) == 1
    finally:
        engine.dispose()
        app.close()
