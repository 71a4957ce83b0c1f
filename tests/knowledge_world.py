"""A workspace with a user of each role, for knowledge's tests."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import attrs

from nexus.app import Nexus
from nexus.identity import OPERATOR

ROLES = ("owner", "admin", "member", "viewer")


@attrs.define
class Team:
    app: Nexus
    workspace: uuid.UUID
    users: dict[str, uuid.UUID]

    @property
    def kn(self) -> Any:
        return self.app.knowledge


def user(app: Nexus, name: str) -> uuid.UUID:
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.org"
    return app.identity.register_user(email=email, name=name, password="correct horse battery").id


def team(app: Nexus) -> Team:
    users = {name: user(app, name) for name in (*ROLES, "outsider")}
    workspace = app.workspaces.create_workspace(
        name="Graph", slug=f"g-{uuid.uuid4().hex[:10]}", owner_id=users["owner"],
        actor=users["owner"],
    ).id  # fmt: skip
    for role in ("admin", "member", "viewer"):
        app.workspaces.add_member(workspace, users[role], role=role, actor=OPERATOR)
    return Team(app, workspace, users)


def other_workspace(app: Nexus, owner: uuid.UUID) -> uuid.UUID:
    return app.workspaces.create_workspace(
        name="Other", slug=f"o-{uuid.uuid4().hex[:10]}", owner_id=owner, actor=owner
    ).id


def write_graph(path: Path, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> Path:
    import json

    path.write_text(
        json.dumps({"format": "nexus-graph", "version": 1, "nodes": nodes, "edges": edges}),
        encoding="utf-8",
    )
    return path
