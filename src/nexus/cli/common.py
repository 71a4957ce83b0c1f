"""What every command shares: options, opening the app, output, and one-line errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import exc as sa_exc
from typer._click.exceptions import NoArgsIsHelpError, UsageError  # typer vendors click
from typer._click.globals import get_current_context
from typer.core import TyperGroup

from nexus.persistence.engine import missing_sqlite_file
from nexus.settings import Settings
from nexus.shared.errors import DomainError, ValidationError

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

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(value: object) -> str:
    """Text as it was typed, each non-printable character (controls, ANSI escapes, format and
    invisible characters, lone surrogates) shown as its escape (`\\x1b`, `\\u202e`)."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(
        ch
        if ch.isprintable()
        else _ESCAPES.get(ch) or ch.encode("unicode_escape", "backslashreplace").decode("ascii")
        for ch in text
    )


def _literal(value: object) -> Text:
    return Text("" if value is None else printable(value))


class Output:
    """Everything a command prints goes through here: values are data, never rich markup, and
    non-printable characters are shown escaped. Commands call `console.print(...)`,
    `show_table(...)`, `show_record(...)`."""

    @property
    def _console(self) -> Console:
        # Built per call, so it follows the current stdout and $COLUMNS (tests, redirection).
        return Console(highlight=False, soft_wrap=True, markup=False, emoji=False)

    def print(self, *values: object) -> None:
        self._console.print(_literal(" ".join(str(v) for v in values)))

    @property
    def is_terminal(self) -> bool:
        return self._console.is_terminal

    def live(self) -> Console:
        """A console for a live display (a progress bar); it renders no markup either."""
        return self._console

    def table(
        self, title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """A table that never cuts a word: ids, emails, slugs, pids are shown whole (the next
        command needs them); only text with spaces wraps. When even that does not fit, the
        table is printed wider than the terminal rather than cut."""
        cells = [[_literal(v) for v in row] for row in rows]
        table = Table(title=None if title is None else _literal(title), show_lines=False)
        needed = 1  # the left border; each column adds its width, padding and a border
        for i, column in enumerate(columns):
            values = [row[i].plain for row in cells if i < len(row)]
            words = all(" " not in v for v in values)
            table.add_column(_literal(column), no_wrap=words, overflow="fold")
            pieces = [w for v in [*values, str(column)] for w in ([v] if words else v.split())]
            needed += 3 + max(map(cell_len, pieces), default=0)
        for row in cells:
            table.add_row(*row)
        console = self._console
        if needed > console.width:
            console = Console(
                highlight=False, soft_wrap=True, markup=False, emoji=False, width=needed
            )
        console.print(table)

    def record(self, values: dict[str, Any]) -> None:
        table = Table(show_header=False, box=None)
        table.add_column(style="bold")
        table.add_column()
        for key, value in values.items():
            table.add_row(_literal(key), _literal(value))
        self._console.print(table)


console = Output()


def lower(value: str | None) -> str | None:
    """A callback for an option naming one of fixed values: any case is accepted."""
    return None if value is None else value.lower()


def upper(value: str | None) -> str | None:
    return None if value is None else value.upper()


def _json_asked() -> bool:
    """The running command has `--json` set (its errors are then JSON too)."""
    ctx = get_current_context(silent=True)
    return bool(ctx is not None and ctx.params.get("json"))


def fail(
    message: str, code: int = 1, *, as_json: bool = False, error: BaseException | None = None
) -> NoReturn:
    """An expected error: one line on stderr, exit code 1 (2 for a usage error), no
    traceback. With `--json`, that line is a JSON object: {"error": {"type", "message"[,
    "field", "rule"]}, "exit_code"}."""
    first_line = message.strip().splitlines()[0] if message.strip() else "failed"
    if as_json or _json_asked():
        kind = "UsageError" if code == 2 else "Error"
        detail: dict[str, Any] = {
            "type": kind if error is None else type(error).__name__,
            "message": first_line,
        }
        if isinstance(error, ValidationError):
            detail |= {"field": error.field, "rule": error.rule}
        line = json.dumps({"error": detail, "exit_code": code}, ensure_ascii=True)
        typer.echo(line, err=True)
    else:
        typer.echo(f"error: {printable(first_line)}", err=True)
    raise typer.Exit(code)


def _json_in(args: Sequence[str]) -> bool:
    args = list(args)
    return "--json" in (args[: args.index("--")] if "--" in args else args)


class NexusGroup(TyperGroup):
    """Turns expected errors from any subcommand into one line on stderr and exit code 1 (2 for
    a usage error); with `--json` the line is JSON."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except NoArgsIsHelpError:
            raise  # the help, as asked
        except UsageError as error:  # a bad option of `nexus` itself: one line too
            fail(error.format_message(), code=error.exit_code, as_json=_json_in(args))

    def invoke(self, ctx: Any) -> Any:  # typer vendors click; its Context type is private
        as_json = _json_in([*ctx._protected_args, *ctx.args])
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise  # a group named without a command: its help, as `nexus` alone gives
        except DomainError as error:
            fail(str(error), as_json=as_json, error=error)
        except UsageError as error:  # a bad option or argument: one line, not click's usage
            fail(error.format_message(), code=error.exit_code, as_json=as_json, error=error)
        except (sa_exc.OperationalError, sa_exc.ProgrammingError) as error:
            from nexus.cli.hints import database_error_line

            fail(database_error_line(error), as_json=as_json, error=error)
        except sa_exc.ArgumentError as error:
            fail(f"bad database URL: {error}", as_json=as_json, error=error)
        except sa_exc.NoSuchModuleError as error:
            fail(f"bad database URL: {error}", as_json=as_json, error=error)
        except Exception as error:
            from nexus.cli.hints import alembic_error_line

            line = alembic_error_line(error)
            if line is None:
                raise
            fail(line, as_json=as_json, error=error)


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


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def emit_json(value: Any) -> None:
    """JSON on stdout; inside strings, every non-printable character is a `\\u` escape (JSON
    escapes only the C0 controls itself), so the terminal never receives one."""
    document = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    if not document.replace("\n", "").isprintable():
        document = "".join(
            ch if ch.isprintable() or ch == "\n" else _json_escape(ch) for ch in document
        )
    sys.stdout.write(document + "\n")


def emit(as_json: bool, value: Any, line: Any) -> None:
    """A command's outcome: `value` as JSON on stdout with `--json`, else `line` for a person."""
    if as_json:
        emit_json(value)
    else:
        console.print(line)


def list_title(title: str, shown: int, *, total: int | None = None, offset: int = 0) -> str:
    """`users (3)`; for a page of a longer list, which rows of how many:
    `users (101-200 of 1,234)`."""
    if total is not None and (offset or shown < total):
        rows = f"{offset + 1}-{offset + shown}" if shown else "none"
        return f"{title} ({rows} of {total:,})"
    return title if title.endswith(f"({shown})") else f"{title} ({shown})"


def show_table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    total: int | None = None,
    offset: int = 0,
) -> None:
    """A list under its `list_title`."""
    if title is not None:
        title = list_title(title, len(rows), total=total, offset=offset)
    console.table(title, columns, rows)


def show_record(values: dict[str, Any]) -> None:
    console.record(values)


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
