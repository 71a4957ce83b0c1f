"""What holds for every command, on SQLite and PostgreSQL: a usage error is one line and exit 2
(`nexus` itself included), with `--json` every error is one JSON line on stderr, values from a
fixed list are accepted in any case, and tables never cut the ids the next command needs."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from nexus.cli.main import app
from tests.cli.conftest import Cli

PASSWORD = "correct horse battery\n"


def test_usage_errors_are_one_line_and_exit_2() -> None:
    runner = CliRunner()
    for argv in (["--bogus"], ["users", "bogus"], ["users", "list", "--limit", "x"]):
        result = runner.invoke(app, argv)
        assert result.exit_code == 2, argv
        assert result.stdout == "", argv
        assert len(result.stderr.splitlines()) == 1, (argv, result.stderr)
        assert result.stderr.startswith("error: "), argv
    # A group named alone shows its help, as `nexus` alone does.
    helped = runner.invoke(app, ["users"])
    assert "users [OPTIONS] COMMAND" in helped.output
    assert "create" in helped.output


def test_with_json_every_error_is_one_json_line_on_stderr(cli: Cli) -> None:
    missing = cli("users", "show", "nobody@example.org", "--json")
    assert missing.exit_code == 1
    assert missing.stdout == ""
    assert json.loads(missing.stderr) == {
        "error": {"type": "NotFoundError", "message": "user not found: nobody@example.org"},
        "exit_code": 1,
    }
    bad = cli(
        "users", "create", "--email", "not-an-email", "--name", "X", "--password-stdin", "--json",
        input=PASSWORD,
    )  # fmt: skip
    detail = json.loads(bad.stderr)["error"]
    assert (bad.exit_code, detail["type"], detail["field"]) == (1, "ValidationError", "users.email")
    usage = cli("users", "list", "--limit", "0", "--json")
    assert usage.exit_code == 2
    assert json.loads(usage.stderr)["exit_code"] == 2
    plain = cli("users", "show", "nobody@example.org")
    assert plain.stderr == "error: user not found: nobody@example.org\n"


def test_values_from_a_fixed_list_are_accepted_in_any_case(cli: Cli) -> None:
    for name in ("ada", "bob"):
        created = cli(
            "users", "create", "--email", f"{name}@example.org", "--name", name,
            "--password-stdin", input=PASSWORD,
        )  # fmt: skip
        assert created.exit_code == 0, created.stderr
    cli.json("orgs", "create", "--name", "Acme", "--slug", "acme", "--owner", "ada@example.org")
    added = cli.json("orgs", "add-member", "acme", "bob@example.org", "--role", "ADMIN")
    assert added["role"] == "admin"
    instrument = cli.json(
        "lab", "instruments", "add", "--pid", "TEM-1",
        "--api-url", "https://nemo.example.org/api/tools/?id=1",
        "--calendar-url", "https://nemo.example.org/calendar/1", "--location", "Bldg 217",
        "--display-name", "TEM", "--property-tag", "1", "--filestore-path", "TEM",
        "--harvester", "NEMO",
    )  # fmt: skip
    assert instrument["harvester"] == "nemo"
    for event, hour in (("start", "09"), ("End", "11")):
        logged = cli(
            "lab", "log", "--session", "S1", "--instrument", "TEM-1", "--event", event,
            "--timestamp", f"2026-01-05T{hour}:00:00-05:00",
        )  # fmt: skip
        assert logged.exit_code == 0, logged.stderr
    listed = cli.json("lab", "sessions", "list", "--status", "to_be_built")
    assert [s["session_identifier"] for s in listed] == ["S1"]


def test_tables_never_cut_the_ids_a_next_command_needs(cli: Cli) -> None:
    created = cli(
        "users", "create", "--email", "a.very.long.address.indeed@example.org",
        "--name", "Ada Augusta King, Countess of Lovelace", "--password-stdin", input=PASSWORD,
    )  # fmt: skip
    assert created.exit_code == 0, created.stderr
    user_id = cli.json("users", "show", "a.very.long.address.indeed@example.org")["id"]
    narrow = cli.runner.invoke(
        app, ["users", "list", "--database-url", cli.database_url], env={"COLUMNS": "40"}
    )
    assert narrow.exit_code == 0, narrow.stderr
    assert user_id in narrow.stdout
    assert "a.very.long.address.indeed@example.org" in narrow.stdout
    # Text with spaces may wrap; each word stays whole.
    assert re.search(r"\bCountess\b", narrow.stdout)
