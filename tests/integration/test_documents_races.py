"""Writers racing on the dedupe keys (memory, SQLite, PostgreSQL): many threads creating the
same long tag, or adding the same document for different custodians, leave one tag and one
exhibit with every custodian (the loser's insert conflicts on the composite key and its use
case runs again on fresh state)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from nexus.app import Nexus
from nexus.documents import ExhibitData

WRITERS = 6


def race(work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(WRITERS)
    results: list[Any] = [None] * WRITERS

    def run(i: int) -> None:
        barrier.wait(timeout=20)
        try:
            results[i] = work(i)
        except Exception as error:  # reported by the assertion below
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_racing_writers_of_one_tag_leave_one_tag(app: Nexus, figure: Callable[[str], None]) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    text = "attorney-client privileged " * 4_000
    results = race(lambda _i: docs.create_tag(case, text))
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len({r.id for r in results}) == 1
    assert len(docs.list_tags(case)) == 1
    figure(f"{WRITERS} racing tag writers -> 1 tag ({app.settings.persistence})")


def test_racing_copies_of_one_document_keep_every_custodian(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    md5 = "cd" * 16
    results = race(
        lambda i: docs.add_exhibit(case, ExhibitData(md5=md5, custodian=f"custodian {i}"))
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    created = [r.exhibit_ids[0] for r in results if r.exhibit_ids]
    assert len(created) == 1
    assert {r.duplicate_of for r in results if not r.exhibit_ids} == set(created)
    shown = docs.get_exhibit(case, created[0])
    assert shown.custodians == sorted(f"custodian {i}" for i in range(WRITERS))
