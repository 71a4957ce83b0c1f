"""The steps the per-workspace resources (servers, providers, agents) share: authorize, load
by (workspace, id), switch on/off, delete, list; each group names its action and repository."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from nexus.shared.ids import WorkspaceId, parse_id
from nexus.workspaces.application.ports import WorkspacesUnitOfWork
from nexus.workspaces.application.support import (
    ActorLike,
    IdLike,
    authorize,
    authorized,
    workspace_id_of,
)
from nexus.workspaces.domain.roles import Action

R = TypeVar("R")


class Resource(Protocol):
    id: Any
    workspace_id: WorkspaceId

    def set_enabled(self, enabled: bool, now: Any) -> bool: ...

    def change(self, changes: Mapping[str, Any], now: Any) -> list[str]: ...


def repository(tx: WorkspacesUnitOfWork, name: str) -> Any:
    return getattr(tx, name)


def load(
    tx: WorkspacesUnitOfWork,
    name: str,
    workspace_id: IdLike,
    item_id: IdLike,
    actor: ActorLike,
    action: Action,
) -> Any:
    """Authorize, then the row of this workspace (another workspace's id: NotFoundError)."""
    workspace = workspace_id_of(workspace_id)
    key = parse_id(item_id, field=f"{name}.id")
    authorize(tx, workspace, actor, action)
    return repository(tx, name).get(workspace, key)


def listed(
    tx: WorkspacesUnitOfWork,
    name: str,
    workspace_id: IdLike,
    actor: ActorLike,
    action: Action,
    result: Callable[[Any], R],
) -> list[R]:
    workspace = authorized(tx, workspace_id, actor, action)
    return [result(item) for item in repository(tx, name).for_workspace(workspace)]


def edit(
    tx: WorkspacesUnitOfWork,
    name: str,
    key: tuple[IdLike, IdLike, ActorLike, Action],
    apply: Callable[[Any], bool | list[str]],
) -> Any:
    """Load the row (`key`: workspace id, row id, actor, action), apply the edit, and save it
    when something changed."""
    item = load(tx, name, *key)
    if apply(item):
        repository(tx, name).update(item)
    return item


Key = tuple[IdLike, IdLike, ActorLike, Action]


def switch(tx: WorkspacesUnitOfWork, name: str, key: Key, enabled: bool, now: Any) -> Any:
    return edit(tx, name, key, lambda item: item.set_enabled(enabled, now))


def change(
    tx: WorkspacesUnitOfWork, name: str, key: Key, changes: Mapping[str, Any], now: Any
) -> Any:
    return edit(tx, name, key, lambda item: item.change(changes, now))


def delete(
    tx: WorkspacesUnitOfWork,
    name: str,
    workspace_id: IdLike,
    item_id: IdLike,
    actor: ActorLike,
    action: Action,
) -> uuid.UUID:
    item = load(tx, name, workspace_id, item_id, actor, action)
    repository(tx, name).remove(item.workspace_id, item.id)
    return item.id  # type: ignore[no-any-return]
