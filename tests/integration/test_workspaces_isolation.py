"""Tenant isolation: every use case called by the owner of workspace A with workspace B's ids is
refused (B not a member: PermissionDenied; B's row under A's id: NotFound) and B is unchanged;
the database itself refuses an agent of A pointing at B's provider."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import insert

from nexus.app import Nexus
from nexus.persistence.engine import create_engine_for
from nexus.shared.errors import ConflictError, NotFoundError, PermissionDeniedError
from nexus.workspaces.domain.agents import AgentConfig
from nexus.workspaces.domain.ids import ProviderConfigId
from nexus.workspaces.infrastructure.records import AgentConfigRecord
from nexus.workspaces.infrastructure.repositories import WorkspacesUnitOfWork
from tests.factories.common import NOW
from tests.integration.workspaces_world import World, build, people, snapshot

RESOURCES = (
    ("abi_server", "abi"),
    ("inference_server", "inference"),
    ("provider", "provider"),
    ("agent", "agent"),
)


def _calls(a: World, b: World) -> list[tuple[str, Callable[[], Any]]]:
    ws, me = a.app.workspaces, a.users["owner"]
    calls: list[tuple[str, Callable[[], Any]]] = []
    for kind, item in RESOURCES:
        other = getattr(b, item)
        for verb in ("update", "enable", "disable", "delete"):
            extra = {"name": "x"} if verb == "update" else {}
            method = getattr(ws, f"{verb}_{kind}")
            for target in (a.workspace, b.workspace):
                calls.append(
                    (
                        f"{verb}_{kind}",
                        lambda m=method, t=target, o=other, e=extra: m(t, o, actor=me, **e),
                    )
                )
        calls.append(
            (f"list_{kind}s", lambda k=kind: getattr(ws, f"list_{k}s")(b.workspace, actor=me))
        )
    for getter, item in (
        ("get_abi_server_api_key", "abi"),
        ("get_inference_server_api_key", "inference"),
    ):
        for target in (a.workspace, b.workspace):
            calls.append(
                (
                    getter,
                    lambda g=getter, t=target, i=item: getattr(ws, g)(t, getattr(b, i), actor=me),
                )
            )
    calls += [
        ("create_abi_server", lambda: ws.create_abi_server(
            b.workspace, name="n", endpoint="https://n.example.org", actor=me)),
        ("create_inference_server", lambda: ws.create_inference_server(
            b.workspace, name="n", type="vllm", endpoint="http://v:1", actor=me)),
        ("create_provider", lambda: ws.create_provider(
            b.workspace, provider_type="x", name="n", model="m", actor=me)),
        ("create_agent", lambda: ws.create_agent(b.workspace, name="n", actor=me)),
        ("create_agent with B's provider", lambda: ws.create_agent(
            a.workspace, name="n", provider_id=b.provider, actor=me)),
        ("update_agent to B's provider", lambda: ws.update_agent(
            a.workspace, a.agent, provider_id=b.provider, actor=me)),
        ("set_default_agent", lambda: ws.set_default_agent(a.workspace, b.agent, actor=me)),
        ("set_default_agent B", lambda: ws.set_default_agent(b.workspace, b.agent, actor=me)),
        ("sync_agents", lambda: ws.sync_agents(
            b.workspace, [{"class_name": "agents.Helper", "name": "x"}], actor=me)),
        ("get_workspace", lambda: ws.get_workspace(b.workspace, actor=me)),
        ("update_workspace", lambda: ws.update_workspace(b.workspace, name="x", actor=me)),
        ("move_workspace", lambda: ws.move_workspace(
            b.workspace, organization_id=None, actor=me)),
        ("delete_workspace", lambda: ws.delete_workspace(b.workspace, actor=me)),
        ("list_members", lambda: ws.list_members(b.workspace, actor=me)),
        ("add_member", lambda: ws.add_member(b.workspace, a.users["extra"], actor=me)),
        ("change_member_role", lambda: ws.change_member_role(
            b.workspace, b.users["member"], role="admin", actor=me)),
        ("change_member_role in A", lambda: ws.change_member_role(
            a.workspace, b.users["member"], role="admin", actor=me)),
        ("remove_member", lambda: ws.remove_member(b.workspace, b.users["viewer"], actor=me)),
        ("remove_member in A", lambda: ws.remove_member(
            a.workspace, b.users["viewer"], actor=me)),
        ("set_secret", lambda: ws.set_secret(b.workspace, "OPENAI_API_KEY", "x", actor=me)),
        ("get_secret", lambda: ws.get_secret(b.workspace, "OPENAI_API_KEY", actor=me)),
        ("list_secrets", lambda: ws.list_secrets(b.workspace, actor=me)),
        ("delete_secret", lambda: ws.delete_secret(b.workspace, "OPENAI_API_KEY", actor=me)),
        ("set_app_config", lambda: ws.set_app_config(
            b.workspace, "apps.graph", enabled=False, actor=me)),
        ("list_app_configs", lambda: ws.list_app_configs(b.workspace, actor=me)),
        ("get_workspace_by_slug", lambda: ws.get_workspace_by_slug("world-b", actor=me)),
        ("api key scoped to B", lambda: a.app.identity.create_api_key(
            me, name="k", workspace_id=b.workspace, actor=me)),
    ]  # fmt: skip
    return calls


def test_every_call_with_another_workspaces_ids_is_refused(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    a = build(app, people(app), slug="world-a")
    b = build(app, people(app), slug="world-b")
    before = snapshot(app, b.workspace)
    refused = 0
    for name, call in _calls(a, b):
        with pytest.raises((PermissionDeniedError, NotFoundError)):
            call()
            pytest.fail(f"{name} was not refused")
        refused += 1
    assert snapshot(app, b.workspace) == before
    messages = set()
    for slug in ("world-b", "no-such-workspace"):  # existing or not: one answer
        with pytest.raises(PermissionDeniedError) as refusal:
            app.workspaces.get_workspace_by_slug(slug, actor=a.users["owner"])
        messages.add(str(refusal.value))
    assert len(messages) == 1
    assert [w.slug for w in app.workspaces.list_workspaces(actor=a.users["owner"])] == ["world-a"]
    figure(f"workspaces tenant isolation: {refused} calls with another workspace's ids refused")
    assert refused >= 60


def test_the_database_refuses_an_agent_using_another_workspaces_provider(app: Nexus) -> None:
    a = build(app, people(app))
    b = build(app, people(app))
    if app.settings.persistence == "memory":
        agent = AgentConfig(
            workspace_id=a.workspace, name="x", provider_id=ProviderConfigId(b.provider),
            created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        with pytest.raises(ConflictError), WorkspacesUnitOfWork(app.container.tables()) as tx:
            tx.agents.add(agent)
            tx.commit()
        return
    engine = create_engine_for(app.settings.database_url)
    try:
        with pytest.raises(Exception, match=r"(?i)foreign key"), engine.begin() as connection:
            connection.execute(
                insert(AgentConfigRecord.__table__).values(
                    workspace_id=a.workspace, id=uuid.uuid4(), name="x", provider_id=b.provider,
                    is_default=False, enabled=False, created_at=NOW, updated_at=NOW,
                )
            )  # fmt: skip
    finally:
        engine.dispose()
