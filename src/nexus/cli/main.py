"""The `nexus` command."""

from __future__ import annotations

from importlib.metadata import version
from typing import Annotated, Any

import typer

from nexus.cli.apikeys import apikeys_app
from nexus.cli.chat import chat_app
from nexus.cli.common import (
    DatabaseUrl,
    Json,
    console,
    emit_json,
    existing_database,
    new_typer,
    show_table,
)
from nexus.cli.db import db_app
from nexus.cli.documents import cases_app, documents_app, labels_app, tags_app
from nexus.cli.documents_load import documents_load  # noqa: F401 - registers `documents load`
from nexus.cli.knowledge import graph_app, ontology_app
from nexus.cli.lab import lab_app, print_sessions
from nexus.cli.orgs import orgs_app
from nexus.cli.users import audit_app, users_app
from nexus.cli.workspaces import agents_app, models_app, secrets_app, workspaces_app
from nexus.documents.samples import SAMPLE_BATCH, SAMPLE_CASE, sample_production_file
from nexus.lab.samples import SAMPLE_INSTRUMENT, usage_events_file
from nexus.settings import Settings
from nexus.shared.errors import NotFoundError

app = new_typer("nexus: the domain and persistence core, from the command line.")


def _version(value: bool) -> None:
    if value:
        console.print(f"nexus {version('nexus')}")
        raise typer.Exit()


@app.callback()
def root(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """nexus: the domain and persistence core, from the command line."""


app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(orgs_app, name="orgs")
app.add_typer(apikeys_app, name="apikeys")
app.add_typer(lab_app, name="lab")
app.add_typer(workspaces_app, name="workspaces")
app.add_typer(secrets_app, name="secrets")
app.add_typer(agents_app, name="agents")
app.add_typer(models_app, name="models")
app.add_typer(cases_app, name="cases")
app.add_typer(documents_app, name="documents")
app.add_typer(tags_app, name="tags")
app.add_typer(labels_app, name="labels")
app.add_typer(chat_app, name="chat")
app.add_typer(graph_app, name="graph")
app.add_typer(ontology_app, name="ontology")


def _print_state(state: dict[str, object], json: bool) -> None:
    if json:
        emit_json(state)
        return
    console.print(f"database: {state['database']}")
    console.print(f"revision: {state['revision'] or 'base'} (head {state['head']})")
    rows = []
    contexts = state["contexts"]
    assert isinstance(contexts, dict)
    for context, tables in contexts.items():
        for table, count in tables.items():
            rows.append((context, table, "not created" if count is None else count))
    show_table("registered contexts", ["context", "table", "rows"], rows)


@app.command("status")
def status(database_url: DatabaseUrl = None, json: Json = False) -> None:
    """Show the database's revision and every registered context's tables."""
    from nexus.cli.status import database_state

    _print_state(database_state(existing_database(database_url)), json)


def _lab_sample(url: str) -> dict[str, Any]:
    """Register the sample instrument (once) and import the bundled usage events (idempotent)."""
    from nexus.app import create_app

    with create_app(url, persistence="sqlalchemy") as nexus_app:
        lab = nexus_app.lab
        try:
            lab.get_instrument(SAMPLE_INSTRUMENT["instrument_pid"])
        except NotFoundError:
            lab.register_instrument(**SAMPLE_INSTRUMENT)
        with usage_events_file() as path:
            imported = lab.import_usage_events(path)
        return {"import": imported, "sessions_to_build": lab.sessions_to_build()}


def _documents_sample(url: str) -> Any:
    """Load the bundled sample production into the sample case, once: the batch is found by
    its name and resumed (a loaded batch loads nothing new)."""
    from nexus.app import create_app

    with create_app(url, persistence="sqlalchemy") as nexus_app, sample_production_file() as path:
        documents = nexus_app.documents
        cases = [c for c in documents.list_cases() if c.name == SAMPLE_CASE]
        case = cases[0] if cases else documents.create_case(name=SAMPLE_CASE)
        return documents.load(case.id, str(path), batch_name=SAMPLE_BATCH, time_zone="UTC")


@app.command("run")
def run(database_url: DatabaseUrl = None, json: Json = False) -> None:
    """The main job: upgrade the database to head, load the lab sample (a sample instrument and
    its usage events, idempotently), then show the state and the sessions to build."""
    from nexus import migrating
    from nexus.cli.status import database_state

    url = Settings.from_env(database_url=database_url).database_url
    migrating.upgrade(url)
    lab = _lab_sample(url)
    loaded = _documents_sample(url)
    state = database_state(url)
    if json:
        state["documents_sample"] = loaded.to_json()
        state["lab"] = {
            "import": lab["import"].to_json(),
            "sessions_to_build": [s.to_json() for s in lab["sessions_to_build"]],
        }
        emit_json(state)
        return
    _print_state(state, json=False)
    imported = lab["import"]
    console.print(
        f"lab sample: {imported.events} usage events, {imported.added} sessions added, "
        f"{imported.unchanged} unchanged"
    )
    print_sessions("sessions to build", lab["sessions_to_build"])
    console.print(
        f"documents sample: batch {loaded.status}, {loaded.loaded} documents, "
        f"{loaded.duplicates} duplicates, {loaded.errors} errors"
    )


def main() -> None:
    app(prog_name="nexus")


if __name__ == "__main__":
    main()
