"""Unit-of-work rules every adapter keeps alike (found by a review that tried to break them):
a refused write voids the unit of work; in-place edits of JSON are never lost; a cascade that
removes a RESTRICT child is one all-or-nothing delete."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import attrs
import pytest

from nexus.app import Nexus
from nexus.persistence.schema import info_by_name
from nexus.shared.actors import OPERATOR
from nexus.shared.errors import ConcurrencyError, ConflictError

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
PASSWORD = "a long passphrase 1"


def _workspace(app: Nexus) -> uuid.UUID:
    user = app.identity.register_user(email="a@example.org", name="A", password=PASSWORD)
    return app.workspaces.create_workspace(
        name="W", slug="wone", owner_id=user.id, actor=OPERATOR
    ).id


def test_a_refused_write_voids_the_unit_of_work(app: Nexus) -> None:
    """PostgreSQL aborts a transaction at a refused statement (its COMMIT keeps nothing); every
    adapter now says so: later statements and the commit raise, and nothing is kept."""
    ws = _workspace(app)
    app.workspaces.set_secret(ws, "K", "v1", actor=OPERATOR)
    with app.container.workspaces.unit_of_work() as tx:
        secret = tx.secrets.find_by_key(ws, "K")
        assert secret is not None
        tx.secrets.add(attrs.evolve(secret, id=uuid.uuid4(), key="OTHER"))
        with pytest.raises(ConflictError):
            tx.secrets.add(attrs.evolve(secret, id=uuid.uuid4()))  # the key K again
        with pytest.raises(ConcurrencyError, match="refused"):
            tx.secrets.find_by_key(ws, "K")
        with pytest.raises(ConcurrencyError, match="refused"):
            tx.commit()
    assert [s.key for s in app.workspaces.list_secrets(ws, actor=OPERATOR)] == ["K"]
    # The connection is usable again by the next unit of work.
    app.workspaces.set_secret(ws, "OTHER", "v2", actor=OPERATOR)
    assert sorted(s.key for s in app.workspaces.list_secrets(ws, actor=OPERATOR)) == [
        "K",
        "OTHER",
    ]


def test_a_second_in_place_json_edit_in_one_unit_of_work_is_kept(app: Nexus) -> None:
    ws = _workspace(app)
    created = app.workspaces.create_provider(
        ws, provider_type="openai", name="p", model="m", actor=OPERATOR, config={}
    )
    with app.container.workspaces.unit_of_work() as tx:
        provider = tx.providers.get(ws, created.id)
        provider.config["a"] = 1
        tx.providers.update(provider)
        provider.config["b"] = 2  # the same dict, edited in place again
        tx.providers.update(provider)
        tx.commit()
    with app.container.workspaces.unit_of_work() as tx:
        assert tx.providers.get(ws, created.id).config == {"a": 1, "b": 2}


def _row(table: str, **values: object) -> dict[str, object]:
    info = info_by_name(table)
    return {c: values.get(c) for c in info.columns}


def test_a_cascade_removing_a_restrict_child_deletes_as_on_the_databases(app: Nexus) -> None:
    """batches.custodian is ON DELETE RESTRICT, but deleting the case cascades to both the
    batch and the custodian: allowed on SQLite and PostgreSQL, so in memory too."""
    case, custodian, batch = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    tables = app.container.tables()()
    try:
        tables.insert(
            info_by_name("npcases"),
            _row(
                "npcases",
                id=case,
                name="c",
                dedupe_message_id=True,
                dedupe_scope="global",
                dedupe_merge_fields=[],
                created_at=NOW,
                updated_at=NOW,
            ),
        )
        tables.insert(
            info_by_name("custodians"),
            _row("custodians", npcase_id=case, id=custodian, name="x", created_at=NOW),
        )
        tables.insert(
            info_by_name("batches"),
            _row(
                "batches",
                npcase_id=case,
                id=batch,
                name="b",
                import_type="manual",
                status="pending",
                custodian_id=custodian,
                document_count=0,
                duplicate_count=0,
                error_count=0,
                created_at=NOW,
                updated_at=NOW,
            ),
        )
        tables.commit()
    finally:
        tables.close()
    tables = app.container.tables()()
    try:
        with pytest.raises(ConflictError):
            tables.delete(info_by_name("custodians"), {"npcase_id": case, "id": custodian})
    finally:
        tables.close()
    tables = app.container.tables()()
    try:
        assert tables.delete(info_by_name("npcases"), {"id": case}) == 1
        tables.commit()
    finally:
        tables.close()
    tables = app.container.tables()()
    try:
        assert tables.count(info_by_name("batches"), {"npcase_id": case}) == 0
        assert tables.count(info_by_name("custodians"), {"npcase_id": case}) == 0
    finally:
        tables.close()


def test_a_unit_of_work_opens_its_repositories_per_unit(app: Nexus) -> None:
    """A repository exists only while its unit of work is open, and each unit (and each
    re-entry of one) opens its own: none carries another's loaded rows or tables."""
    ws = _workspace(app)
    make = app.container.workspaces.unit_of_work
    idle = make()
    with pytest.raises(AttributeError, match="secrets"):
        _ = idle.secrets
    app.workspaces.set_secret(ws, "K", "v1", actor=OPERATOR)
    with make() as first:
        opened = first.secrets
        assert first.secrets is opened  # one per unit of work
        assert opened.tables is first.tables
        found = opened.find_by_key(ws, "K")
        assert found is not None
        assert found.key == "K"
    with make() as second:
        assert second.secrets is not opened
        assert second.secrets.tables is second.tables
    with second:  # entered again: its repositories are new, on its new tables
        assert second.secrets is not opened
        assert second.secrets.tables is second.tables
    with pytest.raises(AttributeError, match="no_such_repository"):
        _ = second.no_such_repository
