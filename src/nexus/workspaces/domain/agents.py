"""Agent configs, the one-default-per-workspace rule, and the pure plan of "sync agents"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from nexus.shared.entity import Entity, aware_datetime, boolean, text
from nexus.shared.errors import ValidationError
from nexus.shared.ids import WorkspaceId
from nexus.shared.rules import http_url
from nexus.workspaces.domain.ids import AgentConfigId, ProviderConfigId, new_agent_config_id
from nexus.workspaces.domain.providers import ProviderConfig
from nexus.workspaces.domain.rules import (
    NAME_MAX_LENGTH,
    Switchable,
    apply_changes,
    optional_text,
    required_name,
)


def _blank_to_none(value: object) -> object:
    """An empty class or module path means "none": the partial unique index ignores both."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _path() -> Any:
    return attrs.field(
        default=None,
        converter=_blank_to_none,
        validator=text(max_length=NAME_MAX_LENGTH, optional=True, strip_check=True),
    )


# What an agent's definition (code, a sync file) says; user-owned fields (enabled, is_default,
# provider_id) are kept by a sync.
DEFINITION_FIELDS = (
    "name",
    "module_path",
    "description",
    "icon",
    "logo_url",
    "system_prompt",
    "model_id",
    "provider",
)
EDITABLE_FIELDS = ("class_name", *DEFINITION_FIELDS)


@attrs.define(kw_only=True)
class AgentConfig(Switchable, Entity):
    """An agent of a workspace. At most one per (workspace_id, class_name) when class_name is
    set; at most one default per workspace."""

    __label__ = "agent_configs"

    id: AgentConfigId = attrs.field(factory=new_agent_config_id)
    workspace_id: WorkspaceId
    name: str = required_name()
    class_name: str | None = _path()
    module_path: str | None = _path()
    description: str | None = optional_text()
    icon: str | None = optional_text(NAME_MAX_LENGTH)
    logo_url: str | None = attrs.field(default=None, validator=http_url)
    system_prompt: str | None = optional_text()
    provider_id: ProviderConfigId | None = None
    model_id: str | None = optional_text(NAME_MAX_LENGTH)
    provider: str | None = optional_text(NAME_MAX_LENGTH)
    is_default: bool = attrs.field(default=False, validator=boolean)
    enabled: bool = attrs.field(default=False, validator=boolean)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())

    def change(self, changes: Mapping[str, Any], now: datetime) -> list[str]:
        return apply_changes(self, changes, EDITABLE_FIELDS, now)

    def use_provider(self, provider: ProviderConfig | None, now: datetime) -> None:
        """Point at a provider config of the same workspace (the composite foreign key refuses
        another workspace's too), or at none."""
        if provider is not None and provider.workspace_id != self.workspace_id:
            raise ValidationError(
                "agent_configs.provider_id", "must be a provider config of the same workspace"
            )
        new = None if provider is None else provider.id
        if new != self.provider_id:
            self.provider_id = new
            self.updated_at = now


def make_default(
    agents: Sequence[AgentConfig], agent_id: AgentConfigId, now: datetime
) -> list[AgentConfig]:
    """Make one agent of a workspace its default. `agents` are all the workspace's agents;
    returns those that changed (the new default, the old one), to save."""
    target = [a for a in agents if a.id == agent_id]
    if not target:
        raise ValidationError("agent_configs.id", "must be an agent of this workspace")
    changed = []
    for agent in agents:
        if agent.workspace_id != target[0].workspace_id:
            raise ValidationError("agent_configs.workspace_id", "must all be one workspace")
        wanted = agent.id == agent_id
        if agent.is_default is not wanted:
            agent.is_default = wanted
            agent.updated_at = now
            changed.append(agent)
    return changed


@attrs.frozen(kw_only=True)
class AgentDefinition:
    """One agent as a sync source lists it: identified by its class path."""

    class_name: str = attrs.field(
        validator=text(min_length=1, max_length=NAME_MAX_LENGTH, strip_check=True)
    )
    name: str
    module_path: str | None = None
    description: str | None = None
    icon: str | None = None
    logo_url: str | None = None
    system_prompt: str | None = None
    model_id: str | None = None
    provider: str | None = None

    def values(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in DEFINITION_FIELDS}


@attrs.frozen(kw_only=True)
class SyncPlan:
    """What a sync writes: new agents to add, existing ones that changed."""

    added: list[AgentConfig]
    updated: list[AgentConfig]


def plan_sync(
    workspace_id: WorkspaceId,
    existing: Iterable[AgentConfig],
    definitions: Iterable[AgentDefinition],
    now: datetime,
) -> SyncPlan:
    """Upsert by class name: a definition whose class is new becomes a (disabled, non-default)
    agent; an existing one takes the definition's fields and keeps enabled, is_default and
    provider_id. Every value is validated before anything is planned. The repository still
    inserts under the partial unique index, so a concurrent sync loses with a conflict and
    retries rather than duplicating."""
    by_class: dict[str, AgentDefinition] = {}
    for definition in definitions:
        if definition.class_name in by_class:
            raise ValidationError(
                "agent_configs.class_name", f"is listed twice: {definition.class_name!r}"
            )
        by_class[definition.class_name] = definition
    # Validate every definition first (as a would-be new agent), so a bad one plans nothing.
    fresh = {
        class_name: AgentConfig(
            workspace_id=workspace_id,
            class_name=class_name,
            created_at=now,
            updated_at=now,
            **definition.values(),
        )
        for class_name, definition in by_class.items()
    }
    current = {a.class_name: a for a in existing if a.class_name is not None}
    if any(a.workspace_id != workspace_id for a in current.values()):
        raise ValidationError("agent_configs.workspace_id", "must all be one workspace")
    added, updated = [], []
    for class_name, definition in by_class.items():
        agent = current.get(class_name)
        if agent is None:
            added.append(fresh[class_name])
        elif agent.change(definition.values(), now):
            updated.append(agent)
    return SyncPlan(added=added, updated=updated)
