"""`nexus graph ...` and `nexus ontology ...` on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Cli

GML = """graph [
  directed 1
  node [ id 1 label "Ada" ]
  node [ id 2 label "Bob" ]
  node [ id 3 label "Cy\x1b[31m" ]
  edge [ source 1 target 2 ]
  edge [ source 2 target 3 ]
]
"""


def _setup(cli: Cli, tmp_path: Path) -> Path:
    created = cli("users", "create", "--email", "o@example.org", "--name", "O",
                  "--password-stdin", input="correct horse battery\n")  # fmt: skip
    assert created.exit_code == 0, created.stderr
    made = cli(
        "workspaces", "create", "--name", "G", "--slug", "graphs", "--owner", "o@example.org"
    )
    assert made.exit_code == 0, made.stderr
    path = tmp_path / "g.gml"
    path.write_text(GML, encoding="utf-8")
    return path


def test_import_neighbors_path_export(cli: Cli, tmp_path: Path) -> None:
    path = _setup(cli, tmp_path)
    imported = cli.json("graph", "import", str(path), "--workspace", "graphs")
    assert (imported["nodes_added"], imported["edges_added"]) == (3, 2)
    again = cli.json("graph", "import", str(path), "--workspace", "graphs", "--format", "gml")
    assert (again["nodes_unchanged"], again["edges_unchanged"]) == (3, 2)
    found = cli.json("graph", "neighbors", "1", "--workspace", "graphs", "--depth", "2")
    assert [(n["key"], n["distance"]) for n in found] == [("2", 1), ("3", 2)]
    shown = cli("graph", "neighbors", "1", "--workspace", "graphs", "--depth", "2")
    assert "Cy\\x1b[31m" in shown.stdout  # stored text printed literally, never interpreted
    route = cli.json("graph", "path", "1", "3", "--workspace", "graphs")
    assert [n["key"] for n in route["nodes"]] == ["1", "2", "3"]
    assert len(route["edges"]) == 2
    assert cli.json("graph", "path", "3", "1", "--workspace", "graphs") is None
    exported = cli("graph", "export", "--workspace", "graphs")
    assert exported.exit_code == 0
    assert [n["id"] for n in json.loads(exported.stdout)["nodes"]] == ["1", "2", "3"]
    out = tmp_path / "out.json"
    wrote = cli.json("graph", "export", "--workspace", "graphs", "--output", str(out))
    assert wrote["bytes"] == len(out.read_bytes())


def test_ontology_and_one_line_errors(cli: Cli, tmp_path: Path) -> None:
    path = _setup(cli, tmp_path)
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"node_types": {"person": {}}}), encoding="utf-8")
    saved = cli.json("ontology", "set", str(schema), "--workspace", "graphs", "--name", "People")
    assert saved["schema"] == {"node_types": {"person": {}}}
    assert cli.json("ontology", "show", "--workspace", "graphs")["name"] == "People"
    refused = cli("graph", "import", str(path), "--workspace", "graphs")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "error: nodes['1'].type: node type 'node' is not declared in the workspace's ontology"
    )
    missing = cli("graph", "neighbors", "nope", "--workspace", "graphs")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "error: graph node not found: nope"
    deep = cli("graph", "neighbors", "x", "--workspace", "graphs", "--depth", "9")
    assert deep.exit_code == 1
    assert "\n" not in deep.stderr.strip()
