"""`nexus documents load` and `nexus documents batches`: load a production with a progress bar
(documents/s, ETA) and a summary; Ctrl-C stops after the chunk in flight and says how to resume."""

from __future__ import annotations

import shlex
import time
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from nexus.cli.common import (
    DatabaseUrl,
    Json,
    console,
    emit_json,
    fail,
    lower,
    open_app,
    show_table,
)
from nexus.cli.documents import Case, documents_app, say
from nexus.documents.application.load_results import LoadResult

Format = Annotated[
    str, typer.Option("--format", help="dat (Concordance) or jsonl.", callback=lower)
]
FieldMapOption = Annotated[
    str | None, typer.Option("--field-map", help="A JSON field map (producer field -> target).")
]
OptOption = Annotated[str | None, typer.Option("--opt", help="An Opticon OPT file of page images.")]


def _summary(result: LoadResult, seconds: float) -> None:
    rate = (result.loaded + result.duplicates) / seconds if seconds > 0 else 0.0
    say(
        f"batch {result.batch_id}: {result.status}; {result.loaded} loaded, "
        f"{result.duplicates} duplicates, {result.errors} errors; "
        f"{rate:,.0f} documents/s over {seconds:.1f} s"
        + (f"; {result.skipped} already loaded" if result.skipped else "")
    )
    for problem in result.problems[:20]:
        say(f"  line {problem.line}: {problem.field or '-'}: {problem.rule}")
    if len(result.problems) > 20:
        say(f"  ... and {result.errors - 20} more (see --json)")


@documents_app.command("load")
def documents_load(
    file: Annotated[str, typer.Argument(help="The load file (DAT or JSON Lines).")],
    case: Case,
    custodian: Annotated[
        str | None, typer.Option("--custodian", help="The batch's custodian (by name).")
    ] = None,
    format_: Format = "dat",
    field_map: FieldMapOption = None,
    opt: OptOption = None,
    time_zone: Annotated[
        str, typer.Option("--time-zone", help="The zone of dates without one.")
    ] = "UTC",
    resume: Annotated[
        str | None, typer.Option("--resume", help="Go on with this batch id (same file).")
    ] = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Load a production into a case: dedupe, custodian provenance, families, exactly once."""
    started = time.perf_counter()
    batch_hint: list[str] = []
    with open_app(database_url) as app, _bar(json) as bar:
        task = bar.add_task("loading", total=None, docs=0, rate=0.0) if bar is not None else None

        def progress(done: int, read: int, size: int) -> None:
            if bar is not None and task is not None:
                rate = done / max(time.perf_counter() - started, 1e-9)
                bar.update(task, completed=read, total=size, docs=done, rate=rate)

        try:
            if resume is not None:
                batch_hint.append(resume)
                result = app.documents.resume_batch(
                    case,
                    resume,
                    file,
                    format=format_,
                    field_map=field_map,
                    opt=opt,
                    time_zone=time_zone,
                    progress=progress,
                )
            else:
                result = app.documents.load(
                    case,
                    file,
                    custodian=custodian,
                    format=format_,
                    field_map=field_map,
                    opt=opt,
                    time_zone=time_zone,
                    progress=progress,
                )
        except KeyboardInterrupt:
            batches = app.documents.list_batches(case)
            open_ = [b for b in batches if b.status != "loaded"]
            batch = batch_hint[0] if batch_hint else (str(open_[-1].id) if open_ else "BATCH")
            command = shlex.join(
                ["nexus", "documents", "load", file, "--case", case, "--resume", batch]
            )
            fail(f"interrupted; what is committed stays. To go on: {command}")
    if json:
        emit_json(result.to_json())
        return
    _summary(result, time.perf_counter() - started)


class _NoBar:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


def _bar(json: bool) -> Progress | _NoBar:
    if json or not console.is_terminal:
        return _NoBar()
    return Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[docs]:,} documents"),
        TextColumn("{task.fields[rate]:,.0f} documents/s"),
        TimeRemainingColumn(),
        console=console.live(),
        transient=True,
    )


@documents_app.command("batches")
def documents_batches(case: Case, database_url: DatabaseUrl = None, json: Json = False) -> None:
    """The case's batches with their status and counts."""
    with open_app(database_url) as app:
        batches = app.documents.list_batches(case)
    if json:
        emit_json([b.to_json() for b in batches])
        return
    rows = [
        (b.id, b.name, b.status, b.document_count, b.duplicate_count, b.error_count)
        for b in batches
    ]
    show_table("batches", ["id", "name", "status", "documents", "duplicates", "errors"], rows)
