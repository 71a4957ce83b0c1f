"""`nexus workspaces`, `nexus secrets`, `nexus agents`, `nexus models`: the workspaces context
on the command line. Secret values are read from stdin, never argv; output is literal text."""

from __future__ import annotations

import json as jsonlib
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nexus.cli.common import (
    ActingAs,
    DatabaseUrl,
    Json,
    actor_for,
    console,
    emit_json,
    fail,
    lower,
    new_typer,
    open_app,
    read_secret_from_stdin,
)
from nexus.shared.results import Result

if TYPE_CHECKING:
    from nexus.app import Nexus

workspaces_app = new_typer("Workspaces and their members.")
secrets_app = new_typer("Workspace secrets (values on stdin; encrypted at rest).")
agents_app = new_typer("Agent configs of a workspace.")
models_app = new_typer("The model catalog.")

Workspace = Annotated[str, typer.Argument(help="Workspace id or slug.")]
UserEmail = Annotated[str, typer.Option("--user", help="The member's email.")]


def _say(*parts: Any) -> None:
    """One line of stored text, printed literally (cli/common's one output helper)."""
    console.print("  ".join("" if p is None else str(p) for p in parts))


def _workspace_id(app: Nexus, ref: str, actor: Any) -> uuid.UUID:
    try:
        return uuid.UUID(ref)
    except ValueError:
        return app.workspaces.get_workspace_by_slug(ref, actor=actor).id


def _user_id(app: Nexus, email: str) -> uuid.UUID:
    return app.identity.get_user_by_email(email).id


def _emit(value: Result | list[Any]) -> None:
    emit_json(value.to_json() if isinstance(value, Result) else [v.to_json() for v in value])


def _read_json_list(path: Path, what: str) -> list[Any]:
    try:
        data = jsonlib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        fail(f"{path}: cannot be read ({error.strerror})")
    except (ValueError, UnicodeDecodeError) as error:
        fail(f"{path}: not JSON ({str(error).splitlines()[0]})")
    if isinstance(data, dict) and isinstance(data.get(what), list):
        data = data[what]
    if not isinstance(data, list):
        fail(f"{path}: must be a JSON list of {what} (or an object with a {what!r} list)")
    return data


# -- workspaces ---------------------------------------------------------------------------------


@workspaces_app.command("create")
def create(
    name: Annotated[str, typer.Option("--name")],
    slug: Annotated[str, typer.Option("--slug")],
    owner: Annotated[str, typer.Option("--owner", help="The owner's email.")],
    organization: Annotated[
        str | None, typer.Option("--organization", help="Organization id.")
    ] = None,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Create a workspace; its owner becomes an `owner` member."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        created = app.workspaces.create_workspace(
            name=name,
            slug=slug,
            owner_id=_user_id(app, owner),
            organization_id=organization,
            actor=actor,
        )
    if json:
        _emit(created)
    else:
        _say("created workspace", created.slug, created.id)


@workspaces_app.command("list")
def list_(acting_as: ActingAs = None, database_url: DatabaseUrl = None, json: Json = False) -> None:
    """The workspaces you belong to (`--as`), or every workspace (the operator)."""
    with open_app(database_url) as app:
        found = app.workspaces.list_workspaces(actor=actor_for(app, acting_as), limit=10_000)
    if json:
        _emit(found)
        return
    _say(f"workspaces ({len(found)})")
    for w in found:
        _say(w.slug, w.name, w.id)


@workspaces_app.command("show")
def show(
    workspace: Workspace,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """One workspace."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        found = app.workspaces.get_workspace(_workspace_id(app, workspace, actor), actor=actor)
    if json:
        _emit(found)
        return
    for key, value in found.to_json().items():
        _say(f"{key}:", value)


@workspaces_app.command("members")
def members(
    workspace: Workspace,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """A workspace's members and roles."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        found = app.workspaces.list_members(_workspace_id(app, workspace, actor), actor=actor)
        emails = {m.user_id: app.identity.get_user(m.user_id).email for m in found}
    if json:
        emit_json([{**m.to_json(), "email": emails[m.user_id]} for m in found])
        return
    for m in found:
        _say(emails[m.user_id], m.role)


@workspaces_app.command("add-member")
def add_member(
    workspace: Workspace,
    user: UserEmail,
    role: Annotated[
        str, typer.Option("--role", help="owner, admin, member or viewer.", callback=lower)
    ] = "member",
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Add a member."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        added = app.workspaces.add_member(
            _workspace_id(app, workspace, actor), _user_id(app, user), role=role, actor=actor
        )
    if json:
        _emit(added)
    else:
        _say("added", user, "as", added.role)


@workspaces_app.command("remove-member")
def remove_member(
    workspace: Workspace,
    user: UserEmail,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Remove a member (the last owner stays)."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        app.workspaces.remove_member(
            _workspace_id(app, workspace, actor), _user_id(app, user), actor=actor
        )
    if json:
        emit_json({"removed": user})
    else:
        _say("removed", user)


@workspaces_app.command("delete")
def delete(
    workspace: Workspace,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Delete a workspace and everything it owns, in every context."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        key = _workspace_id(app, workspace, actor)
        app.workspaces.delete_workspace(key, actor=actor)
    if json:
        emit_json({"deleted": str(key)})
    else:
        _say("deleted workspace", key)


# -- secrets ------------------------------------------------------------------------------------


@secrets_app.command("set")
def secrets_set(
    workspace: Workspace,
    key: Annotated[str, typer.Argument(help="e.g. OPENAI_API_KEY")],
    description: Annotated[str | None, typer.Option("--description")] = None,
    category: Annotated[str | None, typer.Option("--category")] = None,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Create or replace a secret; the value is the first line of standard input."""
    value = read_secret_from_stdin("secret value")
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        info = app.workspaces.set_secret(
            _workspace_id(app, workspace, actor),
            key,
            value,
            actor=actor,
            description=description,
            category=category,
        )
    if json:
        _emit(info)
    else:
        _say("stored", info.key, f"(key version {info.key_version})")


@secrets_app.command("get")
def secrets_get(
    workspace: Workspace,
    key: Annotated[str, typer.Argument()],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Print a secret's value (decrypted)."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        value = app.workspaces.get_secret(_workspace_id(app, workspace, actor), key, actor=actor)
    if json:
        emit_json({"key": key, "value": value.reveal()})
    else:
        typer.echo(value.reveal())


@secrets_app.command("list")
def secrets_list(
    workspace: Workspace,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Keys and metadata, never values."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        found = app.workspaces.list_secrets(_workspace_id(app, workspace, actor), actor=actor)
    if json:
        _emit(found)
        return
    for s in found:
        _say(s.key, s.category, f"v{s.key_version}", s.description)


@secrets_app.command("delete")
def secrets_delete(
    workspace: Workspace,
    key: Annotated[str, typer.Argument()],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Delete a secret."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        app.workspaces.delete_secret(_workspace_id(app, workspace, actor), key, actor=actor)
    if json:
        emit_json({"deleted": key})
    else:
        _say("deleted", key)


@secrets_app.command("rotate")
def secrets_rotate(database_url: DatabaseUrl = None, json: Json = False) -> None:
    """Re-encrypt every ciphertext to the newest key (resumable: run it again after a crash)."""
    with open_app(database_url) as app:
        report = app.workspaces.rotate_secrets(progress=None if json else lambda seen, done: None)
    if json:
        emit_json(report.to_json())
    else:
        _say(
            f"key version {report.key_version}: {report.rotated} rotated, "
            f"{report.already_current} already current, {report.changed_meanwhile} changed "
            f"meanwhile, {len(report.unreadable)} unreadable"
        )
        for row in report.unreadable:
            _say("unreadable:", row)
    if report.unreadable:
        raise typer.Exit(1)


# -- agents and models --------------------------------------------------------------------------


@agents_app.command("list")
def agents_list(
    workspace: Workspace,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """A workspace's agents."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        found = app.workspaces.list_agents(_workspace_id(app, workspace, actor), actor=actor)
    if json:
        _emit(found)
        return
    for a in found:
        flags = ("default " if a.is_default else "") + ("enabled" if a.enabled else "disabled")
        _say(a.name, a.class_name or "-", flags)


@agents_app.command("sync")
def agents_sync(
    workspace: Workspace,
    file: Annotated[Path, typer.Argument(help="JSON list of {class_name, name, ...}.")],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Upsert agents by class name from a file."""
    definitions = _read_json_list(file, "agents")
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        result = app.workspaces.sync_agents(
            _workspace_id(app, workspace, actor), definitions, actor=actor
        )
    if json:
        _emit(result)
    else:
        _say(f"agents: {len(result.added)} added, {len(result.updated)} updated")


@models_app.command("sync")
def models_sync(
    file: Annotated[Path, typer.Argument(help="JSON list of {canonical_id, name, ...}.")],
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Upsert the model catalog from a file (user overrides are kept)."""
    entries = _read_json_list(file, "models")
    with open_app(database_url) as app:
        result = app.workspaces.upsert_model_catalog(entries)
    if json:
        _emit(result)
    else:
        _say(
            f"models: {len(result.added)} added, {len(result.updated)} updated, "
            f"{result.unchanged} unchanged"
        )
