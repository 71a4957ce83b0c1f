"""The CLI against hostile text: every command answers any argument with its result or one line
on stderr (never a traceback), and stored text is printed literally (no rich markup) with its
non-printable characters escaped, in human and JSON output."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import typer
import typer.testing
from sqlalchemy import text
from typer.testing import CliRunner

from nexus.app import create_app
from nexus.cli.main import app as cli_app
from nexus.identity import OPERATOR
from nexus.lab.samples import SAMPLE_INSTRUMENT
from nexus.persistence.engine import create_engine_for
from tests.cli.conftest import Cli

# Stored text no terminal should interpret: rich markup, ANSI, bell, C1 CSI, bidi override.
HOSTILE = "[/x] [bold]b[/bold] \x1b[31mred\x07 \x9b\u202eevil\u200b end"
SHOWN = r"[/x] [bold]b[/bold] \x1b[31mred\x07 \x9b\u202eevil\u200b end"

# Arguments a user (or a script) may pass any command.
HOSTILE_ARGUMENTS = [
    "\x00",
    "a\udcffb",
    "[/x]",
    "\x1b[31m",
    "9" * 30,
    "-1",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "x" * 5_000,
    "",
    "a@b",
    str(uuid.uuid4()),
]
# Commands that change the schema or run the whole job are covered by their own tests.
SKIPPED = {("db", "upgrade"), ("db", "downgrade"), ("run",)}


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        elif (*path, name) not in SKIPPED:
            yield (*path, name), command


def _argv(command: Any, values: Iterator[str]) -> list[str]:
    argv: list[str] = []
    for param in command.params:
        if param.name in ("database_url", "help"):
            continue
        if param.param_type_name == "argument":
            argv.append(next(values))
        elif getattr(param, "is_flag", False):
            argv.append(param.opts[0])
        else:
            argv += [param.opts[0], next(values)]
    return argv


# The sweep in four parts (every command against every rotation of the hostile arguments):
# parallel test workers share it instead of one worker running it all.
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS))
def test_every_command_answers_hostile_arguments_in_one_line(cli: Cli, part: int) -> None:
    runner = CliRunner()
    root = typer.main.get_command(cli_app)
    commands = list(_commands(root))
    assert len(commands) >= 20
    offsets = range(part, len(HOSTILE_ARGUMENTS), PARTS)
    calls = 0
    for offset in offsets:
        for path, command in commands:
            values = itertools.islice(itertools.cycle(HOSTILE_ARGUMENTS), offset, None)
            argv = [*path, *_argv(command, values), "--database-url", cli.database_url]
            result = runner.invoke(cli_app, argv, input="pass\x00word \x1b\n")
            calls += 1
            shown = f"{argv!r}: {result.exception!r} {result.stderr!r}"
            assert result.exception is None or isinstance(result.exception, SystemExit), shown
            if result.exit_code != 0:
                assert result.exit_code in (1, 2), shown
                assert result.stderr.count("\n") == 1, shown
                if "--json" in argv:  # with --json the one line is a JSON error
                    assert json.loads(result.stderr)["exit_code"] == result.exit_code, shown
                else:
                    assert result.stderr.startswith("error: "), shown
                assert result.stderr.isprintable() or result.stderr[:-1].isprintable(), shown
    assert calls == len(commands) * len(offsets)


@pytest.fixture
def hostile_cli(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A database whose every displayed text column holds HOSTILE (written through the API
    where it is accepted, then set as stored text from elsewhere would be)."""
    monkeypatch.setenv("COLUMNS", "1000")  # no wrapping inside table cells
    with create_app(cli.database_url, persistence="sqlalchemy") as app:
        user = app.identity.register_user(
            email="ada@example.org", name="[bold]Ada[/bold]", password="correct horse battery"
        )
        org = app.identity.create_organization(name="[/x]", slug="acme", owner_id=user.id)
        app.identity.create_api_key(user.id, name="[/x]", actor=OPERATOR)
        app.lab.register_instrument(**SAMPLE_INSTRUMENT)
        pid = SAMPLE_INSTRUMENT["instrument_pid"]
        at = datetime(2026, 3, 1, 14, tzinfo=UTC)
        app.lab.insert_log(
            session_identifier="s1", instrument=pid, timestamp=at, event_type="START", user="u"
        )
        app.lab.insert_log(
            session_identifier="s1",
            instrument=pid,
            timestamp=at.replace(hour=15),
            event_type="END",
            user="u",
        )
        app.lab.store_external_id("jsmith", "nemo", "[/x]", notes="[/x]")
        assert org.slug == "acme"
    engine = create_engine_for(cli.database_url)
    with engine.begin() as connection:
        for statement in (
            "UPDATE users SET name = :h",
            "UPDATE organizations SET name = :h",
            "UPDATE api_keys SET name = :h",
            "UPDATE instruments SET display_name = :h, location = :n",
            'UPDATE session_log SET "user" = :h',
            "UPDATE external_user_identifiers SET external_id = :h, notes = :n",
        ):
            connection.execute(text(statement), {"h": HOSTILE, "n": HOSTILE})
    engine.dispose()
    return cli


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


DISPLAYING = [
    ("users", "list"),
    ("users", "show", "ada@example.org"),
    ("orgs", "list"),
    ("orgs", "members", "acme"),
    ("apikeys", "list", "--user", "ada@example.org"),
    ("lab", "instruments", "list"),
    ("lab", "instruments", "show", SAMPLE_INSTRUMENT["instrument_pid"]),
    ("lab", "sessions", "list"),
    ("lab", "sessions", "to-build"),
    ("lab", "external-ids", "list", "jsmith"),
    ("lab", "external-ids", "get", "jsmith", "nemo"),
    ("run",),
    ("status",),
]


@pytest.mark.parametrize("command", DISPLAYING, ids=lambda c: " ".join(c[:3]))
def test_stored_text_is_shown_literally_and_escaped(hostile_cli: Cli, command: Any) -> None:
    human = hostile_cli(*command)
    assert human.exit_code == 0, human.stderr
    assert human.stdout.replace("\n", "").isprintable(), repr(human.stdout)
    if command != ("status",):  # status shows counts only
        assert SHOWN in human.stdout, human.stdout
    as_json = hostile_cli(*command, "--json")
    assert as_json.exit_code == 0, as_json.stderr
    assert as_json.stdout.replace("\n", "").isprintable(), repr(as_json.stdout)
    if command != ("status",):
        assert HOSTILE in _strings(json.loads(as_json.stdout))
