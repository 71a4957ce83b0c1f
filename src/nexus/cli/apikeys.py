"""`nexus apikeys`: create, list, revoke, verify. The raw key is printed once, at create."""

from __future__ import annotations

from typing import Annotated

import typer

from nexus.cli.common import (
    ActingAs,
    DatabaseUrl,
    Json,
    actor_for,
    console,
    emit,
    emit_json,
    fail,
    new_typer,
    open_app,
    read_secret_from_stdin,
    show_table,
)

apikeys_app = new_typer("API keys of identity's users.")

UserEmail = Annotated[str, typer.Option("--user", help="Email of the key's user.")]
Workspace = Annotated[
    str | None, typer.Option("--workspace", help="Workspace id (UUID) the key is scoped to.")
]


@apikeys_app.command("create")
def create(
    user: UserEmail,
    name: Annotated[str, typer.Option("--name", help="What the key is for.")],
    workspace: Workspace = None,
    expires_in_days: Annotated[
        int | None, typer.Option("--expires-in-days", help="Expire after this many days.")
    ] = None,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Create a key and print it once; only its digest is stored."""
    with open_app(database_url) as app:
        user_id = app.identity.get_user_by_email(user).id
        created = app.identity.create_api_key(
            user_id,
            name=name,
            actor=actor_for(app, acting_as),
            workspace_id=workspace,
            expires_in_days=expires_in_days,
        )
    if json:
        emit_json({**created.key.to_json(), "key": created.raw_key})
    else:
        console.print(f"created key {created.key.key_prefix}… ({created.key.id})")
        console.print("store it now; it is not shown again:")
        typer.echo(created.raw_key)


@apikeys_app.command("list")
def list_(
    user: UserEmail,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """List a user's keys: prefix and metadata, never the key."""
    with open_app(database_url) as app:
        user_id = app.identity.get_user_by_email(user).id
        keys = app.identity.list_api_keys(user_id, actor=actor_for(app, acting_as))
    if json:
        emit_json([k.to_json() for k in keys])
        return
    show_table(
        f"api keys of {user}",
        ["prefix", "name", "workspace", "expires", "last used", "revoked", "id"],
        [
            (k.key_prefix, k.name, k.workspace_id, k.expires_at, k.last_used_at, k.revoked_at, k.id)
            for k in keys
        ],
    )


@apikeys_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id (from `apikeys list`).")],
    user: UserEmail,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Revoke a key; it stops working at once."""
    with open_app(database_url) as app:
        user_id = app.identity.get_user_by_email(user).id
        key = app.identity.revoke_api_key(user_id, key_id, actor=actor_for(app, acting_as))
    emit(json, key.to_json(), f"revoked key {key.key_prefix}… ({key.id})")


@apikeys_app.command("verify")
def verify(
    key_stdin: Annotated[
        bool, typer.Option("--key-stdin", help="Read the key from standard input (required).")
    ] = False,
    workspace: Workspace = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Check a key (read from stdin, never from the command line) and show whom it acts for."""
    if not key_stdin:
        fail("key: pass --key-stdin and the key on standard input (never on the command line)")
    raw = read_secret_from_stdin("key")
    with open_app(database_url) as app:
        principal = app.identity.authenticate_api_key(raw, workspace_id=workspace)
        user = app.identity.get_user(principal.user_id)
    if json:
        emit_json({**principal.to_json(), "email": user.email})
    else:
        scope = principal.workspace_id or "all of the user's workspaces"
        console.print(f"valid: acts for {user.email} ({user.id}) in {scope}")
