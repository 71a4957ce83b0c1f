"""`nexus db`: upgrade, downgrade, current, check."""

from __future__ import annotations

from typing import Annotated

import typer

from nexus import migrating
from nexus.cli.common import DatabaseUrl, Json, console, emit_json, existing_database, new_typer
from nexus.settings import Settings

db_app = new_typer("Database schema: Alembic migrations.")


def _url(database_url: str | None) -> str:
    """For upgrade, which may create the database."""
    return Settings.from_env(database_url=database_url).database_url


@db_app.command("upgrade")
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    database_url: DatabaseUrl = None,
) -> None:
    """Upgrade the database to REVISION (head by default)."""
    url = _url(database_url)
    migrating.upgrade(url, revision)
    console.print(f"database at {migrating.current_revision(url) or 'base'}")


# "-1" is a revision here (one step down), not an option: unknown options pass as arguments.
@db_app.command("downgrade", context_settings={"ignore_unknown_options": True})
def downgrade(
    revision: Annotated[
        str, typer.Argument(help="Target revision: -1 (one step), 'base', or an id.")
    ],
    database_url: DatabaseUrl = None,
) -> None:
    """Downgrade the database to REVISION."""
    url = existing_database(database_url)
    migrating.downgrade(url, revision)
    console.print(f"database at {migrating.current_revision(url) or 'base'}")


@db_app.command("current")
def current(database_url: DatabaseUrl = None, json: Json = False) -> None:
    """Show the database's revision and the head."""
    url = existing_database(database_url)
    value = {"current": migrating.current_revision(url), "head": migrating.head_revision()}
    if json:
        emit_json(value)
    else:
        state = "up to date" if value["current"] == value["head"] else "behind head"
        console.print(f"current: {value['current'] or 'base'}  head: {value['head']}  ({state})")


@db_app.command("check")
def check(database_url: DatabaseUrl = None) -> None:
    """Fail when the models and the migrations differ (the database must be at head)."""
    migrating.check(existing_database(database_url))
    console.print("models and migrations match")
