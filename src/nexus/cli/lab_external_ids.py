"""`nexus lab external-ids`: set, get, lookup, list, delete."""

from __future__ import annotations

from typing import Annotated

import typer

from nexus.cli.common import (
    DatabaseUrl,
    Json,
    emit,
    emit_json,
    fail,
    lower,
    new_typer,
    open_app,
    show_table,
)

external_ids_app = new_typer("External user ids (nemo, labarchives_eln, ...).")
System = Annotated[
    str,
    typer.Argument(help="nemo, labarchives_eln, labarchives_scheduler or cdcs.", callback=lower),
]


@external_ids_app.command("set")
def set_(
    username: Annotated[str, typer.Argument(help="NexusLIMS username.")],
    system: System,
    external_id: Annotated[str, typer.Argument(help="The user's id in that system.")],
    email: Annotated[str | None, typer.Option("--email")] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Store (create or update) a user's id in an external system."""
    with open_app(database_url) as app:
        mapping = app.lab.store_external_id(username, system, external_id, email, notes)
    emit(
        json,
        mapping.to_json(),
        f"{mapping.nexuslims_username} is {mapping.external_id} in {system}",
    )


@external_ids_app.command("get")
def get(
    username: Annotated[str, typer.Argument(help="NexusLIMS username.")],
    system: System,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """A user's id in an external system."""
    with open_app(database_url) as app:
        mapping = app.lab.get_external_mapping(username, system)
    if mapping is None:
        fail(f"external id not found: {username} in {system}")
    emit(json, mapping.to_json(), mapping.external_id)


@external_ids_app.command("lookup")
def lookup(
    external_id: Annotated[str, typer.Argument(help="The id in the external system.")],
    system: System,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """The NexusLIMS username holding an external id."""
    with open_app(database_url) as app:
        username = app.lab.get_nexuslims_username(external_id, system)
    if username is None:
        fail(f"no user holds {external_id} in {system}")
    emit(json, {"nexuslims_username": username, "external_system": system}, username)


@external_ids_app.command("list")
def list_(
    username: Annotated[str, typer.Argument(help="NexusLIMS username.")],
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Every external id of a user ({} when there is none)."""
    with open_app(database_url) as app:
        ids = app.lab.get_all_external_ids(username)
    if json:
        emit_json(ids)
    else:
        show_table(f"external ids of {username}", ["system", "external id"], list(ids.items()))


@external_ids_app.command("delete")
def delete(
    username: Annotated[str, typer.Argument(help="NexusLIMS username.")],
    system: System,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Forget a user's id in an external system (not found: exit 1, nothing written)."""
    with open_app(database_url) as app:
        deleted = app.lab.delete_external_id(username, system)
    if not deleted:
        fail(f"{username} has no {system} id")
    emit(
        json,
        {"nexuslims_username": username, "external_system": system, "deleted": True},
        f"deleted the {system} id of {username}",
    )
