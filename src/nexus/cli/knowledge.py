"""`nexus graph` and `nexus ontology`: the knowledge context on the command line. Nodes are
named by id or key; stored text is printed literally; `--json` everywhere."""

from __future__ import annotations

import json as jsonlib
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nexus.cli.common import (
    ActingAs,
    DatabaseUrl,
    Json,
    actor_for,
    emit_json,
    fail,
    lower,
    new_typer,
    open_app,
)
from nexus.shared.errors import NotFoundError

if TYPE_CHECKING:
    from nexus.app import Nexus

graph_app = new_typer("The workspace knowledge graph: import, export, neighbours, paths.")
ontology_app = new_typer("A workspace's ontology (node and edge types with their properties).")

WorkspaceOption = Annotated[str, typer.Option("--workspace", help="Workspace id or slug.")]
Direction = Annotated[str, typer.Option("--direction", help="out, in or both.")]
EdgeTypes = Annotated[
    list[str] | None, typer.Option("--type", help="Follow only edges of this type (repeatable).")
]


def _plain(value: Any) -> str:
    """Stored text printed literally: control characters shown escaped, never interpreted."""
    text = "" if value is None else str(value)
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _say(*parts: Any) -> None:
    typer.echo("  ".join(_plain(p) for p in parts))


def _workspace_id(app: Nexus, ref: str, actor: Any) -> uuid.UUID:
    try:
        return uuid.UUID(ref)
    except ValueError:
        return app.workspaces.get_workspace_by_slug(ref, actor=actor).id


def _node_id(app: Nexus, workspace: uuid.UUID, ref: str, actor: Any) -> uuid.UUID:
    """A node by id, else by key (a node's default key is its id, so both name it)."""
    try:
        return app.knowledge.get_node(workspace, uuid.UUID(ref), actor=actor).id
    except (ValueError, NotFoundError):
        return app.knowledge.find_node_by_key(workspace, ref, actor=actor).id


@graph_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="nexus JSON, node-link JSON or GML.")],
    workspace: WorkspaceOption,
    format: Annotated[
        str | None,
        typer.Option(
            "--format", help="nexus, node-link or gml (default: guessed).", callback=lower
        ),
    ] = None,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Merge a graph file into a workspace (one transaction; nodes matched by key)."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        ws = _workspace_id(app, workspace, actor)
        result = app.knowledge.import_graph(ws, file, format=format, actor=actor)
    if json:
        emit_json(result.to_json())
        return
    _say(
        f"nodes: {result.nodes_added} added, {result.nodes_updated} updated, "
        f"{result.nodes_unchanged} unchanged"
    )
    _say(
        f"edges: {result.edges_added} added, {result.edges_updated} updated, "
        f"{result.edges_unchanged} unchanged"
    )


@graph_app.command("export")
def export(
    workspace: WorkspaceOption,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """The workspace's graph as nexus JSON (that is already JSON: `--json` changes nothing)."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        document = app.knowledge.export_graph(_workspace_id(app, workspace, actor), actor=actor)
    if output is None:
        sys.stdout.write(document)
        return
    try:
        output.write_text(document, encoding="utf-8")
    except OSError as error:
        fail(f"{output}: cannot be written ({error.strerror})")
    if json:
        emit_json({"output": str(output), "bytes": len(document.encode())})
    else:
        _say("wrote", output)


def _nodes(app: Nexus, ws: uuid.UUID, ids: list[Any], actor: Any) -> dict[Any, Any]:
    return app.knowledge.get_nodes(ws, ids, actor=actor) if ids else {}


@graph_app.command("neighbors")
def neighbors(
    node: Annotated[str, typer.Argument(help="Node id or key.")],
    workspace: WorkspaceOption,
    depth: Annotated[int, typer.Option("--depth", help="Steps (0-6).")] = 1,
    direction: Direction = "out",
    edge_types: EdgeTypes = None,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Each node within DEPTH steps of NODE, with its distance."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        ws = _workspace_id(app, workspace, actor)
        start = _node_id(app, ws, node, actor)
        found = app.knowledge.neighbors(
            ws, start, depth=depth, direction=direction, edge_types=edge_types, actor=actor
        )
        nodes = _nodes(app, ws, [n.node_id for n in found], actor)
    rows = [
        {
            "node_id": str(n.node_id),
            "key": nodes[n.node_id].key,
            "type": nodes[n.node_id].type,
            "label": nodes[n.node_id].label,
            "distance": n.distance,
        }
        for n in found
        if n.node_id in nodes
    ]
    if json:
        emit_json(rows)
        return
    _say(f"neighbors ({len(rows)})")
    for row in rows:
        _say(row["distance"], row["key"], row["type"], row["label"])


@graph_app.command("path")
def path(
    source: Annotated[str, typer.Argument(help="Source node id or key.")],
    target: Annotated[str, typer.Argument(help="Target node id or key.")],
    workspace: WorkspaceOption,
    max_depth: Annotated[int, typer.Option("--max-depth", help="At most this many edges.")] = 6,
    direction: Direction = "out",
    edge_types: EdgeTypes = None,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """One shortest path from SOURCE to TARGET, or none."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        ws = _workspace_id(app, workspace, actor)
        found = app.knowledge.shortest_path(
            ws,
            _node_id(app, ws, source, actor),
            _node_id(app, ws, target, actor),
            max_depth=max_depth,
            direction=direction,
            edge_types=edge_types,
            actor=actor,
        )
        nodes = _nodes(app, ws, list(found.node_ids) if found else [], actor)
        edges = (
            [app.knowledge.get_edge(ws, e, actor=actor) for e in found.edge_ids] if found else []
        )
    if found is None:
        if json:
            emit_json(None)
        else:
            _say("no path")
        return
    if json:
        emit_json(
            {
                "nodes": [nodes[n].to_json() for n in found.node_ids],
                "edges": [e.to_json() for e in edges],
            }
        )
        return
    _say(f"path of {found.length} edges")
    _say(nodes[found.node_ids[0]].key, nodes[found.node_ids[0]].label)
    for edge, node_id in zip(edges, found.node_ids[1:], strict=True):
        _say(f"  -[{_plain(edge.type)}]->", nodes[node_id].key, nodes[node_id].label)


@ontology_app.command("set")
def set_(
    file: Annotated[Path, typer.Argument(help="The schema, a JSON file ('-': stdin).")],
    workspace: WorkspaceOption,
    name: Annotated[str, typer.Option("--name", help="The ontology's name.")],
    description: Annotated[str | None, typer.Option("--description")] = None,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Set (create or replace) the workspace's ontology."""
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        schema = jsonlib.loads(text)
    except OSError as error:
        fail(f"{file}: cannot be read ({error.strerror})")
    except (ValueError, UnicodeDecodeError) as error:
        fail(f"{file}: not JSON ({str(error).splitlines()[0]})")
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        saved = app.knowledge.save_ontology(
            _workspace_id(app, workspace, actor),
            name=name,
            schema=schema,
            description=description,
            actor=actor,
        )
    if json:
        emit_json(saved.to_json())
    else:
        _say("saved ontology", saved.name, saved.id)


@ontology_app.command("show")
def show(
    workspace: WorkspaceOption,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """The workspace's ontology."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        found = app.knowledge.get_ontology(_workspace_id(app, workspace, actor), actor=actor)
    if json:
        emit_json(found.to_json())
        return
    _say("name:", found.name)
    _say("description:", found.description)
    for type_name, spec in found.schema.get("node_types", {}).items():
        properties = ", ".join(f"{k}: {v}" for k, v in (spec.get("properties") or {}).items())
        _say("node type", type_name, properties)
    for type_name, spec in found.schema.get("edge_types", {}).items():
        ends = f"{spec.get('source', 'any')} -> {spec.get('target', 'any')}"
        properties = ", ".join(f"{k}: {v}" for k, v in (spec.get("properties") or {}).items())
        _say("edge type", type_name, ends, properties)
