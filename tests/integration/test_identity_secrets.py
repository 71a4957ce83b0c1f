"""Secrets at rest and API-key checks on every adapter: no raw token or key in a dump of the
database, a mistyped key is refused before any query, scoped keys report their scope."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import make_url

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.identity.domain.api_keys import BASE62
from nexus.persistence.engine import create_engine_for
from nexus.shared.errors import AuthenticationError

PASSWORD = "correct horse battery"
EACH = 100


def _dump(app: Nexus) -> str:
    """Everything the adapter stores, as text."""
    if app.settings.persistence == "memory":
        store = app.container.memory_store()
        return "\n".join(repr(row) for table in store.tables.values() for row in table.values())
    url = app.settings.database_url
    if make_url(url).get_backend_name() == "sqlite":
        connection = sqlite3.connect(make_url(url).database)
        try:
            rows = [
                repr(row)
                for (table,) in connection.execute(
                    "select name from sqlite_master where type='table'"
                )
                for row in connection.execute(f'select * from "{table}"')  # noqa: S608
            ]
            return "\n".join([*rows, *connection.iterdump()])
        finally:
            connection.close()
    engine = create_engine_for(url)
    try:
        parts = []
        with engine.connect() as connection:
            for table in inspect(engine).get_table_names():
                columns = [c["name"] for c in inspect(engine).get_columns(table)]
                select_list = ", ".join(f'"{c}"::text' for c in columns)
                for row in connection.execute(text(f'select {select_list} from "{table}"')):  # noqa: S608
                    parts.append(" ".join("" if v is None else v for v in row))
        return "\n".join(parts)
    finally:
        engine.dispose()


def test_no_raw_token_or_key_is_stored(app: Nexus, figure: Callable[[str], None]) -> None:
    owner = app.identity.register_user(email="own@example.org", name="O", password=PASSWORD)
    organization = app.identity.create_organization(name="A", slug="acme", owner_id=owner.id)
    secrets: dict[str, list[str]] = {k: [] for k in ("reset", "link", "refresh", "key", "domain")}
    for i in range(EACH):
        email = f"u{i}@example.org"
        app.identity.register_user(email=email, name=f"U{i}", password=PASSWORD)
        reset = app.identity.request_password_reset(email)
        link = app.identity.issue_magic_link(email)
        assert reset is not None
        assert link is not None
        secrets["reset"].append(reset)
        secrets["link"].append(link.token)
        secrets["refresh"].append(app.identity.login(email=email, password=PASSWORD).refresh_token)
        secrets["key"].append(
            app.identity.create_api_key(owner.id, name=f"k{i}", actor=OPERATOR).raw_key
        )
        secrets["domain"].append(
            app.identity.add_domain(
                organization.id, f"d{i}.example.org", actor=owner.id
            ).verification_token
        )
    dump = _dump(app)
    assert len(dump) > 10_000
    found = {kind: [s for s in values if s in dump] for kind, values in secrets.items()}
    figure(
        f"secrets issued: {sum(map(len, secrets.values()))}, found in the dump: "
        f"{sum(map(len, found.values()))}"
    )
    assert found == {kind: [] for kind in secrets}
    prefixes_shown = sum(key[:12] in dump for key in secrets["key"])
    assert prefixes_shown == EACH  # only the display prefix is kept


def _count_statements(app: Nexus) -> list[str]:
    statements: list[str] = []
    if app.settings.persistence == "memory":
        return statements
    engine = app.container.engine()

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    return statements


def test_a_one_character_change_anywhere_is_refused_before_any_query(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    owner = app.identity.register_user(email="own@example.org", name="O", password=PASSWORD)
    key = app.identity.create_api_key(owner.id, name="ci", actor=OPERATOR).raw_key
    audit_before = len(app.identity.list_audit_events(actor=OPERATOR))
    statements = _count_statements(app)
    refused = 0
    for position in range(len(key)):
        for char in BASE62 + "_-":
            if char == key[position]:
                continue
            with pytest.raises(AuthenticationError):
                app.identity.authenticate_api_key(key[:position] + char + key[position + 1 :])
            refused += 1
    figure(f"one-character changes refused: {refused}, statements sent: {len(statements)}")
    assert refused == len(key) * (len(BASE62) + 1)
    assert statements == []
    assert len(app.identity.list_audit_events(actor=OPERATOR)) == audit_before
    app.identity.authenticate_api_key(key)
    if app.settings.persistence != "memory":
        assert any("api_keys" in s for s in statements)


def test_scoped_keys_report_their_scope_and_stay_in_it(app: Nexus) -> None:
    owner = app.identity.register_user(email="own@example.org", name="O", password=PASSWORD)
    mine = app.workspaces.create_workspace(
        name="Mine", slug="mine", owner_id=owner.id, actor=owner.id
    ).id
    other = uuid.uuid4()
    scoped = app.identity.create_api_key(owner.id, name="s", actor=owner.id, workspace_id=mine)
    auth = app.identity.authenticate_api_key(scoped.raw_key)
    assert (auth.user_id, auth.workspace_id, auth.key_id) == (owner.id, mine, scoped.key.id)
    assert app.identity.authenticate_api_key(scoped.raw_key, workspace_id=mine).workspace_id == mine
    with pytest.raises(AuthenticationError):
        app.identity.authenticate_api_key(scoped.raw_key, workspace_id=other)
    app.identity.revoke_api_key(owner.id, scoped.key.id, actor=owner.id)
    with pytest.raises(AuthenticationError):
        app.identity.authenticate_api_key(scoped.raw_key, workspace_id=mine)
    expiring = app.identity.create_api_key(owner.id, name="e", actor=owner.id, expires_in_days=1)
    from datetime import timedelta

    app.container.clock().advance(timedelta(days=1))
    with pytest.raises(AuthenticationError):
        app.identity.authenticate_api_key(expiring.raw_key)
    failures = app.identity.list_audit_events(actor=OPERATOR, action="api_key.auth_failed")
    assert sorted(e.details["reason"] for e in failures) == [
        "expired",
        "revoked",
        "wrong_workspace",
    ]
