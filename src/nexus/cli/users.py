"""`nexus users`: create, list, show, deactivate, reactivate."""

from __future__ import annotations

from typing import Annotated

import typer

from nexus.cli.common import (
    ActingAs,
    DatabaseUrl,
    Json,
    actor_for,
    console,
    emit_json,
    new_typer,
    open_app,
    read_secret_from_stdin,
    show_record,
    show_table,
)

users_app = new_typer("Users of identity.")


@users_app.command("create")
def create(
    email: Annotated[str, typer.Option("--email", help="Email address (stored lower-cased).")],
    name: Annotated[str, typer.Option("--name", help="Display name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    username: Annotated[str | None, typer.Option("--username")] = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Register a user. The password comes from stdin (--password-stdin) or a hidden prompt."""
    if password_stdin:
        password = read_secret_from_stdin("password")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_app(database_url) as app:
        user = app.identity.register_user(
            email=email, name=name, password=password, username=username
        )
    if json:
        emit_json(user.to_json())
    else:
        console.print(f"created user {user.email} ({user.id})")


@users_app.command("list")
def list_(
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 100,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """List users by email."""
    with open_app(database_url) as app:
        users = app.identity.list_users(limit=limit, offset=offset)
    if json:
        emit_json([u.to_json() for u in users])
        return
    show_table(
        "users",
        ["email", "name", "active", "verified", "locked", "id"],
        [(u.email, u.name, u.is_active, u.is_verified, u.is_locked, u.id) for u in users],
    )


@users_app.command("show")
def show(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Show one user."""
    with open_app(database_url) as app:
        user = app.identity.get_user_by_email(email)
    if json:
        emit_json(user.to_json())
    else:
        show_record(user.to_json())


def _set_active(
    email: str, active: bool, acting_as: str | None, database_url: str | None, json: bool
) -> None:
    with open_app(database_url) as app:
        user_id = app.identity.get_user_by_email(email).id
        change = app.identity.reactivate_user if active else app.identity.deactivate_user
        user = change(user_id, actor=actor_for(app, acting_as))
    if json:
        emit_json(user.to_json())
    else:
        console.print(f"{'reactivated' if active else 'deactivated'} {user.email}")


@users_app.command("deactivate")
def deactivate(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Deactivate a user: no login, every refresh token revoked."""
    _set_active(email, False, acting_as, database_url, json)


@users_app.command("reactivate")
def reactivate(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Reactivate a deactivated user."""
    _set_active(email, True, acting_as, database_url, json)
