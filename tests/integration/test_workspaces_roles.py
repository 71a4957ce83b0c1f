"""The role rules through the API: every role (and a non-member) against every action, on
memory, SQLite and PostgreSQL. A denied call raises PermissionDeniedError and changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.shared.errors import PermissionDeniedError
from nexus.workspaces.domain.roles import Action, can
from tests.integration.workspaces_world import ROLES, World, build, people, snapshot

Call = Callable[[World, uuid.UUID], Any]


def _resource_calls(kind: str, item: str, make: Callable[[World, uuid.UUID], Any]) -> dict:
    def ws(w: World) -> Any:
        return w.app.workspaces

    def key(w: World) -> uuid.UUID:
        return getattr(w, item)  # type: ignore[no-any-return]

    plural = f"{kind}s"
    return {
        Action(f"list_{plural}"): lambda w, a: getattr(ws(w), f"list_{plural}")(
            w.workspace, actor=a
        ),
        Action(f"create_{kind}"): make,
        Action(f"update_{kind}"): lambda w, a: getattr(ws(w), f"update_{kind}")(
            w.workspace, key(w), name="Renamed", actor=a
        ),
        Action(f"enable_{kind}"): lambda w, a: getattr(ws(w), f"enable_{kind}")(
            w.workspace, key(w), actor=a
        ),
        Action(f"disable_{kind}"): lambda w, a: getattr(ws(w), f"disable_{kind}")(
            w.workspace, key(w), actor=a
        ),
        Action(f"delete_{kind}"): lambda w, a: getattr(ws(w), f"delete_{kind}")(
            w.workspace, key(w), actor=a
        ),
    }


def _other(w: World, actor: uuid.UUID) -> uuid.UUID:
    """A non-manager member other than the actor (removing oneself is leaving)."""
    return w.users["member"] if actor == w.users["viewer"] else w.users["viewer"]


CALLS: dict[Action, Call] = {
    Action.GET_WORKSPACE: lambda w, a: w.app.workspaces.get_workspace(w.workspace, actor=a),
    Action.UPDATE_WORKSPACE: lambda w, a: w.app.workspaces.update_workspace(
        w.workspace, name="Renamed", actor=a
    ),
    Action.MOVE_WORKSPACE: lambda w, a: w.app.workspaces.move_workspace(
        w.workspace, organization_id=None, actor=a
    ),
    Action.DELETE_WORKSPACE: lambda w, a: w.app.workspaces.delete_workspace(w.workspace, actor=a),
    Action.LIST_MEMBERS: lambda w, a: w.app.workspaces.list_members(w.workspace, actor=a),
    Action.ADD_MEMBER: lambda w, a: w.app.workspaces.add_member(
        w.workspace, w.users["extra"], role="member", actor=a
    ),
    Action.CHANGE_MEMBER_ROLE: lambda w, a: w.app.workspaces.change_member_role(
        w.workspace, _other(w, a), role="admin", actor=a
    ),
    Action.REMOVE_MEMBER: lambda w, a: w.app.workspaces.remove_member(
        w.workspace, _other(w, a), actor=a
    ),
    Action.LEAVE_WORKSPACE: lambda w, a: w.app.workspaces.remove_member(w.workspace, a, actor=a),
    Action.USE_ABI_SERVER: lambda w, a: w.app.workspaces.get_abi_server_api_key(
        w.workspace, w.abi, actor=a
    ),
    Action.USE_INFERENCE_SERVER: lambda w, a: w.app.workspaces.get_inference_server_api_key(
        w.workspace, w.inference, actor=a
    ),
    Action.SYNC_AGENTS: lambda w, a: w.app.workspaces.sync_agents(
        w.workspace, [{"class_name": "agents.New", "name": "New"}], actor=a
    ),
    Action.LIST_SECRETS: lambda w, a: w.app.workspaces.list_secrets(w.workspace, actor=a),
    Action.GET_SECRET: lambda w, a: w.app.workspaces.get_secret(
        w.workspace, "OPENAI_API_KEY", actor=a
    ),
    Action.SET_SECRET: lambda w, a: w.app.workspaces.set_secret(
        w.workspace, "NEW_KEY", "value", actor=a
    ),
    Action.DELETE_SECRET: lambda w, a: w.app.workspaces.delete_secret(
        w.workspace, "OPENAI_API_KEY", actor=a
    ),
    Action.LIST_APP_CONFIGS: lambda w, a: w.app.workspaces.list_app_configs(w.workspace, actor=a),
    Action.SET_APP_CONFIG: lambda w, a: w.app.workspaces.set_app_config(
        w.workspace, "apps.new", enabled=True, actor=a
    ),
    **_resource_calls(
        "abi_server",
        "abi",
        lambda w, a: w.app.workspaces.create_abi_server(
            w.workspace, name="n", endpoint="https://new.example.org", actor=a
        ),
    ),
    **_resource_calls(
        "inference_server",
        "inference",
        lambda w, a: w.app.workspaces.create_inference_server(
            w.workspace, name="n", type="vllm", endpoint="http://vllm:8000", actor=a
        ),
    ),
    **_resource_calls(
        "provider",
        "provider",
        lambda w, a: w.app.workspaces.create_provider(
            w.workspace, provider_type="anthropic", name="C", model="claude", actor=a
        ),
    ),
    **_resource_calls(
        "agent",
        "agent",
        lambda w, a: w.app.workspaces.create_agent(w.workspace, name="A2", actor=a),
    ),
}

# In the role table for other contexts (a conversation uses an agent or a provider); no use
# case of this context performs them on their own.
NOT_USE_CASES = {Action.USE_PROVIDER, Action.USE_AGENT}


def test_every_action_has_a_call() -> None:
    assert set(CALLS) == set(Action) - NOT_USE_CASES


def test_each_role_against_each_action(app: Nexus, figure: Callable[[str], None]) -> None:
    users = people(app)
    world = build(app, users)
    allowed = denied = 0
    for action, call in CALLS.items():
        for role in (*ROLES, "outsider"):
            actor = users[role]
            expected = can(None if role == "outsider" else role, action)
            if expected:
                call(world, actor)
                allowed += 1
                world = build(app, users)  # the call may have changed or deleted it
            else:
                before = snapshot(app, world.workspace)
                with pytest.raises(PermissionDeniedError):
                    call(world, actor)
                assert snapshot(app, world.workspace) == before, (role, action)
                denied += 1
    figure(
        f"workspaces roles x actions through the API: {allowed + denied} "
        f"({allowed} allowed, {denied} refused with nothing written)"
    )
    assert allowed + denied == len(CALLS) * 5
