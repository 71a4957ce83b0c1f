"""`nexus cases|documents|tags|labels` on SQLite and PostgreSQL: --json everywhere, stored text
printed literally on line output, one-line errors."""

from __future__ import annotations

import json

from tests.cli.conftest import Cli


def test_cases_lifecycle(cli: Cli) -> None:
    case = cli.json("cases", "create", "Acme v. Widget", "--dedupe-scope", "custodian")
    assert case["dedupe_scope"] == "custodian"
    assert [c["name"] for c in cli.json("cases", "list")] == ["Acme v. Widget"]
    assert cli.json("cases", "show", case["id"])["id"] == case["id"]
    assert cli.json("cases", "delete", case["id"])["deleted_at"] is not None
    assert cli.json("cases", "list") == []
    assert len(cli.json("cases", "list", "--all")) == 1
    assert cli.json("cases", "restore", case["id"])["deleted_at"] is None
    shown = cli("cases", "create", "Other")
    assert shown.exit_code == 0
    assert shown.stdout.startswith("created case ")


def test_documents_tags_labels_and_the_trash(cli: Cli) -> None:
    case = cli.json("cases", "create", "Acme")["id"]
    record = json.dumps({"title": "[red]memo[/red]", "number": "7", "custodian": "Jane"})
    added = cli.json("documents", "add", record, "--case", case)
    document = added["exhibit_ids"][0]
    again = cli.json(
        "documents", "add", json.dumps({"number": "8", "md5": "ab" * 16}), "--case", case
    )
    duplicate = cli.json("documents", "add", json.dumps({"md5": "AB" * 16}), "--case", case)
    assert duplicate["duplicate_of"] == again["exhibit_ids"][0]
    listed = cli("documents", "list", "--case", case)
    assert "[red]memo[/red]" in listed.stdout  # printed literally, never as markup
    assert "documents (2)" in listed.stdout
    page = cli("documents", "list", "--case", case, "--limit", "1", "--offset", "1")
    assert "documents (2-2 of 2)" in page.stdout
    cli.json("cases", "create", "Other")
    assert "cases (1-1 of 2)" in cli("cases", "list", "--limit", "1").stdout
    tag = cli.json("tags", "add", "Hot", "--case", case, "--document", document)
    assert cli.json("tags", "create", "Hot", "--case", case)["id"] == tag["id"]
    assert [t["name"] for t in cli.json("tags", "list", "--case", case)] == ["Hot"]
    tagged = cli.json("documents", "list", "--case", case, "--tag", tag["id"])
    assert [d["id"] for d in tagged] == [document]
    shown = cli.json("documents", "show", document, "--case", case)
    assert shown["tags"] == ["Hot"]
    assert shown["custodians"] == ["Jane"]
    folder = cli.json("labels", "create", "Depositions", "--folder", "--case", case)
    cli.json("labels", "create", "Smith", "--folder", "--parent", folder["id"], "--case", case)
    assert len(cli.json("labels", "list", "--case", case)) == 2
    cli.json("labels", "delete", folder["id"], "--case", case)
    assert cli.json("labels", "list", "--case", case) == []
    cli.json("documents", "trash", document, "--case", case)
    assert [
        d["id"] for d in cli.json("documents", "list", "--case", case, "--trash", "trashed")
    ] == [document]
    assert cli.json("documents", "purge", "--case", case)["purged"] == 0
    assert cli.json("documents", "restore", document, "--case", case)["deleted_at"] is None
    cli.json("documents", "trash", document, "--case", case)
    purged = cli.json("documents", "purge", "--case", case, "--older-than-days", "0")
    assert purged["exhibit_ids"] == [document]


def test_errors_are_one_line(cli: Cli) -> None:
    case = cli.json("cases", "create", "Acme")["id"]
    for argv in (
        ("cases", "show", "not-a-uuid"),
        ("cases", "show", "01a227b7-038c-7679-b45b-8422360e9672"),
        ("documents", "add", json.dumps({"md5": "xyz"}), "--case", case),
        ("documents", "add", "{not json", "--case", case),
        ("documents", "list", "--case", case, "--trash", "bin"),
        ("cases", "create", "x", "--dedupe-scope", "planet"),
    ):
        result = cli(*argv)
        assert result.exit_code == 1, argv
        assert result.stderr.startswith("error: "), argv
        assert result.stderr.count("\n") == 1, argv
