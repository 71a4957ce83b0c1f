"""The role table of workspaces: every role against every action, as the spec states it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nexus.shared.errors import PermissionDeniedError, ValidationError
from nexus.workspaces.domain.roles import (
    PERMISSIONS,
    Action,
    WorkspaceRole,
    can,
    require,
    require_role_change,
)

OWNER, ADMIN, MEMBER, VIEWER = (
    WorkspaceRole.OWNER,
    WorkspaceRole.ADMIN,
    WorkspaceRole.MEMBER,
    WorkspaceRole.VIEWER,
)
RESOURCES = ("abi_server", "inference_server", "provider", "agent")


def expected_roles(action: str) -> set[WorkspaceRole]:
    """The spec, written out independently of the table: owners and admins manage members,
    servers, providers, agents, secrets (and app configs, the workspace's settings); members
    use them; viewers read; only owners move or delete the workspace."""
    readers = {OWNER, ADMIN, MEMBER, VIEWER}
    if action in ("move_workspace", "delete_workspace"):
        return {OWNER}
    if action.startswith(("list_", "get_workspace", "leave_")):
        return readers
    if action.startswith("use_") or action == "get_secret":
        return {OWNER, ADMIN, MEMBER}
    return {OWNER, ADMIN}


def test_the_table_covers_every_action_and_the_resources() -> None:
    assert set(PERMISSIONS) == set(Action)
    for resource in RESOURCES:
        for verb in ("list", "use", "create", "update", "enable", "disable", "delete"):
            name = f"{verb}_{resource}s" if verb == "list" else f"{verb}_{resource}"
            assert Action(name) in PERMISSIONS


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(WorkspaceRole))
def test_every_role_against_every_action(role: WorkspaceRole, action: Action) -> None:
    allowed = role in expected_roles(action.value)
    assert can(role, action) is allowed
    assert can(role.value, action.value) is allowed
    if allowed:
        require(role, action)
    else:
        with pytest.raises(PermissionDeniedError, match=action.value):
            require(role, action)


def test_roles_times_actions_checked(figure: Callable[[str], None]) -> None:
    checked = len(WorkspaceRole) * len(Action)
    figure(f"workspaces role table: {checked} role x action pairs checked")
    assert checked == 4 * 44


@pytest.mark.parametrize("action", list(Action))
def test_a_non_member_may_do_nothing(action: Action) -> None:
    assert can(None, action) is False
    with pytest.raises(PermissionDeniedError, match="non-member"):
        require(None, action)


def test_unknown_roles_and_actions_are_validation_errors() -> None:
    with pytest.raises(ValidationError, match=r"workspace_members\.role"):
        can("superuser", Action.GET_WORKSPACE)
    with pytest.raises(ValidationError, match="action"):
        can(OWNER, "drop_database")


@pytest.mark.parametrize("actor", [ADMIN, MEMBER, VIEWER])
@pytest.mark.parametrize("roles", [(OWNER,), (MEMBER, OWNER), (OWNER, ADMIN), (OWNER, None)])
def test_only_owners_touch_the_owner_role(
    actor: WorkspaceRole, roles: tuple[WorkspaceRole | None, ...]
) -> None:
    with pytest.raises(PermissionDeniedError, match="only owners"):
        require_role_change(actor, *roles)
    require_role_change(OWNER, *roles)


@pytest.mark.parametrize("actor", list(WorkspaceRole))
def test_roles_other_than_owner_may_be_changed_by_any_manager(actor: WorkspaceRole) -> None:
    require_role_change(actor, MEMBER, ADMIN)
    require_role_change(actor, VIEWER)
