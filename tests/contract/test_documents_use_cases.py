"""app.documents on memory, SQLite and PostgreSQL: cases, exhibits, dedupe and provenance,
tags through tag_dedupe, labels and folders, custom fields, relations, the trash and purge."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.container import Container
from nexus.documents import ExhibitData, ExhibitQuery
from nexus.documents.infrastructure.records import ExhibitRecord
from nexus.persistence.schema import info_for
from nexus.records import context_tables
from nexus.shared.clock import FixedClock
from nexus.shared.errors import ConflictError, NotFoundError, ValidationError
from nexus.shared.usecases import Page

MD5 = "9e107d9d372bb6826bd81d3542a419d6"


def add(app: Nexus, case: Any, **fields: Any) -> uuid.UUID:
    result = app.documents.add_exhibit(case, ExhibitData(**fields))
    assert result.exhibit_ids, result
    return result.exhibit_ids[0]


def every_row(container: Container) -> dict[str, list[dict[str, Any]]]:
    """Every documents table's rows, through the same gateway the adapters use."""
    tables = container.tables()()
    try:
        found = {}
        for table in context_tables()["documents"]:
            info = info_for(type("_", (), {"__table__": table}))
            found[table.name] = [
                dict(zip(info.columns, r, strict=True)) for r in tables.fetch_many(info, {})
            ]
        return found
    finally:
        tables.close()


def referring(rows: dict[str, list[dict[str, Any]]], ids: set[uuid.UUID]) -> list[str]:
    """Rows anywhere that still point at one of `ids` (an orphan after a purge)."""
    columns = ("exhibit_id", "from_id", "to_id", "item_id")
    hits = []
    for table, table_rows in rows.items():
        for row in table_rows:
            if table == "exhibits" and row["id"] in ids:
                hits.append(f"exhibits:{row['id']}")
            hits += [f"{table}.{c}" for c in columns if row.get(c) in ids]
            if table == "process_checkpoints":
                hits += [f"{table}.exhibit_ids" for i in row["exhibit_ids"] if uuid.UUID(i) in ids]
    return hits


def test_cases_create_get_list_delete_restore(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme v. Widget", dedupe_scope="custodian")
    assert case.dedupe_scope == "custodian"
    assert case.deleted_at is None
    other = docs.create_case(name="Other", near_dupe_info={"enabled": True, "threshold": 85})
    assert docs.get_case(other.id).near_dupe_info == {"enabled": True, "threshold": 85}
    assert [c.name for c in docs.list_cases()] == ["Acme v. Widget", "Other"]
    deleted = docs.delete_case(case.id)
    assert deleted.deleted_at is not None
    assert [c.name for c in docs.list_cases()] == ["Other"]
    assert len(docs.list_cases(include_deleted=True)) == 2
    with pytest.raises(ConflictError):
        docs.add_exhibit(case.id, ExhibitData(title="x"))
    assert docs.restore_case(case.id).deleted_at is None
    with pytest.raises(NotFoundError):
        docs.get_case(uuid.uuid4())


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "npcases.name"),
        ({"name": "x", "dedupe_scope": "planet"}, "npcases.dedupe_scope"),
        ({"name": "x", "near_dupe_info": {"threshold": 300}}, "npcases.near_dupe_info.threshold"),
        ({"name": "x", "bulk_redaction_info": {"colour": "red"}}, "npcases.bulk_redaction_info"),
        ({"name": "x", "dedupe_merge_fields": ["title"]}, "npcases.dedupe_merge_fields"),
    ],
)
def test_bad_case_input_names_the_field_and_writes_nothing(
    app: Nexus, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        app.documents.create_case(**kwargs)
    assert error.value.field == field
    assert app.documents.list_cases(include_deleted=True) == []


def test_a_duplicate_adds_provenance_and_merges_fields(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    first = add(app, case, md5=MD5.upper(), custodian="Jane", nge_document_id="D1")
    again = docs.add_exhibit(
        case, ExhibitData(md5=MD5, custodian="Bob", mailbox_path="/Inbox", title="ignored")
    )
    assert again.exhibit_ids == []
    assert again.duplicate_of == first
    assert again.update_es
    shown = docs.get_exhibit(case, first)
    assert shown.custodians == ["Bob", "Jane"]
    assert shown.mailbox_path == "/Inbox"  # a merge field the original lacked
    assert shown.title is None  # not a merge field
    assert len(docs.list_exhibits(case)) == 1


def test_custodian_scope_keeps_one_copy_per_custodian(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme", dedupe_scope="custodian").id
    add(app, case, md5=MD5, custodian="Jane")
    add(app, case, md5=MD5, custodian="Bob")
    assert docs.add_exhibit(case, ExhibitData(md5=MD5, custodian="Jane")).duplicate_of
    assert len(docs.list_exhibits(case)) == 2


def test_a_2000_character_bcc_list_deduplicates(app: Nexus, figure: Callable[[str], None]) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    bcc = ";".join(f"person{i:04d}@example.org" for i in range(200))[:2000]
    assert len(bcc) == 2000
    message = "<" + "m" * 400 + "@example.org>"  # longer than the key's 255 characters too
    first = add(app, case, message_id=message, bcc=bcc, custodian="Jane")
    again = docs.add_exhibit(case, ExhibitData(message_id=message, bcc=bcc, custodian="Bob"))
    assert again.duplicate_of == first
    other = docs.add_exhibit(case, ExhibitData(message_id=message, bcc=bcc[:-1] + "x"))
    assert other.exhibit_ids  # a different BCC list is a different document
    figure(f"2,000-char BCC list deduplicated ({app.settings.persistence})")


def test_a_100000_character_tag_is_one_tag(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    text = "privileged " * 9_090 + "x" * 10
    assert len(text) == 100_000
    first = docs.create_tag(case, text)
    exhibit = add(app, case, title="memo", tags=(text,))
    assert docs.create_tag(case, text).id == first.id
    assert docs.tag_exhibit(case, exhibit, text).id == first.id
    assert docs.create_tag(case, text[:-1] + "y").id != first.id
    assert len(docs.list_tags(case)) == 2
    assert docs.get_exhibit(case, exhibit).tags == [text]


def test_list_exhibits_filters_and_pages(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    batch = docs.create_batch(case, name="PROD001", custodian="Jane")
    in_batch = add(app, case, number="1", batch_id=batch.id, tags=("Hot",))
    jane = add(app, case, number="2", custodian="Jane")
    bob = add(app, case, number="3", custodian="Bob", tags=("Hot",))
    label = docs.create_label(case, "Key documents")
    docs.designate(case, bob, label.id, page_start=1, line_start=2, page_end=1, line_end=9)
    tag = docs.list_tags(case)[0]
    custodians = {c.name: c.id for c in docs.list_custodians(case)}

    def ids(**query: Any) -> list[uuid.UUID]:
        return [e.id for e in docs.list_exhibits(case, ExhibitQuery(**query))]

    assert ids() == [in_batch, jane, bob]
    assert ids(custodian_id=custodians["Jane"]) == [in_batch, jane]
    assert ids(tag_id=tag.id) == [in_batch, bob]
    assert ids(tag_id=tag.id, custodian_id=custodians["Jane"]) == [in_batch]
    assert ids(label_id=label.id) == [bob]
    assert ids(batch_id=batch.id) == [in_batch]
    assert ids(page=Page.of(1, 1)) == [jane]
    docs.trash(case, jane)
    assert ids() == [in_batch, bob]
    assert ids(trash="trashed") == [jane]
    assert ids(trash="all") == [in_batch, jane, bob]
    with pytest.raises(ValidationError):
        ExhibitQuery(trash="bin")
    other = docs.create_case(name="Other").id
    assert docs.list_exhibits(other) == []
    with pytest.raises(NotFoundError):
        docs.get_exhibit(other, bob)


def test_the_stamp_is_unique_among_live_exhibits(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    first = add(app, case, prefix="ACME", number="0001")
    with pytest.raises(ConflictError):
        docs.add_exhibit(case, ExhibitData(prefix="ACME", number="0001"))
    docs.trash(case, first)
    with pytest.raises(ConflictError, match="trashed exhibit until it is purged"):
        docs.add_exhibit(case, ExhibitData(prefix="ACME", number="0001"))
    docs.purge(case, older_than_days=0)
    add(app, case, prefix="ACME", number="0001", title="the purged number's new holder")


def test_relations_and_family(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    parent = add(app, case, nge_document_id="P1", title="email")
    child = add(app, case, nge_document_id="C1", parent_document_id="P1", file_name="a.pdf")
    thread = add(app, case, title="reply")
    docs.relate(case, parent, thread, "thread")
    assert docs.relate(case, parent, thread, "thread").id == docs.family(case, parent).related[1].id
    family = docs.family(case, parent)
    assert family.parent_id is None
    assert family.attachment_ids == [child]
    assert docs.family(case, child).parent_id == parent
    with pytest.raises(ValidationError):
        docs.relate(case, parent, parent, "thread")
    with pytest.raises(ValidationError):
        docs.relate(case, parent, child, "cousin")
    other = docs.create_case(name="Other").id
    stranger = add(app, other, title="elsewhere")
    with pytest.raises(NotFoundError):
        docs.relate(case, parent, stranger, "thread")


def test_folders_nest_and_removing_one_removes_its_subtree(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    root = docs.create_label(case, "Depositions", kind="folder")
    sub = docs.create_label(case, "Smith", kind="folder", parent_id=root.id)
    leaf = docs.create_label(case, "Exhibits used", parent_id=sub.id)
    keep = docs.create_label(case, "Hot")
    exhibit = add(app, case, title="memo")
    docs.designate(case, exhibit, leaf.id)
    with pytest.raises(ValidationError):
        docs.create_label(case, "under a label", parent_id=keep.id)
    docs.delete_label(case, root.id)
    assert [label.name for label in docs.list_labels(case)] == ["Hot"]
    assert docs.designations(case, exhibit) == []
    assert sub.id
    assert leaf.id


def test_custom_fields_check_values_against_their_type(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    exhibit = add(app, case, title="memo")
    amount = docs.create_custom_field(case, "Amount", "number")
    status = docs.create_custom_field(case, "Status", "choice", options=["open", "done"])
    when = docs.create_custom_field(case, "Received", "date")
    assert docs.set_custom_value(case, exhibit, amount.id, "12.50") == "12.50"
    assert docs.set_custom_value(case, exhibit, amount.id, 7) == "7"
    assert docs.set_custom_value(case, exhibit, status.id, "done") == "done"
    assert docs.set_custom_value(case, exhibit, when.id, "2026-03-01") == "2026-03-01"
    for field, bad in ((amount, "twelve"), (status, "maybe"), (when, "yesterday"), (amount, True)):
        with pytest.raises(ValidationError):
            docs.set_custom_value(case, exhibit, field.id, bad)
    assert docs.custom_values(case, exhibit) == {
        "Amount": "7",
        "Status": "done",
        "Received": "2026-03-01",
    }
    with pytest.raises(ValidationError):
        docs.create_custom_field(case, "Kind", "choice")
    with pytest.raises(ConflictError):
        docs.create_custom_field(case, "Amount", "text")


def test_deposition_volumes_mark_exhibits(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    exhibit = add(app, case, title="memo")
    volume = docs.add_deposition_volume(case, name="Smith Vol. I", deponent="J. Smith")
    marked = docs.mark_deposition_exhibit(case, volume.id, exhibit, "Smith 12")
    assert marked.exhibits == {"Smith 12": exhibit}
    assert docs.list_deposition_volumes(case)[0].exhibits == {"Smith 12": exhibit}


def test_purge_removes_old_trash_and_every_row_pointing_to_it(
    app: Nexus, container: Container, clock: FixedClock, figure: Callable[[str], None]
) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    batch = docs.create_batch(case, name="PROD001", custodian="Jane")
    old = add(
        app, case, nge_document_id="P1", md5=MD5, batch_id=batch.id, tags=("Hot",),
        file_name="old.msg", number="1",
    )  # fmt: skip
    child = add(app, case, nge_document_id="C1", parent_document_id="P1", number="2")
    keep = add(app, case, title="keep", number="3", tags=("Hot",))
    label = docs.create_label(case, "Key")
    docs.designate(case, old, label.id)
    field = docs.create_custom_field(case, "Note", "text")
    docs.set_custom_value(case, old, field.id, "x")
    volume = docs.add_deposition_volume(case, name="Vol I")
    docs.mark_deposition_exhibit(case, volume.id, old, "Smith 1")
    docs.relate(case, keep, old, "duplicate")
    docs.trash(case, old)
    docs.trash(case, child)
    clock.advance(timedelta(days=30))
    docs.trash(case, keep)
    clock.advance(timedelta(days=61))
    purged = docs.purge(case)  # 90 days: old and child are 91 days in the trash, keep 61
    assert sorted(purged.exhibit_ids) == sorted([old, child])
    rows = every_row(container)
    assert referring(rows, {old, child}) == []
    assert [r["id"] for r in rows["exhibits"]] == [keep]
    assert len(rows["tags"]) == 1
    assert len(rows["taggings"]) == 1
    assert rows["doc_dedupe"] == []
    assert rows["batch_sources"] == []
    figure(f"purge left 0 orphans over {len(rows)} tables ({app.settings.persistence})")
    assert docs.purge(case, older_than_days=0).exhibit_ids == [keep]
    with pytest.raises(ValidationError):
        docs.purge(case, older_than_days=-1)


def test_trash_and_restore(app: Nexus) -> None:
    docs = app.documents
    case = docs.create_case(name="Acme").id
    exhibit = add(app, case, prefix="A", number="1")
    assert docs.trash(case, exhibit).deleted_at is not None
    assert docs.restore(case, exhibit).deleted_at is None
    docs.trash(case, exhibit)
    add(app, case, prefix="A", number="2")
    assert docs.purge(case).purged == 0  # too recent
    assert ExhibitRecord.__tablename__ == "exhibits"
