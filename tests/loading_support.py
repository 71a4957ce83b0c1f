"""Helpers of the loader tests: small DAT files written with the project's writer, and a
snapshot of a case's loaded tables by natural keys (ids differ between runs, facts must not)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from nexus.container import Container
from nexus.documents.infrastructure.load_files import DatWriter
from nexus.persistence.schema import info_for
from nexus.records import context_tables

COLUMNS = (
    "BEGDOC",
    "ENDDOC",
    "BEGATTACH",
    "ENDATTACH",
    "PARENTID",
    "CUSTODIAN",
    "MD5HASH",
    "SUBJECT",
    "DATESENT",
    "TO",
    "FILENAME",
)


def write_dat(
    path: Path, rows: Iterable[Mapping[str, Any]], columns: Sequence[str] = COLUMNS
) -> str:
    with path.open("wb") as stream:
        writer = DatWriter(stream, columns)
        writer.write_header()
        for row in rows:
            writer.write({c: row.get(c, "") for c in columns})
    return str(path)


def doc(n: int, md5: str | None = None, **fields: Any) -> dict[str, Any]:
    """A document DOC000n with a distinct MD5 unless one is given."""
    name = f"DOC{n:04d}"
    return {
        "BEGDOC": name,
        "ENDDOC": name,
        "MD5HASH": md5 if md5 is not None else f"{n:032x}",
        "SUBJECT": f"subject {n}",
        "FILENAME": f"{name}.msg",
        **fields,
    }


def rows_of(container: Container) -> dict[str, list[dict[str, Any]]]:
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


def snapshot(container: Container, case: uuid.UUID) -> dict[str, list[Any]]:
    """The case's loaded facts, ids replaced by producer ids and names, sorted."""
    rows = {
        t: [r for r in rs if r.get("npcase_id") == case] for t, rs in rows_of(container).items()
    }
    doc_of = {r["id"]: r["nge_document_id"] for r in rows["exhibits"]}
    name_of = {r["id"]: r["name"] for r in rows["custodians"]}
    batch_of = {r["id"]: r["name"] for r in rows["batches"]}
    out: dict[str, list[Any]] = {
        "custodians": sorted(name_of.values()),
        "batches": sorted(
            (r["name"], r["status"], r["document_count"], r["duplicate_count"], r["error_count"])
            for r in rows["batches"]
        ),
        "exhibits": sorted(
            (r["nge_document_id"], batch_of[r["batch_id"]], r["md5"], r["subject"], r["recipients"])
            for r in rows["exhibits"]
        ),
        "attachments": sorted(
            (doc_of[r["exhibit_id"]], r["kind"], r["file_name"], r["page"])
            for r in rows["attachments"]
        ),
        "custodian_exhibits": sorted(
            (name_of[r["custodian_id"]], doc_of[r["exhibit_id"]])
            for r in rows["custodian_exhibits"]
        ),
        "doc_dedupe": sorted(
            (
                r["message_id"],
                r["bcc"],
                r["md5"],
                r["doc_type"],
                name_of.get(r["scope"], r["scope"]),
                doc_of[r["exhibit_id"]],
            )
            for r in rows["doc_dedupe"]
        ),
        "batch_sources": sorted(
            (batch_of[r["batch_id"]], r["item_type"], doc_of[r["item_id"]])
            for r in rows["batch_sources"]
        ),
        "document_relations": sorted(
            (doc_of[r["from_id"]], doc_of[r["to_id"]], r["relation"])
            for r in rows["document_relations"]
        ),
        "document_relations_in_batch": sorted(
            (r["parent_document_id"], r["child_document_id"])
            for r in rows["document_relations_in_batch"]
        ),
        "process_checkpoints": sorted(
            (
                batch_of[r["batch_id"]],
                r["nge_document_id"],
                r["checkpoint_id"],
                tuple(doc_of[uuid.UUID(str(i))] for i in _ids(r["exhibit_ids"])),
                bool(r["index_documents"]),
            )
            for r in rows["process_checkpoints"]
        ),
    }
    return out


def _ids(value: Any) -> list[Any]:
    return json.loads(value) if isinstance(value, str) else list(value or [])
