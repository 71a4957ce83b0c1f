"""The `nexus` command."""

from __future__ import annotations

from nexus import migrating
from nexus.cli.apikeys import apikeys_app
from nexus.cli.common import DatabaseUrl, Json, console, emit_json, new_typer, show_table
from nexus.cli.db import db_app
from nexus.cli.orgs import orgs_app
from nexus.cli.status import database_state
from nexus.cli.users import users_app
from nexus.settings import Settings

app = new_typer("nexus: the domain and persistence core, from the command line.")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(orgs_app, name="orgs")
app.add_typer(apikeys_app, name="apikeys")


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
    _print_state(database_state(Settings.from_env(database_url=database_url).database_url), json)


@app.command("run")
def run(database_url: DatabaseUrl = None, json: Json = False) -> None:
    """The main job: upgrade the database to head, then show its state."""
    url = Settings.from_env(database_url=database_url).database_url
    migrating.upgrade(url)
    _print_state(database_state(url), json)


def main() -> None:
    app(prog_name="nexus")


if __name__ == "__main__":
    main()
