"""app.documents.load on memory, SQLite and PostgreSQL: dedupe in both scopes with provenance,
families (a parent after its child too), bad records, resuming, JSON Lines, page images."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nexus.app import Nexus
from nexus.container import Container
from nexus.documents.samples import sample_production_file
from nexus.documents.samples.production import write_production
from nexus.shared.errors import NotFoundError, ValidationError
from tests.loading_support import doc, rows_of, snapshot, write_dat


def test_duplicates_add_provenance_not_exhibits(
    app: Nexus, container: Container, tmp_path: Path
) -> None:
    case = app.documents.create_case(name="Dedupe")
    first = write_dat(tmp_path / "a.dat", [doc(1), doc(2), doc(3, md5="A" * 32)])
    again = write_dat(
        tmp_path / "b.dat", [doc(11, md5=f"{1:032x}"), doc(12, md5="a" * 32), doc(13)]
    )
    one = app.documents.load(case.id, first, custodian="Alice")
    two = app.documents.load(case.id, again, custodian="Bob")
    assert (one.loaded, one.duplicates, one.errors, one.status) == (3, 0, 0, "loaded")
    # MD5 case does not matter; DOC0011 and DOC0012 are DOC0001 and DOC0003 again.
    assert (two.loaded, two.duplicates) == (1, 2)
    assert len(one.exhibit_ids) == 3
    assert len(two.exhibit_ids) == 1
    facts = snapshot(container, case.id)
    assert ("Bob", "DOC0001") in facts["custodian_exhibits"]
    assert ("Bob", "DOC0003") in facts["custodian_exhibits"]
    assert ("Alice", "DOC0001") in facts["custodian_exhibits"]
    assert [e[0] for e in facts["exhibits"]] == ["DOC0001", "DOC0002", "DOC0003", "DOC0013"]
    holders = app.documents.get_exhibit(case.id, one.exhibit_ids[0]).custodians
    assert holders == ["Alice", "Bob"]


def test_custodian_scope_keeps_each_custodians_copy(app: Nexus, tmp_path: Path) -> None:
    case = app.documents.create_case(name="Scoped")
    app.documents.configure_case(case.id, dedupe_scope="custodian")
    path = write_dat(
        tmp_path / "a.dat",
        [
            doc(1, CUSTODIAN="Alice"),
            doc(2, md5=f"{1:032x}", CUSTODIAN="Bob"),
            doc(3, md5=f"{1:032x}", CUSTODIAN="Alice"),
        ],
    )
    result = app.documents.load(case.id, path)
    assert (result.loaded, result.duplicates) == (2, 1)


def test_families_resolve_at_the_end_even_parent_after_child(
    app: Nexus, container: Container, tmp_path: Path
) -> None:
    case = app.documents.create_case(name="Families")
    family = {"BEGATTACH": "DOC0001", "ENDATTACH": "DOC0003"}
    path = write_dat(
        tmp_path / "a.dat",
        [
            doc(1, **family),
            doc(2, **family),
            doc(3, **family),
            doc(5, PARENTID="DOC0004"),  # the child first
            doc(4),
        ],
    )
    result = app.documents.load(case.id, path, custodian="Alice")
    assert result.loaded == 5
    facts = snapshot(container, case.id)
    assert facts["document_relations"] == [
        ("DOC0001", "DOC0002", "attachment"),
        ("DOC0001", "DOC0003", "attachment"),
        ("DOC0004", "DOC0005", "attachment"),
    ]
    assert facts["document_relations_in_batch"] == []
    parent = next(e for e in app.documents.list_exhibits(case.id) if e.nge_document_id == "DOC0004")
    assert len(app.documents.family(case.id, parent.id).attachment_ids) == 1


def test_attachments_follow_a_duplicate_parent(
    app: Nexus, container: Container, tmp_path: Path
) -> None:
    case = app.documents.create_case(name="Follow")
    parent_md5 = "b" * 32
    rows = [
        doc(1, md5=parent_md5, BEGATTACH="DOC0001", ENDATTACH="DOC0002"),
        doc(2, BEGATTACH="DOC0001", ENDATTACH="DOC0002"),
        # The same family again, and an attachment whose own MD5 is new: it follows its parent.
        doc(3, md5=parent_md5, BEGATTACH="DOC0003", ENDATTACH="DOC0004"),
        doc(4, md5="c" * 32, BEGATTACH="DOC0003", ENDATTACH="DOC0004"),
        # An attachment is never deduplicated on its own: DOC0006 repeats DOC0002's MD5.
        doc(5, BEGATTACH="DOC0005", ENDATTACH="DOC0006"),
        doc(6, md5=f"{2:032x}", BEGATTACH="DOC0005", ENDATTACH="DOC0006"),
    ]
    result = app.documents.load(case.id, write_dat(tmp_path / "a.dat", rows), custodian="Al")
    assert (result.loaded, result.duplicates) == (4, 2)
    loaded = [e[0] for e in snapshot(container, case.id)["exhibits"]]
    assert loaded == ["DOC0001", "DOC0002", "DOC0005", "DOC0006"]


def test_bad_records_are_reported_and_the_rest_goes_on(app: Nexus, tmp_path: Path) -> None:
    case = app.documents.create_case(name="Bad")
    path = write_dat(
        tmp_path / "a.dat",
        [
            doc(1),
            doc(2, DATESENT="not a date"),
            doc(3, md5="xyz"),
            {"BEGDOC": "", "MD5HASH": "d" * 32},
            doc(1, md5="e" * 32),  # the same producer id twice
            doc(6),
        ],
    )
    result = app.documents.load(case.id, path, custodian="Alice")
    assert (result.loaded, result.errors, result.status) == (2, 4, "loaded")
    problems = {p.line: (p.field, p.rule) for p in result.problems}
    assert sorted(problems) == [3, 4, 5, 6]
    assert problems[3][0] == "DATESENT"
    assert problems[4][0] == "exhibit_data.md5"
    assert problems[5] == ("BEGDOC", "required")
    assert problems[6] == ("nge_document_id", "repeats the document at line 2")
    batch = app.documents.get_batch(case.id, result.batch_id)
    assert (batch.document_count, batch.error_count, batch.status) == (2, 4, "loaded")


def test_resuming_a_loaded_batch_changes_nothing(
    app: Nexus, container: Container, tmp_path: Path
) -> None:
    case = app.documents.create_case(name="Again")
    path = write_dat(tmp_path / "a.dat", [doc(n) for n in range(1, 8)])
    app.documents.chunk_size = 3  # type: ignore[misc]
    first = app.documents.load(case.id, path, custodian="Alice", batch_name="one")
    before = snapshot(container, case.id)
    again = app.documents.load(case.id, path, custodian="Alice", batch_name="one")
    resumed = app.documents.resume_batch(case.id, first.batch_id, path)
    assert snapshot(container, case.id) == before
    assert list(again.exhibit_ids) == list(first.exhibit_ids)
    assert resumed.loaded == first.loaded == 7
    assert [b.status for b in app.documents.list_batches(case.id)] == ["loaded"]


def test_a_taken_stamp_is_a_bad_record(app: Nexus, tmp_path: Path) -> None:
    case = app.documents.create_case(name="Stamps")
    held = app.documents.add_exhibit(case.id, {"prefix": "P", "number": "1"})
    app.documents.trash(case.id, held.exhibit_ids[0])  # a trashed exhibit keeps its stamp
    app.documents.add_exhibit(case.id, {"prefix": "Q", "number": "2"})
    lines = [
        {"nge_document_id": "S1", "prefix": "P", "number": "1"},  # held (in the trash)
        {"nge_document_id": "S2", "prefix": "P", "number": "2"},  # free: another prefix has 2
        {"nge_document_id": "S3", "prefix": "P", "number": "2"},  # taken by S2 in this chunk
        {"nge_document_id": "S4", "number": "1"},  # free: no prefix
    ]
    source = tmp_path / "stamps.jsonl"
    source.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = app.documents.load(case.id, str(source), format="jsonl")
    assert (result.loaded, result.errors) == (2, 2)
    problems = {p.line: p.field for p in result.problems}
    assert problems == {1: "exhibit_data.number", 3: "exhibit_data.number"}


def test_rules_of_the_written_rows_are_bad_records_and_write_nothing(
    app: Nexus, container: Container, tmp_path: Path
) -> None:
    """The bulk path builds rows without entities: the rules only the entities hold (a blank
    producer id or parent id, a blank native file name) still refuse the record, which writes
    no row; the rest goes on."""
    case = app.documents.create_case(name="Rows")
    lines = [
        {"nge_document_id": "   ", "md5": "a" * 32},  # a checkpoint key must not be blank
        {"nge_document_id": "R2", "parent_document_id": "  "},  # nor a staged parent
        {"nge_document_id": "R3", "file_name": " "},  # nor a native's file name
        {"nge_document_id": "R4", "file_name": "ok.msg"},
    ]
    source = tmp_path / "rows.jsonl"
    source.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = app.documents.load(case.id, str(source), format="jsonl")
    assert (result.loaded, result.errors) == (1, 3)
    assert [(p.line, p.field, p.rule) for p in result.problems] == [
        (1, "process_checkpoints.nge_document_id", "must not be blank"),
        (2, "document_relations_in_batch.parent_document_id", "must not be blank"),
        (3, "attachments.file_name", "must not be blank"),
    ]
    facts = snapshot(container, case.id)
    assert facts["attachments"] == [("R4", "native", "ok.msg", None)]
    assert len(result.exhibit_ids) == 1


def test_json_lines_and_page_images(app: Nexus, container: Container, tmp_path: Path) -> None:
    case = app.documents.create_case(name="JSONL")
    lines = [
        {"nge_document_id": "J1", "md5": "f" * 32, "subject": "one", "tags": ["hot"]},
        {"nge_document_id": "J2", "parent_document_id": "J1", "file_name": "att.pdf"},
        {"nge_document_id": "J3", "sent_at": "yesterday"},
    ]
    source = tmp_path / "a.jsonl"
    source.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    opt = tmp_path / "a.opt"
    opt.write_text("J1,VOL1,IMAGES\\J1-1.tif,Y,,,2\r\nJ1-2,VOL1,IMAGES\\J1-2.tif,,,,\r\n")
    result = app.documents.load(case.id, str(source), format="jsonl", opt=str(opt))
    assert (result.loaded, result.errors) == (2, 1)
    assert result.problems[0].field == "exhibit_data.sent_at"
    facts = snapshot(container, case.id)
    assert ("J1", "image", "J1-2.tif", 2) in facts["attachments"]
    assert ("J2", "native", "att.pdf", None) in facts["attachments"]
    assert facts["document_relations"] == [("J1", "J2", "attachment")]
    assert app.documents.list_tags(case.id)[0].name == "hot"


def test_bad_calls_name_the_field(app: Nexus, tmp_path: Path) -> None:
    case = app.documents.create_case(name="Calls")
    with pytest.raises(ValidationError) as error:
        app.documents.load(case.id, str(tmp_path / "missing.dat"))
    assert error.value.field == "source"
    with pytest.raises(ValidationError) as error:
        app.documents.load(case.id, "x.dat", format="csv")
    assert error.value.field == "format"
    with pytest.raises(NotFoundError):
        app.documents.resume_batch(case.id, "01a227c0-5fcc-76b6-9e1e-62cc2e96f26d", "x.dat")


def test_the_bundled_sample_loads(app: Nexus, container: Container) -> None:
    case = app.documents.create_case(name="Sample")
    with sample_production_file() as path:
        result = app.documents.load(case.id, str(path))
    assert (result.loaded, result.duplicates, result.errors) == (7, 3, 0)
    assert len(rows_of(container)["document_relations"]) == 3


def test_emails_dedupe_on_the_message_id_hash(
    app: Nexus, container: Container, tmp_path: Path
) -> None:
    case = app.documents.create_case(name="Mail")
    lines = [
        {"nge_document_id": "M1", "message_id": "<CALckR-a8UDkRjO4xJyjd_s0GPxQWw@mail.gmail.com>"},
        {"nge_document_id": "M2", "message_id": " <CALckR-a8UDkRjO4xJyjd_s0GPxQWw@mail.gmail.com>"},
        {"nge_document_id": "M3", "message_id": "CALckR-a8UDkRjO4xJyjd_s0GPxQWw@mail.gmail.com"},
    ]
    source = tmp_path / "mail.jsonl"
    source.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    result = app.documents.load(case.id, str(source), format="jsonl", custodian="Jo")
    assert (result.loaded, result.duplicates) == (2, 1)
    keys = snapshot(container, case.id)["doc_dedupe"]
    assert ("1de319c276884bd0c9e2f1621ada26cc", "", "", "email", "", "M1") in keys


def test_big_chunks_write_what_small_chunks_write(
    app: Nexus, container: Container, tmp_path: Path
) -> None:
    """On PostgreSQL a big chunk goes through COPY and INSERT .. SELECT, a small one through
    executemany: the same tables either way."""
    path = str(write_production(tmp_path / "p.dat", 400, seed=2))
    big = app.documents.create_case(name="big")
    app.documents.load(big.id, path, custodian="Alice", batch_name="p")
    small = app.documents.create_case(name="small")
    app.documents.chunk_size = 20  # type: ignore[misc]
    app.documents.load(small.id, path, custodian="Alice", batch_name="p")
    facts = snapshot(container, big.id)
    assert facts == snapshot(container, small.id)
    assert len(facts["document_relations"]) > 10
    assert len(facts["exhibits"]) > 200


def test_a_missing_file_creates_no_batch(app: Nexus, tmp_path: Path) -> None:
    case = app.documents.create_case(name="Missing")
    with pytest.raises(ValidationError):
        app.documents.load(case.id, str(tmp_path / "none.dat"))
    assert app.documents.list_batches(case.id) == []


def test_all_custodians_are_provenance_too(
    app: Nexus, container: Container, tmp_path: Path
) -> None:
    case = app.documents.create_case(name="All")
    columns = ("BEGDOC", "MD5HASH", "CUSTODIAN", "ALLCUSTODIANS")
    rows = [
        {"BEGDOC": "A1", "MD5HASH": "1" * 32, "CUSTODIAN": "Ann", "ALLCUSTODIANS": "Ann;Ben"},
        {"BEGDOC": "A2", "MD5HASH": "1" * 32, "CUSTODIAN": "Cy", "ALLCUSTODIANS": "Dee"},
    ]
    result = app.documents.load(case.id, write_dat(tmp_path / "a.dat", rows, columns))
    assert (result.loaded, result.duplicates) == (1, 1)
    holders = snapshot(container, case.id)["custodian_exhibits"]
    assert holders == [("Ann", "A1"), ("Ben", "A1"), ("Cy", "A1"), ("Dee", "A1")]


def test_duplicates_merge_only_what_the_original_lacks(app: Nexus, tmp_path: Path) -> None:
    """Merge fields reach originals of earlier chunks and of the same chunk, fill only
    empty fields (the first duplicate offering one wins), and never other fields."""
    case = app.documents.create_case(
        name="Merge", dedupe_merge_fields=["recipients", "cc", "mailbox_path", "custodians"]
    )
    a, b, c, d = ("a" * 32, "b" * 32, "c" * 32, "d" * 32)
    lines = [
        {"nge_document_id": "A1", "md5": a, "mailbox_path": "box-A"},
        {"nge_document_id": "B1", "md5": b, "to": ["b@x"], "cc": "c@x", "mailbox_path": "box-B"},
        {"nge_document_id": "C1", "md5": c},
        # the next chunk: duplicates of originals stored by the first
        {"nge_document_id": "A2", "md5": a, "to": "r2@x", "mailbox_path": "o", "root_folder": "rf"},
        {"nge_document_id": "A3", "md5": a, "to": "r3@x", "cc": "c3@x"},
        {"nge_document_id": "B2", "md5": b, "to": "z@x", "cc": "z@x"},
        # the last: no merge field offered; an original and its duplicate in one chunk
        {"nge_document_id": "C2", "md5": c, "subject": "not merged"},
        {"nge_document_id": "D1", "md5": d},
        {"nge_document_id": "D2", "md5": d, "cc": "d@x"},
    ]
    source = tmp_path / "m.jsonl"
    source.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    app.documents.chunk_size = 3  # type: ignore[misc]
    result = app.documents.load(case.id, str(source), format="jsonl", custodian="Alice")
    assert (result.loaded, result.duplicates, result.errors) == (4, 5, 0)
    found = {
        e.nge_document_id: (e.recipients, e.cc, e.mailbox_path, e.root_folder, e.subject)
        for e in (app.documents.get_exhibit(case.id, i) for i in result.exhibit_ids)
    }
    assert found == {
        "A1": ("r2@x", "c3@x", "box-A", None, None),
        "B1": ("b@x", "c@x", "box-B", None, None),
        "C1": (None, None, None, None, None),
        "D1": (None, "d@x", None, None, None),
    }
