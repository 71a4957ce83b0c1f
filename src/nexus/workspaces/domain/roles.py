"""The role rules of a workspace as one table: who may do what (`can`, `require`).

Owners and admins manage the workspace's members, servers, providers, agents, secrets and app
configs; members use them (and read secret values, which using a server or provider needs);
viewers read everything but secret values. Only owners move or delete the workspace, and only
owners grant, change or take away the owner role (`require_role_change`)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from nexus.shared.entity import enum_converter
from nexus.shared.errors import PermissionDeniedError


class WorkspaceRole(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    VIEWER = "viewer"


class Action(StrEnum):
    """Named as the use cases are. Creating a workspace needs no role (the creator becomes its
    owner); the model catalog and `rotate_secrets` are global, operator-run, and not here."""

    GET_WORKSPACE = "get_workspace"
    UPDATE_WORKSPACE = "update_workspace"
    MOVE_WORKSPACE = "move_workspace"
    DELETE_WORKSPACE = "delete_workspace"
    LIST_MEMBERS = "list_members"
    ADD_MEMBER = "add_member"
    CHANGE_MEMBER_ROLE = "change_member_role"
    REMOVE_MEMBER = "remove_member"
    LEAVE_WORKSPACE = "leave_workspace"
    LIST_ABI_SERVERS = "list_abi_servers"
    USE_ABI_SERVER = "use_abi_server"
    CREATE_ABI_SERVER = "create_abi_server"
    UPDATE_ABI_SERVER = "update_abi_server"
    ENABLE_ABI_SERVER = "enable_abi_server"
    DISABLE_ABI_SERVER = "disable_abi_server"
    DELETE_ABI_SERVER = "delete_abi_server"
    LIST_INFERENCE_SERVERS = "list_inference_servers"
    USE_INFERENCE_SERVER = "use_inference_server"
    CREATE_INFERENCE_SERVER = "create_inference_server"
    UPDATE_INFERENCE_SERVER = "update_inference_server"
    ENABLE_INFERENCE_SERVER = "enable_inference_server"
    DISABLE_INFERENCE_SERVER = "disable_inference_server"
    DELETE_INFERENCE_SERVER = "delete_inference_server"
    LIST_PROVIDERS = "list_providers"
    USE_PROVIDER = "use_provider"
    CREATE_PROVIDER = "create_provider"
    UPDATE_PROVIDER = "update_provider"
    ENABLE_PROVIDER = "enable_provider"
    DISABLE_PROVIDER = "disable_provider"
    DELETE_PROVIDER = "delete_provider"
    LIST_AGENTS = "list_agents"
    USE_AGENT = "use_agent"
    CREATE_AGENT = "create_agent"
    UPDATE_AGENT = "update_agent"
    ENABLE_AGENT = "enable_agent"
    DISABLE_AGENT = "disable_agent"
    DELETE_AGENT = "delete_agent"
    SYNC_AGENTS = "sync_agents"
    LIST_SECRETS = "list_secrets"
    GET_SECRET = "get_secret"  # noqa: S105
    SET_SECRET = "set_secret"  # noqa: S105
    DELETE_SECRET = "delete_secret"  # noqa: S105
    LIST_APP_CONFIGS = "list_app_configs"
    SET_APP_CONFIG = "set_app_config"


_OWNER = frozenset({WorkspaceRole.OWNER})
_MANAGERS = frozenset({WorkspaceRole.OWNER, WorkspaceRole.ADMIN})
_USERS = _MANAGERS | {WorkspaceRole.MEMBER}
_READERS = _USERS | {WorkspaceRole.VIEWER}

_RESOURCES = ("abi_server", "inference_server", "provider", "agent")


def _table() -> dict[Action, frozenset[WorkspaceRole]]:
    table: dict[Action, frozenset[WorkspaceRole]] = {
        Action.GET_WORKSPACE: _READERS,
        Action.UPDATE_WORKSPACE: _MANAGERS,
        Action.MOVE_WORKSPACE: _OWNER,
        Action.DELETE_WORKSPACE: _OWNER,
        Action.LIST_MEMBERS: _READERS,
        Action.ADD_MEMBER: _MANAGERS,
        Action.CHANGE_MEMBER_ROLE: _MANAGERS,
        Action.REMOVE_MEMBER: _MANAGERS,
        Action.LEAVE_WORKSPACE: _READERS,
        Action.SYNC_AGENTS: _MANAGERS,
        Action.LIST_SECRETS: _READERS,
        Action.GET_SECRET: _USERS,
        Action.SET_SECRET: _MANAGERS,
        Action.DELETE_SECRET: _MANAGERS,
        Action.LIST_APP_CONFIGS: _READERS,
        Action.SET_APP_CONFIG: _MANAGERS,
    }
    for resource in _RESOURCES:
        table[Action(f"list_{resource}s")] = _READERS
        table[Action(f"use_{resource}")] = _USERS
        for verb in ("create", "update", "enable", "disable", "delete"):
            table[Action(f"{verb}_{resource}")] = _MANAGERS
    return table


# Every action with the roles allowed to do it. A test checks it covers every Action.
PERMISSIONS: Mapping[Action, frozenset[WorkspaceRole]] = _table()

_to_role = enum_converter(WorkspaceRole, "workspace_members.role")
_to_action = enum_converter(Action, "action")


def role_of(value: object) -> WorkspaceRole:
    """A role from its name, refusing unknown names with a ValidationError."""
    role: WorkspaceRole = _to_role(value)
    return role


def can(role: WorkspaceRole | str | None, action: Action | str) -> bool:
    """Whether a member with `role` may do `action`; None (not a member) may do nothing."""
    wanted: Action = _to_action(action)
    if role is None:
        return False
    return role_of(role) in PERMISSIONS[wanted]


def require(role: WorkspaceRole | str | None, action: Action | str) -> None:
    """Raise PermissionDeniedError when `role` may not do `action`."""
    if not can(role, action):
        wanted: Action = _to_action(action)
        allowed = ", ".join(r.value for r in WorkspaceRole if r in PERMISSIONS[wanted])
        who = "a non-member" if role is None else f"a workspace {role_of(role).value}"
        raise PermissionDeniedError(f"{wanted.value}: {who} may not do this (needs {allowed})")


def require_role_change(actor: WorkspaceRole | str, *roles: WorkspaceRole | str | None) -> None:
    """Only owners grant, change or take away the owner role. `roles` are the target's current
    role and the role it gets (leave one out when a member is added or removed). The operator
    (no membership) is not checked: the use case skips the call."""
    if role_of(actor) is WorkspaceRole.OWNER:
        return
    if any(r is not None and role_of(r) is WorkspaceRole.OWNER for r in roles):
        raise PermissionDeniedError(
            "workspace_members.role: only owners grant, change or take away the owner role"
        )
