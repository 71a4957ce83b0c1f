"""`nexus users`: create, list, show, verify, unlock, deactivate, reactivate, change-password,
reset; and `nexus audit list`."""

from __future__ import annotations

from typing import Annotated

import typer

from nexus.cli.common import (
    ActingAs,
    DatabaseUrl,
    Json,
    actor_for,
    emit,
    emit_json,
    fail,
    new_typer,
    open_app,
    read_secret_from_stdin,
    show_record,
    show_table,
)

users_app = new_typer("Users of identity.")
audit_app = new_typer("The audit log of identity.")
Email = Annotated[str, typer.Argument(help="The user's email.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password(s) from standard input.")
]


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
    emit(json, user.to_json(), f"created user {user.email} ({user.id})")


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
        total = app.identity.count_users()
    if json:
        emit_json([u.to_json() for u in users])
        return
    show_table(
        "users",
        ["email", "name", "active", "verified", "locked", "id"],
        [(u.email, u.name, u.is_active, u.is_verified, u.is_locked, u.id) for u in users],
        total=total,
        offset=offset,
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


# A status change: the use case and the past tense the command prints.
_STATUS_CHANGES = {
    "deactivate": ("deactivate_user", "deactivated"),
    "reactivate": ("reactivate_user", "reactivated"),
    "verify": ("verify_email", "verified"),
    "unlock": ("unlock_user", "unlocked"),
}


def _status(email: str, change: str, acting_as: str | None, url: str | None, json: bool) -> None:
    use_case, done = _STATUS_CHANGES[change]
    with open_app(url) as app:
        user_id = app.identity.get_user_by_email(email).id
        user = getattr(app.identity, use_case)(user_id, actor=actor_for(app, acting_as))
    emit(json, user.to_json(), f"{done} {user.email}")


@users_app.command("deactivate")
def deactivate(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Deactivate a user: no login, every refresh token revoked."""
    _status(email, "deactivate", acting_as, database_url, json)


@users_app.command("reactivate")
def reactivate(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Reactivate a deactivated user."""
    _status(email, "reactivate", acting_as, database_url, json)


@users_app.command("verify")
def verify(
    email: Email, acting_as: ActingAs = None, database_url: DatabaseUrl = None, json: Json = False
) -> None:
    """Mark a user's email as verified (operators and superadmins)."""
    _status(email, "verify", acting_as, database_url, json)


@users_app.command("unlock")
def unlock(
    email: Email, acting_as: ActingAs = None, database_url: DatabaseUrl = None, json: Json = False
) -> None:
    """Lift a lockout after failed logins, without a password reset (operators, superadmins)."""
    _status(email, "unlock", acting_as, database_url, json)


def _passwords(password_stdin: bool, *prompts: str) -> list[str]:
    if password_stdin:
        return [read_secret_from_stdin(p.lower()) for p in prompts]
    return [
        typer.prompt(p, hide_input=True, confirmation_prompt=p.startswith("New")) for p in prompts
    ]


@users_app.command("change-password")
def change_password(
    email: Email,
    password_stdin: PasswordStdin = False,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Change a password knowing the current one (stdin: the current line, then the new one).
    Every refresh token of the user is revoked."""
    current, new = _passwords(password_stdin, "Current password", "New password")
    with open_app(database_url) as app:
        user = app.identity.get_user_by_email(email)
        app.identity.change_password(user.id, current_password=current, new_password=new)
    emit(
        json,
        {"email": user.email, "password_changed": True},
        f"changed the password of {user.email}",
    )


@users_app.command("reset")
def reset(
    email: Email,
    password_stdin: PasswordStdin = False,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Set a new password as the operator (a password reset: it also lifts a lockout and
    revokes every refresh token), without the current one."""
    (new,) = _passwords(password_stdin, "New password")
    with open_app(database_url) as app:
        user = app.identity.get_user_by_email(email)
        token = app.identity.request_password_reset(user.email)
        if token is None:  # an inactive user gets no reset
            fail(f"no password reset for {user.email} (is the user active?)")
        app.identity.reset_password(token, new)
    emit(json, {"email": user.email, "password_reset": True}, f"reset the password of {user.email}")


@audit_app.command("list")
def audit_list(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's events.")] = None,
    action: Annotated[str | None, typer.Option("--action", help="e.g. user.login.")] = None,
    resource_type: Annotated[str | None, typer.Option("--resource-type")] = None,
    resource_id: Annotated[str | None, typer.Option("--resource-id")] = None,
    acting_as: ActingAs = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 100,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """The audit log, newest first (operators and superadmins; others see their own)."""
    with open_app(database_url) as app:
        user_id = None if user is None else app.identity.get_user_by_email(user).id
        filters = {
            "actor": actor_for(app, acting_as),
            "user_id": user_id,
            "action": action,
            "resource_type": resource_type,
            "resource_id": resource_id,
        }
        events = app.identity.list_audit_events(**filters, limit=limit, offset=offset)
        total = app.identity.count_audit_events(**filters)
    if json:
        emit_json([e.to_json() for e in events])
        return
    show_table(
        "audit events",
        ["at", "action", "success", "user id", "resource", "id"],
        [
            (
                e.created_at.isoformat(),
                e.action,
                e.success,
                e.user_id or "",
                f"{e.resource_type}:{e.resource_id}" if e.resource_type else "",
                e.id,
            )
            for e in events
        ],
        total=total,
        offset=offset,
    )
