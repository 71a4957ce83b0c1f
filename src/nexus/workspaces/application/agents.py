"""Use cases on provider configs and agent configs: create, update, enable, disable, delete,
list, the default agent, and "sync agents" (upsert by class name, safe under concurrency: the
partial unique index refuses a second row and the shared retry re-runs the loser)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from nexus.shared.errors import ValidationError
from nexus.shared.ids import WorkspaceId, parse_id
from nexus.shared.usecases import transaction
from nexus.workspaces.application import resources as r
from nexus.workspaces.application.ports import WorkspacesUnitOfWork
from nexus.workspaces.application.results import AgentResult, ProviderResult, SyncResult
from nexus.workspaces.application.support import (
    ActorLike,
    IdLike,
    WorkspacesUseCases,
    authorized,
)
from nexus.workspaces.domain.agents import AgentConfig, AgentDefinition, make_default, plan_sync
from nexus.workspaces.domain.ids import ProviderConfigId
from nexus.workspaces.domain.providers import ProviderConfig
from nexus.workspaces.domain.roles import Action

PROVIDERS = "providers"
AGENTS = "agents"
_UNSET: Any = object()


def _definition(value: AgentDefinition | Mapping[str, Any], position: int) -> AgentDefinition:
    if isinstance(value, AgentDefinition):
        return value
    if not isinstance(value, Mapping):
        raise ValidationError(f"agents[{position}]", "must be an object with class_name and name")
    fields = {f.name for f in attrs.fields(AgentDefinition)}
    unknown = sorted(set(value) - fields)
    if unknown:
        raise ValidationError(f"agents[{position}].{unknown[0]}", "is not an agent field")
    if "class_name" not in value or "name" not in value:
        raise ValidationError(f"agents[{position}]", "must have class_name and name")
    return AgentDefinition(**dict(value))


def _use_provider(
    tx: WorkspacesUnitOfWork, agent: AgentConfig, provider_id: IdLike | None, now: Any
) -> None:
    provider = None
    if provider_id is not None:
        key = ProviderConfigId(parse_id(provider_id, field="agent_configs.provider_id"))
        provider = tx.providers.get(agent.workspace_id, key)
    agent.use_provider(provider, now)


def _save_default(tx: WorkspacesUnitOfWork, workspace: WorkspaceId, agent: AgentConfig) -> None:
    """Make `agent` the default: the old default is cleared first (one default at a time)."""
    changed = make_default(tx.agents.for_workspace(workspace), agent.id, agent.updated_at)
    for other in sorted(changed, key=lambda a: a.is_default):
        if other.id == agent.id:
            agent.is_default = True
        tx.agents.update(other)


class Agents(WorkspacesUseCases):
    # -- provider configs -----------------------------------------------------------------

    @transaction
    def create_provider(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        *,
        provider_type: str,
        name: str,
        model: str,
        actor: ActorLike,
        endpoint: str | None = None,
        config: dict[str, Any] | None = None,
        enabled: bool = False,
    ) -> ProviderResult:
        """`config` holds no secret (api keys go to set_secret)."""
        workspace = authorized(tx, workspace_id, actor, Action.CREATE_PROVIDER)
        now = self.clock.now()
        provider = ProviderConfig(
            workspace_id=workspace,
            provider_type=provider_type,
            name=name,
            model=model,
            endpoint=endpoint,
            config={} if config is None else config,
            enabled=enabled,
            created_at=now,
            updated_at=now,
        )
        tx.providers.add(provider)
        return ProviderResult.from_entity(provider)

    @transaction
    def update_provider(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        provider_id: IdLike,
        *,
        actor: ActorLike,
        **changes: Any,
    ) -> ProviderResult:
        args = (workspace_id, provider_id, actor, Action.UPDATE_PROVIDER)
        return ProviderResult.from_entity(r.change(tx, PROVIDERS, args, changes, self.clock.now()))

    @transaction
    def enable_provider(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        provider_id: IdLike,
        *,
        actor: ActorLike,
    ) -> ProviderResult:
        args = (workspace_id, provider_id, actor, Action.ENABLE_PROVIDER)
        return ProviderResult.from_entity(r.switch(tx, PROVIDERS, args, True, self.clock.now()))

    @transaction
    def disable_provider(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        provider_id: IdLike,
        *,
        actor: ActorLike,
    ) -> ProviderResult:
        args = (workspace_id, provider_id, actor, Action.DISABLE_PROVIDER)
        return ProviderResult.from_entity(r.switch(tx, PROVIDERS, args, False, self.clock.now()))

    @transaction
    def delete_provider(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        provider_id: IdLike,
        *,
        actor: ActorLike,
    ) -> None:
        """Agents using it stop using it (provider_id NULL), in the same transaction."""
        provider = r.load(tx, PROVIDERS, workspace_id, provider_id, actor, Action.DELETE_PROVIDER)
        tx.agents.release_provider(provider.workspace_id, provider.id)
        tx.providers.remove(provider.workspace_id, provider.id)

    @transaction
    def list_providers(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, *, actor: ActorLike
    ) -> list[ProviderResult]:
        return r.listed(
            tx, PROVIDERS, workspace_id, actor, Action.LIST_PROVIDERS, ProviderResult.from_entity
        )

    # -- agent configs --------------------------------------------------------------------

    @transaction
    def create_agent(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        *,
        name: str,
        actor: ActorLike,
        provider_id: IdLike | None = None,
        is_default: bool = False,
        enabled: bool = False,
        **fields: Any,
    ) -> AgentResult:
        """`fields`: class_name, module_path, description, icon, logo_url, system_prompt,
        model_id, provider. `provider_id` must be a provider of the same workspace."""
        workspace = authorized(tx, workspace_id, actor, Action.CREATE_AGENT)
        now = self.clock.now()
        agent = AgentConfig(workspace_id=workspace, name=name, created_at=now, updated_at=now)
        agent.change(fields, now)
        agent.set_enabled(enabled, now)
        _use_provider(tx, agent, provider_id, now)
        tx.agents.add(agent)
        if is_default:
            _save_default(tx, workspace, agent)
        return AgentResult.from_entity(agent)

    @transaction
    def update_agent(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        agent_id: IdLike,
        *,
        actor: ActorLike,
        provider_id: Any = _UNSET,
        **changes: Any,
    ) -> AgentResult:
        """Edit the definition fields; `provider_id=` another provider (None: none)."""
        args = (workspace_id, agent_id, actor, Action.UPDATE_AGENT)
        agent = r.change(tx, AGENTS, args, changes, self.clock.now())
        if provider_id is not _UNSET:
            _use_provider(tx, agent, provider_id, self.clock.now())
            tx.agents.update(agent)
        return AgentResult.from_entity(agent)

    @transaction
    def set_default_agent(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        agent_id: IdLike,
        *,
        actor: ActorLike,
    ) -> AgentResult:
        agent = r.load(tx, AGENTS, workspace_id, agent_id, actor, Action.UPDATE_AGENT)
        agent.updated_at = self.clock.now()
        _save_default(tx, agent.workspace_id, agent)
        return AgentResult.from_entity(agent)

    @transaction
    def enable_agent(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        agent_id: IdLike,
        *,
        actor: ActorLike,
    ) -> AgentResult:
        args = (workspace_id, agent_id, actor, Action.ENABLE_AGENT)
        return AgentResult.from_entity(r.switch(tx, AGENTS, args, True, self.clock.now()))

    @transaction
    def disable_agent(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        agent_id: IdLike,
        *,
        actor: ActorLike,
    ) -> AgentResult:
        args = (workspace_id, agent_id, actor, Action.DISABLE_AGENT)
        return AgentResult.from_entity(r.switch(tx, AGENTS, args, False, self.clock.now()))

    @transaction
    def delete_agent(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        agent_id: IdLike,
        *,
        actor: ActorLike,
    ) -> None:
        r.delete(tx, AGENTS, workspace_id, agent_id, actor, Action.DELETE_AGENT)

    @transaction
    def list_agents(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, *, actor: ActorLike
    ) -> list[AgentResult]:
        return r.listed(
            tx, AGENTS, workspace_id, actor, Action.LIST_AGENTS, AgentResult.from_entity
        )

    @transaction
    def sync_agents(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        agents: Iterable[AgentDefinition | Mapping[str, Any]],
        *,
        actor: ActorLike,
    ) -> SyncResult:
        """Upsert agents by class name: new classes are added (disabled), known ones take the
        definition's fields and keep enabled, is_default and provider_id."""
        workspace = authorized(tx, workspace_id, actor, Action.SYNC_AGENTS)
        if isinstance(agents, str | bytes | Mapping) or not isinstance(agents, Iterable):
            raise ValidationError("agents", "must be a list of agent definitions")
        definitions = [_definition(a, i) for i, a in enumerate(agents)]
        existing = tx.agents.with_classes(workspace, [d.class_name for d in definitions])
        plan = plan_sync(workspace, existing, definitions, self.clock.now())
        for agent in plan.updated:
            tx.agents.update(agent)
        tx.agents.add_many(plan.added)
        return SyncResult(
            added=[str(a.class_name) for a in plan.added],
            updated=[str(a.class_name) for a in plan.updated],
            agents=[AgentResult.from_entity(a) for a in tx.agents.for_workspace(workspace)],
        )
