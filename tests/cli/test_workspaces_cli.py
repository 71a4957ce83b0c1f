"""`nexus workspaces|secrets|agents|models` on SQLite and PostgreSQL: JSON output, secret
values from stdin only, literal output of stored text, one-line errors writing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Cli

PASSWORD = "correct horse battery\n"


@pytest.fixture
def keyed(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """PostgreSQL has no key file beside it: the operator gives the keys."""
    monkeypatch.setenv("NEXUS_SECRET_KEYS", "1:" + "A" * 43 + "=")
    for name in ("ada", "bob"):
        result = cli(
            "users", "create", "--email", f"{name}@example.org", "--name", name,
            "--password-stdin", input=PASSWORD,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    return cli


def test_workspaces_members_and_delete(keyed: Cli) -> None:
    cli = keyed
    created = cli.json(
        "workspaces", "create", "--name", "[bold]Main[/bold]", "--slug", "main",
        "--owner", "ada@example.org",
    )  # fmt: skip
    assert created["slug"] == "main"
    human = cli("workspaces", "list", "--as", "ada@example.org")
    assert "[bold]Main[/bold]" in human.stdout  # printed literally, never as markup
    assert cli.json("workspaces", "list", "--as", "bob@example.org") == []
    added = cli.json(
        "workspaces", "add-member", "main", "--user", "bob@example.org", "--role", "viewer",
        "--as", "ada@example.org",
    )  # fmt: skip
    assert added["role"] == "viewer"
    members = cli.json("workspaces", "members", "main")
    assert {(m["email"], m["role"]) for m in members} == {
        ("ada@example.org", "owner"),
        ("bob@example.org", "viewer"),
    }
    assert cli.json("workspaces", "show", created["id"])["name"] == "[bold]Main[/bold]"
    denied = cli("workspaces", "delete", "main", "--as", "bob@example.org")
    assert (denied.exit_code, denied.stderr.count("\n")) == (1, 1)
    assert denied.stderr.startswith("error: delete_workspace: a workspace viewer may not")
    last = cli("workspaces", "remove-member", "main", "--user", "ada@example.org")
    assert (
        last.stderr == "error: workspace_members.role: a workspace must keep at least one owner\n"
    )
    cli.json("workspaces", "remove-member", "main", "--user", "bob@example.org")
    assert cli.json("workspaces", "delete", "main")["deleted"] == created["id"]
    assert cli.json("workspaces", "list") == []


def test_secrets_from_stdin_never_shown_in_lists(keyed: Cli) -> None:
    cli = keyed
    cli.json("workspaces", "create", "--name", "S", "--slug", "sec", "--owner", "ada@example.org")
    stored = cli.json("secrets", "set", "sec", "OPENAI_API_KEY", input="sk-cli-value\n")
    assert stored["key"] == "OPENAI_API_KEY"
    assert "sk-cli-value" not in json.dumps(stored)
    listed = cli("secrets", "list", "sec")
    assert "OPENAI_API_KEY" in listed.stdout
    assert "sk-cli-value" not in listed.stdout
    got = cli("secrets", "get", "sec", "OPENAI_API_KEY", "--as", "ada@example.org")
    assert got.stdout == "sk-cli-value\n"
    assert cli.json("secrets", "get", "sec", "OPENAI_API_KEY")["value"] == "sk-cli-value"
    empty = cli("secrets", "set", "sec", "OTHER", input="")
    assert empty.stderr == "error: secret value: nothing on standard input\n"
    bad = cli("secrets", "set", "sec", "lower_case", input="x\n")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: secrets.key: must be an upper-case letter")
    rotated = cli.json("secrets", "rotate")
    assert (rotated["already_current"], rotated["unreadable"]) == (1, [])
    cli.json("secrets", "delete", "sec", "OPENAI_API_KEY")
    assert cli.json("secrets", "list", "sec") == []


def test_agents_and_models_sync_from_files(keyed: Cli, tmp_path: Path) -> None:
    cli = keyed
    cli.json(
        "workspaces", "create", "--name", "A", "--slug", "agents", "--owner", "ada@example.org"
    )
    listing = tmp_path / "agents.json"
    listing.write_text(json.dumps([{"class_name": "agents.Helper", "name": "Helper"}]))
    synced = cli.json("agents", "sync", "agents", str(listing))
    assert synced["added"] == ["agents.Helper"]
    assert cli.json("agents", "sync", "agents", str(listing))["added"] == []
    assert [a["class_name"] for a in cli.json("agents", "list", "agents")] == ["agents.Helper"]
    models = tmp_path / "models.json"
    models.write_text(json.dumps({"models": [{"canonical_id": "m/1", "name": "One"}]}))
    assert cli.json("models", "sync", str(models))["added"] == ["m/1"]
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = cli("agents", "sync", "agents", str(broken))
    assert (result.exit_code, result.stderr.count("\n")) == (1, 1)
    assert result.stderr.startswith(f"error: {broken}: not JSON")
