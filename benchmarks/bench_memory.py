"""The in-memory twin at scale: one unit of work adding 10,000 then 100,000 rows (lab upload
log entries, a unique key and a JSON column each), µs per row; linear growth means the two
figures are about equal. No raw baseline: there is no driver under the twin."""

from __future__ import annotations

from datetime import UTC, datetime

from benchmarks.common import absolute
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


def run(*, quick: bool = False) -> None:
    for rows in (10_000, 100_000):
        entries = _entries(rows)

        def add_all(_rep: int, entries: list[UploadLogEntry] = entries, rows: int = rows) -> None:
            store = InMemoryStore()
            with LabUnitOfWork(memory_tables(store)) as uow:
                for entry in entries:
                    uow.upload_log.add(entry)
                uow.commit()
            assert store.count("upload_log") == rows

        absolute(f"add {rows:,} rows in one unit of work (per row)", "memory", add_all,
                 operations=rows, repetitions=1 if quick else 3)  # fmt: skip


if __name__ == "__main__":
    from benchmarks.common import print_figures

    run()
    print_figures()
