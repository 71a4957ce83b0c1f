"""A workspace with one user per role, for the conversations tests."""

from __future__ import annotations

import uuid
from typing import Any

import attrs

from nexus.app import Nexus
from nexus.shared.actors import OPERATOR


@attrs.frozen
class Crew:
    workspace: Any
    owner: Any
    admin: Any
    member: Any
    viewer: Any
    outsider: Any
    other_workspace: Any


def _user(app: Nexus, name: str) -> Any:
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.org"
    return app.identity.register_user(email=email, name=name, password="correct horse battery 9").id


def _workspace(app: Nexus, owner: Any) -> Any:
    slug = f"ws-{uuid.uuid4().hex[:8]}"
    return app.workspaces.create_workspace(name="W", slug=slug, owner_id=owner, actor=owner).id


def crew(app: Nexus) -> Crew:
    owner = _user(app, "owner")
    workspace = _workspace(app, owner)
    users = {}
    for role in ("admin", "member", "viewer"):
        users[role] = _user(app, role)
        app.workspaces.add_member(workspace, users[role], actor=OPERATOR, role=role)
    outsider = _user(app, "outsider")
    return Crew(
        workspace=workspace,
        owner=owner,
        outsider=outsider,
        other_workspace=_workspace(app, outsider),
        **users,
    )
