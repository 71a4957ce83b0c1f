"""`nexus documents load` and `nexus documents batches` on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from nexus.documents.samples import sample_production_file
from tests.cli.conftest import Cli
from tests.loading_support import doc, write_dat


def test_load_prints_a_summary_and_json(cli: Cli, tmp_path: Path) -> None:
    case = cli.json("cases", "create", "Acme")["id"]
    with sample_production_file() as path:
        shown = cli("documents", "load", str(path), "--case", case, "--custodian", "Intake")
    assert shown.exit_code == 0, shown.stderr
    assert "loaded; 7 loaded, 3 duplicates, 0 errors" in shown.stdout
    bad = write_dat(tmp_path / "bad.dat", [doc(1, SUBJECT="[red]x[/red]"), doc(2, md5="zz")])
    result = cli.json("documents", "load", bad, "--case", case)
    assert (result["loaded"], result["errors"]) == (1, 1)
    assert result["problems"][0]["line"] == 3
    assert len(result["exhibit_ids"]) == 1
    again = cli.json("documents", "load", bad, "--case", case, "--resume", result["batch_id"])
    assert again["exhibit_ids"] == result["exhibit_ids"]
    batches = cli.json("documents", "batches", "--case", case)
    assert [b["status"] for b in batches] == ["loaded", "loaded"]
    table = cli("documents", "batches", "--case", case)
    assert "bad.dat" in table.stdout


def test_load_errors_are_one_line(cli: Cli, tmp_path: Path) -> None:
    case = cli.json("cases", "create", "Acme")["id"]
    missing = cli("documents", "load", str(tmp_path / "none.dat"), "--case", case)
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"error: source: no such file: {tmp_path / 'none.dat'}"
    wrong = cli("documents", "load", "x.dat", "--case", case, "--format", "csv")
    assert wrong.exit_code == 1
    assert wrong.stderr.startswith("error: format: must be one of dat, jsonl")
