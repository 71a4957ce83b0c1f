"""The admin commands users looked for, on SQLite and PostgreSQL: organization roles, update,
delete and domains; user verify, unlock, change-password, reset; the audit log; instrument
update, a session's upload log, external-id delete; list titles carry their count."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from nexus.app import create_app
from nexus.persistence.engine import create_engine_for
from tests.cli.conftest import Cli

PASSWORD = "correct horse battery"


def _users(cli: Cli, *names: str) -> None:
    for name in names:
        result = cli(
            "users", "create", "--email", f"{name}@example.org", "--name", name,
            "--password-stdin", input=PASSWORD + "\n",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr


def _ok(result: object) -> object:
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    return result


def test_organization_roles_update_delete_and_domains(cli: Cli) -> None:
    _users(cli, "ada", "bob")
    cli.json("orgs", "create", "--name", "Acme", "--slug", "acme", "--owner", "ada@example.org")
    cli.json("orgs", "add-member", "acme", "bob@example.org")
    changed = cli.json("orgs", "set-role", "acme", "bob@example.org", "--role", "Admin")
    assert changed["role"] == "admin"
    members = {m["email"]: m["role"] for m in cli.json("orgs", "members", "acme")}
    assert members == {"ada@example.org": "owner", "bob@example.org": "admin"}

    updated = cli.json("orgs", "update", "acme", "--name", "Acme Corp", "--new-slug", "acme-corp")
    assert (updated["name"], updated["slug"]) == ("Acme Corp", "acme-corp")
    assert cli("orgs", "update", "acme-corp").exit_code == 2  # nothing to change

    added = cli.json("orgs", "add-domain", "acme-corp", "acme.example", "--as", "bob@example.org")
    assert added["domain"] == "acme.example"
    assert added["verification_token"]
    listed = cli.json("orgs", "domains", "acme-corp")
    assert [(d["domain"], d["is_verified"]) for d in listed] == [("acme.example", False)]
    wrong = cli("orgs", "verify-domain", "acme-corp", added["id"], "--token-stdin", input="x\n")
    assert wrong.exit_code == 1
    assert wrong.stderr.startswith("error: ")
    verified = cli(
        "orgs", "verify-domain", "acme-corp", added["id"], "--token-stdin", "--json",
        input=added["verification_token"] + "\n",
    )  # fmt: skip
    _ok(verified)
    assert '"is_verified": true' in verified.stdout
    _ok(cli("orgs", "remove-domain", "acme-corp", added["id"]))
    assert cli.json("orgs", "domains", "acme-corp") == []

    refused = cli("orgs", "delete", "acme-corp", "--as", "bob@example.org")
    assert refused.exit_code == 1  # only owners delete
    _ok(cli("orgs", "delete", "acme-corp"))
    assert cli.json("orgs", "list") == []


def test_user_verify_unlock_change_password_reset_and_the_audit_log(cli: Cli) -> None:
    _users(cli, "ada")
    email = "ada@example.org"
    assert cli.json("users", "verify", email)["is_verified"] is True
    engine = create_engine_for(cli.database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET failed_login_attempts = 5"))
    engine.dispose()
    assert cli.json("users", "show", email)["is_locked"] is True
    assert cli.json("users", "unlock", email)["is_locked"] is False

    wrong = cli("users", "change-password", email, "--password-stdin", input="nope\nnew one here\n")
    assert wrong.exit_code == 1
    _ok(cli("users", "change-password", email, "--password-stdin",
            input=f"{PASSWORD}\nsecond passphrase ok\n"))  # fmt: skip
    _ok(cli("users", "reset", email, "--password-stdin", input="third passphrase ok\n"))
    with create_app(cli.database_url) as app:
        assert app.identity.authenticate(email=email, password="third passphrase ok").email == email

    # The operator's changes are audited on the user as their resource; the user's own by user.
    about = cli.json("audit", "list", "--resource-type", "user")
    assert {"user.email_verified", "user.unlocked"} <= {e["action"] for e in about}
    own = [e["action"] for e in cli.json("audit", "list", "--user", email)]
    assert "user.password_changed" in own
    assert "password_reset.completed" in own
    unlocked = cli.json("audit", "list", "--action", "user.unlocked")
    assert len(unlocked) == 1
    table = _ok(cli("audit", "list", "--action", "user.unlocked"))
    assert "audit events (1)" in table.stdout  # type: ignore[attr-defined]


INSTRUMENT = (
    "--pid", "TEM-1",
    "--api-url", "https://nemo.example.org/api/tools/?id=1",
    "--calendar-url", "https://nemo.example.org/calendar/1", "--location", "Bldg 217",
    "--display-name", "TEM", "--property-tag", "1", "--filestore-path", "TEM",
)  # fmt: skip


def test_instrument_update_uploads_and_external_id_delete(cli: Cli) -> None:
    cli.json("lab", "instruments", "add", *INSTRUMENT)
    updated = cli.json("lab", "instruments", "update", "TEM-1", "--location", "Bldg 218")
    assert (updated["location"], updated["display_name"]) == ("Bldg 218", "TEM")
    assert cli("lab", "instruments", "update", "TEM-1").exit_code == 2
    assert cli("lab", "instruments", "update", "NOPE", "--location", "x").exit_code == 1

    with create_app(cli.database_url) as app:
        at = datetime(2026, 1, 5, 14, tzinfo=UTC)
        app.lab.insert_log(
            session_identifier="S1", instrument="TEM-1", timestamp=at, event_type="START"
        )
        app.lab.record_upload(
            session_identifier="S1", destination_name="cdcs", success=True, record_id="r1"
        )
    uploads = cli.json("lab", "uploads", "S1")
    assert [(u["destination_name"], u["record_id"]) for u in uploads] == [("cdcs", "r1")]
    assert "uploads of S1 (1)" in _ok(cli("lab", "uploads", "S1")).stdout  # type: ignore[attr-defined]

    _ok(cli("lab", "external-ids", "set", "jsmith", "nemo", "42"))
    _ok(cli("lab", "external-ids", "delete", "jsmith", "NEMO"))
    assert cli.json("lab", "external-ids", "list", "jsmith") == {}
    again = cli("lab", "external-ids", "delete", "jsmith", "nemo")
    assert again.exit_code == 1
    assert again.stderr == "error: jsmith has no nemo id\n"


def test_list_titles_carry_their_count_and_the_total(cli: Cli) -> None:
    _users(cli, "ada", "bob", "cy")
    assert "users (3)" in _ok(cli("users", "list")).stdout  # type: ignore[attr-defined]
    page = _ok(cli("users", "list", "--limit", "1", "--offset", "1")).stdout  # type: ignore[attr-defined]
    assert "users (2-2 of 3)" in page
    past = _ok(cli("users", "list", "--offset", "5")).stdout  # type: ignore[attr-defined]
    assert "users (none of 3)" in past
    assert cli("lab", "instruments", "add", *INSTRUMENT).exit_code == 0
    for n, start in enumerate(("09:00", "10:00", "11:00")):
        logged = cli(
            "lab", "log", "--session", f"s{n}", "--instrument", INSTRUMENT[1],
            "--event", "START", "--timestamp", f"2026-01-05T{start}:00-05:00",
        )  # fmt: skip
        assert logged.exit_code == 0, logged.stderr
    sessions = _ok(cli("lab", "sessions", "list", "--limit", "2")).stdout  # type: ignore[attr-defined]
    assert "sessions (1-2 of 3)" in sessions
    for slug in ("acme", "bolt", "crux"):
        cli.json("orgs", "create", "--name", slug, "--slug", slug, "--owner", "ada@example.org")
    orgs = _ok(cli("orgs", "list", "--limit", "2", "--offset", "1")).stdout  # type: ignore[attr-defined]
    assert "organizations (2-3 of 3)" in orgs
    mine = _ok(cli("orgs", "list", "--as", "bob@example.org")).stdout  # type: ignore[attr-defined]
    assert "organizations (0)" in mine
    audit = _ok(cli("audit", "list", "--limit", "1")).stdout  # type: ignore[attr-defined]
    assert "audit events (1-1 of " in audit


def test_a_non_member_learns_nothing_of_an_organization_from_its_slug(cli: Cli) -> None:
    _users(cli, "ada", "eve")
    cli.json(
        "orgs", "create", "--name", "Secret", "--slug", "secret-corp", "--owner", "ada@example.org"
    )
    for command in (["domains"], ["delete"], ["update", "--name", "Z"], ["members"]):
        answers = []
        for slug in ("secret-corp", "no-such-org"):
            result = cli("orgs", command[0], slug, *command[1:], "--as", "eve@example.org")
            assert result.exit_code == 1, result.stdout
            answers.append(result.stderr.replace(slug, "SLUG"))
        # The same answer whether the organization exists or not, and never its id.
        assert answers[0] == answers[1], answers
    assert cli.json("orgs", "members", "secret-corp")[0]["email"] == "ada@example.org"
