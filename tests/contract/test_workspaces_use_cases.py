"""The workspaces use cases on memory, SQLite and PostgreSQL: lifecycle, the owner rule,
providers and agents, app configs, the model catalog, and the cascades from a workspace, an
organization and a user."""

from __future__ import annotations

import uuid

import pytest

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.identity.infrastructure.repositories import IdentityUnitOfWork
from nexus.persistence.schema import info_by_name
from nexus.shared.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from nexus.workspaces.infrastructure.repositories import WorkspacesUnitOfWork
from tests.integration.workspaces_world import build, people, user

TABLES = (
    "workspace_members",
    "abi_servers",
    "inference_servers",
    "provider_configs",
    "agent_configs",
    "secrets",
    "app_configs",
)


def _count(app: Nexus, table: str, **where: object) -> int:
    with WorkspacesUnitOfWork(app.container.tables()) as tx:
        return tx.tables.count(info_by_name(table), where)


def test_create_makes_the_creator_owner_and_lists_only_my_workspaces(app: Nexus) -> None:
    ada, bob = user(app, "ada"), user(app, "bob")
    ws = app.workspaces
    mine = ws.create_workspace(name="Ada's", slug="adas", owner_id=ada, actor=ada)
    ws.create_workspace(name="Bob's", slug="bobs", owner_id=bob, actor=bob)
    assert [m.role for m in ws.list_members(mine.id, actor=ada)] == ["owner"]
    assert [w.slug for w in ws.list_workspaces(actor=ada)] == ["adas"]
    assert {w.slug for w in ws.list_workspaces(actor=OPERATOR)} == {"adas", "bobs"}
    with pytest.raises(ConflictError, match=r"workspaces\.slug"):
        ws.create_workspace(name="Again", slug="adas", owner_id=ada, actor=ada)
    with pytest.raises(PermissionDeniedError):
        ws.create_workspace(name="For Bob", slug="for-bob", owner_id=bob, actor=ada)
    with pytest.raises(NotFoundError):
        ws.create_workspace(name="x", slug="ghost", owner_id=uuid.uuid4(), actor=OPERATOR)
    with pytest.raises(ValidationError, match=r"workspaces\.slug"):
        ws.create_workspace(name="x", slug="Bad Slug", owner_id=ada, actor=ada)
    assert _count(app, "workspaces") == 2
    assert _count(app, "workspace_members") == 2
    renamed = ws.update_workspace(mine.id, name="Renamed", primary_color="#000", actor=ada)
    assert (renamed.name, renamed.primary_color) == ("Renamed", "#000")
    assert ws.get_workspace_by_slug("adas", actor=ada).name == "Renamed"


def test_a_workspace_always_keeps_an_owner(app: Nexus) -> None:
    users = people(app)
    world = build(app, users)
    ws, owner, owner2 = app.workspaces, users["owner"], users["owner2"]
    ws.remove_member(world.workspace, owner2, actor=owner)
    with pytest.raises(ConflictError, match="keep at least one owner"):
        ws.remove_member(world.workspace, owner, actor=owner)
    with pytest.raises(ConflictError, match="keep at least one owner"):
        ws.change_member_role(world.workspace, owner, role="admin", actor=OPERATOR)
    with pytest.raises(PermissionDeniedError, match="only owners"):
        ws.add_member(world.workspace, users["extra"], role="owner", actor=users["admin"])
    ws.add_member(world.workspace, users["extra"], role="owner", actor=owner)
    ws.change_member_role(world.workspace, owner, role="member", actor=users["extra"])
    assert ws.get_workspace(world.workspace, actor=owner).owner_id == users["extra"]
    ws.remove_member(world.workspace, owner, actor=owner)  # leaving
    assert owner not in {m.user_id for m in ws.list_members(world.workspace, actor=OPERATOR)}


def test_moving_into_an_organization_needs_membership_and_deleting_it_unsets(app: Nexus) -> None:
    ada, bob = user(app, "ada"), user(app, "bob")
    org = app.identity.create_organization(name="Acme", slug="acme", owner_id=ada)
    ws = app.workspaces
    inside = ws.create_workspace(
        name="In", slug="inside", owner_id=ada, organization_id=org.id, actor=ada
    )
    theirs = ws.create_workspace(name="Bob", slug="bob-ws", owner_id=bob, actor=bob)
    with pytest.raises(PermissionDeniedError):
        ws.move_workspace(theirs.id, organization_id=org.id, actor=bob)
    with pytest.raises(PermissionDeniedError):
        ws.create_workspace(
            name="x", slug="bob-in", owner_id=bob, organization_id=org.id, actor=bob
        )
    assert ws.move_workspace(inside.id, organization_id=None, actor=ada).organization_id is None
    assert ws.move_workspace(inside.id, organization_id=org.id, actor=ada).organization_id == org.id
    app.identity.delete_organization(org.id, actor=ada)
    assert ws.get_workspace(inside.id, actor=ada).organization_id is None


def test_deleting_a_workspace_removes_everything_it_owns(app: Nexus) -> None:
    users = people(app)
    gone, kept = build(app, users), build(app, users)
    owner = users["owner"]
    app.identity.create_api_key(owner, name="scoped", workspace_id=gone.workspace, actor=owner)
    app.identity.create_api_key(owner, name="other", workspace_id=kept.workspace, actor=owner)
    app.workspaces.delete_workspace(gone.workspace, actor=owner)
    for table in TABLES:
        assert _count(app, table, workspace_id=gone.workspace) == 0, table
        assert _count(app, table, workspace_id=kept.workspace) > 0, table
    assert [k.name for k in app.identity.list_api_keys(owner, actor=owner)] == ["other"]
    with pytest.raises(NotFoundError):
        app.workspaces.get_workspace(gone.workspace, actor=OPERATOR)


def test_a_scoped_api_key_needs_membership(app: Nexus) -> None:
    users = people(app)
    world = build(app, users)
    outsider = users["outsider"]
    with pytest.raises(PermissionDeniedError, match="not a member"):
        app.identity.create_api_key(
            outsider, name="k", workspace_id=world.workspace, actor=outsider
        )
    viewer = users["viewer"]
    key = app.identity.create_api_key(viewer, name="k", workspace_id=world.workspace, actor=viewer)
    assert app.identity.authenticate_api_key(key.raw_key).workspace_id == world.workspace


def test_deleting_a_user_deletes_the_workspaces_they_own(app: Nexus) -> None:
    users = people(app)
    world = build(app, users)
    with IdentityUnitOfWork(app.container.tables()) as tx:
        tx.users.remove(users["owner"])  # type: ignore[arg-type]
        tx.commit()
    with pytest.raises(NotFoundError):
        app.workspaces.get_workspace(world.workspace, actor=OPERATOR)
    assert all(_count(app, t, workspace_id=world.workspace) == 0 for t in TABLES)


def test_providers_agents_and_the_default(app: Nexus) -> None:
    users = people(app)
    world = build(app, users)
    ws, me = app.workspaces, users["admin"]
    with pytest.raises(ValidationError, match="must hold no secret"):
        ws.create_provider(
            world.workspace, provider_type="x", name="n", model="m",
            config={"nested": {"apiKey": "sk"}}, actor=me,
        )  # fmt: skip
    second = ws.create_agent(world.workspace, name="Second", is_default=True, actor=me)
    third = ws.set_default_agent(world.workspace, world.agent, actor=me)
    agents = {a.id: a for a in ws.list_agents(world.workspace, actor=me)}
    assert third.is_default
    assert agents[world.agent].is_default
    assert not agents[second.id].is_default
    assert ws.enable_agent(world.workspace, world.agent, actor=me).enabled
    ws.delete_provider(world.workspace, world.provider, actor=me)
    assert ws.list_agents(world.workspace, actor=me)[0].provider_id is None
    assert ws.list_providers(world.workspace, actor=me) == []
    changed = ws.update_inference_server(
        world.workspace, world.inference, models_path="/v1/models", api_key=None, actor=me
    )
    assert (changed.models_path, changed.has_api_key) == ("/v1/models", False)
    with pytest.raises(ConflictError):
        ws.create_abi_server(
            world.workspace, name="dup", endpoint="https://abi.example.org", actor=me
        )


def test_sync_agents_upserts_by_class_and_keeps_user_fields(app: Nexus) -> None:
    users = people(app)
    world = build(app, users)
    ws, me = app.workspaces, users["owner"]
    ws.enable_agent(world.workspace, world.agent, actor=me)
    listing = [
        {"class_name": "agents.Helper", "name": "Helper v2", "description": "new"},
        {"class_name": "agents.Writer", "name": "Writer"},
    ]
    first = ws.sync_agents(world.workspace, listing, actor=me)
    assert (first.added, first.updated) == (["agents.Writer"], ["agents.Helper"])
    again = ws.sync_agents(world.workspace, listing, actor=me)
    assert (again.added, again.updated) == ([], [])
    helper = next(a for a in again.agents if a.class_name == "agents.Helper")
    assert (helper.name, helper.enabled, helper.provider_id) == ("Helper v2", True, world.provider)
    with pytest.raises(ValidationError, match="listed twice"):
        ws.sync_agents(world.workspace, [listing[1], listing[1]], actor=me)
    with pytest.raises(ValidationError, match=r"agents\[0\]"):
        ws.sync_agents(world.workspace, [{"name": "no class"}], actor=me)


def test_app_configs_and_the_catalog_keep_user_overrides(app: Nexus) -> None:
    users = people(app)
    world = build(app, users)
    ws = app.workspaces
    assert not ws.set_app_config(
        world.workspace, "apps.graph", enabled=False, actor=OPERATOR
    ).enabled
    assert [a.app_id for a in ws.list_app_configs(world.workspace, actor=users["viewer"])] == [
        "apps.graph"
    ]
    listing = [{"canonical_id": "openai/gpt-4o", "name": "GPT-4o", "context_window": 128000}]
    assert ws.upsert_model_catalog(listing).added == ["openai/gpt-4o"]
    ws.override_model_field("openai/gpt-4o", "name", "Our GPT")
    changed = [{**listing[0], "name": "GPT-4o (2026)", "context_window": 256000}]
    assert ws.upsert_model_catalog(changed).updated == ["openai/gpt-4o"]
    (entry,) = ws.list_model_catalog()
    assert (entry.name, entry.context_window) == ("Our GPT", 256000)
    with pytest.raises(PermissionDeniedError):
        ws.upsert_model_catalog(listing, actor=users["owner"])
    with pytest.raises(NotFoundError):
        ws.override_model_field("nope", "name", "x")
