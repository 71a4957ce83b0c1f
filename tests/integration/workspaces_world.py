"""A populated workspace for the workspaces tests: users of every role, and one row of every
kind (server, provider, agent, secret, app config), plus a snapshot of everything it holds."""

from __future__ import annotations

import uuid
from typing import Any

import attrs

from nexus.app import Nexus
from nexus.identity import OPERATOR

PASSWORD = "correct horse battery"
ROLES = ("owner", "admin", "member", "viewer")


def user(app: Nexus, name: str) -> uuid.UUID:
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.org"
    return app.identity.register_user(email=email, name=name, password=PASSWORD).id


@attrs.define
class World:
    """One workspace with a user per role (`users["outsider"]` belongs to none; `extra` is a
    user no workspace has yet) and one row of each resource."""

    app: Nexus
    workspace: uuid.UUID
    users: dict[str, uuid.UUID]
    abi: uuid.UUID
    inference: uuid.UUID
    provider: uuid.UUID
    agent: uuid.UUID


def people(app: Nexus) -> dict[str, uuid.UUID]:
    names = (*ROLES, "owner2", "outsider", "extra")
    return {name: user(app, name) for name in names}


def build(app: Nexus, users: dict[str, uuid.UUID], slug: str | None = None) -> World:
    ws = app.workspaces
    owner = users["owner"]
    workspace = ws.create_workspace(
        name="World", slug=slug or f"w-{uuid.uuid4().hex[:10]}", owner_id=owner, actor=owner
    ).id
    for role in ("admin", "member", "viewer"):
        ws.add_member(workspace, users[role], role=role, actor=OPERATOR)
    ws.add_member(workspace, users["owner2"], role="owner", actor=OPERATOR)
    abi = ws.create_abi_server(
        workspace, name="abi", endpoint="https://abi.example.org", api_key="abi-key", actor=owner
    ).id
    inference = ws.create_inference_server(
        workspace, name="llm", type="ollama", endpoint="http://localhost:11434",
        api_key="inf-key", actor=owner,
    ).id  # fmt: skip
    provider = ws.create_provider(
        workspace, provider_type="openai", name="GPT", model="gpt-4o", actor=owner
    ).id
    agent = ws.create_agent(
        workspace, name="Helper", class_name="agents.Helper", provider_id=provider, actor=owner
    ).id
    ws.set_secret(workspace, "OPENAI_API_KEY", "sk-world", actor=owner)
    ws.set_app_config(workspace, "apps.graph", enabled=True, actor=owner)
    return World(app, workspace, users, abi, inference, provider, agent)


def snapshot(app: Nexus, workspace: uuid.UUID) -> dict[str, Any]:
    """Everything the workspace holds, as the operator sees it (secret values included)."""
    ws = app.workspaces
    got: dict[str, Any] = {
        "workspace": ws.get_workspace(workspace, actor=OPERATOR).to_json(),
        "members": [m.to_json() for m in ws.list_members(workspace, actor=OPERATOR)],
        "abi": [s.to_json() for s in ws.list_abi_servers(workspace, actor=OPERATOR)],
        "inference": [s.to_json() for s in ws.list_inference_servers(workspace, actor=OPERATOR)],
        "providers": [p.to_json() for p in ws.list_providers(workspace, actor=OPERATOR)],
        "agents": [a.to_json() for a in ws.list_agents(workspace, actor=OPERATOR)],
        "secrets": [s.to_json() for s in ws.list_secrets(workspace, actor=OPERATOR)],
        "apps": [a.to_json() for a in ws.list_app_configs(workspace, actor=OPERATOR)],
    }
    got["values"] = [
        ws.get_secret(workspace, s["key"], actor=OPERATOR).reveal() for s in got["secrets"]
    ]
    return got
