"""`nexus lab import-nexuslims`: carry a NexusLIMS database into nexus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nexus.cli.common import DatabaseUrl, Json, console, emit_json, open_app


def import_nexuslims(
    path: Annotated[Path, typer.Argument(help="The NexusLIMS SQLite database (any release).")],
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Carry over a NexusLIMS database's instruments, session log, upload log and external ids
    (idempotent: a second run adds nothing; session identifiers kept as they are)."""
    with open_app(database_url) as app:
        result = app.lab.import_nexuslims(path)
    if json:
        emit_json(result.to_json())
        return
    console.print(f"NexusLIMS database {result.source} (schema {result.revision})")
    for table in result.tables:
        skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(table.skipped.items()))
        console.print(
            f"{table.table}: {table.read} read, {table.added} added, {table.existing} already "
            f"there" + (f", skipped: {skipped}" if skipped else "")
        )
