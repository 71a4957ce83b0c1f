"""Use cases on app configs (per workspace) and the global model catalog (operator-run:
upsert from a source listing without overwriting a field a user overrode; override a field)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from nexus.shared.actors import OPERATOR
from nexus.shared.errors import NotFoundError, ValidationError
from nexus.shared.usecases import transaction
from nexus.workspaces.application.ports import WorkspacesUnitOfWork
from nexus.workspaces.application.results import (
    AppConfigResult,
    CatalogEntryResult,
    CatalogSyncResult,
)
from nexus.workspaces.application.support import (
    ActorLike,
    IdLike,
    WorkspacesUseCases,
    authorized,
    operator_only,
)
from nexus.workspaces.domain.apps import AppConfig
from nexus.workspaces.domain.catalog import CatalogSource, upsert
from nexus.workspaces.domain.roles import Action


def _source(value: CatalogSource | Mapping[str, Any], position: int) -> CatalogSource:
    if isinstance(value, CatalogSource):
        return value
    if not isinstance(value, Mapping) or "canonical_id" not in value or "name" not in value:
        raise ValidationError(f"entries[{position}]", "must be an object with canonical_id, name")
    allowed = {"canonical_id", "name", "description", "image", "context_window"}
    unknown = sorted(str(k) for k in set(value) - allowed)
    if unknown:
        raise ValidationError(f"entries[{position}].{unknown[0]}", "is not a catalog field")
    return CatalogSource(**dict(value))


class Apps(WorkspacesUseCases):
    @transaction
    def set_app_config(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        app_id: str,
        *,
        enabled: bool,
        actor: ActorLike,
    ) -> AppConfigResult:
        """Switch an app on or off in a workspace (created on first use)."""
        workspace = authorized(tx, workspace_id, actor, Action.SET_APP_CONFIG)
        now = self.clock.now()
        found = tx.app_configs.find_by_app(workspace, app_id) if isinstance(app_id, str) else None
        if found is None:
            found = AppConfig(
                workspace_id=workspace,
                app_id=app_id,
                enabled=enabled,
                created_at=now,
                updated_at=now,
            )
            tx.app_configs.add(found)
        elif found.set_enabled(enabled, now):
            tx.app_configs.update(found)
        return AppConfigResult.from_entity(found)

    @transaction
    def list_app_configs(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, *, actor: ActorLike
    ) -> list[AppConfigResult]:
        workspace = authorized(tx, workspace_id, actor, Action.LIST_APP_CONFIGS)
        return [AppConfigResult.from_entity(a) for a in tx.app_configs.for_workspace(workspace)]

    @transaction
    def upsert_model_catalog(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        entries: Iterable[CatalogSource | Mapping[str, Any]],
        *,
        actor: ActorLike = OPERATOR,
    ) -> CatalogSyncResult:
        """Merge a source listing: new models are added; known ones take the source's values
        except in the fields a user overrode."""
        operator_only(actor, "upsert_model_catalog")
        if isinstance(entries, str | bytes | Mapping) or not isinstance(entries, Iterable):
            raise ValidationError("entries", "must be a list of catalog entries")
        sources = [_source(e, i) for i, e in enumerate(entries)]
        if len({s.canonical_id for s in sources}) != len(sources):
            raise ValidationError("entries.canonical_id", "is listed twice")
        now = self.clock.now()
        existing = tx.model_catalog.get_many([s.canonical_id for s in sources])
        added, updated, unchanged = [], [], 0
        for source in sources:
            entry, changed = upsert(existing.get(source.canonical_id), source, now)
            if source.canonical_id not in existing:
                added.append(entry)
            elif changed:
                updated.append(entry)
            else:
                unchanged += 1
        for entry in updated:
            tx.model_catalog.update(entry)
        tx.model_catalog.add_many(added)
        return CatalogSyncResult(
            added=[e.canonical_id for e in added],
            updated=[e.canonical_id for e in updated],
            unchanged=unchanged,
        )

    @transaction
    def override_model_field(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        canonical_id: str,
        field: str,
        value: Any,
        *,
        actor: ActorLike = OPERATOR,
    ) -> CatalogEntryResult:
        """A user's value for one field; later source listings leave it alone."""
        operator_only(actor, "override_model_field")
        entry = tx.model_catalog.find(canonical_id) if isinstance(canonical_id, str) else None
        if entry is None:
            raise NotFoundError("model catalog entry", canonical_id)
        entry.override(field, value, self.clock.now())
        tx.model_catalog.update(entry)
        return CatalogEntryResult.from_entity(entry)

    @transaction
    def list_model_catalog(self, tx: WorkspacesUnitOfWork) -> list[CatalogEntryResult]:
        return [CatalogEntryResult.from_entity(e) for e in tx.model_catalog.every()]
