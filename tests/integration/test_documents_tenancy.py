"""The database itself keeps every row inside its case (raw INSERTs, no nexus code on the write
path): a relation, tagging or designation joining two cases is refused on both engines, and
the dedupe tables' composite keys refuse a second row for one key."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError

from nexus.documents.domain.processing import DocDedupe, tag_key
from nexus.records import metadata

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def put(engine: Engine, table: str, **values: Any) -> None:
    with engine.begin() as connection:
        connection.execute(insert(metadata.tables[table]).values(**values))


def a_case(engine: Engine) -> dict[str, uuid.UUID]:
    """A case with one exhibit, tag and label, by raw inserts."""
    ids = {name: uuid.uuid4() for name in ("case", "exhibit", "other", "tag", "label")}
    case = ids["case"]
    put(
        engine, "npcases", id=case, name="c", dedupe_merge_fields=[], created_at=NOW, updated_at=NOW
    )
    for exhibit in (ids["exhibit"], ids["other"]):
        put(engine, "exhibits", npcase_id=case, id=exhibit, created_at=NOW, updated_at=NOW)
    put(engine, "tags", npcase_id=case, id=ids["tag"], name="t", created_at=NOW, updated_at=NOW)
    put(engine, "labels", npcase_id=case, id=ids["label"], name="l", kind="label", created_at=NOW)
    return ids


CROSSINGS: dict[str, Callable[[dict[str, uuid.UUID], dict[str, uuid.UUID]], dict[str, Any]]] = {
    "document_relations": lambda a, b: {
        "npcase_id": a["case"], "id": uuid.uuid4(), "from_id": a["exhibit"],
        "to_id": b["other"], "relation": "thread", "created_at": NOW,
    },
    "taggings": lambda a, b: {
        "npcase_id": a["case"], "exhibit_id": a["exhibit"], "tag_id": b["tag"], "created_at": NOW,
    },
    "exh_designations": lambda a, b: {
        "npcase_id": a["case"], "id": uuid.uuid4(), "exhibit_id": a["exhibit"],
        "label_id": b["label"], "created_at": NOW, "updated_at": NOW,
    },
}  # fmt: skip


@pytest.mark.parametrize("table", sorted(CROSSINGS))
def test_a_row_joining_two_cases_is_refused_by_the_database(
    engine: Engine, table: str, figure: Callable[[str], None]
) -> None:
    a, b = a_case(engine), a_case(engine)
    row = CROSSINGS[table](a, b)
    with pytest.raises(IntegrityError):
        put(engine, table, **row)
    # ... and claiming the other case does not help: then the first end is foreign.
    with pytest.raises(IntegrityError):
        put(engine, table, **(row | {"npcase_id": b["case"]}))
    # The same row inside one case is accepted.
    put(engine, table, **CROSSINGS[table](a, a))
    figure(f"{table}: cross-case row refused ({engine.dialect.name})")


def test_dedupe_keys_are_composite_primary_keys(engine: Engine) -> None:
    a = a_case(engine)
    bcc = ";".join(f"p{i:05d}@example.org" for i in range(111))[:2000]
    key = DocDedupe.key_for(message_id="<m@x>", bcc=bcc, md5="AB" * 16, doc_type="email")
    assert len(key["bcc"]) == 64
    put(engine, "doc_dedupe", npcase_id=a["case"], exhibit_id=a["exhibit"], created_at=NOW, **key)
    with pytest.raises(IntegrityError):
        put(
            engine,
            "doc_dedupe",
            npcase_id=a["case"],
            exhibit_id=a["exhibit"],
            created_at=NOW,
            **key,
        )
    text = "t" * 100_000
    row = {"npcase_id": a["case"], "name": tag_key(text), "custom_field_id": uuid.UUID(int=0)}
    put(engine, "tag_dedupe", tag_id=a["tag"], created_at=NOW, **row)
    with pytest.raises(IntegrityError):
        put(engine, "tag_dedupe", tag_id=a["tag"], created_at=NOW, **row)


def test_the_belt_and_braces_unique_constraints_exist(engine: Engine) -> None:
    from sqlalchemy import inspect

    inspector = inspect(engine)
    for table in ("process_checkpoints", "doc_dedupe", "tag_dedupe"):
        names = {u["name"] for u in inspector.get_unique_constraints(table)}
        assert any(n.startswith(f"uq_{table}_npcase_id") for n in names), (table, names)
