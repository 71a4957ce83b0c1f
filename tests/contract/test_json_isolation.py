"""A JSON value read from a repository is the caller's own: editing it in place and leaving
without commit changes nothing stored, on every adapter (in-memory repositories once shared
nested values with committed state)."""

from __future__ import annotations

from nexus.container import Container
from tests.factories import make_upload


def test_an_uncommitted_in_place_edit_of_json_is_not_kept(container: Container) -> None:
    uow = container.lab.unit_of_work
    entry = make_upload(metadata={"attempt": 1, "nested": {"ok": [1, 2]}})
    with uow() as tx:
        tx.upload_log.add(entry)
        tx.commit()
    with uow() as tx:
        loaded = tx.upload_log.get(entry.id)
        assert loaded.metadata is not None
        loaded.metadata["attempt"] = 2
        loaded.metadata["nested"]["ok"].append(3)
    with uow() as tx:
        again = tx.upload_log.get(entry.id)
    assert again.metadata == {"attempt": 1, "nested": {"ok": [1, 2]}}
