"""`nexus orgs`, `nexus apikeys` and `nexus users deactivate|reactivate` on SQLite and
PostgreSQL: JSON output, one-line errors, nothing written on failure, secrets shown once."""

from __future__ import annotations

from sqlalchemy import func, select

from nexus.identity.infrastructure.records import ApiKeyRecord, OrganizationMemberRecord
from nexus.persistence.engine import create_engine_for
from tests.cli.conftest import Cli

PASSWORD = "correct horse battery\n"


def _count(url: str, record: type) -> int:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(record))
    engine.dispose()
    return int(count or 0)


def _users(cli: Cli, *names: str) -> None:
    for name in names:
        result = cli(
            "users", "create", "--email", f"{name}@example.org", "--name", name,
            "--password-stdin", input=PASSWORD,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr


def test_orgs_create_list_members_add_remove(cli: Cli) -> None:
    _users(cli, "ada", "bob", "cy")
    created = cli.json(
        "orgs", "create", "--name", "Acme", "--slug", "acme", "--owner", "ada@example.org"
    )
    assert created["slug"] == "acme"
    added = cli.json("orgs", "add-member", "acme", "bob@example.org", "--role", "admin")
    assert added["role"] == "admin"
    by_bob = cli.json("orgs", "add-member", "acme", "cy@example.org", "--as", "bob@example.org")
    assert by_bob["role"] == "member"
    members = cli.json("orgs", "members", "acme")
    assert [(m["email"], m["role"]) for m in members] == [
        ("ada@example.org", "owner"),
        ("bob@example.org", "admin"),
        ("cy@example.org", "member"),
    ]
    assert [o["slug"] for o in cli.json("orgs", "list")] == ["acme"]
    assert cli.json("orgs", "list", "--as", "cy@example.org")[0]["id"] == created["id"]
    assert cli.json("orgs", "remove-member", "acme", "cy@example.org") == {
        "organization": "acme",
        "removed": "cy@example.org",
    }
    assert "ada@example.org" in cli("orgs", "members", "acme").stdout


def test_orgs_errors_are_one_line_and_write_nothing(cli: Cli) -> None:
    _users(cli, "ada", "bob")
    cli("orgs", "create", "--name", "Acme", "--slug", "acme", "--owner", "ada@example.org")
    members_before = _count(cli.database_url, OrganizationMemberRecord)
    last_owner = cli("orgs", "remove-member", "acme", "ada@example.org")
    assert last_owner.exit_code == 1
    assert last_owner.stderr == (
        "error: organization_members.role: an organization must keep at least one owner\n"
    )
    assert last_owner.stdout == ""
    denied = cli("orgs", "add-member", "acme", "bob@example.org", "--as", "bob@example.org")
    assert denied.exit_code == 1
    assert denied.stderr.startswith("error: organization not found")
    bad = cli("orgs", "create", "--name", "B", "--slug", "B_B", "--owner", "bob@example.org")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: organizations.slug: must be 3-63 characters")
    assert _count(cli.database_url, OrganizationMemberRecord) == members_before
    assert cli("orgs", "members", "nope").stderr == "error: organization not found: nope\n"


def test_apikeys_create_verify_list_revoke(cli: Cli) -> None:
    _users(cli, "ada")
    workspace = cli.json(
        "workspaces", "create", "--name", "CI", "--slug", "ci-ws", "--owner", "ada@example.org"
    )["id"]
    created = cli.json(
        "apikeys", "create", "--user", "ada@example.org", "--name", "ci", "--workspace", workspace
    )
    raw = created["key"]
    assert raw.startswith("nxk_")
    verified = cli.json("apikeys", "verify", "--key-stdin", input=raw + "\n")
    assert verified["email"] == "ada@example.org"
    assert verified["workspace_id"] == workspace
    listed = cli("apikeys", "list", "--user", "ada@example.org", "--json")
    assert raw not in listed.stdout
    assert raw[:12] in listed.stdout
    human = cli("apikeys", "list", "--user", "ada@example.org")
    assert raw not in human.stdout
    typo = cli(
        "apikeys", "verify", "--key-stdin", input=raw[:-1] + ("a" if raw[-1] != "a" else "b")
    )
    assert (typo.exit_code, typo.stderr) == (1, "error: api key: invalid, expired or revoked\n")
    revoked = cli.json("apikeys", "revoke", created["id"], "--user", "ada@example.org")
    assert revoked["revoked_at"] is not None
    after = cli("apikeys", "verify", "--key-stdin", input=raw + "\n")
    assert after.exit_code == 1
    no_stdin = cli("apikeys", "verify")
    assert no_stdin.exit_code == 1
    assert "--key-stdin" in no_stdin.stderr
    shown_once = cli("apikeys", "create", "--user", "ada@example.org", "--name", "human")
    assert shown_once.exit_code == 0
    assert shown_once.stdout.strip().splitlines()[-1].startswith("nxk_")


def test_apikeys_bad_input_writes_nothing(cli: Cli) -> None:
    _users(cli, "ada")
    result = cli(
        "apikeys", "create", "--user", "ada@example.org", "--name", "x", "--workspace", "nope"
    )
    assert (result.exit_code, result.stderr) == (1, "error: workspace_id: must be a UUID\n")
    result = cli("apikeys", "create", "--user", "ada@example.org", "--name", "x",
                 "--expires-in-days", "0")  # fmt: skip
    assert result.exit_code == 1
    assert "expires_in_days" in result.stderr
    assert _count(cli.database_url, ApiKeyRecord) == 0


def test_users_deactivate_reactivate(cli: Cli) -> None:
    _users(cli, "ada")
    assert cli.json("users", "deactivate", "ada@example.org")["is_active"] is False
    assert cli.json("users", "show", "ada@example.org")["is_active"] is False
    assert cli.json("users", "reactivate", "ada@example.org")["is_active"] is True
    unknown = cli("users", "deactivate", "nobody@example.org")
    assert unknown.stderr == "error: user not found: nobody@example.org\n"
