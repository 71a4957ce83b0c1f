"""The in-memory twin in bulk and in isolation: one unit of work adding thousands of rows (its
10k / 100k timing is `benchmarks/bench_memory.py`), and no caller aliasing committed state
through a JSON value, on the way in or on the way out."""

from __future__ import annotations

from datetime import UTC, datetime

from nexus.lab.domain.uploads import UploadLogEntry
from nexus.lab.infrastructure.repositories import LabUnitOfWork
from nexus.persistence.memory import InMemoryStore
from nexus.persistence.uow import memory_tables

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _entries(n: int) -> list[UploadLogEntry]:
    return [
        UploadLogEntry(
            session_identifier=f"s-{i}",
            destination_name="cdcs",
            success=True,
            timestamp=AT,
            metadata={"n": i},
        )
        for i in range(n)
    ]


def test_one_unit_of_work_adds_thousands_of_rows() -> None:
    store = InMemoryStore()
    with LabUnitOfWork(memory_tables(store)) as uow:
        for entry in _entries(5_000):
            uow.upload_log.add(entry)
        uow.commit()
    assert store.count("upload_log") == 5_000


def test_no_caller_aliases_committed_json() -> None:
    store = InMemoryStore()
    metadata = {"files": ["a.dm3"], "nested": {"k": 1}}
    entry = UploadLogEntry(
        session_identifier="s-1", destination_name="cdcs", success=True, timestamp=AT,
        metadata=metadata,
    )  # fmt: skip
    with LabUnitOfWork(memory_tables(store)) as uow:
        uow.upload_log.add(entry)
        uow.commit()
    # The caller's own dict, edited after the commit, is not committed state.
    metadata["files"].append("b.dm3")
    metadata["nested"]["k"] = 2
    assert entry.metadata is not None
    entry.metadata["added"] = True
    with LabUnitOfWork(memory_tables(store)) as uow:
        loaded = uow.upload_log.get(entry.id)
    assert loaded.metadata == {"files": ["a.dm3"], "nested": {"k": 1}}
    # Neither is a loaded entity's dict, edited in place.
    assert loaded.metadata is not None
    loaded.metadata["nested"]["k"] = 3
    loaded.metadata["files"].clear()
    with LabUnitOfWork(memory_tables(store)) as uow:
        again = uow.upload_log.get(entry.id)
        updated = again
        assert updated.metadata is not None
        updated.metadata["nested"]["k"] = 4
        uow.upload_log.update(updated)
        uow.commit()
    updated.metadata["nested"]["k"] = 5
    with LabUnitOfWork(memory_tables(store)) as uow:
        final = uow.upload_log.get(entry.id)
    assert final.metadata == {"files": ["a.dm3"], "nested": {"k": 4}}
