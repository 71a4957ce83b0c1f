"""Conversations' tables on SQLite and PostgreSQL: the tenancy rule shown with raw INSERTs (a
message can never be in another workspace's conversation), and an import whose statements do
not grow with its messages (bulk writes and batch finders)."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from nexus import create_app
from nexus.persistence.engine import create_engine_for
from tests.contract.conversations_setup import crew
from tests.unit.chat_export_builders import linear_gpt, write_json

NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXUS_SECRET_KEYS", "1:" + base64.b64encode(bytes(32)).decode())


def _id(value: Any, url: str) -> Any:
    return value.hex if url.startswith("sqlite") else value


def test_a_message_cannot_join_another_workspaces_conversation(database_url: str) -> None:
    with create_app(database_url) as app:
        team = crew(app)
        mine = app.conversations.start_conversation(team.workspace, actor=team.member)
    engine = create_engine_for(database_url)
    insert = text(
        "INSERT INTO messages (workspace_id, id, conversation_id, position, role, content, "
        "metadata, created_at) VALUES (:w, :id, :c, 1, 'user', 'hi', '{}', :at)"
    )
    values = {"id": _id(uuid.uuid4(), database_url), "c": _id(mine.id, database_url), "at": NOW}
    try:
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(insert, {**values, "w": _id(team.other_workspace, database_url)})
        with engine.begin() as connection:  # the same row in its own workspace is fine
            connection.execute(insert, {**values, "w": _id(team.workspace, database_url)})
        with pytest.raises(IntegrityError), engine.begin() as connection:
            update = text("UPDATE messages SET workspace_id = :w WHERE id = :id")
            connection.execute(update, {"w": _id(team.other_workspace, database_url), **values})
    finally:
        engine.dispose()


def test_statements_per_import_do_not_grow_with_the_messages(
    database_url: str, tmp_path: Path, figure: Any
) -> None:
    counts = []
    with create_app(database_url) as app:
        for size in (10, 200):
            team = crew(app)
            export = write_json(
                tmp_path / f"export-{size}.json",
                [linear_gpt(f"c{size}-{i}", "q", "a", "q", "a") for i in range(size)],
            )
            sent: list[str] = []
            engine = app.container.engine()

            def record(*args: Any, sent: list[str] = sent) -> None:
                sent.append(args[2])

            event.listen(engine, "before_cursor_execute", record)
            try:
                result = app.conversations.import_chat_export(
                    team.workspace, export, actor=team.member
                )
            finally:
                event.remove(engine, "before_cursor_execute", record)
            assert result.messages_added == size * 4
            counts.append(len([s for s in sent if not s.lstrip().upper().startswith("SAVEPOINT")]))
    engine_name = database_url.split(":", 1)[0]
    figure(f"statements per chat import ({engine_name}): 40 messages {counts[0]}, 800 {counts[1]}")
    assert counts[0] == counts[1]
