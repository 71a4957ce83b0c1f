"""`nexus cases`, `nexus documents`, `nexus tags` and `nexus labels`: the documents context
from the command line (`--json` everywhere; expected errors are one line on stderr)."""

from __future__ import annotations

import json as jsonlib
from typing import Annotated, Any

import typer

from nexus.cli.common import (
    DatabaseUrl,
    Json,
    console,
    emit_json,
    fail,
    list_title,
    lower,
    new_typer,
    open_app,
    show_record,
    show_table,
)
from nexus.documents import ExhibitQuery, ExhibitResult
from nexus.shared.results import Result
from nexus.shared.usecases import Page

cases_app = new_typer("E-discovery cases (the tenant of documents).")
documents_app = new_typer("Documents (exhibits) of a case: show, list, add, trash, purge.")
tags_app = new_typer("Tags of a case (the same text is always the same tag).")
labels_app = new_typer("Labels and folders of a case.")

Case = Annotated[str, typer.Option("--case", help="The case id.")]
Limit = Annotated[int, typer.Option("--limit", min=1, max=10_000)]
Offset = Annotated[int, typer.Option("--offset", min=0)]


def say(text: str) -> None:
    """One line, printed literally (stored text is data, never markup)."""
    console.print(text)


def _out(result: Result, json: bool, line: str) -> None:
    if json:
        emit_json(result.to_json())
    else:
        say(line)


# -- cases --------------------------------------------------------------------------------


@cases_app.command("create")
def cases_create(
    name: Annotated[str, typer.Argument(help="The case name.")],
    dedupe_scope: Annotated[
        str, typer.Option("--dedupe-scope", help="global or custodian.", callback=lower)
    ] = "global",
    no_message_id: Annotated[
        bool, typer.Option("--no-message-id", help="Do not match duplicates on message ids.")
    ] = False,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Create a case."""
    with open_app(database_url) as app:
        case = app.documents.create_case(
            name=name, dedupe_scope=dedupe_scope, dedupe_message_id=not no_message_id
        )
    _out(case, json, f"created case {case.id} ({case.name})")


@cases_app.command("list")
def cases_list(
    all_: Annotated[bool, typer.Option("--all", help="Deleted cases too.")] = False,
    limit: Limit = 100,
    offset: Offset = 0,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """List cases, oldest first."""
    with open_app(database_url) as app:
        cases = app.documents.list_cases(include_deleted=all_, limit=limit, offset=offset)
        total = app.documents.count_cases(include_deleted=all_)
    if json:
        emit_json([c.to_json() for c in cases])
        return
    rows = [(c.id, c.name, c.dedupe_scope, c.deleted_at or "") for c in cases]
    show_table("cases", ["id", "name", "dedupe", "deleted"], rows, total=total, offset=offset)


@cases_app.command("show")
def cases_show(
    case: Annotated[str, typer.Argument()], database_url: DatabaseUrl = None, json: Json = False
) -> None:
    """Show one case."""
    with open_app(database_url) as app:
        found = app.documents.get_case(case)
    if json:
        emit_json(found.to_json())
    else:
        show_record(found.to_json())


@cases_app.command("delete")
def cases_delete(
    case: Annotated[str, typer.Argument()], database_url: DatabaseUrl = None, json: Json = False
) -> None:
    """Soft-delete a case (restore brings it back)."""
    with open_app(database_url) as app:
        found = app.documents.delete_case(case)
    _out(found, json, f"deleted case {found.id}")


@cases_app.command("restore")
def cases_restore(
    case: Annotated[str, typer.Argument()], database_url: DatabaseUrl = None, json: Json = False
) -> None:
    """Restore a deleted case."""
    with open_app(database_url) as app:
        found = app.documents.restore_case(case)
    _out(found, json, f"restored case {found.id}")


# -- documents ----------------------------------------------------------------------------


def _line(e: ExhibitResult) -> str:
    trashed = "  (trash)" if e.deleted_at is not None else ""
    return f"{e.id}  {e.stamp or '-'}  {e.title or e.subject or '-'}{trashed}"


@documents_app.command("add")
def documents_add(
    record: Annotated[str, typer.Argument(help="One document as a JSON object (ExhibitData).")],
    case: Case,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Add one document (a duplicate adds its custodian to the original instead)."""
    try:
        values: Any = jsonlib.loads(record)
    except ValueError as error:
        fail(f"record: not JSON ({error})")
    with open_app(database_url) as app:
        result = app.documents.add_exhibit(case, values)
    created = ", ".join(str(i) for i in result.exhibit_ids)
    line = f"added {created}" if created else f"duplicate of {result.duplicate_of}"
    _out(result, json, line)


@documents_app.command("show")
def documents_show(
    document: Annotated[str, typer.Argument(help="The document (exhibit) id.")],
    case: Case,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Show one document with its custodians, tags and files."""
    with open_app(database_url) as app:
        found = app.documents.get_exhibit(case, document)
    if json:
        emit_json(found.to_json())
    else:
        show_record({k: v for k, v in found.to_json().items() if v not in (None, [], "")})


@documents_app.command("list")
def documents_list(
    case: Case,
    custodian: Annotated[str | None, typer.Option("--custodian", help="Custodian id.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Tag id.")] = None,
    label: Annotated[str | None, typer.Option("--label", help="Label id.")] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="Batch id.")] = None,
    trash: Annotated[str, typer.Option("--trash", help="live, trashed or all.")] = "live",
    limit: Limit = 100,
    offset: Offset = 0,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """List the documents of a case, oldest first."""
    query = ExhibitQuery(
        custodian_id=custodian,
        tag_id=tag,
        label_id=label,
        batch_id=batch,
        trash=trash,
        page=Page.of(limit, offset),
    )
    with open_app(database_url) as app:
        found = app.documents.list_exhibits(case, query)
        total = app.documents.count_exhibits(case, query)
    if json:
        emit_json([e.to_json() for e in found])
        return
    say(list_title("documents", len(found), total=total, offset=offset))
    for e in found:
        say(_line(e))


@documents_app.command("trash")
def documents_trash(
    document: Annotated[str, typer.Argument()],
    case: Case,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Move a document to the trash (purged after 90 days by `purge`)."""
    with open_app(database_url) as app:
        found = app.documents.trash(case, document)
    _out(found, json, f"trashed {found.id}")


@documents_app.command("restore")
def documents_restore(
    document: Annotated[str, typer.Argument()],
    case: Case,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Take a document out of the trash."""
    with open_app(database_url) as app:
        found = app.documents.restore(case, document)
    _out(found, json, f"restored {found.id}")


@documents_app.command("purge")
def documents_purge(
    case: Case,
    older_than_days: Annotated[int, typer.Option("--older-than-days", min=0)] = 90,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Remove documents trashed more than N days ago, with every row pointing at them."""
    with open_app(database_url) as app:
        result = app.documents.purge(case, older_than_days=older_than_days)
    _out(result, json, f"purged {result.purged} documents")


# -- tags and labels ----------------------------------------------------------------------


@tags_app.command("create")
def tags_create(
    text: Annotated[str, typer.Argument(help="The tag text (any length).")],
    case: Case,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """The tag with this text (created when new)."""
    with open_app(database_url) as app:
        tag = app.documents.create_tag(case, text)
    _out(tag, json, f"tag {tag.id}")


@tags_app.command("add")
def tags_add(
    text: Annotated[str, typer.Argument(help="The tag text.")],
    case: Case,
    document: Annotated[str, typer.Option("--document", help="The document id.")],
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Tag a document (idempotent)."""
    with open_app(database_url) as app:
        tag = app.documents.tag_exhibit(case, document, text)
    _out(tag, json, f"tagged {document} with tag {tag.id}")


@tags_app.command("list")
def tags_list(case: Case, database_url: DatabaseUrl = None, json: Json = False) -> None:
    """List the tags of a case."""
    with open_app(database_url) as app:
        tags = app.documents.list_tags(case)
    if json:
        emit_json([t.to_json() for t in tags])
        return
    say(f"tags ({len(tags)})")
    for t in tags:
        say(f"{t.id}  {t.name if len(t.name) <= 80 else t.name[:79] + '…'}")


@labels_app.command("create")
def labels_create(
    name: Annotated[str, typer.Argument()],
    case: Case,
    folder: Annotated[bool, typer.Option("--folder", help="A folder (folders nest).")] = False,
    parent: Annotated[str | None, typer.Option("--parent", help="Parent folder id.")] = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Create a label, or a folder."""
    with open_app(database_url) as app:
        label = app.documents.create_label(
            case, name, kind="folder" if folder else "label", parent_id=parent
        )
    _out(label, json, f"{label.kind} {label.id}")


@labels_app.command("list")
def labels_list(case: Case, database_url: DatabaseUrl = None, json: Json = False) -> None:
    """List labels and folders."""
    with open_app(database_url) as app:
        labels = app.documents.list_labels(case)
    if json:
        emit_json([label.to_json() for label in labels])
        return
    rows = [(x.id, x.name, x.kind, x.parent_id or "") for x in labels]
    show_table(f"labels ({len(labels)})", ["id", "name", "kind", "parent"], rows)


@labels_app.command("delete")
def labels_delete(
    label: Annotated[str, typer.Argument()],
    case: Case,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Remove a label, or a folder with its subtree."""
    with open_app(database_url) as app:
        app.documents.delete_label(case, label)
    if json:
        emit_json({"deleted": label})
    else:
        say(f"deleted {label}")
