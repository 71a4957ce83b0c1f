"""What every command shares: options, opening the app, output, and one-line errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import exc as sa_exc
from typer.core import TyperGroup

from nexus.persistence.engine import missing_sqlite_file
from nexus.settings import Settings
from nexus.shared.errors import DomainError

if TYPE_CHECKING:
    from nexus.app import Nexus

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="NEXUS_DATABASE_URL",
        help="Database URL (else $NEXUS_DATABASE_URL, else sqlite:///nexus.db).",
        show_envvar=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]

console = Console(highlight=False, soft_wrap=True)


def fail(message: str) -> NoReturn:
    """An expected error: one line on stderr, exit code 1, no traceback."""
    first_line = message.strip().splitlines()[0] if message.strip() else "failed"
    typer.echo(f"error: {first_line}", err=True)
    raise typer.Exit(1)


class NexusGroup(TyperGroup):
    """Turns expected errors from any subcommand into one line on stderr and exit code 1."""

    def invoke(self, ctx: Any) -> Any:  # typer vendors click; its Context type is private
        try:
            return super().invoke(ctx)
        except DomainError as error:
            fail(str(error))
        except (sa_exc.OperationalError, sa_exc.ProgrammingError) as error:
            from nexus.cli.hints import database_error_line

            fail(database_error_line(error))
        except sa_exc.ArgumentError as error:
            fail(f"bad database URL: {error}")
        except sa_exc.NoSuchModuleError as error:
            fail(f"bad database URL: {error}")
        except Exception as error:
            from nexus.cli.hints import alembic_error_line

            line = alembic_error_line(error)
            if line is None:
                raise
            fail(line)


def new_typer(help_text: str) -> typer.Typer:
    return typer.Typer(
        cls=NexusGroup,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )


def existing_database(database_url: str | None) -> str:
    """The URL to use, refusing a SQLite file that does not exist: a mistyped path must not
    create an empty database. `nexus db upgrade` and `nexus run` create it."""
    url = Settings.from_env(database_url=database_url).database_url
    missing = missing_sqlite_file(url)
    if missing is not None:
        fail(f"database file not found: {missing} (`nexus db upgrade` or `nexus run` creates it)")
    return url


@contextmanager
def open_app(database_url: str | None) -> Iterator[Nexus]:
    from nexus.app import create_app

    app = create_app(existing_database(database_url), persistence="sqlalchemy")
    try:
        yield app
    finally:
        app.close()


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def show_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


def show_record(values: dict[str, Any]) -> None:
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for key, value in values.items():
        table.add_row(key, "" if value is None else str(value))
    console.print(table)


def read_secret_from_stdin(what: str) -> str:
    data = sys.stdin.readline()
    value = data.rstrip("\r\n")
    if not value:
        fail(f"{what}: nothing on standard input")
    return value


ActingAs = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Act as this user (by email), with their permissions; default: the operator.",
    ),
]


def actor_for(app: Nexus, acting_as: str | None) -> Any:
    """The acting party: the user with this email, or the operator (who runs this command
    with the database's credentials)."""
    from nexus.identity import OPERATOR

    return OPERATOR if acting_as is None else app.identity.get_user_by_email(acting_as).id
