"""`nexus chat`: list, show and import conversations; `nexus chat jobs`: list, show, retry,
cancel ingestion jobs. `--user` is the acting user (email or id); without it, the operator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from nexus.cli.common import (
    DatabaseUrl,
    Json,
    console,
    emit_json,
    new_typer,
    open_app,
    show_record,
    show_table,
)
from nexus.shared.actors import OPERATOR
from nexus.shared.usecases import Page

if TYPE_CHECKING:
    from nexus.app import Nexus

chat_app = new_typer("Conversations: list, show, import chat-assistant exports.")
jobs_app = new_typer("Ingestion jobs: list, show, retry, cancel.")
chat_app.add_typer(jobs_app, name="jobs")

Workspace = Annotated[str, typer.Option("--workspace", help="The workspace id.")]
User = Annotated[
    str | None,
    typer.Option("--user", help="Act as this user (email or id); default: the operator."),
]
Limit = Annotated[int, typer.Option("--limit", help="At most this many rows.")]
Offset = Annotated[int, typer.Option("--offset", help="Skip this many rows.")]


def acting(app: Nexus, user: str | None) -> Any:
    if user is None:
        return OPERATOR
    if "@" in user:
        return app.identity.get_user_by_email(user).id
    return user


def _job_row(job: Any) -> list[Any]:
    return [
        job.id,
        job.status,
        job.progress,
        job.source_type,
        escape(job.source_path),
        job.error_code,
    ]


def _print_job(job: Any) -> None:
    show_record({k: escape(v) if isinstance(v, str) else v for k, v in job.to_json().items()})


@chat_app.command("list")
def list_(
    workspace: Workspace,
    user: User = None,
    archived: Annotated[bool, typer.Option("--archived", help="Archived ones too.")] = False,
    search: Annotated[str | None, typer.Option("--search", help="Titles with these words.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Recent conversations (pinned first, then by last activity), or a title search."""
    with open_app(database_url) as app:
        actor = acting(app, user)
        if search is not None:
            found = app.conversations.search_conversations(
                workspace, search, actor=actor, limit=limit
            )
        else:
            found = app.conversations.recent_conversations(
                workspace, actor=actor, include_archived=archived, page=Page.of(limit, offset)
            )
        total = (
            None
            if search is not None
            else app.conversations.count_conversations(
                workspace, actor=actor, include_archived=archived
            )
        )
    if json:
        emit_json([c.to_json() for c in found])
        return
    rows = [
        [c.id, escape(c.title), c.message_count, c.pinned, c.archived, c.updated_at] for c in found
    ]
    columns = ["id", "title", "messages", "pinned", "archived", "updated_at"]
    show_table("conversations", columns, rows, total=total, offset=offset)


@chat_app.command("show")
def show(
    conversation: Annotated[str, typer.Argument(help="The conversation id.")],
    workspace: Workspace,
    user: User = None,
    limit: Limit = 100,
    offset: Offset = 0,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """A conversation and one page of its messages, in the order posted."""
    with open_app(database_url) as app:
        actor = acting(app, user)
        found = app.conversations.get_conversation(workspace, conversation, actor=actor)
        messages = app.conversations.list_messages(
            workspace, conversation, Page.of(limit, offset), actor=actor
        )
    if json:
        emit_json({"conversation": found.to_json(), "messages": [m.to_json() for m in messages]})
        return
    console.print(f"{found.title} ({found.message_count} messages)")
    for message in messages:
        console.print(f"[{message.position}] {message.role}:")
        console.print(message.content)


@chat_app.command("import")
def import_(
    path: Annotated[str, typer.Argument(help="A ChatGPT or Claude export: ZIP, JSON or folder.")],
    workspace: Workspace,
    user: Annotated[str, typer.Option("--user", help="The importing user (email or id).")],
    force: Annotated[bool, typer.Option("--force", help="Read it even if seen before.")] = False,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Import an export as the user's conversations (idempotent), tracked as a job."""
    with open_app(database_url) as app:
        result = app.conversations.import_chat_export(
            workspace, path, actor=acting(app, user), force=force
        )
    if json:
        emit_json(result.to_json())
        return
    cached = " (cache hit: this file was imported before)" if result.job.cache_hit else ""
    console.print(
        f"{result.source} export: {result.conversations_read} conversations read, "
        f"{result.conversations_added} added, {result.conversations_updated} updated, "
        f"{result.messages_added} messages added, {len(result.errors)} not imported; "
        f"job {result.job.id} {result.job.status}{cached}"
    )
    for error in result.errors:
        console.print(f"  #{error.index} ({error.external_id}): {error.reason}")


@jobs_app.command("list")
def jobs_list(
    workspace: Workspace,
    user: User = None,
    limit: Limit = 100,
    offset: Offset = 0,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Ingestion jobs, newest first."""
    with open_app(database_url) as app:
        actor = acting(app, user)
        jobs = app.conversations.list_jobs(workspace, actor=actor, page=Page.of(limit, offset))
        total = app.conversations.count_jobs(workspace, actor=actor)
    if json:
        emit_json([j.to_json() for j in jobs])
        return
    columns = ["id", "status", "progress", "source_type", "source_path", "error_code"]
    show_table("ingestion jobs", columns, [_job_row(j) for j in jobs], total=total, offset=offset)


JobId = Annotated[str, typer.Argument(help="The job id.")]


@jobs_app.command("show")
def jobs_show(
    job: JobId,
    workspace: Workspace,
    user: User = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """One job, every field."""
    with open_app(database_url) as app:
        found = app.conversations.get_job(workspace, job, actor=acting(app, user))
    if json:
        emit_json(found.to_json())
    else:
        _print_job(found)


@jobs_app.command("retry")
def jobs_retry(
    job: JobId,
    workspace: Workspace,
    user: User = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Queue a failed job again (attempts left); an import job runs again at once."""
    with open_app(database_url) as app:
        actor = acting(app, user)
        result = app.conversations.retry_job(workspace, job, actor=actor)
        found = app.conversations.get_job(workspace, job, actor=actor)
    if json:
        emit_json({"job": found.to_json(), "import": None if result is None else result.to_json()})
    else:
        _print_job(found)


@jobs_app.command("cancel")
def jobs_cancel(
    job: JobId,
    workspace: Workspace,
    user: User = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Cancel a queued or running job (a running import stops at its next batch)."""
    with open_app(database_url) as app:
        found = app.conversations.cancel_job(workspace, job, actor=acting(app, user))
    if json:
        emit_json(found.to_json())
    else:
        _print_job(found)
